// Preloaded into every server the bench measures (node --import): answers event-loop delay
// percentiles over IPC, so Cafe and the references are measured the same way.
import { monitorEventLoopDelay } from "node:perf_hooks";

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
process.on("message", (m: any) => {
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
