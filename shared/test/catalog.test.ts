import { describe, expect, it } from "@jest/globals";
import { BLOCKING_TYPES, CATALOG, ITEM_TYPES, SEAT_TYPES, TOOL_TYPES, itemTypeCheckSql, specOf } from "../src/catalog.ts";
import { GrantItemBody } from "../src/api.ts";
import { footprintRect, footprintSize, footprintTiles, snapFootprint } from "../src/sim/footprint.ts";
import { checkPlacement, tileInsideRoom } from "../src/sim/placement.ts";
import { chairUnder, checkPath } from "../src/sim/movement.ts";

const room = { width: 800, height: 600 };

describe("furniture catalog", () => {
  it("keeps the five originals first, with the seed's rules and colour key", () => {
    expect(ITEM_TYPES.slice(0, 5)).toEqual(["chair", "wall", "table", "plant", "tool"]);
    expect([...BLOCKING_TYPES].filter((t) => ["chair", "wall", "table", "plant", "tool"].includes(t)).sort()).toEqual(["plant", "table", "wall"]);
    expect(CATALOG.chair.color).toBe("white");
    expect(CATALOG.wall.color).toBe("blue");
    for (const t of ["table", "plant", "tool"] as const) expect(CATALOG[t].color).toBe("yellow");
    expect(TOOL_TYPES).toEqual(["tool"]);
  });

  it("has a café set of at least eight more types, including a 2×1 seat and a walkable rug", () => {
    expect(ITEM_TYPES.length).toBeGreaterThanOrEqual(13);
    expect(CATALOG.sofa.footprint).toEqual([2, 1]);
    expect(SEAT_TYPES.has("sofa")).toBe(true);
    expect(BLOCKING_TYPES.has("rug")).toBe(false);
    expect(CATALOG.rug.underlay).toBe(true);
    for (const t of ITEM_TYPES) expect(CATALOG[t].defaultName.length).toBeGreaterThan(0);
    // A seat you stand on never blocks you.
    for (const t of SEAT_TYPES) expect(BLOCKING_TYPES.has(t)).toBe(false);
  });

  it("derives the REST enum and the database check from the same list", () => {
    expect(GrantItemBody.safeParse({ type: "coffee_machine" }).success).toBe(true);
    expect(GrantItemBody.safeParse({ type: "throne" }).success).toBe(false);
    const sql = itemTypeCheckSql();
    for (const t of ITEM_TYPES) expect(sql).toContain(`'${t}'`);
    expect(specOf("nonsense").footprint).toEqual([1, 1]);
  });
});

describe("footprints", () => {
  it("turns with the rotation", () => {
    expect(footprintSize("sofa", 0)).toEqual({ w: 2, h: 1 });
    expect(footprintSize("sofa", 90)).toEqual({ w: 1, h: 2 });
    expect(footprintSize("sofa", 180)).toEqual({ w: 2, h: 1 });
    expect(footprintRect({ type: "desk", x: 96, y: 80, rotation: 270 })).toEqual({ left: 80, top: 48, right: 112, bottom: 112 });
    expect(footprintTiles({ type: "sofa", x: 96, y: 80, rotation: 0 })).toEqual([{ x: 80, y: 80 }, { x: 112, y: 80 }]);
    expect(footprintTiles({ type: "rug", x: 64, y: 64 })).toHaveLength(4);
  });

  it("snaps a footprint so its tiles lie on the grid", () => {
    expect(snapFootprint({ x: 100, y: 100 }, "chair")).toEqual({ x: 112, y: 112 });
    expect(snapFootprint({ x: 100, y: 100 }, "sofa", 0)).toEqual({ x: 96, y: 112 });
    expect(snapFootprint({ x: 100, y: 100 }, "sofa", 90)).toEqual({ x: 112, y: 96 });
    expect(snapFootprint({ x: 100, y: 100 }, "rug")).toEqual({ x: 96, y: 96 });
  });
});

describe("multi-tile placement", () => {
  it("keeps the whole footprint inside the room, in every rotation", () => {
    expect(tileInsideRoom({ type: "desk", x: 32, y: 16, rotation: 0 }, room)).toBe(true);
    expect(tileInsideRoom({ type: "desk", x: 16, y: 16, rotation: 0 }, room)).toBe(false);
    expect(tileInsideRoom({ type: "desk", x: 16, y: 32, rotation: 90 }, room)).toBe(true);
    expect(checkPlacement({ type: "counter", x: 16, y: 300, rotation: 0 }, room, [], [])).toBe("out_of_bounds");
    expect(checkPlacement({ type: "counter", x: 16, y: 300, rotation: 90 }, room, [], [])).toBeNull();
  });

  it("refuses a blocking footprint over another one or a person, on any of its tiles", () => {
    const wall = { id: 1, type: "wall" as const, x: 144, y: 112 };
    // The desk's right tile (128..160) meets the wall; rotated, it stands clear.
    expect(checkPlacement({ type: "desk", x: 112, y: 112, rotation: 0 }, room, [wall], [])).toBe("blocked");
    expect(checkPlacement({ type: "desk", x: 112, y: 128, rotation: 90 }, room, [wall], [])).toBeNull();
    expect(checkPlacement({ type: "bookshelf", x: 300, y: 300, rotation: 0 }, room, [], [{ x: 325, y: 300 }])).toBe("blocked");
  });

  it("lets a table stand on a rug, and people walk on the rug", () => {
    const rug = { id: 5, type: "rug" as const, x: 400, y: 320, rotation: 0 };
    expect(checkPlacement({ type: "table", x: 400, y: 320 }, room, [rug], [])).toBeNull();
    expect(checkPlacement({ type: "rug", x: 400, y: 320 }, room, [{ id: 6, type: "table", x: 400, y: 320 }], [{ x: 400, y: 320 }])).toBeNull();
  });

  it("blocks walking across every tile of a 2×1 piece and seats on every tile of a sofa", () => {
    const desk = footprintTiles({ type: "desk", x: 400, y: 300, rotation: 0 });
    // Walking straight down through the desk's right-hand tile is refused.
    expect(checkPath({ x: 416, y: 250 }, { x: 416, y: 350 }, room, desk)).toBe("blocked");
    expect(checkPath({ x: 470, y: 250 }, { x: 470, y: 350 }, room, desk)).toBeNull();
    const sofa = footprintTiles({ type: "sofa", x: 200, y: 200, rotation: 90 }).map((t) => ({ ...t, id: 9 }));
    expect(chairUnder({ x: 200, y: 180 }, sofa)).toBe(9);
    expect(chairUnder({ x: 200, y: 220 }, sofa)).toBe(9);
    expect(chairUnder({ x: 230, y: 200 }, sofa)).toBe(0);
  });
});
