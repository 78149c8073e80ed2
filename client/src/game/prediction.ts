// Client-side prediction of your own avatar, and its reconciliation with the server.
//
// Each frame the keyboard direction moves the predicted position with the server's own rule
// (`slideMove`: bounds, blocking tiles, swept collision). Positions are sent at most every
// SEND_INTERVAL_MS with an increasing `seq`. The server takes a move by setting exactly the sent
// position (`confirm` finds which move a new server position is), and refuses one with an `error`
// that repeats its seq (`refused`). While the server agrees the prediction stands, so the avatar
// never rubber-bands in normal play. When it does not (a move was refused, the seat moved), the
// server's position wins at once, with the motion not yet sent on top.
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
  /** The server's latest position for us, as the state last showed it. */
  #server: Point;
  /** A refused seq whose correction waits until the moves sent before it are confirmed. */
  #refusedSeq: number | undefined;
  /** Number of corrections so far (for tests and the debug hook). */
  corrections = 0;

  constructor(start: Point, firstSeq = 0) {
    this.#position = { ...start };
    this.#base = { ...start };
    this.#server = { ...start };
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
   * The state shows a new server position for this player. A taken move sets exactly the position
   * sent, so the earliest move in flight at that spot is the one the server has reached (moves are
   * judged in order; several taken within one patch show as the last). A position no move of ours
   * had is the server's own doing (a spawn, a room that shrank): it wins. Returns true when the
   * prediction was corrected.
   */
  confirm(server: Point, world: World): boolean {
    // The player's other fields (a name, a seat) change too: only a new position says anything.
    if (samePoint(server, this.#server)) return false;
    this.#server = { ...server };
    const reached = this.#pending.find((p) => samePoint(p, server));
    const ack = reached?.seq ?? this.#pending.at(-1)?.seq ?? 0;
    const corrected = this.#reconcile({ ...server, ack }, world, !reached && this.#pending.length > 0);
    return this.#correctRefusal(world) || corrected;
  }

  /**
   * The server refused the move `seq` (an `error` for `update_position`): once the moves sent before
   * it are confirmed, the server's position wins. Returns true when the prediction was corrected.
   */
  refused(seq: number, world: World): boolean {
    if (!this.#pending.some((p) => p.seq === seq)) return false;
    this.#refusedSeq = seq;
    return this.#correctRefusal(world);
  }

  #correctRefusal(world: World): boolean {
    const seq = this.#refusedSeq;
    if (seq === undefined || this.#pending.some((p) => p.seq < seq)) return false;
    this.#refusedSeq = undefined;
    if (!this.#pending.some((p) => p.seq === seq)) return false;
    return this.#reconcile({ ...this.#server, ack: seq }, world, true);
  }

  /**
   * Applies the server's position once it has judged the moves up to `ack` (0 before any).
   * `final`: the server's word stands even while later moves are in flight.
   */
  #reconcile(server: Point & { ack: number }, world: World, final = false): boolean {
    const acked = this.#pending.find((p) => p.seq === server.ack);
    const stillPending = this.#pending.filter((p) => p.seq > server.ack);
    this.#pending = stillPending;
    const agrees =
      acked && !acked.stale
        ? samePoint(acked, server)
        : // Nothing we can compare: wait while moves are in flight; when idle, the server's word is final.
          !final && (stillPending.length > 0 || samePoint(this.#base, server));
    if (agrees) return false;
    // The server's position wins. Updates still in flight were sent from the refused position:
    // the server judges them on its own (they carry absolute positions), so their answers prove
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
    this.#server = { ...position };
    this.#refusedSeq = undefined;
    this.#pending = [];
    this.#carry = { x: 0, y: 0 };
  }
}

function samePoint(a: Point, b: Point): boolean {
  return a.x === b.x && a.y === b.y;
}
