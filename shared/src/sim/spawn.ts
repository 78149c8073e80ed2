// Where a joining player appears: clear of blocking tiles, and clear of the players already in the
// room, so two people who join an empty room never stand on one spot with overlapping name tags.
import { PLAYER_RADIUS } from "../constants.ts";
import type { Point } from "./geometry.ts";
import { findFreeSpot } from "./movement.ts";
import type { RoomSize } from "./placement.ts";
import { PointGrid } from "./point-grid.ts";

/** Free space kept between a new avatar's circle and every other one: two player radii. */
export const SPAWN_GAP = 2 * PLAYER_RADIUS;
/** The smallest distance between a spawn point and another player's centre. */
export const SPAWN_CLEARANCE = 2 * PLAYER_RADIUS + SPAWN_GAP;

/**
 * The free spot nearest `wanted` that keeps SPAWN_CLEARANCE from every player. A room too crowded
 * for that still lets the player in, at the nearest spot free of walls (as before).
 */
export function findSpawnPoint(wanted: Point, room: RoomSize, blockers: readonly Point[], players: readonly Point[]): Point | null {
  const near = new PointGrid(players, SPAWN_CLEARANCE);
  const tooClose = (o: Point, p: Point) => Math.hypot(p.x - o.x, p.y - o.y) < SPAWN_CLEARANCE;
  const clear = (p: Point) => !near.some(p, SPAWN_CLEARANCE, (o) => tooClose(o, p));
  return findFreeSpot(wanted, room, blockers, clear) ?? findFreeSpot(wanted, room, blockers);
}
