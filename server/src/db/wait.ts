// Start-up while PostgreSQL is not reachable yet (booting beside Cafe, restarting, a network blip):
// wait and retry with one log line per attempt, up to DATABASE_CONNECT_TIMEOUT_S, instead of
// exiting at once. Errors that waiting cannot fix (bad password, unknown database) fail at once.
import { setTimeout as sleep } from "node:timers/promises";
import { describeOutage, isUnavailable } from "../services/outage.ts";
import type { Orm } from "./orm.ts";

const RETRY_EVERY_MS = 1000;

export async function waitForDatabase(orm: Orm, timeoutS: number, log: (line: string) => void): Promise<void> {
  const deadline = performance.now() + timeoutS * 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      await orm.em.fork().execute("select 1");
      if (attempt > 1) log(`database reachable after ${attempt} attempts`);
      return;
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new Error(`database unreachable for ${timeoutS} s (DATABASE_CONNECT_TIMEOUT_S): ${describeOutage(err)}`, { cause: err });
      }
      log(`database unreachable (attempt ${attempt}): ${describeOutage(err)}; retrying for up to ${Math.ceil(left / 1000)} s`);
      await sleep(Math.min(RETRY_EVERY_MS, left));
    }
  }
}
