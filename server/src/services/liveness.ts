// Processes sharing one Redis announce themselves with a heartbeat key that expires, so the
// survivors notice a process that died without a goodbye (kill -9, a crash, a lost machine) and
// close the presence rows (open visits) it left: no ghost users in GET /room-users or `online`.
import type { Presence } from "@colyseus/core";
import type { VisitLog } from "./presence.ts";

export interface LivenessOptions {
  presence: Presence;
  visits: VisitLog;
  processId: () => string;
  /**
   * Asked before a silent process is declared dead (Colyseus's IPC health check, which also drops
   * that process's room listings so its rooms are recreated on the next join). True = alive.
   */
  isAlive: (processId: string) => Promise<boolean>;
  log: (line: string) => void;
  beatMs?: number;
  ttlSeconds?: number;
  sweepMs?: number;
}

export class ProcessLiveness {
  readonly #o: Required<LivenessOptions>;
  #timers: NodeJS.Timeout[] = [];
  #sweeping = false;

  constructor(options: LivenessOptions) {
    this.#o = { beatMs: 1000, ttlSeconds: 5, sweepMs: 2000, ...options };
  }

  async start(): Promise<void> {
    await this.#beat();
    const beat = setInterval(() => void this.#beat().catch((err) => this.#o.log(`heartbeat failed: ${String(err)}`)), this.#o.beatMs);
    const sweep = setInterval(() => void this.sweep().catch((err) => this.#o.log(`orphan sweep failed: ${String(err)}`)), this.#o.sweepMs);
    for (const timer of [beat, sweep]) timer.unref();
    this.#timers = [beat, sweep];
  }

  /** Stops beating and removes the key: a graceful exit closes its own visits. */
  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    await this.#o.presence.del(key(this.#o.processId()));
  }

  /** Closes the open visits of processes that stopped beating and fail the health check. */
  async sweep(): Promise<string[]> {
    if (this.#sweeping) return [];
    this.#sweeping = true;
    try {
      const self = this.#o.processId();
      const holders = (await this.#o.visits.openProcessIds()).filter((id) => id !== self);
      // In parallel: each health check of a dead process waits for its timeout.
      const alive = await Promise.all(holders.map(async (id) => (await this.#o.presence.exists(key(id))) || this.#o.isAlive(id)));
      const dead = holders.filter((_, i) => !alive[i]);
      if (dead.length === 0) return dead;
      const closed = await this.#o.visits.closeOrphans({ processIds: dead });
      this.#o.log(`closed ${closed} visit(s) left by dead process(es) ${dead.join(", ")}`);
      return dead;
    } finally {
      this.#sweeping = false;
    }
  }

  async #beat(): Promise<void> {
    await this.#o.presence.setex(key(this.#o.processId()), "1", this.#o.ttlSeconds);
  }
}

const key = (processId: string) => `alive:${processId}`;
