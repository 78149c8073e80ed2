// Other players are drawn a little in the past, between two received positions, so they glide
// instead of jumping from patch to patch (the server sends 20 patches a second).
import type { Point } from "../../../shared/src/sim/geometry.ts";

/** How far behind the newest patch other players are drawn: two patch intervals. */
export const INTERPOLATION_DELAY_MS = 100;
/** The server's patch interval (Colyseus default). */
export const PATCH_INTERVAL_MS = 50;
const MAX_SNAPSHOTS = 32;

interface Snapshot extends Point {
  t: number;
}

export class InterpolationBuffer {
  readonly #snapshots: Snapshot[] = [];
  readonly #delay: number;

  constructor(initial: Point, nowMs: number, delayMs = INTERPOLATION_DELAY_MS) {
    this.#delay = delayMs;
    this.#snapshots.push({ x: initial.x, y: initial.y, t: nowMs - delayMs });
  }

  /** Records a position received at `nowMs`. */
  push(p: Point, nowMs: number): void {
    const last = this.#snapshots[this.#snapshots.length - 1]!;
    if (nowMs < last.t) nowMs = last.t;
    // After a pause, the player started walking about one patch ago, not when the last
    // snapshot was taken: without this anchor the first step would be drawn as a slow drift
    // or, once the old snapshot leaves the window, as a jump.
    if (nowMs - last.t > PATCH_INTERVAL_MS * 2) {
      this.#snapshots.push({ x: last.x, y: last.y, t: nowMs - PATCH_INTERVAL_MS });
    }
    this.#snapshots.push({ x: p.x, y: p.y, t: nowMs });
    if (this.#snapshots.length > MAX_SNAPSHOTS) this.#snapshots.splice(0, this.#snapshots.length - MAX_SNAPSHOTS);
  }

  /** Where to draw the player at `nowMs`. */
  sample(nowMs: number): Point {
    const t = nowMs - this.#delay;
    const s = this.#snapshots;
    // Forget what is older than the pair we interpolate between.
    while (s.length > 2 && s[1]!.t <= t) s.shift();
    const a = s[0]!;
    if (t <= a.t || s.length === 1) return { x: a.x, y: a.y };
    const b = s[1]!;
    if (t >= b.t) return { x: b.x, y: b.y };
    const k = (t - a.t) / (b.t - a.t);
    return { x: a.x + (b.x - a.x) * k, y: a.y + (b.y - a.y) * k };
  }

  /** The newest known position (what the server last said). */
  get latest(): Point {
    const last = this.#snapshots[this.#snapshots.length - 1]!;
    return { x: last.x, y: last.y };
  }
}
