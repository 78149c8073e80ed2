// Prometheus metrics (prom-client) in a registry of this app's own, so several apps in one process
// (tests) never collide. Messages in (one per move) are tallied in a plain map and folded into
// their counter when the registry is read: a prom-client increment hashes its labels every time.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface LiveCounts {
  rooms: number;
  clients: number;
  /** Messages of held connections waiting in the slow lane now, and in all since start. */
  slowLaneWaiting: number;
  slowLaneDelayed: number;
}

const LAG_SAMPLE_MS = 500;

export class Metrics {
  readonly registry = new Registry();
  readonly #messagesIn: Counter<"type">;
  readonly #messagesOut: Counter<"type">;
  readonly #rejectedMoves: Counter<"reason">;
  readonly #patchSeconds: Histogram;
  readonly #loopLagSeconds: Histogram;
  readonly #dbQuerySeconds: Histogram;
  readonly #inByType = new Map<string, Counter.Internal>();
  /** Messages received since the last scrape, by type. */
  readonly #inPending = new Map<string, number>();
  readonly #outByType = new Map<string, Counter.Internal>();
  readonly #movesByReason = new Map<string, Counter.Internal>();
  #lagTimer: NodeJS.Timeout | undefined;

  constructor(live: () => LiveCounts) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({ name: "cafe_rooms", help: "Live rooms hosted by this process", registers, collect() { this.set(live().rooms); } });
    new Gauge({ name: "cafe_clients", help: "Clients connected to this process's rooms", registers, collect() { this.set(live().clients); } });
    new Gauge({ name: "cafe_slow_lane_waiting", help: "Messages of connections held for malformed ones, waiting now", registers, collect() { this.set(live().slowLaneWaiting); } });
    let delayed = 0;
    new Counter({
      name: "cafe_slow_lane_messages_total",
      help: "Messages that waited in the slow lane (their connection had sent a malformed one)",
      registers,
      collect() {
        const now = live().slowLaneDelayed;
        this.inc(now - delayed);
        delayed = now;
      },
    });
    const foldIn = () => this.#foldMessagesIn();
    this.#messagesIn = new Counter({ name: "cafe_messages_in_total", help: "Room messages received, by type", labelNames: ["type"], registers, collect: foldIn });
    this.#messagesOut = new Counter({ name: "cafe_messages_out_total", help: "Room messages sent (per recipient), by type", labelNames: ["type"], registers });
    this.#rejectedMoves = new Counter({ name: "cafe_rejected_moves_total", help: "Refused update_position, by reason", labelNames: ["reason"], registers });
    const fast = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];
    this.#patchSeconds = new Histogram({ name: "cafe_patch_duration_seconds", help: "Time to encode and send one state patch", buckets: fast, registers });
    this.#loopLagSeconds = new Histogram({ name: "cafe_event_loop_lag_seconds", help: "Event-loop delay, sampled every 0.5 s", buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers });
    this.#dbQuerySeconds = new Histogram({ name: "cafe_db_query_duration_seconds", help: "Database query time (millisecond resolution)", buckets: [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers });
  }

  messageIn(type: string): void {
    this.#inPending.set(type, (this.#inPending.get(type) ?? 0) + 1);
  }

  #foldMessagesIn(): void {
    for (const [type, n] of this.#inPending) child(this.#messagesIn, this.#inByType, type).inc(n);
    this.#inPending.clear();
  }

  messageOut(type: string, recipients: number): void {
    if (recipients > 0) child(this.#messagesOut, this.#outByType, type).inc(recipients);
  }

  rejectedMove(reason: string): void {
    child(this.#rejectedMoves, this.#movesByReason, reason).inc();
  }

  patchMs(ms: number): void {
    this.#patchSeconds.observe(ms / 1000);
  }

  dbQueryMs(ms: number): void {
    this.#dbQuerySeconds.observe(ms / 1000);
  }

  /** Samples event-loop lag as the lateness of a repeating timer. */
  startLoopMonitor(): void {
    let expected = performance.now() + LAG_SAMPLE_MS;
    this.#lagTimer = setInterval(() => {
      const now = performance.now();
      this.#loopLagSeconds.observe(Math.max(0, now - expected) / 1000);
      expected = now + LAG_SAMPLE_MS;
    }, LAG_SAMPLE_MS);
    this.#lagTimer.unref();
  }

  stop(): void {
    clearInterval(this.#lagTimer);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}

// Label values come from the server's own constants (unknown message types are folded into one
// label by the caller), so these maps stay small.
function child<L extends string>(counter: Counter<L>, cache: Map<string, Counter.Internal>, value: string): Counter.Internal {
  let found = cache.get(value);
  if (!found) {
    found = counter.labels(value as never);
    cache.set(value, found);
  }
  return found;
}
