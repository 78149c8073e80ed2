// Client-side prediction of your own avatar, and its reconciliation with the server.
//
// Each frame the keyboard direction moves the predicted position with the server's own rule
// (`slideMove`: bounds, blocking tiles, swept collision). Positions are sent at most every
// SEND_INTERVAL_MS with an increasing `seq`; the server echoes the last one it processed in the
// player's `ack`. When the server's position for an acked seq is the one we sent, the prediction
// stands, so the avatar never rubber-bands in normal play. When it differs (a move was refused,
// the seat moved), the server's position wins at once, with the motion not yet sent on top.
import { WALK_SPEED } from "../../../shared/src/constants.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import { slideMove } from "../../../shared/src/sim/movement.ts";
import type { RoomSize } from "../../../shared/src/sim/placement.ts";

/**
 * The walking speed: under the server's 200 px/s window, so that updates bunched together by
 * network jitter or a busy server (up to about 170 ms of them) still fit in one server-side second.
 */
export const PREDICTED_SPEED = WALK_SPEED * 0.85;
export const SEND_INTERVAL_MS = 50;
/** Longest frame step: a slow frame still moves, a tab that was hidden does not jump ahead. */
const MAX_STEP_MS = 250;

export interface World {
  room: RoomSize;
  blockers: readonly Point[];
}

export interface PositionUpdate {
  x: number;
  y: number;
  seq: number;
}

interface Sent extends Point {
  seq: number;
  /** Sent before a correction: based on a position the server did not have. */
  stale?: boolean;
}

export class Predictor {
  #position: Point;
  /** The last position sent, or the server's position after a correction. */
  #base: Point;
  #pending: Sent[] = [];
  #seq: number;
  #lastSendAt = -Infinity;
  #carry = { x: 0, y: 0 };
  /** Number of corrections so far (for tests and the debug hook). */
  corrections = 0;

  constructor(start: Point, firstSeq = 0) {
    this.#position = { ...start };
    this.#base = { ...start };
    this.#seq = firstSeq;
  }

  get position(): Point {
    return { ...this.#position };
  }

  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Moves by `direction` (each axis -1, 0 or 1) for `dtMs`, with the server's collision rules. */
  step(direction: Point, dtMs: number, world: World): Point {
    const dt = Math.min(Math.max(dtMs, 0), MAX_STEP_MS) / 1000;
    const length = Math.hypot(direction.x, direction.y);
    if (length === 0) {
      this.#carry = { x: 0, y: 0 };
      return this.position;
    }
    // Sub-pixel motion is carried over, since positions are whole pixels.
    const wantX = (direction.x / length) * PREDICTED_SPEED * dt + this.#carry.x;
    const wantY = (direction.y / length) * PREDICTED_SPEED * dt + this.#carry.y;
    const delta = { x: Math.trunc(wantX), y: Math.trunc(wantY) };
    const before = this.#position;
    this.#position = delta.x || delta.y ? slideMove(before, delta, world.room, world.blockers) : before;
    // An axis that could not move (a wall) does not bank speed for later.
    this.#carry = {
      x: this.#position.x - before.x === delta.x ? wantX - delta.x : 0,
      y: this.#position.y - before.y === delta.y ? wantY - delta.y : 0,
    };
    return this.position;
  }

  /** The update to send now, if the position changed and the send interval has passed. */
  takeUpdate(nowMs: number): PositionUpdate | null {
    if (samePoint(this.#position, this.#base) || nowMs - this.#lastSendAt < SEND_INTERVAL_MS) return null;
    this.#seq = (this.#seq + 1) >>> 0;
    const sent = { seq: this.#seq, x: this.#position.x, y: this.#position.y };
    this.#pending.push(sent);
    this.#base = { x: sent.x, y: sent.y };
    this.#lastSendAt = nowMs;
    return { ...sent };
  }

  /**
   * Applies the server's view of this player. Returns true when the prediction was corrected.
   * `ack` is the last seq the server processed (0 before any).
   */
  reconcile(server: Point & { ack: number }, world: World): boolean {
    const acked = this.#pending.find((p) => p.seq === server.ack);
    const stillPending = this.#pending.filter((p) => p.seq > server.ack);
    this.#pending = stillPending;
    const agrees =
      acked && !acked.stale
        ? samePoint(acked, server)
        : // Nothing we can compare: wait while moves are in flight; when idle, the server's word is final.
          stillPending.length > 0 || samePoint(this.#base, server);
    if (agrees) return false;
    // The server's position wins. Updates still in flight were sent from the refused position:
    // the server judges them on its own (they carry absolute positions), so their acks prove
    // nothing and they are not replayed; only the motion not sent yet is.
    const unsent = { x: this.#position.x - this.#base.x, y: this.#position.y - this.#base.y };
    for (const p of stillPending) p.stale = true;
    const before = this.#position;
    this.#base = { x: server.x, y: server.y };
    this.#position = unsent.x || unsent.y ? slideMove(this.#base, unsent, world.room, world.blockers) : { ...this.#base };
    if (samePoint(before, this.#position)) return false;
    this.corrections++;
    return true;
  }

  /** Starts over at the server's position (a fresh join). */
  reset(position: Point): void {
    this.#position = { ...position };
    this.#base = { ...position };
    this.#pending = [];
    this.#carry = { x: 0, y: 0 };
  }
}

function samePoint(a: Point, b: Point): boolean {
  return a.x === b.x && a.y === b.y;
}
