// The corner map: the whole room, its furniture, its people and the part of it in view.
import type { Graphics } from "pixi.js";
import type { Point, Rect } from "../../../shared/src/sim/geometry.ts";
import type { RoomSize } from "../../../shared/src/sim/placement.ts";
import { visibleRect, type Camera } from "./camera.ts";

export const MINI_MAP_SIZE = 150;

export function drawMiniMap(
  g: Graphics,
  room: RoomSize,
  cam: Camera,
  view: { width: number; height: number },
  people: (Point & { self: boolean })[],
  things: { rect: Rect; color: number }[],
  size = MINI_MAP_SIZE,
): number {
  const k = size / Math.max(room.width, room.height);
  g.clear();
  g.rect(0, 0, room.width * k, room.height * k).fill({ color: 0x000000, alpha: 0.55 }).stroke({ width: 1, color: 0xffffff, alpha: 0.8 });
  for (const t of things) g.rect(t.rect.left * k, t.rect.top * k, Math.max(1, (t.rect.right - t.rect.left) * k), Math.max(1, (t.rect.bottom - t.rect.top) * k)).fill({ color: t.color, alpha: 0.9 });
  for (const p of people) g.circle(p.x * k, p.y * k, p.self ? 3 : 2).fill(p.self ? 0xffc53d : 0xffffff);
  // The view, in room coordinates.
  const seen = visibleRect(view, cam);
  g.rect(seen.left * k, seen.top * k, (seen.right - seen.left) * k, (seen.bottom - seen.top) * k).stroke({ width: 1.5, color: 0x00e5ff });
  return k;
}
