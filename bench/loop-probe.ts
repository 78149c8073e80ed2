// Preloaded into every server the bench measures (node --import): answers event-loop delay
// percentiles over IPC, so Cafe and the references are measured the same way.
import { monitorEventLoopDelay } from "node:perf_hooks";

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
process.on("message", async (m: any) => {
  // Where resident memory goes: V8's heap (used and reserved), buffers outside it, and the rest.
  if (m?.cmd === "mem") {
    if (m.gc) (globalThis as { gc?: () => void }).gc?.();
    const u = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 2 ** 20);
    process.send?.({ id: m.id, result: { rssMb: mb(u.rss), heapUsedMb: mb(u.heapUsed), heapTotalMb: mb(u.heapTotal), externalMb: mb(u.external), arrayBuffersMb: mb(u.arrayBuffers) } });
    return;
  }
  if (m?.cmd === "heap-snapshot") {
    const file = (await import("node:v8")).writeHeapSnapshot(m.file);
    process.send?.({ id: m.id, result: file });
    return;
  }
  if (m?.cmd !== "lag") return;
  const result = { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
  histogram.reset();
  process.send?.({ id: m.id, result });
});
// The IPC channel must not keep a server alive on its own, nor stop it from exiting.
process.channel?.unref();

// A CPU profile of just the measuring window, on request (the bench's --cpu-prof equivalent for
// a time slice: `node --cpu-prof` would also record start-up and provisioning).
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";

let session: Session | undefined;
process.on("message", async (m: any) => {
  if (m?.cmd === "prof-start") {
    session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 500 });
    await session.post("Profiler.start");
    process.send?.({ id: m.id, result: true });
  } else if (m?.cmd === "prof-stop" && session) {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(m.file, JSON.stringify(profile));
    session.disconnect();
    session = undefined;
    process.send?.({ id: m.id, result: true });
  }
});
