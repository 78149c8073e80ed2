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
