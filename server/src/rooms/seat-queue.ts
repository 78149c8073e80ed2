// The "queued" order of a room's durable commands: each seat's commands run one after another in
// the order they arrived, so a script may place an item and use a tool on it without waiting for
// replies, while moves (run "now") never wait for the database. Seats do not wait for each other.
import type { ErrorCode } from "../../../shared/src/errors.ts";
import { AppError } from "../services/errors.ts";
import { isUnavailable } from "../services/outage.ts";

/** Durable commands one seat may have waiting for the database before more are refused. */
export const MAX_QUEUED_COMMANDS = 32;

interface Lane {
  work: Promise<void>;
  waiting: number;
}

/** `Type` names a command in error reports (the room uses its message names). */
export class SeatQueue<Seat extends object, Type extends string = string> {
  /** Keyed by the seat itself: a seat that ends takes its lane with it. */
  readonly #lanes = new WeakMap<Seat, Lane>();
  readonly #onError: (seat: Seat, type: Type, err: unknown) => void;
  readonly #max: number;
  /** Commands accepted and not yet settled, over all seats. */
  #inFlight = 0;
  #idle: (() => void) | undefined;

  /** `onError` hears every command that throws or rejects; the seat's later commands still run. */
  constructor(onError: (seat: Seat, type: Type, err: unknown) => void, max = MAX_QUEUED_COMMANDS) {
    this.#onError = onError;
    this.#max = max;
  }

  /**
   * Runs `command` after the seat's earlier commands. Returns the seat's work (it never rejects), or
   * undefined when the seat already has `max` commands waiting and this one is refused.
   */
  push(seat: Seat, type: Type, command: () => unknown): Promise<void> | undefined {
    let lane = this.#lanes.get(seat);
    if (!lane) this.#lanes.set(seat, (lane = { work: Promise.resolve(), waiting: 0 }));
    if (lane.waiting >= this.#max) return undefined;
    // Counted from arrival, so a disposal (SIGTERM) also waits for commands still waiting.
    this.#inFlight++;
    lane.waiting++;
    const current = lane;
    current.work = current.work.then(() => this.#run(seat, current, type, command));
    return current.work;
  }

  /** Resolves once no accepted command is left (a disposing room waits for its writes). */
  async drained(): Promise<void> {
    if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
  }

  async #run(seat: Seat, lane: Lane, type: Type, command: () => unknown): Promise<void> {
    try {
      await command();
    } catch (err) {
      this.#onError(seat, type, err);
    } finally {
      lane.waiting--;
      if (--this.#inFlight === 0) this.#idle?.();
    }
  }
}

/** How a failed command is told to its sender. */
export type CommandFailure =
  /** A dependency is down: the command's outcome is unknown. */
  | { kind: "outage"; code: "unavailable"; message: string }
  /** A rule refused it (an AppError): its own code and text. */
  | { kind: "refused"; code: ErrorCode; message: string }
  /** A bug: logged with an id the message repeats; its text never reaches the client. */
  | { kind: "bug"; code: "internal"; message: string; errorId: string };

export function commandFailure(err: unknown): CommandFailure {
  if (isUnavailable(err)) return { kind: "outage", code: "unavailable", message: "The database is unavailable right now; try again in a few seconds" };
  if (err instanceof AppError) return { kind: "refused", code: err.code, message: String(err.detail) };
  const errorId = crypto.randomUUID();
  return { kind: "bug", code: "internal", message: `Internal error (id ${errorId})`, errorId };
}
