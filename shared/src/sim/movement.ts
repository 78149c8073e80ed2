// Walking: the same pure rules on the server (authority) and in the client (prediction).
// A player is a circle; it stays inside the room, never overlaps a blocking tile (not even on
// the way from one position to the next), and covers at most WALK_SPEED pixels in any 1 s window.
import { PLAYER_RADIUS, TILE_SIZE, WALK_SPEED } from "../constants.ts";
import type { Point, Rect } from "./geometry.ts";
import { circleIntersectsRect, tileRect } from "./geometry.ts";
import type { RoomSize } from "./placement.ts";
import { PointGrid } from "./point-grid.ts";

export type MoveRejection = "out_of_bounds" | "blocked" | "too_fast";

export const SPEED_WINDOW_MS = 1000;

/** Whether the whole circle of a player at `p` is inside the room. */
export function playerInsideRoom(p: Point, room: RoomSize): boolean {
  return p.x >= PLAYER_RADIUS && p.y >= PLAYER_RADIUS && p.x <= room.width - PLAYER_RADIUS && p.y <= room.height - PLAYER_RADIUS;
}

/** Distance from point `p` to the segment a–b. */
function pointSegmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSq));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Whether segment a–b passes through the open interior of `r` (slab method). */
function segmentCrossesRect(a: Point, b: Point, r: Rect): boolean {
  let t0 = 0;
  let t1 = 1;
  const d = { x: b.x - a.x, y: b.y - a.y };
  for (const [p, dp, min, max] of [
    [a.x, d.x, r.left, r.right],
    [a.y, d.y, r.top, r.bottom],
  ] as const) {
    if (dp === 0) {
      if (p <= min || p >= max) return false;
      continue;
    }
    let near = (min - p) / dp;
    let far = (max - p) / dp;
    if (near > far) [near, far] = [far, near];
    t0 = Math.max(t0, near);
    t1 = Math.min(t1, far);
    if (t0 >= t1) return false;
  }
  return true;
}

/**
 * Whether a circle of PLAYER_RADIUS swept from `a` to `b` overlaps the tile centred on `tile`:
 * the segment against the tile grown by the radius (two slabs and four rounded corners).
 */
export function sweptCircleHitsTile(a: Point, b: Point, tile: Point): boolean {
  const r = PLAYER_RADIUS;
  const t = tileRect(tile);
  if (segmentCrossesRect(a, b, { left: t.left - r, top: t.top, right: t.right + r, bottom: t.bottom })) return true;
  if (segmentCrossesRect(a, b, { left: t.left, top: t.top - r, right: t.right, bottom: t.bottom + r })) return true;
  for (const corner of [
    { x: t.left, y: t.top },
    { x: t.right, y: t.top },
    { x: t.left, y: t.bottom },
    { x: t.right, y: t.bottom },
  ]) {
    if (pointSegmentDistance(corner, a, b) < r) return true;
  }
  return false;
}

/**
 * Checks the path from `from` to `to` against the room's bounds and blocking tiles. Tiles the
 * player already overlaps at `from` (one was placed under a stale position) are ignored, so a
 * player is never trapped.
 */
export function checkPath(from: Point, to: Point, room: RoomSize, blockers: Iterable<Point>): MoveRejection | null {
  if (!playerInsideRoom(to, room)) return "out_of_bounds";
  const reach = PLAYER_RADIUS + TILE_SIZE / 2;
  const minX = Math.min(from.x, to.x) - reach;
  const maxX = Math.max(from.x, to.x) + reach;
  const minY = Math.min(from.y, to.y) - reach;
  const maxY = Math.max(from.y, to.y) + reach;
  for (const tile of blockers) {
    if (tile.x <= minX || tile.x >= maxX || tile.y <= minY || tile.y >= maxY) continue;
    if (circleIntersectsRect(from, PLAYER_RADIUS, tileRect(tile))) continue;
    if (sweptCircleHitsTile(from, to, tile)) return "blocked";
  }
  return null;
}

/**
 * The walking-speed rule: the distances of accepted moves within any SPEED_WINDOW_MS add up to at
 * most WALK_SPEED × 1 s. A client that was silent (lag) may catch up in one longer move; a
 * teleport never fits.
 */
export class SpeedWindow {
  readonly #limit: number;
  readonly #times: number[] = [];
  readonly #distances: number[] = [];
  #sum = 0;

  constructor(limitPx = (WALK_SPEED * SPEED_WINDOW_MS) / 1000) {
    this.#limit = limitPx;
  }

  #expire(nowMs: number): void {
    while (this.#times.length && this.#times[0]! <= nowMs - SPEED_WINDOW_MS) {
      this.#times.shift();
      this.#sum -= this.#distances.shift()!;
    }
    if (this.#times.length === 0) this.#sum = 0;
  }

  /** Pixels the player may still cover now. */
  allowance(nowMs: number): number {
    this.#expire(nowMs);
    return Math.max(0, this.#limit - this.#sum);
  }

  record(nowMs: number, distance: number): void {
    if (distance <= 0) return;
    this.#expire(nowMs);
    this.#times.push(nowMs);
    this.#distances.push(distance);
    this.#sum += distance;
  }
}

/** Where a chair-sitter sits: the first chair tile whose square contains the player's centre. */
export function chairUnder(p: Point, chairs: Iterable<Point & { id: number }>): number {
  const half = TILE_SIZE / 2;
  for (const c of chairs) if (Math.abs(p.x - c.x) < half && Math.abs(p.y - c.y) < half) return c.id;
  return 0;
}

/**
 * For prediction: moves from `from` by `delta`, sliding along walls (full move, else along x,
 * else along y), so a player pressing into a wall glides instead of stopping. Returns `from`
 * when nothing is possible.
 */
export function slideMove(from: Point, delta: Point, room: RoomSize, blockers: readonly Point[]): Point {
  const clamp = (p: Point): Point => ({
    x: Math.round(Math.min(room.width - PLAYER_RADIUS, Math.max(PLAYER_RADIUS, p.x))),
    y: Math.round(Math.min(room.height - PLAYER_RADIUS, Math.max(PLAYER_RADIUS, p.y))),
  });
  for (const candidate of [
    { x: from.x + delta.x, y: from.y + delta.y },
    { x: from.x + delta.x, y: from.y },
    { x: from.x, y: from.y + delta.y },
  ]) {
    const to = clamp(candidate);
    if ((to.x !== from.x || to.y !== from.y) && checkPath(from, to, room, blockers) === null) return to;
  }
  return from;
}

/**
 * A free spot near `wanted` (a spiral search), or null if the room has none. `accept` adds a rule
 * of the caller's (a spawn point also keeps clear of players: see spawn.ts).
 */
export function findFreeSpot(wanted: Point, room: RoomSize, blockers: readonly Point[], accept: (p: Point) => boolean = () => true): Point | null {
  const tiles = new PointGrid(blockers, TILE_SIZE);
  const reach = PLAYER_RADIUS + TILE_SIZE / 2;
  const free = (p: Point) =>
    playerInsideRoom(p, room) && !tiles.some(p, reach, (b) => circleIntersectsRect(p, PLAYER_RADIUS, tileRect(b))) && accept(p);
  const start = {
    x: Math.round(Math.min(room.width - PLAYER_RADIUS, Math.max(PLAYER_RADIUS, wanted.x))),
    y: Math.round(Math.min(room.height - PLAYER_RADIUS, Math.max(PLAYER_RADIUS, wanted.y))),
  };
  if (free(start)) return start;
  // Rings of candidates around the start, PLAYER_RADIUS apart, nearest ring first; one scratch
  // point is reused for the candidates (a crowded room tries hundreds per search).
  const step = PLAYER_RADIUS;
  const maxRing = Math.ceil(Math.max(room.width, room.height) / step);
  const at: Point = { x: 0, y: 0 };
  const tryAt = (x: number, y: number) => {
    at.x = x;
    at.y = y;
    return free(at);
  };
  for (let ring = 1; ring <= maxRing; ring++) {
    const near = ring * step;
    for (let i = -ring; i <= ring; i++) {
      const along = i * step;
      if (tryAt(start.x + along, start.y - near) || tryAt(start.x + along, start.y + near) ||
        tryAt(start.x - near, start.y + along) || tryAt(start.x + near, start.y + along)) return { x: at.x, y: at.y };
    }
  }
  return null;
}
