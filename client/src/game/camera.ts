// Where the room is drawn: whole and centred when it fits (shrunk down to MIN_SCALE if need be),
// else following you and stopping at the room's edges. Offsets are whole pixels, so tiles stay sharp.
import type { Point } from "../../../shared/src/sim/geometry.ts";
import type { RoomSize } from "../../../shared/src/sim/placement.ts";

export const MIN_SCALE = 0.6;
/** The zoom a person may choose with the wheel, a pinch or +/−. */
export const ZOOM_MIN = 0.5;
export const ZOOM_MAX = 2;

export function clampZoom(z: number): number {
  return Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, Math.round(z * 100) / 100));
}

export interface Camera {
  scale: number;
  x: number;
  y: number;
}

/** `zoom` (ZOOM_MIN–ZOOM_MAX) replaces the automatic fit once the person has chosen one. */
export function cameraFor(view: { width: number; height: number }, room: RoomSize, focus: Point, zoom: number | null = null): Camera {
  const fit = Math.min(view.width / room.width, view.height / room.height);
  const scale = zoom ?? Math.max(MIN_SCALE, Math.min(1, fit));
  const axis = (viewSize: number, roomSize: number, at: number) => {
    const size = roomSize * scale;
    if (size <= viewSize) return Math.round((viewSize - size) / 2);
    return Math.round(Math.min(0, Math.max(viewSize - size, viewSize / 2 - at * scale)));
  };
  return { scale, x: axis(view.width, room.width, focus.x), y: axis(view.height, room.height, focus.y) };
}

export interface RoomRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The part of the room the view shows under `cam`, in room coordinates, widened by `margin` room px. */
export function visibleRect(view: { width: number; height: number }, cam: Camera, margin = 0): RoomRect {
  const left = -cam.x / cam.scale;
  const top = -cam.y / cam.scale;
  return { left: left - margin, top: top - margin, right: left + view.width / cam.scale + margin, bottom: top + view.height / cam.scale + margin };
}

/** Whether the box (room coordinates) reaches into `r`. */
export function overlaps(r: RoomRect, box: RoomRect): boolean {
  return box.right >= r.left && box.left <= r.right && box.bottom >= r.top && box.top <= r.bottom;
}

/** The largest texture resolution drawn (a 512 px avatar page is then 2048 px square). */
const MAX_TEXTURE_RESOLUTION = 4;

/**
 * The resolution cached drawings (avatar frames, furniture) are made at for a camera scale: one
 * texture pixel per screen pixel at 100 % (and at 200 %) zoom. A copy at its own size is the
 * cheapest draw there is, where shrinking a 2× texture on every frame cost the Canvas 2D renderer
 * 2.5–4 times as much (bench/README.md); zoomed in, the 2× drawing keeps everything sharp.
 */
export function textureResolution(scale: number, devicePixelRatio: number): number {
  return Math.min(MAX_TEXTURE_RESOLUTION, Math.max(1, devicePixelRatio) * (scale > 1 ? 2 : 1));
}
