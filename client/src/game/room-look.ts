// The room itself: a floor of the theme's material within the room's bounds, and walls of the
// theme's colour around them (outside the bounds, so they never cover a walkable pixel).
import type { Graphics } from "pixi.js";
import { DEFAULT_THEME, FLOORS, type Floor, type RoomTheme } from "../../../shared/src/appearance.ts";
import { TILE_SIZE } from "../../../shared/src/constants.ts";
import type { RoomSize } from "../../../shared/src/sim/placement.ts";

/** Thickness of the side and bottom walls; the top wall is drawn taller, as seen from above-front. */
export const WALL = 10;
export const TOP_WALL = 28;

const FLOOR_COLORS: Record<Floor, { base: number; line: number }> = {
  wood: { base: 0xa8743f, line: 0x8b5a2b },
  tiles: { base: 0xe8e2d4, line: 0xc9c0ad },
  carpet: { base: 0x6c7a99, line: 0x5d6a87 },
  stone: { base: 0x9e9e9e, line: 0x7d7d7d },
  grass: { base: 0x6aa84f, line: 0x5b9443 },
};

export function themeOf(floor: string, wallColor: string): RoomTheme {
  return {
    floor: (FLOORS as readonly string[]).includes(floor) ? (floor as Floor) : DEFAULT_THEME.floor,
    wall_color: /^#[0-9a-f]{6}$/i.test(wallColor) ? wallColor : DEFAULT_THEME.wall_color,
  };
}

export function drawRoom(g: Graphics, room: RoomSize, theme: RoomTheme): void {
  g.clear();
  const { base, line } = FLOOR_COLORS[theme.floor];
  const { width: w, height: h } = room;
  g.rect(0, 0, w, h).fill(base);
  drawPattern(g, theme.floor, room, line);
  const wall = Number.parseInt(theme.wall_color.slice(1), 16);
  g.rect(-WALL, -TOP_WALL, w + 2 * WALL, TOP_WALL).fill(wall);
  g.rect(-WALL, -TOP_WALL + TOP_WALL - 6, w + 2 * WALL, 6).fill({ color: 0x000000, alpha: 0.25 });
  g.rect(-WALL, 0, WALL, h + WALL).fill(wall);
  g.rect(w, 0, WALL, h + WALL).fill(wall);
  g.rect(0, h, w, WALL).fill(wall);
  g.rect(-WALL, -TOP_WALL, w + 2 * WALL, h + TOP_WALL + WALL).stroke({ width: 2, color: 0x000000, alpha: 0.5 });
}

function drawPattern(g: Graphics, floor: Floor, { width: w, height: h }: RoomSize, line: number): void {
  switch (floor) {
    case "wood":
      // Planks 16 px high, joints staggered every row.
      for (let y = 16, row = 0; y < h; y += 16, row++) g.moveTo(0, y).lineTo(w, y);
      for (let y = 0, row = 0; y < h; y += 16, row++) for (let x = (row % 3) * 40; x < w; x += 120) g.moveTo(x, y).lineTo(x, Math.min(h, y + 16));
      g.stroke({ width: 1, color: line });
      return;
    case "tiles":
      for (let y = 0; y < h; y += TILE_SIZE) for (let x = ((y / TILE_SIZE) % 2) * TILE_SIZE; x < w; x += TILE_SIZE * 2) g.rect(x, y, Math.min(TILE_SIZE, w - x), Math.min(TILE_SIZE, h - y));
      g.fill({ color: line, alpha: 0.5 });
      return;
    case "carpet":
      for (let y = 8; y < h; y += 16) for (let x = 8 + ((y / 16) % 2) * 8; x < w; x += 16) g.circle(x, y, 1.2);
      g.fill({ color: line });
      return;
    case "stone":
      for (let y = 0, row = 0; y < h; y += 24, row++) {
        g.moveTo(0, y).lineTo(w, y);
        for (let x = (row % 2) * 18; x < w; x += 36) g.moveTo(x, y).lineTo(x, Math.min(h, y + 24));
      }
      g.stroke({ width: 1.5, color: line });
      return;
    case "grass":
      for (let y = 10; y < h; y += 22) for (let x = 6 + ((y * 7) % 19); x < w; x += 29) g.moveTo(x, y).lineTo(x - 2, y - 5).moveTo(x, y).lineTo(x + 2, y - 5);
      g.stroke({ width: 1, color: line });
      return;
  }
}
