// The pure proximity rules: who may connect with whom.
import { describe, expect, it } from "@jest/globals";
import { RTC } from "../src/media.ts";
import { pairKey, privateAreaAt, proximityPairs, type Talker } from "../src/sim/proximity.ts";

const at = (user_id: number, x: number, y: number, area = 0): Talker => ({ user_id, x, y, area });

describe("proximityPairs", () => {
  it("connects people within the radius, inclusive, and not beyond it", () => {
    const pairs = proximityPairs([at(1, 100, 100), at(2, 260, 100), at(3, 421, 100)], 160);
    expect([...pairs]).toEqual([pairKey(1, 2)]);
    expect(pairKey(2, 1)).toBe("1:2");
  });

  it("finds pairs across grid cells in every direction", () => {
    const pairs = proximityPairs([at(5, 319, 319), at(6, 321, 321), at(7, 220, 420), at(8, 420, 220)], 160);
    expect(pairs).toEqual(new Set([pairKey(5, 6), pairKey(5, 7), pairKey(6, 7), pairKey(5, 8), pairKey(6, 8)]));
  });

  it("keeps each person's nearest 8, symmetrically, whatever the input order", () => {
    // Ten people around a centre at distances 10, 20, …, 100: the centre keeps the nearest 8.
    const centre = at(100, 500, 500);
    const ring = Array.from({ length: 10 }, (_, i) => at(i + 1, 500 + (i + 1) * 10 * Math.cos(i), 500 + (i + 1) * 10 * Math.sin(i)));
    const pairs = proximityPairs([centre, ...ring], 1000);
    const mine = [...pairs].filter((k) => k.split(":").includes("100"));
    expect(mine.sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => pairKey(i, 100)).sort());
    const degree = new Map<string, number>();
    for (const k of pairs) for (const id of k.split(":")) degree.set(id, (degree.get(id) ?? 0) + 1);
    expect(Math.max(...degree.values())).toBeLessThanOrEqual(RTC.maxPeers);
    expect(proximityPairs([...ring].reverse().concat(centre), 1000)).toEqual(pairs);
  });

  it("lets people in one private area hear only each other, whatever the distance", () => {
    const pairs = proximityPairs([at(1, 0, 0, 9), at(2, 90, 90, 9), at(3, 100, 90), at(4, 10, 10, 10)], 160);
    expect(pairs).toEqual(new Set([pairKey(1, 2)]));
  });
});

describe("privateAreaAt", () => {
  const rug = (id: number, x: number, y: number) => ({ id, type: "private_area", x, y });
  it("covers a square of RTC.privateAreaSize centred on the rug, and ignores other furniture", () => {
    const half = RTC.privateAreaSize / 2;
    const objects = [rug(4, 200, 200), { id: 1, type: "chair", x: 500, y: 500 }];
    expect(privateAreaAt({ x: 200 + half, y: 200 - half }, objects)).toBe(4);
    expect(privateAreaAt({ x: 200 + half + 1, y: 200 }, objects)).toBe(0);
    expect(privateAreaAt({ x: 500, y: 500 }, objects)).toBe(0);
  });
  it("resolves overlapping rugs to the lowest id", () => {
    expect(privateAreaAt({ x: 230, y: 200 }, [rug(7, 260, 200), rug(3, 200, 200)])).toBe(3);
  });
});
