// The canvas's text equivalent: who and what is near you, with a compass direction and a distance
// in tiles, nearest first. Pure, so it is tested without a browser.
import { TILE_SIZE } from "../../../shared/src/constants.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";

export type Compass = "n" | "ne" | "e" | "se" | "s" | "sw" | "w" | "nw" | "here";

export interface NearbyEntry {
  kind: "person" | "object";
  id: number;
  name: string;
  /** Object type, for objects. */
  type?: string;
  direction: Compass;
  tiles: number;
}

/** How far the list looks, in tiles. */
export const NEARBY_TILES = 10;
const MAX_ENTRIES = 12;
const COMPASS: Compass[] = ["e", "se", "s", "sw", "w", "nw", "n", "ne"];

/** Screen y grows downward: "n" is up. */
export function compass(from: Point, to: Point): Compass {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  if (Math.hypot(dx, dy) < TILE_SIZE / 2) return "here";
  const octant = Math.round(Math.atan2(dy, dx) / (Math.PI / 4));
  return COMPASS[(octant + 8) % 8]!;
}

export function describeNearby(
  self: Point,
  people: { user_id: number; name: string; x: number; y: number }[],
  objects: { id: number; name: string; type: string; x: number; y: number }[],
): NearbyEntry[] {
  const entries: (NearbyEntry & { d: number })[] = [];
  const add = (kind: NearbyEntry["kind"], id: number, name: string, at: Point, type?: string) => {
    const d = Math.hypot(at.x - self.x, at.y - self.y);
    if (d > NEARBY_TILES * TILE_SIZE) return;
    entries.push({ kind, id, name, direction: compass(self, at), tiles: Math.round(d / TILE_SIZE), d, ...(type ? { type } : {}) });
  };
  for (const p of people) add("person", p.user_id, p.name, p);
  for (const o of objects) add("object", o.id, o.name, o, o.type);
  entries.sort((a, b) => a.d - b.d || a.id - b.id);
  return entries.slice(0, MAX_ENTRIES).map(({ d: _d, ...e }) => e);
}

/** A cheap fingerprint, so the list re-renders only when what it says changes. */
export function nearbyKey(entries: NearbyEntry[]): string {
  return entries.map((e) => `${e.kind}${e.id}${e.direction}${e.tiles}${e.name}`).join("|");
}
