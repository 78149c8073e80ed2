// Multi-tile furniture as the simulation sees it: a footprint is a block of 32 px tiles centred on
// the object's (x, y), turned by its rotation. Every rule (bounds, overlap, people, walking, seats)
// works on these tiles, so a 2×1 sofa is checked exactly as two chairs side by side would be.
import { specOf } from "../catalog.ts";
import { TILE_SIZE } from "../constants.ts";
import type { Point, Rect } from "./geometry.ts";

export interface Footed extends Point {
  type: string;
  rotation?: number;
}

/** Footprint in tiles after rotation: 90° and 270° swap width and height. */
export function footprintSize(type: string, rotation = 0): { w: number; h: number } {
  const [w, h] = specOf(type).footprint;
  return rotation % 180 === 0 ? { w, h } : { w: h, h: w };
}

export function footprintRect(o: Footed): Rect {
  const { w, h } = footprintSize(o.type, o.rotation);
  const hw = (w * TILE_SIZE) / 2;
  const hh = (h * TILE_SIZE) / 2;
  return { left: o.x - hw, top: o.y - hh, right: o.x + hw, bottom: o.y + hh };
}

/** Centres of the footprint's tiles. */
export function footprintTiles(o: Footed): Point[] {
  const { w, h } = footprintSize(o.type, o.rotation);
  const tiles: Point[] = [];
  for (let i = 0; i < w; i++) {
    for (let j = 0; j < h; j++) {
      tiles.push({ x: o.x + (i - (w - 1) / 2) * TILE_SIZE, y: o.y + (j - (h - 1) / 2) * TILE_SIZE });
    }
  }
  return tiles;
}

/** Two rectangles overlap when their interiors intersect; touching edges is fine. */
export function rectsOverlap(a: Rect, b: Rect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/**
 * Where a footprint's centre snaps to so its tiles lie on the floor grid: a tile centre along an
 * odd side, a grid line along an even one.
 */
export function snapFootprint(p: Point, type: string, rotation = 0): Point {
  const { w, h } = footprintSize(type, rotation);
  const snap = (v: number, n: number) => {
    const origin = v - (n * TILE_SIZE) / 2; // the footprint's left/top edge under the pointer
    return Math.round(origin / TILE_SIZE) * TILE_SIZE + (n * TILE_SIZE) / 2;
  };
  return { x: snap(p.x, w), y: snap(p.y, h) };
}
