import { describe, expect, it } from "@jest/globals";
import { compass, describeNearby, NEARBY_TILES } from "../src/game/nearby.ts";

describe("nearby list", () => {
  it("names the compass direction with north up the screen", () => {
    const at = { x: 100, y: 100 };
    expect(compass(at, { x: 100, y: 20 })).toBe("n");
    expect(compass(at, { x: 180, y: 20 })).toBe("ne");
    expect(compass(at, { x: 200, y: 100 })).toBe("e");
    expect(compass(at, { x: 100, y: 200 })).toBe("s");
    expect(compass(at, { x: 20, y: 180 })).toBe("sw");
    expect(compass(at, { x: 105, y: 100 })).toBe("here");
  });

  it("lists people and objects within reach, nearest first, with distances in tiles", () => {
    const list = describeNearby(
      { x: 100, y: 100 },
      [{ user_id: 7, name: "Bob", x: 160, y: 100 }],
      [
        { id: 1, name: "Sofa", type: "sofa", x: 100, y: 36 },
        { id: 2, name: "Far plant", type: "plant", x: 100 + (NEARBY_TILES + 1) * 32, y: 100 },
        { id: 3, name: "Rug", type: "rug", x: 110, y: 100 },
      ],
    );
    expect(list).toEqual([
      { kind: "object", id: 3, name: "Rug", type: "rug", direction: "here", tiles: 0 },
      { kind: "person", id: 7, name: "Bob", direction: "e", tiles: 2 },
      { kind: "object", id: 1, name: "Sofa", type: "sofa", direction: "n", tiles: 2 },
    ]);
  });
});
