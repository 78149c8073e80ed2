// The camera: a room that fits is centred; a bigger one follows you and stops at its edges.
import { describe, expect, it } from "@jest/globals";
import { cameraFor, clampZoom, MIN_SCALE, overlaps, textureResolution, visibleRect, ZOOM_MAX, ZOOM_MIN } from "../src/game/camera.ts";

describe("camera", () => {
  it("centres a room that fits, at full size", () => {
    expect(cameraFor({ width: 1000, height: 800 }, { width: 800, height: 600 }, { x: 10, y: 10 })).toEqual({ scale: 1, x: 100, y: 100 });
  });

  it("shrinks a room a little too big to fit whole", () => {
    const cam = cameraFor({ width: 530, height: 548 }, { width: 800, height: 600 }, { x: 400, y: 300 });
    expect(cam.scale).toBeCloseTo(530 / 800);
    expect(cam.x).toBe(0);
    expect(cam.y).toBe(Math.round((548 - 600 * cam.scale) / 2));
  });

  it("follows you in a big room, never showing past its edges", () => {
    const view = { width: 950, height: 748 };
    const room = { width: 4000, height: 4000 };
    const middle = cameraFor(view, room, { x: 2000, y: 2000 });
    expect(middle.scale).toBe(MIN_SCALE);
    expect(middle.x + 2000 * MIN_SCALE).toBeCloseTo(475, 0); // you are in the middle of the view
    expect(cameraFor(view, room, { x: 5, y: 5 })).toMatchObject({ x: 0, y: 0 });
    const corner = cameraFor(view, room, { x: 3995, y: 3995 });
    expect(corner.x).toBe(Math.round(950 - 4000 * MIN_SCALE));
    expect(corner.y).toBe(Math.round(748 - 4000 * MIN_SCALE));
  });

  it("uses a chosen zoom, clamped to 50–200 %, and still follows you", () => {
    expect(clampZoom(5)).toBe(ZOOM_MAX);
    expect(clampZoom(0.1)).toBe(ZOOM_MIN);
    const cam = cameraFor({ width: 800, height: 600 }, { width: 800, height: 600 }, { x: 700, y: 500 }, 2);
    expect(cam.scale).toBe(2);
    // Zoomed in, the room no longer fits: the view follows you and stops at the room's edge.
    expect(cam.x).toBe(800 - 1600);
    expect(cam.y).toBe(600 - 1200);
  });

  it("knows which part of the room the view shows, so what lies outside is not drawn", () => {
    const view = { width: 950, height: 748 };
    const cam = cameraFor(view, { width: 4000, height: 4000 }, { x: 2000, y: 2000 });
    const seen = visibleRect(view, cam);
    // The focus is in the middle of what is shown, and the rectangle is the view divided by the zoom.
    expect((seen.left + seen.right) / 2).toBeCloseTo(2000, -1);
    expect((seen.top + seen.bottom) / 2).toBeCloseTo(2000, -1);
    expect(seen.right - seen.left).toBeCloseTo(950 / MIN_SCALE);
    const wide = visibleRect(view, cam, 96);
    expect(wide.left).toBeCloseTo(seen.left - 96);
    expect(wide.bottom).toBeCloseTo(seen.bottom + 96);
    const at = (x: number, y: number) => ({ left: x, right: x, top: y, bottom: y });
    expect(overlaps(seen, at(2000, 2000))).toBe(true);
    expect(overlaps(seen, at(seen.right + 1, 2000))).toBe(false);
    expect(overlaps(wide, at(seen.right + 1, 2000))).toBe(true);
    expect(overlaps(seen, { left: seen.left - 64, right: seen.left + 1, top: 2000, bottom: 2032 })).toBe(true); // a piece half in view
    expect(overlaps(seen, at(100, 100))).toBe(false);
  });

  it("draws cached textures one pixel per screen pixel at 100 % and 200 %, within a cap", () => {
    expect(textureResolution(1, 1)).toBe(1);
    expect(textureResolution(0.5, 1)).toBe(1);
    expect(textureResolution(1.01, 1)).toBe(2);
    expect(textureResolution(ZOOM_MAX, 1)).toBe(2);
    expect(textureResolution(1, 2)).toBe(2);
    expect(textureResolution(ZOOM_MAX, 2)).toBe(4);
    // A phone at 3 device pixels per pixel zoomed in: capped (an avatar page would be 3072 px square).
    expect(textureResolution(ZOOM_MAX, 3)).toBe(4);
    // A browser reporting no ratio, or a fractional one below 1, still gets whole pixels.
    expect(textureResolution(1, 0)).toBe(1);
  });
});
