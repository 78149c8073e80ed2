// How each type of furniture is drawn: one drawing per catalog entry (the Record makes the
// compiler point at a new type without one). A drawing fills the piece's footprint, centred on
// (0, 0), in its unrotated orientation; the caller turns it. Vector shapes stay crisp at any zoom.
import { Graphics } from "pixi.js";
import { CATALOG, specOf, type ColorKey, type ItemType } from "../../../shared/src/catalog.ts";
import { TILE_SIZE } from "../../../shared/src/constants.ts";

/** The seed's colour key, kept as each piece's base colour: a chair reads white, a wall blue. */
export const KEY_COLORS: Record<ColorKey, number> = { white: 0xffffff, blue: 0x2f6fdf, yellow: 0xf5c518 };

export function colorOf(type: string): number {
  return KEY_COLORS[specOf(type).color];
}

interface Box {
  /** Half width and half height of the footprint, in pixels. */
  hw: number;
  hh: number;
  a: number;
}

type Drawer = (g: Graphics, b: Box) => void;

const WOOD = 0x8d6e63;
const DARK_WOOD = 0x5d4037;
const INK = 0x3b2a1a;

const DRAWERS: Record<ItemType, Drawer> = {
  chair: (g, { a }) => {
    g.roundRect(-14, -12, 28, 27, 2).fill({ color: KEY_COLORS.white, alpha: a }).stroke({ width: 1.5, color: INK, alpha: a });
    // The backrest along the top edge: the rotation turns it, so it shows which way the chair faces.
    g.roundRect(-12, -14, 24, 7, 2).fill({ color: 0x9e9e9e, alpha: a }).stroke({ width: 1, color: INK, alpha: a });
  },
  wall: (g, { hw, hh, a }) => {
    // Full-tile blocks join their neighbours seamlessly; brick courses show it is a wall.
    g.rect(-hw, -hh, hw * 2, hh * 2).fill({ color: KEY_COLORS.blue, alpha: a });
    for (const y of [-8, 0, 8]) g.moveTo(-hw, y).lineTo(hw, y).stroke({ width: 1, color: 0x1d4fa8, alpha: a });
    for (const [x, y] of [[-6, -12], [6, -4], [-6, 4], [6, 12]] as const) g.moveTo(x, y - 4).lineTo(x, y + 4).stroke({ width: 1, color: 0x1d4fa8, alpha: a });
  },
  table: (g, { a }) => {
    g.rect(-15, -15, 30, 30).fill({ color: KEY_COLORS.yellow, alpha: a }).stroke({ width: 1.5, color: DARK_WOOD, alpha: a });
    // Planks and a cup: a table top seen from above.
    g.moveTo(-15, -5).lineTo(15, -5).moveTo(-15, 5).lineTo(15, 5).stroke({ width: 1, color: WOOD, alpha: a });
    g.circle(5, 0, 3.5).fill({ color: 0xffffff, alpha: a }).stroke({ width: 1, color: INK, alpha: a });
  },
  plant: (g, { a }) => {
    g.circle(0, 2, 9).fill({ color: 0xa1662f, alpha: a }).stroke({ width: 1.5, color: INK, alpha: a });
    g.circle(0, -3, 8).fill({ color: 0x2e7d32, alpha: a });
    g.circle(-6, 1, 5).fill({ color: 0x388e3c, alpha: a });
    g.circle(6, 0, 5).fill({ color: 0x43a047, alpha: a });
    g.circle(1, -8, 4).fill({ color: KEY_COLORS.yellow, alpha: a * 0.9 });
  },
  tool: (g, { a }) => {
    g.roundRect(-12, -12, 24, 24, 4).fill({ color: KEY_COLORS.yellow, alpha: a * 0.5 });
    g.moveTo(-9, 9).lineTo(4, -4).stroke({ width: 4, color: INK, alpha: a });
    g.circle(6, -6, 5).stroke({ width: 3, color: INK, alpha: a });
  },
  sofa: (g, { hw, a }) => {
    g.roundRect(-hw + 2, -12, hw * 2 - 4, 26, 5).fill({ color: 0xc98b2b, alpha: a }).stroke({ width: 1.5, color: INK, alpha: a });
    g.roundRect(-hw + 2, -14, hw * 2 - 4, 9, 4).fill({ color: 0xa86d17, alpha: a });
    g.moveTo(0, -5).lineTo(0, 12).stroke({ width: 1, color: INK, alpha: a * 0.6 });
    g.roundRect(-hw + 2, -12, 6, 24, 3).fill({ color: 0xa86d17, alpha: a });
    g.roundRect(hw - 8, -12, 6, 24, 3).fill({ color: 0xa86d17, alpha: a });
  },
  armchair: (g, { a }) => {
    g.roundRect(-13, -12, 26, 25, 5).fill({ color: 0xd9a441, alpha: a }).stroke({ width: 1.5, color: INK, alpha: a });
    g.roundRect(-13, -14, 26, 9, 4).fill({ color: 0xb07d1e, alpha: a });
    g.roundRect(-13, -10, 5, 22, 2).fill({ color: 0xb07d1e, alpha: a });
    g.roundRect(8, -10, 5, 22, 2).fill({ color: 0xb07d1e, alpha: a });
  },
  stool: (g, { a }) => {
    g.circle(0, 0, 9).fill({ color: KEY_COLORS.yellow, alpha: a }).stroke({ width: 2, color: DARK_WOOD, alpha: a });
  },
  desk: (g, { hw, a }) => {
    g.rect(-hw + 1, -13, hw * 2 - 2, 24).fill({ color: 0xe0b44a, alpha: a }).stroke({ width: 1.5, color: DARK_WOOD, alpha: a });
    // A laptop and a mug: a desk, not a table.
    g.rect(-10, -8, 14, 10).fill({ color: 0x37474f, alpha: a });
    g.circle(14, 0, 3).fill({ color: 0xffffff, alpha: a });
  },
  counter: (g, { hw, hh, a }) => {
    g.rect(-hw, -hh + 2, hw * 2, hh * 2 - 4).fill({ color: 0xd4a017, alpha: a }).stroke({ width: 1.5, color: INK, alpha: a });
    g.rect(-hw, -hh + 2, hw * 2, 6).fill({ color: 0xeeeeee, alpha: a });
  },
  coffee_machine: (g, { a }) => {
    g.roundRect(-11, -13, 22, 26, 3).fill({ color: 0x424242, alpha: a }).stroke({ width: 1.5, color: KEY_COLORS.yellow, alpha: a });
    g.rect(-6, 2, 12, 8).fill({ color: KEY_COLORS.yellow, alpha: a });
    g.circle(0, -6, 3).fill({ color: 0xef5350, alpha: a });
  },
  bookshelf: (g, { hw, a }) => {
    g.rect(-hw + 1, -14, hw * 2 - 2, 14).fill({ color: DARK_WOOD, alpha: a }).stroke({ width: 1.5, color: INK, alpha: a });
    const spines = [0xe53935, 0x1e88e5, 0xfdd835, 0x43a047, 0x8e24aa, 0xfb8c00];
    for (let x = -hw + 4, i = 0; x < hw - 6; x += 6, i++) g.rect(x, -12, 4, 10).fill({ color: spines[i % spines.length]!, alpha: a });
    g.rect(-hw + 1, 0, hw * 2 - 2, 3).fill({ color: KEY_COLORS.yellow, alpha: a * 0.7 });
  },
  lamp: (g, { a }) => {
    g.circle(0, 0, 13).fill({ color: 0xfff59d, alpha: a * 0.35 });
    g.circle(0, 0, 8).fill({ color: KEY_COLORS.yellow, alpha: a }).stroke({ width: 1.5, color: INK, alpha: a });
    g.circle(0, 0, 2).fill({ color: INK, alpha: a });
  },
  rug: (g, { hw, hh, a }) => {
    g.roundRect(-hw + 2, -hh + 2, hw * 2 - 4, hh * 2 - 4, 6).fill({ color: 0xb23a48, alpha: a * 0.9 });
    g.roundRect(-hw + 7, -hh + 7, hw * 2 - 14, hh * 2 - 14, 4).stroke({ width: 2, color: KEY_COLORS.yellow, alpha: a });
    g.circle(0, 0, 6).stroke({ width: 2, color: KEY_COLORS.yellow, alpha: a });
  },
  // A quiet corner: a dashed-edged mat as large as the area it makes private.
  private_area: (g, { hw, hh, a }) => {
    g.rect(-hw, -hh, hw * 2, hh * 2).fill({ color: 0x7b3fa0, alpha: a * 0.55 }).stroke({ width: 3, color: 0xd9b3ff, alpha: a });
    g.rect(-hw + 8, -hh + 8, hw * 2 - 16, hh * 2 - 16).stroke({ width: 1.5, color: 0xd9b3ff, alpha: a * 0.7 });
  },
  partition: (g, { hw, a }) => {
    g.rect(-hw, -5, hw * 2, 10).fill({ color: KEY_COLORS.blue, alpha: a }).stroke({ width: 1, color: 0x1d4fa8, alpha: a });
    // Glass panes: a window-like partition you see through but cannot walk through.
    for (let x = -hw + 4; x < hw - 4; x += 14) g.rect(x, -3, 10, 6).fill({ color: 0xbbdefb, alpha: a });
  },
};

/** Draws a piece of `type` into `g` (cleared first), turned by `rotation` degrees. */
export function drawFurniture(g: Graphics, type: string, rotation: number, alpha = 1): Graphics {
  g.clear();
  const [w, h] = specOf(type).footprint;
  const box = { hw: (w * TILE_SIZE) / 2, hh: (h * TILE_SIZE) / 2, a: alpha };
  const draw = type in CATALOG ? DRAWERS[type as ItemType] : (gg: Graphics) => gg.circle(0, 0, 6).fill({ color: INK, alpha });
  draw(g, box);
  g.rotation = (rotation * Math.PI) / 180;
  return g;
}
