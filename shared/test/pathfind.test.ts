import { describe, expect, it } from "@jest/globals";
import { findPath } from "../src/sim/pathfind.ts";
import { checkPath } from "../src/sim/movement.ts";
import type { Point } from "../src/sim/geometry.ts";

const room = { width: 640, height: 480 };

/** Every leg of the path is a move the server's own rule accepts. */
function walkable(from: Point, path: Point[], blockers: Point[]): boolean {
  let at = from;
  for (const p of path) {
    if (checkPath(at, p, room, blockers) !== null) return false;
    at = p;
  }
  return true;
}

describe("tap-to-walk path (A*)", () => {
  it("goes straight when nothing is in the way", () => {
    expect(findPath({ x: 50, y: 50 }, { x: 300, y: 200 }, room, [])).toEqual([{ x: 300, y: 200 }]);
  });

  it("walks around a wall between here and there, every leg accepted by the server rule", () => {
    // A vertical wall from y=48 to y=400 at x=304..336.
    const wall: Point[] = [];
    for (let y = 64; y <= 384; y += 32) wall.push({ x: 320, y });
    const from = { x: 200, y: 240 };
    const to = { x: 450, y: 240 };
    expect(checkPath(from, to, room, wall)).toBe("blocked");
    const path = findPath(from, to, room, wall);
    expect(path).not.toBeNull();
    expect(path!.length).toBeGreaterThan(1);
    expect(path!.at(-1)).toEqual(to);
    expect(walkable(from, path!, wall)).toBe(true);
  });

  it("returns null when the target is inside furniture or walled off", () => {
    expect(findPath({ x: 50, y: 50 }, { x: 320, y: 240 }, room, [{ x: 320, y: 240 }])).toBeNull();
    // A closed box of walls around (320, 240).
    const box: Point[] = [];
    for (let x = 256; x <= 384; x += 32) box.push({ x, y: 176 }, { x, y: 304 });
    for (let y = 208; y <= 272; y += 32) box.push({ x: 256, y }, { x: 384, y });
    expect(findPath({ x: 50, y: 50 }, { x: 320, y: 240 }, room, box)).toBeNull();
  });

  it("refuses a target outside the room", () => {
    expect(findPath({ x: 50, y: 50 }, { x: 5, y: 50 }, room, [])).toBeNull();
  });
});
