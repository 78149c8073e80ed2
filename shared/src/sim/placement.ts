// Where an object may stand: its whole footprint inside the room, and a blocking footprint
// overlapping neither another blocking footprint nor a player. Rugs and seats block nothing, so
// anything may stand on a rug.
import { BLOCKING_TYPES, type ItemType } from "../catalog.ts";
import { circleIntersectsRect, type Point } from "./geometry.ts";
import { PLAYER_RADIUS } from "../constants.ts";
import { footprintRect, rectsOverlap } from "./footprint.ts";

export interface PlacedTile extends Point {
  id: number;
  type: ItemType;
  rotation?: number;
}

export interface RoomSize {
  width: number;
  height: number;
}

export type PlacementError = "out_of_bounds" | "blocked";

/** Whether the whole footprint of `o` (a 1×1 tile when no type is given) is inside the room. */
export function tileInsideRoom(o: Point & { type?: string; rotation?: number }, room: RoomSize): boolean {
  const r = footprintRect({ type: o.type ?? "chair", rotation: o.rotation ?? 0, x: o.x, y: o.y });
  return r.left >= 0 && r.top >= 0 && r.right <= room.width && r.bottom <= room.height;
}

/**
 * Checks a piece of `type` at `position` turned by `rotation`. `others` are the room's placed
 * objects (the moved object itself, if listed, is ignored by id); `players` the player positions.
 */
export function checkPlacement(
  candidate: { id?: number; type: ItemType; rotation?: number } & Point,
  room: RoomSize,
  others: Iterable<PlacedTile>,
  players: Iterable<Point>,
): PlacementError | null {
  if (!tileInsideRoom(candidate, room)) return "out_of_bounds";
  if (!BLOCKING_TYPES.has(candidate.type)) return null;
  const rect = footprintRect(candidate);
  for (const other of others) {
    if (other.id !== candidate.id && BLOCKING_TYPES.has(other.type) && rectsOverlap(rect, footprintRect(other))) return "blocked";
  }
  for (const player of players) {
    if (circleIntersectsRect(player, PLAYER_RADIUS, rect)) return "blocked";
  }
  return null;
}

export const PLACEMENT_MESSAGES: Record<PlacementError, string> = {
  out_of_bounds: "The object must stand entirely inside the room",
  blocked: "A blocking object may not overlap another blocking object or a player",
};
