// Where an object may stand: the whole tile inside the room, and a blocking tile overlapping
// neither another blocking tile nor a player.
import { BLOCKING_TYPES, TILE_SIZE, type ItemType } from "../constants.ts";
import { playerOverlapsTile, tilesOverlap, type Point } from "./geometry.ts";

export interface PlacedTile extends Point {
  id: number;
  type: ItemType;
}

export interface RoomSize {
  width: number;
  height: number;
}

export type PlacementError = "out_of_bounds" | "blocked";

export function tileInsideRoom(position: Point, room: RoomSize): boolean {
  const half = TILE_SIZE / 2;
  return position.x - half >= 0 && position.y - half >= 0 && position.x + half <= room.width && position.y + half <= room.height;
}

/**
 * Checks a tile of `type` at `position`. `others` are the room's placed objects (the moved object
 * itself, if listed, is ignored by id); `players` the current player positions.
 */
export function checkPlacement(
  candidate: { id?: number; type: ItemType } & Point,
  room: RoomSize,
  others: Iterable<PlacedTile>,
  players: Iterable<Point>,
): PlacementError | null {
  if (!tileInsideRoom(candidate, room)) return "out_of_bounds";
  if (!BLOCKING_TYPES.has(candidate.type)) return null;
  for (const other of others) {
    if (other.id !== candidate.id && BLOCKING_TYPES.has(other.type) && tilesOverlap(candidate, other)) return "blocked";
  }
  for (const player of players) {
    if (playerOverlapsTile(player, candidate)) return "blocked";
  }
  return null;
}

export const PLACEMENT_MESSAGES: Record<PlacementError, string> = {
  out_of_bounds: "The object must stand entirely inside the room",
  blocked: "A blocking object may not overlap another blocking object or a player",
};
