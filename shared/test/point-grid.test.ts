import { describe, expect, it } from "@jest/globals";
import { PLAYER_RADIUS, TILE_SIZE } from "../src/constants.ts";
import { circleIntersectsRect, tileRect, type Point } from "../src/sim/geometry.ts";
import { playerInsideRoom } from "../src/sim/movement.ts";
import { PointGrid } from "../src/sim/point-grid.ts";
import { findSpawnPoint, SPAWN_CLEARANCE } from "../src/sim/spawn.ts";

// A small deterministic generator, so a failure names its case.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** The spawn search as it was before the grid: every candidate against every player and wall. */
function spawnByScan(wanted: Point, room: { width: number; height: number }, blockers: Point[], players: Point[]): Point | null {
  const search = (accept: (p: Point) => boolean) => {
    const free = (p: Point) => playerInsideRoom(p, room) && !blockers.some((b) => circleIntersectsRect(p, PLAYER_RADIUS, tileRect(b))) && accept(p);
    const start = {
      x: Math.round(Math.min(room.width - PLAYER_RADIUS, Math.max(PLAYER_RADIUS, wanted.x))),
      y: Math.round(Math.min(room.height - PLAYER_RADIUS, Math.max(PLAYER_RADIUS, wanted.y))),
    };
    if (free(start)) return start;
    const step = PLAYER_RADIUS;
    for (let ring = 1; ring <= Math.ceil(Math.max(room.width, room.height) / step); ring++) {
      for (let i = -ring; i <= ring; i++) {
        for (const p of [
          { x: start.x + i * step, y: start.y - ring * step },
          { x: start.x + i * step, y: start.y + ring * step },
          { x: start.x - ring * step, y: start.y + i * step },
          { x: start.x + ring * step, y: start.y + i * step },
        ]) {
          if (free(p)) return p;
        }
      }
    }
    return null;
  };
  const clear = (p: Point) => players.every((o) => Math.hypot(p.x - o.x, p.y - o.y) >= SPAWN_CLEARANCE);
  return search(clear) ?? search(() => true);
}

describe("PointGrid", () => {
  it("finds exactly the points a scan of all of them finds, at every reach and cell size", () => {
    const next = random(7);
    for (let round = 0; round < 200; round++) {
      const points = Array.from({ length: Math.floor(next() * 60) }, () => ({ x: next() * 900 - 50, y: next() * 700 - 50 }));
      const cell = 8 + next() * 80;
      const grid = new PointGrid(points, cell);
      for (let q = 0; q < 20; q++) {
        const p = { x: next() * 1000 - 100, y: next() * 800 - 100 };
        const reach = next() * 120;
        const wanted = (o: Point) => Math.hypot(o.x - p.x, o.y - p.y) < reach * 0.8;
        const byScan = points.some((o) => Math.abs(o.x - p.x) <= reach && Math.abs(o.y - p.y) <= reach && wanted(o));
        expect([round, q, grid.some(p, reach, wanted)]).toEqual([round, q, byScan]);
      }
    }
  });
});

describe("spawn search with the grid", () => {
  it("picks the very spot the scan of every player and wall picks", () => {
    const next = random(11);
    for (let round = 0; round < 60; round++) {
      const room = { width: 96 + Math.floor(next() * 700), height: 96 + Math.floor(next() * 500) };
      const blockers = Array.from({ length: Math.floor(next() * 20) }, () => ({
        x: TILE_SIZE / 2 + TILE_SIZE * Math.floor((next() * room.width) / TILE_SIZE),
        y: TILE_SIZE / 2 + TILE_SIZE * Math.floor((next() * room.height) / TILE_SIZE),
      }));
      const players: Point[] = [];
      const wanted = { x: next() * room.width, y: next() * room.height };
      // A storm: everyone asks for the same spot, as joiners without a saved position do.
      for (let join = 0; join < 40; join++) {
        const spot = findSpawnPoint(wanted, room, blockers, players);
        expect([round, join, spot]).toEqual([round, join, spawnByScan(wanted, room, blockers, players)]);
        if (spot) players.push(spot);
      }
    }
  });
});
