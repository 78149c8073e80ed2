// Other players glide between received positions, a little in the past, and never jump.
import { describe, expect, it } from "@jest/globals";
import { INTERPOLATION_DELAY_MS, InterpolationBuffer, PATCH_INTERVAL_MS } from "../src/game/interpolation.ts";

describe("interpolation", () => {
  it("stays where the player was first seen until something newer is old enough to show", () => {
    const b = new InterpolationBuffer({ x: 100, y: 100 }, 1000);
    expect(b.sample(1000)).toEqual({ x: 100, y: 100 });
    expect(b.sample(5000)).toEqual({ x: 100, y: 100 });
  });

  it("draws positions INTERPOLATION_DELAY_MS late, linearly between patches", () => {
    const b = new InterpolationBuffer({ x: 0, y: 0 }, 0);
    for (let i = 1; i <= 10; i++) b.push({ x: i * 10, y: 0 }, i * PATCH_INTERVAL_MS);
    // At t = 300 we show t = 200, which is patch 4 (x = 40).
    expect(b.sample(300).x).toBeCloseTo(40);
    // Half-way between patch 4 and 5.
    expect(b.sample(325).x).toBeCloseTo(45);
    expect(b.sample(300 + INTERPOLATION_DELAY_MS).x).toBeCloseTo(60);
    // Past the newest patch it holds the last position (no guessing ahead).
    expect(b.sample(10_000)).toEqual({ x: 100, y: 0 });
  });

  it("never jumps: consecutive frames differ by at most one patch's worth of motion", () => {
    const b = new InterpolationBuffer({ x: 0, y: 0 }, 0);
    let t = 0;
    let x = 0;
    const frames: number[] = [];
    for (let step = 0; step < 200; step++) {
      t += 1000 / 60;
      // Irregular arrival: patches every 50 ms with ±20 ms of jitter, 9 px each.
      if (step % 3 === 0) {
        x += 9;
        b.push({ x, y: 0 }, t + ((step * 7919) % 41) - 20);
      }
      frames.push(b.sample(t).x);
    }
    const steps = frames.slice(1).map((v, i) => v - frames[i]!);
    expect(Math.max(...steps)).toBeLessThanOrEqual(9);
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(0); // never backwards
    expect(frames[frames.length - 1]).toBeGreaterThan(x - 9 * 4);
  });

  it("starts a walk after a long pause smoothly instead of jumping to the new place", () => {
    const b = new InterpolationBuffer({ x: 100, y: 100 }, 0);
    b.push({ x: 109, y: 100 }, 10_000);
    const seen: number[] = [];
    for (let t = 10_000; t <= 10_200; t += 10) seen.push(b.sample(t).x);
    expect(seen[0]).toBe(100);
    expect(seen[seen.length - 1]).toBe(109);
    const steps = seen.slice(1).map((v, i) => v - seen[i]!);
    expect(Math.max(...steps)).toBeLessThan(3);
  });

  it("keeps a bounded history", () => {
    const b = new InterpolationBuffer({ x: 0, y: 0 }, 0);
    for (let i = 1; i < 1000; i++) b.push({ x: i, y: 0 }, i * 50);
    expect(b.latest).toEqual({ x: 999, y: 0 });
    expect(b.sample(999 * 50 + INTERPOLATION_DELAY_MS).x).toBe(999);
  });
});
