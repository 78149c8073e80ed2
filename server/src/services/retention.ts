// Retention: rows that only grow (visits, chat, tool logs) are pruned once older than the configured
// number of days. Deletes go in small batches, each its own short statement, so no lock is held for
// long and a live server never stalls; open visits (present users) are never touched.
import type { QueryResult } from "@mikro-orm/core";
import type { Orm } from "../db/orm.ts";

export interface RetentionDays {
  /** null = keep for ever. */
  visits: number | null;
  chat: number | null;
  toolLogs: number | null;
}

type Table = keyof RetentionDays;

/** Which rows of each table are old, given the cutoff as the only parameter. */
const OLD_ROWS: Record<Table, { table: string; where: string }> = {
  visits: { table: "room_visits", where: "left_at is not null and left_at < ?" },
  chat: { table: "chat_messages", where: "created_at < ?" },
  toolLogs: { table: "tool_logs", where: "created_at < ?" },
};

export const RETENTION_BATCH = 500;
/** How often a running server sweeps; the first sweep waits as long, so a start stays light. */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type Pruned = Record<Table, number>;

export class RetentionService {
  readonly #orm: Orm;
  readonly #days: RetentionDays;
  readonly #log: (line: string) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = false;

  constructor(orm: Orm, days: RetentionDays, log: (line: string) => void) {
    this.#orm = orm;
    this.#days = days;
    this.#log = log;
  }

  /** Deletes every row older than its table's retention, batch by batch; returns how many per table. */
  async sweep(now = new Date()): Promise<Pruned> {
    const pruned: Pruned = { visits: 0, chat: 0, toolLogs: 0 };
    for (const table of Object.keys(OLD_ROWS) as Table[]) {
      const days = this.#days[table];
      if (days === null) continue;
      const cutoff = new Date(now.getTime() - days * DAY_MS);
      pruned[table] = await this.#prune(table, cutoff);
    }
    return pruned;
  }

  async #prune(table: Table, cutoff: Date): Promise<number> {
    const { table: name, where } = OLD_ROWS[table];
    const sql = `delete from ${name} where id in (select id from ${name} where ${where} order by id limit ${RETENTION_BATCH})`;
    let total = 0;
    while (!this.#stopped) {
      const result = await this.#orm.em.fork().getConnection().execute<QueryResult>(sql, [cutoff], "run");
      total += result.affectedRows;
      if (result.affectedRows < RETENTION_BATCH) break;
      // Let requests and room work run between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  }

  start(): void {
    if (this.#days.visits === null && this.#days.chat === null && this.#days.toolLogs === null) return;
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = this.sweep()
        .then((p) => {
          if (p.visits + p.chat + p.toolLogs > 0) this.#log(`retention pruned visits=${p.visits} chat=${p.chat} tool_logs=${p.toolLogs}`);
        })
        .catch((err: unknown) => this.#log(`retention sweep failed: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => (this.#running = undefined));
    }, RETENTION_INTERVAL_MS);
    this.#timer.unref();
  }

  /** Stops the timer and waits for a sweep in progress (it stops after its current batch). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }
}
