import { describe, expect, it } from "@jest/globals";
import { PLAYER_RADIUS } from "../src/constants.ts";
import { findSpawnPoint, SPAWN_CLEARANCE } from "../src/sim/spawn.ts";

const room = { width: 800, height: 600 };
const centre = { x: 400, y: 300 };
const distance = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

describe("spawn points", () => {
  it("keeps at least two player radii of free space to every other player", () => {
    expect(SPAWN_CLEARANCE).toBeGreaterThanOrEqual(4 * PLAYER_RADIUS);
    const first = findSpawnPoint(centre, room, [], [])!;
    expect(first).toEqual(centre);
    const second = findSpawnPoint(centre, room, [], [first])!;
    expect(distance(second, first)).toBeGreaterThanOrEqual(SPAWN_CLEARANCE);
    const third = findSpawnPoint(centre, room, [], [first, second])!;
    expect(distance(third, first)).toBeGreaterThanOrEqual(SPAWN_CLEARANCE);
    expect(distance(third, second)).toBeGreaterThanOrEqual(SPAWN_CLEARANCE);
  });

  it("stays near the wanted spot, and keeps it when it is clear", () => {
    const other = { x: 100, y: 100 };
    expect(findSpawnPoint({ x: 300, y: 300 }, room, [], [other])).toEqual({ x: 300, y: 300 });
    const moved = findSpawnPoint(other, room, [], [other])!;
    expect(distance(moved, other)).toBeGreaterThanOrEqual(SPAWN_CLEARANCE);
    expect(distance(moved, other)).toBeLessThan(SPAWN_CLEARANCE + 2 * PLAYER_RADIUS);
  });

  it("avoids walls as well as players", () => {
    const wall = { x: 400, y: 300 };
    const spot = findSpawnPoint(centre, room, [wall], [{ x: 400, y: 340 }])!;
    expect(Math.abs(spot.x - wall.x) >= 16 + PLAYER_RADIUS || Math.abs(spot.y - wall.y) >= 16 + PLAYER_RADIUS).toBe(true);
    expect(distance(spot, { x: 400, y: 340 })).toBeGreaterThanOrEqual(SPAWN_CLEARANCE);
  });

  it("still seats a player in a room too crowded to keep the clearance", () => {
    const tiny = { width: 48, height: 48 };
    const spot = findSpawnPoint({ x: 24, y: 24 }, tiny, [], [{ x: 24, y: 24 }]);
    expect(spot).toEqual({ x: 24, y: 24 });
  });
});
