// Tap-to-walk: A* over the 32 px floor grid, around blocking furniture. Every step of the path is
// checked with the server's own movement rule (checkPath), so walking it with ordinary
// `update_position` messages at walking speed is never refused for the path's sake.
import { PLAYER_RADIUS, TILE_SIZE } from "../constants.ts";
import { circleIntersectsRect, tileRect, type Point } from "./geometry.ts";
import { checkPath, playerInsideRoom } from "./movement.ts";
import type { RoomSize } from "./placement.ts";

const NEIGHBOURS = [
  [1, 0], [-1, 0], [0, 1], [0, -1],
  [1, 1], [1, -1], [-1, 1], [-1, -1],
] as const;

const cellCentre = (cx: number, cy: number): Point => ({ x: cx * TILE_SIZE + TILE_SIZE / 2, y: cy * TILE_SIZE + TILE_SIZE / 2 });

/**
 * Waypoints from `from` to `to` (the last one is `to` itself), or null when `to` cannot be
 * reached. Straight stretches are merged, so the path turns only where it must.
 */
export function findPath(from: Point, to: Point, room: RoomSize, blockers: readonly Point[]): Point[] | null {
  if (!standable(to, room, blockers)) return null;
  if (checkPath(from, to, room, blockers) === null) return [to];
  const cols = Math.ceil(room.width / TILE_SIZE);
  const rows = Math.ceil(room.height / TILE_SIZE);
  const index = (cx: number, cy: number) => cy * cols + cx;
  const goal = { cx: Math.floor(to.x / TILE_SIZE), cy: Math.floor(to.y / TILE_SIZE) };
  const g = new Float64Array(cols * rows).fill(Infinity);
  const parent = new Int32Array(cols * rows).fill(-1);
  const closed = new Uint8Array(cols * rows);
  const heap = new MinHeap();
  const h = (cx: number, cy: number) => Math.hypot(cx - goal.cx, cy - goal.cy) * TILE_SIZE;
  // The start is the real position; it links to the cells around it that it can reach.
  const START = -2;
  const sx = Math.floor(from.x / TILE_SIZE);
  const sy = Math.floor(from.y / TILE_SIZE);
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const cx = sx + dx;
      const cy = sy + dy;
      if (cx < 0 || cy < 0 || cx >= cols || cy >= rows) continue;
      const c = cellCentre(cx, cy);
      if (checkPath(from, c, room, blockers) !== null) continue;
      const i = index(cx, cy);
      g[i] = Math.hypot(c.x - from.x, c.y - from.y);
      parent[i] = START;
      heap.push(i, g[i]! + h(cx, cy));
    }
  }
  while (heap.size) {
    const i = heap.pop();
    if (closed[i]) continue;
    closed[i] = 1;
    const cx = i % cols;
    const cy = (i - cx) / cols;
    const here = cellCentre(cx, cy);
    if (checkPath(here, to, room, blockers) === null && (cx === goal.cx && cy === goal.cy || Math.hypot(here.x - to.x, here.y - to.y) <= TILE_SIZE)) {
      return smooth(from, [...walkBack(parent, i, cols), to], room, blockers);
    }
    for (const [dx, dy] of NEIGHBOURS) {
      const nx = cx + dx;
      const ny = cy + dy;
      if (nx < 0 || ny < 0 || nx >= cols || ny >= rows) continue;
      const j = index(nx, ny);
      if (closed[j]) continue;
      const step = dx && dy ? Math.SQRT2 * TILE_SIZE : TILE_SIZE;
      if (g[i]! + step >= g[j]!) continue;
      if (checkPath(here, cellCentre(nx, ny), room, blockers) !== null) continue;
      g[j] = g[i]! + step;
      parent[j] = i;
      heap.push(j, g[j]! + h(nx, ny));
    }
  }
  return null;
}

/** Whether a player may stand at `p` at all (inside the room, on no blocking tile). */
function standable(p: Point, room: RoomSize, blockers: readonly Point[]): boolean {
  return playerInsideRoom(p, room) && !blockers.some((b) => circleIntersectsRect(p, PLAYER_RADIUS, tileRect(b)));
}

function walkBack(parent: Int32Array, end: number, cols: number): Point[] {
  const cells: Point[] = [];
  for (let i = end; i >= 0; i = parent[i]!) cells.push(cellCentre(i % cols, Math.floor(i / cols)));
  return cells.reverse();
}

/** Drops waypoints that can be skipped in a straight line the server would accept. */
function smooth(from: Point, points: Point[], room: RoomSize, blockers: readonly Point[]): Point[] {
  const out: Point[] = [];
  let at = from;
  let i = 0;
  while (i < points.length) {
    let far = i;
    for (let k = points.length - 1; k > i; k--) {
      if (checkPath(at, points[k]!, room, blockers) === null) {
        far = k;
        break;
      }
    }
    out.push(points[far]!);
    at = points[far]!;
    i = far + 1;
  }
  return out;
}

/** A binary heap of (node, priority), smallest priority first. */
class MinHeap {
  readonly #nodes: number[] = [];
  readonly #prio: number[] = [];

  get size(): number {
    return this.#nodes.length;
  }

  push(node: number, priority: number): void {
    const n = this.#nodes;
    const p = this.#prio;
    let k = n.length;
    n.push(node);
    p.push(priority);
    while (k > 0) {
      const up = (k - 1) >> 1;
      if (p[up]! <= p[k]!) break;
      [n[up], n[k]] = [n[k]!, n[up]!];
      [p[up], p[k]] = [p[k]!, p[up]!];
      k = up;
    }
  }

  pop(): number {
    const n = this.#nodes;
    const p = this.#prio;
    const top = n[0]!;
    const lastN = n.pop()!;
    const lastP = p.pop()!;
    if (n.length) {
      n[0] = lastN;
      p[0] = lastP;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < n.length && p[l]! < p[m]!) m = l;
        if (r < n.length && p[r]! < p[m]!) m = r;
        if (m === k) break;
        [n[m], n[k]] = [n[k]!, n[m]!];
        [p[m], p[k]] = [p[k]!, p[m]!];
        k = m;
      }
    }
    return top;
  }
}
