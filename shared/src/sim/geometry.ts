// Shapes of the world: a player is a circle of PLAYER_RADIUS, an object a TILE_SIZE square
// centred on its position. Pure functions, used by the server (authority) and the client (prediction).
import { PLAYER_RADIUS, TILE_SIZE } from "../constants.ts";

export interface Point {
  x: number;
  y: number;
}

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const HALF_TILE = TILE_SIZE / 2;

export function tileRect(center: Point): Rect {
  return { left: center.x - HALF_TILE, top: center.y - HALF_TILE, right: center.x + HALF_TILE, bottom: center.y + HALF_TILE };
}

/** Two tiles overlap when their interiors intersect; touching edges is fine. */
export function tilesOverlap(a: Point, b: Point): boolean {
  return Math.abs(a.x - b.x) < TILE_SIZE && Math.abs(a.y - b.y) < TILE_SIZE;
}

/** Whether a circle's interior intersects a rectangle's interior. */
export function circleIntersectsRect(center: Point, radius: number, rect: Rect): boolean {
  const nearestX = Math.max(rect.left, Math.min(center.x, rect.right));
  const nearestY = Math.max(rect.top, Math.min(center.y, rect.bottom));
  const dx = center.x - nearestX;
  const dy = center.y - nearestY;
  return dx * dx + dy * dy < radius * radius;
}

export function playerOverlapsTile(player: Point, tile: Point): boolean {
  return circleIntersectsRect(player, PLAYER_RADIUS, tileRect(tile));
}
