// Tap or click to walk: a path from the shared A* (around blocking furniture), walked by steering
// the ordinary predicted movement toward each waypoint, so the server sees plain update_position
// messages at walking speed. A new tap replaces the path; any movement key cancels it.
import type { Point } from "../../../shared/src/sim/geometry.ts";
import { findPath } from "../../../shared/src/sim/pathfind.ts";
import type { World } from "./prediction.ts";

/** Close enough to a waypoint to head for the next one. */
const ARRIVED_PX = 2;
/** Frames without progress before the walk gives up (someone stands in the way). */
const STUCK_FRAMES = 30;

export class TapWalker {
  #path: Point[] = [];
  #last: Point | null = null;
  #stuck = 0;

  get active(): boolean {
    return this.#path.length > 0;
  }

  get waypoints(): Point[] {
    return this.#path.map((p) => ({ ...p }));
  }

  /** Plans a walk from `from` to `to`; false when there is no way there. */
  walkTo(from: Point, to: Point, world: World): boolean {
    const target = { x: Math.round(to.x), y: Math.round(to.y) };
    const path = findPath(from, target, world.room, world.blockers);
    this.#path = path ?? [];
    this.#last = null;
    this.#stuck = 0;
    return path !== null;
  }

  cancel(): void {
    this.#path = [];
  }

  /** The direction to steer in from `at` this frame, or null when the walk is over. */
  direction(at: Point): Point | null {
    while (this.#path.length && Math.hypot(this.#path[0]!.x - at.x, this.#path[0]!.y - at.y) <= ARRIVED_PX) this.#path.shift();
    const next = this.#path[0];
    if (!next) return null;
    if (this.#last && this.#last.x === at.x && this.#last.y === at.y) {
      if (++this.#stuck > STUCK_FRAMES) return (this.#path = []), null;
    } else {
      this.#stuck = 0;
    }
    this.#last = { ...at };
    return { x: next.x - at.x, y: next.y - at.y };
  }
}
