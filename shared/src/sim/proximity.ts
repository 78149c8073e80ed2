// Who may talk to whom: a pure function of positions, media state, private areas and the talking
// radius. The server runs it (it alone decides which pairs may signal); nothing here is trusted
// from a client.
import { RTC } from "../media.ts";
import type { Point } from "./geometry.ts";

export interface Talker extends Point {
  user_id: number;
  /** Id of the private area the talker stands in; 0 when none. */
  area: number;
}

export interface AreaObject extends Point {
  id: number;
  type: string;
}

export const PRIVATE_AREA_TYPE = "private_area";

/**
 * The private area containing `point`: the lowest id among the `private_area` rugs whose square
 * (RTC.privateAreaSize, centred on the object) contains it, so overlapping rugs resolve the same
 * way on every process; 0 when none.
 */
export function privateAreaAt(point: Point, objects: Iterable<AreaObject>): number {
  const half = RTC.privateAreaSize / 2;
  let found = 0;
  for (const o of objects) {
    if (o.type !== PRIVATE_AREA_TYPE) continue;
    if (Math.abs(point.x - o.x) > half || Math.abs(point.y - o.y) > half) continue;
    if (!found || o.id < found) found = o.id;
  }
  return found;
}

export function pairKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

interface Candidate {
  a: number;
  b: number;
  d2: number;
}

/**
 * The connected pairs (keys from pairKey) among talkers with media on. Two talkers may connect
 * when they stand in the same private area, or when neither stands in one and they are within
 * `radius`. Each talker keeps at most `cap` pairs: candidate pairs are taken nearest first, so
 * the result is symmetric and the same whatever the input order.
 */
export function proximityPairs(talkers: readonly Talker[], radius: number, cap: number = RTC.maxPeers): Set<string> {
  const candidates = [...areaCandidates(talkers), ...openCandidates(talkers, radius)];
  candidates.sort((p, q) => p.d2 - q.d2 || p.a - q.a || p.b - q.b);
  const degree = new Map<number, number>();
  const pairs = new Set<string>();
  for (const { a, b } of candidates) {
    const da = degree.get(a) ?? 0;
    const db = degree.get(b) ?? 0;
    if (da >= cap || db >= cap) continue;
    degree.set(a, da + 1);
    degree.set(b, db + 1);
    pairs.add(pairKey(a, b));
  }
  return pairs;
}

function candidate(s: Talker, t: Talker): Candidate {
  const d2 = (s.x - t.x) ** 2 + (s.y - t.y) ** 2;
  return s.user_id < t.user_id ? { a: s.user_id, b: t.user_id, d2 } : { a: t.user_id, b: s.user_id, d2 };
}

/** Everyone in one private area hears everyone else in it, whatever the distance. */
function areaCandidates(talkers: readonly Talker[]): Candidate[] {
  const byArea = new Map<number, Talker[]>();
  for (const t of talkers) if (t.area) bucket(byArea, t.area).push(t);
  const out: Candidate[] = [];
  for (const group of byArea.values()) {
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) out.push(candidate(group[i]!, group[j]!));
  }
  return out;
}

/**
 * Talkers outside private areas within `radius` of each other, found through a grid of
 * radius-sized cells: each talker is compared only with the 3 × 3 cells around it.
 */
function openCandidates(talkers: readonly Talker[], radius: number): Candidate[] {
  const cell = (v: number) => Math.floor(v / radius);
  const grid = new Map<string, Talker[]>();
  const open = talkers.filter((t) => !t.area);
  for (const t of open) {
    bucket(grid, `${cell(t.x)},${cell(t.y)}`).push(t);
  }
  const out: Candidate[] = [];
  const r2 = radius * radius;
  for (const s of open) {
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const t of grid.get(`${cell(s.x) + dx},${cell(s.y) + dy}`) ?? []) {
          if (t.user_id <= s.user_id) continue; // each pair once
          const c = candidate(s, t);
          if (c.d2 <= r2) out.push(c);
        }
      }
    }
  }
  return out;
}

function bucket<K>(map: Map<K, Talker[]>, key: K): Talker[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
