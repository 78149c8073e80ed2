// The server the soak's fuzz step attacks, in a process of its own (pinned to a core by the test):
// the same startApp as `npm start`, logging JSON lines to stderr as in production, with the test
// suites' two differences for account creation (no registration throttle, light scrypt cost),
// since the attackers are hundreds of accounts made from one address.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { constants, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { startApp } from "../../src/app.ts";
import { loadConfig, resolveSecretKey } from "../../src/config/index.ts";
import { MANY_USERS } from "./invariant.ts";

// FUZZ_HEAP_SAMPLE=<file>: a sampling heap profile of the run, written at stop, keeping the samples
// of objects that a major collection freed (they outlived the young generation) as well as the
// live ones: where the garbage that gets promoted comes from.
const heapSample = process.env["FUZZ_HEAP_SAMPLE"];
const inspector = heapSample ? new Session() : undefined;
if (inspector) {
  inspector.connect();
  await inspector.post("HeapProfiler.enable");
  await inspector.post("HeapProfiler.startSampling", { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false });
}

// FAST_HASH of ./app.ts, which this plain Node process cannot import (it pulls in jest's globals).
const app = await startApp(resolveSecretKey(loadConfig()), { authLimits: MANY_USERS, hashParams: { N: 2 ** 10, r: 8, p: 1 } });
// Not a JSON line: the test counts only the log's JSON lines.
console.error(`Cafe listening on ${app.url}`);
// FUZZ_LOOP_DELAY=<seconds>: how late the event loop ran, every so many seconds (also not JSON).
const every = Number(process.env["FUZZ_LOOP_DELAY"] ?? 0);
if (every > 0) {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  // Garbage collections in the window, by kind: count, longest, total (ms).
  const KINDS: Record<number, string> = { [constants.NODE_PERFORMANCE_GC_MINOR]: "minor", [constants.NODE_PERFORMANCE_GC_MAJOR]: "major", [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental", [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weak" };
  let gcs = new Map<string, { n: number; max: number; total: number }>();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = KINDS[((e as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind ?? -1] ?? "other";
      const g = gcs.get(kind) ?? { n: 0, max: 0, total: 0 };
      g.n++;
      g.max = Math.max(g.max, e.duration);
      g.total += e.duration;
      gcs.set(kind, g);
    }
  }).observe({ entryTypes: ["gc"] });
  setInterval(() => {
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    const gc = [...gcs].map(([k, g]) => `${k} ${g.n}× max ${g.max.toFixed(1)} total ${g.total.toFixed(0)}`).join(", ");
    console.error(`loop delay over ${every} s: p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms; gc ${gc || "none"}; heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
    delay.reset();
    gcs = new Map();
  }, every * 1000).unref();
}
const stop = async () => {
  if (inspector && heapSample) writeFileSync(heapSample, JSON.stringify((await inspector.post("HeapProfiler.stopSampling")).profile));
  await app.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
