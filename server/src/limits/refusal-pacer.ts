// Pacing after refusals. A connection whose message was refused as malformed (`invalid_payload`,
// `unknown_message`) has its following messages handled at most one per REFUSAL_PACE_MS, each
// still answered and in order. Well-behaved clients never meet it. Without it, 150 fuzzing
// connections each sending a burst of 30 bad messages filled turn after turn of the event loop
// (one message per socket per turn, sockets.ts, still made a turn of 150 refusals ≈ 15 ms) and every
// other player's move and patch waited behind them; paced, the same refusals are spread thin.
export const REFUSAL_PACE_MS = 20;

interface Lane {
  /** When this connection's next message may be handled (performance.now() ms). */
  next: number;
  waiting: (() => void)[];
  timer: NodeJS.Timeout | undefined;
}

export class RefusalPacer<C> {
  readonly #lanes = new Map<C, Lane>();
  readonly #paceMs: number;
  readonly #onError: (err: unknown) => void;

  /** `onError` gets what a delayed handler threw (it runs from a timer, where nothing else would catch it). */
  constructor(onError: (err: unknown) => void, paceMs = REFUSAL_PACE_MS) {
    this.#onError = onError;
    this.#paceMs = paceMs;
  }

  /** Handles a message now, or after the connection's earlier ones once its pace allows. */
  run(client: C, handle: () => void): void {
    const lane = this.#lanes.get(client);
    if (!lane) return handle();
    lane.waiting.push(handle);
    this.#schedule(client, lane);
  }

  /** The message being handled was refused as malformed: the connection's next one waits. */
  refused(client: C): void {
    let lane = this.#lanes.get(client);
    if (!lane) this.#lanes.set(client, (lane = { next: 0, waiting: [], timer: undefined }));
    lane.next = performance.now() + this.#paceMs;
    this.#schedule(client, lane);
  }

  /** Connections being paced now (tests, metrics). */
  get paced(): number {
    return this.#lanes.size;
  }

  #schedule(client: C, lane: Lane): void {
    if (lane.timer) return;
    lane.timer = setTimeout(() => this.#drain(client, lane), Math.max(0, lane.next - performance.now()));
  }

  #drain(client: C, lane: Lane): void {
    lane.timer = undefined;
    while (lane.waiting.length > 0) {
      if (performance.now() < lane.next) return this.#schedule(client, lane);
      try {
        lane.waiting.shift()!();
      } catch (err) {
        this.#onError(err);
      }
    }
    // Nothing waiting: the lane ends once its pace has passed (a timer stays until then, so a lane
    // of a connection that went quiet or left never outlives it by more than one pace).
    if (performance.now() < lane.next) return this.#schedule(client, lane);
    this.#lanes.delete(client);
  }
}
