import { describe, expect, it } from "@jest/globals";
import { circleIntersectsRect, tileRect, tilesOverlap } from "../src/sim/geometry.ts";
import { checkPlacement, tileInsideRoom } from "../src/sim/placement.ts";

const room = { width: 800, height: 600 };

describe("geometry", () => {
  it("overlaps tiles only when their interiors meet", () => {
    expect(tilesOverlap({ x: 100, y: 100 }, { x: 131, y: 100 })).toBe(true);
    expect(tilesOverlap({ x: 100, y: 100 }, { x: 132, y: 100 })).toBe(false);
    expect(tilesOverlap({ x: 100, y: 100 }, { x: 120, y: 131 })).toBe(true);
  });
  it("intersects a circle and a rectangle by nearest point", () => {
    const r = tileRect({ x: 100, y: 100 });
    expect(circleIntersectsRect({ x: 127, y: 100 }, 12, r)).toBe(true);
    expect(circleIntersectsRect({ x: 128, y: 100 }, 12, r)).toBe(false);
    expect(circleIntersectsRect({ x: 124, y: 124 }, 12, r)).toBe(true);
    expect(circleIntersectsRect({ x: 125, y: 125 }, 12, r)).toBe(false);
  });
});

describe("placement", () => {
  it("keeps the whole tile inside the room", () => {
    expect(tileInsideRoom({ x: 16, y: 16 }, room)).toBe(true);
    expect(tileInsideRoom({ x: 784, y: 584 }, room)).toBe(true);
    expect(tileInsideRoom({ x: 15, y: 300 }, room)).toBe(false);
    expect(tileInsideRoom({ x: 400, y: 585 }, room)).toBe(false);
    expect(checkPlacement({ type: "chair", x: 799, y: 10 }, room, [], [])).toBe("out_of_bounds");
  });

  it("lets blocking tiles overlap neither each other nor players", () => {
    const others = [{ id: 1, type: "wall" as const, x: 100, y: 100 }, { id: 2, type: "chair" as const, x: 300, y: 300 }];
    expect(checkPlacement({ type: "table", x: 120, y: 110 }, room, others, [])).toBe("blocked");
    expect(checkPlacement({ type: "table", x: 132, y: 100 }, room, others, [])).toBeNull();
    expect(checkPlacement({ type: "plant", x: 300, y: 300 }, room, others, [])).toBeNull();
    expect(checkPlacement({ type: "chair", x: 100, y: 100 }, room, others, [])).toBeNull();
    expect(checkPlacement({ type: "wall", x: 500, y: 500 }, room, others, [{ x: 510, y: 520 }])).toBe("blocked");
    expect(checkPlacement({ type: "chair", x: 500, y: 500 }, room, others, [{ x: 500, y: 500 }])).toBeNull();
  });

  it("ignores the moved object itself", () => {
    const others = [{ id: 1, type: "wall" as const, x: 100, y: 100 }];
    expect(checkPlacement({ id: 1, type: "wall", x: 110, y: 100 }, room, others, [])).toBeNull();
    expect(checkPlacement({ id: 9, type: "wall", x: 110, y: 100 }, room, others, [])).toBe("blocked");
  });
});
