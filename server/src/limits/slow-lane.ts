// The slow lane: connections that send malformed messages wait behind everyone else.
//
// A refused message still costs the server its decoding, its validation and its own `error` frame
// (about 90 µs). 150 connections each sending bursts of them made one turn of the event loop run
// 10–30 ms of refusals before the room's patch timer, which carries every well-behaved player's
// echo (the fuzz soak's walker p99 +40 %, +58 % through the JSON gateway). So a connection whose
// message was refused is *held* for a while: all of its messages (valid ones too, so their order
// holds) then run from a queue that gets at most `budgetMs` of each turn, round robin over the
// held connections, after that turn's timers and sockets. A held connection is served as fast as
// before when the server is otherwise idle; under contention it waits, and others do not.
// A queue longer than `maxQueued` pauses the connection's socket (TCP pushes back on the sender)
// until it drains to a quarter of that.

/** How a held connection's reading is stopped and started (a ws socket's pause/resume). */
export interface Flow {
  pause(): void;
  resume(): void;
}

export interface SlowLaneOptions {
  /** Time each turn of the event loop may spend on held connections' messages. */
  budgetMs: number;
  /** How long a refusal holds its connection (each refusal starts it again). */
  holdMs: number;
  /** Messages a held connection may have waiting before its socket is paused. */
  maxQueued: number;
  now?: () => number;
  /** Schedules the next slice; setImmediate runs it after the turn's timers and socket reads. */
  defer?: (run: () => void) => void;
  /** A queued message's handler threw (handlers report their own failures; this is a last resort). */
  onError?: (err: unknown) => void;
}

interface Held {
  until: number;
  queue: (() => void)[];
  flow: Flow;
  paused: boolean;
  gone: boolean;
  /** In #ready (at most once). */
  ready: boolean;
}

/** Held connections counted before the expired ones are swept out. */
const SWEEP_ABOVE = 1000;

export const SLOW_LANE_DEFAULTS = { budgetMs: 2, holdMs: 10_000, maxQueued: 64 } as const;

export class SlowLane<K extends object = object> {
  readonly #options: Required<SlowLaneOptions>;
  readonly #held = new Map<K, Held>();
  /** Held connections with messages waiting, served round robin. */
  #ready: Held[] = [];
  #scheduled = false;
  #delayed = 0;

  constructor(options: SlowLaneOptions) {
    this.#options = {
      now: () => performance.now(),
      defer: (run) => setImmediate(run),
      onError: () => undefined,
      ...options,
    };
  }

  /** Runs `work` now, or queues it behind the connection's earlier messages while it is held. */
  run(key: K, work: () => void): void {
    const held = this.#held.get(key);
    if (!held) return work();
    if (held.queue.length === 0 && held.until <= this.#options.now()) {
      this.#held.delete(key);
      return work();
    }
    held.queue.push(work);
    this.#delayed++;
    if (!held.ready) {
      held.ready = true;
      this.#ready.push(held);
    }
    if (held.queue.length >= this.#options.maxQueued && !held.paused) {
      held.paused = true;
      held.flow.pause();
    }
    this.#schedule();
  }

  /** A message of this connection was refused: hold it (again) for `holdMs`. */
  hold(key: K, flow: Flow): void {
    const now = this.#options.now();
    const held = this.#held.get(key);
    if (held) held.until = now + this.#options.holdMs;
    else this.#held.set(key, { until: now + this.#options.holdMs, queue: [], flow, paused: false, gone: false, ready: false });
    // A hold that arrives after its connection was forgotten (a refusal answered late) must not stay.
    if (this.#held.size > SWEEP_ABOVE) this.#sweep(now);
  }

  #sweep(now: number): void {
    for (const [key, held] of this.#held) if (held.queue.length === 0 && held.until <= now) this.#held.delete(key);
  }

  /** The connection closed: its waiting messages are dropped. */
  forget(key: K): void {
    const held = this.#held.get(key);
    if (!held) return;
    held.gone = true;
    held.queue.length = 0;
    this.#held.delete(key);
  }

  /** Connections held now (tests). */
  get held(): number {
    return this.#held.size;
  }

  /** Messages that have waited in the lane since it started (metrics). */
  get delayed(): number {
    return this.#delayed;
  }

  /** Messages waiting in the lane now (metrics). */
  get waiting(): number {
    let n = 0;
    for (const held of this.#held.values()) n += held.queue.length;
    return n;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#options.defer(() => this.#slice());
  }

  /**
   * One turn's share: a message of each held connection in turn, round after round, until the
   * budget is spent; whoever the turn did not reach goes first in the next.
   */
  #slice(): void {
    this.#scheduled = false;
    const { now, budgetMs, maxQueued } = this.#options;
    const started = now();
    const ready = this.#ready;
    let i = 0;
    while (i < ready.length && now() - started < budgetMs) {
      const held = ready[i++]!;
      held.ready = false;
      const work = held.queue.shift();
      if (held.gone || !work) continue;
      try {
        work();
      } catch (err) {
        this.#options.onError(err);
      }
      if (held.gone) continue;
      if (held.queue.length > 0 && !held.ready) {
        held.ready = true;
        ready.push(held);
      }
      if (held.paused && held.queue.length <= maxQueued / 4) {
        held.paused = false;
        held.flow.resume();
      }
    }
    this.#ready = ready.slice(i).filter((held) => !held.gone);
    if (this.#ready.length > 0) this.#schedule();
  }
}
