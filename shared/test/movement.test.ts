import { describe, expect, it } from "@jest/globals";
import { chairUnder, checkPath, findFreeSpot, playerInsideRoom, slideMove, SpeedWindow, sweptCircleHitsTile } from "../src/sim/movement.ts";

const room = { width: 800, height: 600 };

describe("movement rules", () => {
  it("keeps the whole player circle inside the room", () => {
    expect(playerInsideRoom({ x: 12, y: 12 }, room)).toBe(true);
    expect(playerInsideRoom({ x: 11, y: 300 }, room)).toBe(false);
    expect(playerInsideRoom({ x: 788, y: 588 }, room)).toBe(true);
    expect(checkPath({ x: 100, y: 100 }, { x: 100, y: 5 }, room, [])).toBe("out_of_bounds");
  });

  it("blocks a move into a tile and a move through one", () => {
    const wall = { x: 200, y: 100 };
    expect(checkPath({ x: 150, y: 100 }, { x: 180, y: 100 }, room, [wall])).toBe("blocked");
    expect(checkPath({ x: 150, y: 100 }, { x: 250, y: 100 }, room, [wall])).toBe("blocked");
    expect(checkPath({ x: 150, y: 100 }, { x: 172, y: 100 }, room, [wall])).toBeNull(); // touching is fine
    expect(checkPath({ x: 150, y: 140 }, { x: 250, y: 140 }, room, [wall])).toBeNull(); // passes below
    expect(checkPath({ x: 150, y: 127 }, { x: 250, y: 127 }, room, [wall])).toBe("blocked"); // grazes a corner
  });

  it("sweeps the circle against a tile's rounded corners", () => {
    expect(sweptCircleHitsTile({ x: 160, y: 60 }, { x: 240, y: 60 }, { x: 200, y: 100 })).toBe(false);
    expect(sweptCircleHitsTile({ x: 160, y: 76 }, { x: 240, y: 76 }, { x: 200, y: 100 })).toBe(true);
  });

  it("never traps a player who already stands in a tile", () => {
    expect(checkPath({ x: 200, y: 100 }, { x: 200, y: 160 }, room, [{ x: 200, y: 100 }])).toBeNull();
  });

  it("allows at most walking speed over any one-second window, lag bursts included", () => {
    const w = new SpeedWindow();
    expect(w.allowance(0)).toBe(200);
    w.record(0, 150);
    expect(w.allowance(500)).toBe(50);
    w.record(500, 50);
    expect(w.allowance(999)).toBe(0);
    expect(w.allowance(1000)).toBe(150);
    expect(w.allowance(1500)).toBe(200);
  });

  it("finds chairs under players, slides along walls and finds free spawn spots", () => {
    expect(chairUnder({ x: 105, y: 95 }, [{ id: 7, x: 100, y: 100 }])).toBe(7);
    expect(chairUnder({ x: 116, y: 100 }, [{ id: 7, x: 100, y: 100 }])).toBe(0);
    const slid = slideMove({ x: 150, y: 140 }, { x: 20, y: -20 }, room, [{ x: 200, y: 100 }, { x: 168, y: 100 }]);
    expect(slid).toEqual({ x: 170, y: 140 });
    expect(slideMove({ x: 12, y: 12 }, { x: -5, y: -5 }, room, [])).toEqual({ x: 12, y: 12 });
    const spot = findFreeSpot({ x: 200, y: 100 }, room, [{ x: 200, y: 100 }])!;
    expect(checkPath(spot, spot, room, [{ x: 200, y: 100 }])).toBeNull();
    expect(spot).not.toEqual({ x: 200, y: 100 });
  });
});
