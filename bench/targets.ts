// Issue 14's targets, judged on one run's results: each row names the target, what this run
// measured, and whether it is met. Ratios are Cafe ÷ a reference measured by the same run, at the
// same client count. A target whose scenario did not run is left out.
import type { WalkRow } from "./scenarios.ts";

export interface TargetRow {
  target: string;
  measured: string;
  met: boolean | "n/a";
}

type Results = Record<string, any>;

const at = (rows: WalkRow[] | undefined, clients: number) => rows?.find((r) => r.clients === clients);
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

export function judgeTargets(r: Results): TargetRow[] {
  const out: TargetRow[] = [];
  const walk = r["walkers"] as Record<"cafe" | "plain" | "naive", WalkRow[]> | undefined;
  if (walk?.cafe.length) {
    for (const ref of ["plain", "naive"] as const) {
      const pairs = walk.cafe.map((c) => [c, at(walk[ref], c.clients)] as const).filter((p): p is readonly [WalkRow, WalkRow] => !!p[1] && !p[0].noisy && !p[1].noisy);
      if (!pairs.length) continue;
      const cpu = pairs.map(([c, x]) => `${c.clients}: ${ratio(c.cpuPer1kMoves, x.cpuPer1kMoves)}`);
      const bytes = pairs.map(([c, x]) => `${c.clients}: ${ratio(c.downBps, x.downBps)}`);
      const name = ref === "plain" ? "plain Colyseus" : "naive JSON";
      out.push({ target: `CPU per move ≤ 0.67 × ${name}`, measured: cpu.join(", "), met: pairs.every(([c, x]) => c.cpuPer1kMoves <= 0.67 * x.cpuPer1kMoves) });
      out.push({ target: `bytes down per client ≤ 0.6 × ${name}`, measured: bytes.join(", "), met: pairs.every(([c, x]) => c.downBps <= 0.6 * x.downBps) });
    }
    const big = [...walk.cafe].filter((c) => c.clients >= 600).sort((a, b) => a.clients - b.clients)[0];
    if (big) out.push({ target: "p99 input→echo ≤ 60 ms at 600 walkers", measured: `${big.p99} ms at ${big.clients}${big.noisy ? ` (noisy: ${big.noisy})` : ""}`, met: big.p99 <= 60 });
    const driven = Math.max(0, ...Object.values(walk).flat().filter((x) => !x.genSaturated && x.echoed >= 95).map((x) => x.clients));
    out.push({ target: "one generator core drives ≥ 1,500 walkers", measured: `${driven} walkers unsaturated`, met: driven >= 1500 });
  }
  const hall = r["hall"] as WalkRow[] | undefined;
  const hallTop = hall?.at(-1);
  if (hallTop) out.push({ target: "hall ≤ 8 KB/s down per client", measured: `${hallTop.downBps} B/s at ${hallTop.clients} (CPU per 100: ${hallTop.cpuPer100})`, met: hallTop.downBps <= 8000 });
  const durable = (r["durable"] as Record<string, any>[] | undefined)?.filter((d) => d["db"] === "postgresql");
  const place = durable?.find((d) => d["kind"] === "place");
  const chat = durable?.find((d) => d["kind"] === "chat");
  if (place) out.push({ target: "placements + pickups ≥ 300/s, p99 ≤ 100 ms (PostgreSQL, 20 clients)", measured: `${place["perSecond"]}/s, p99 ${place["p99"]} ms`, met: place["perSecond"] >= 300 && place["p99"] <= 100 });
  if (chat) out.push({ target: "chat p99 ≤ 50 ms (PostgreSQL)", measured: `p99 ${chat["p99"]} ms`, met: chat["p99"] <= 50 });
  const slow = (r["slowDb"] as Record<string, any>[] | undefined)?.find((d) => String(d["db"]).includes("+100"));
  if (slow) out.push({ target: "placement ≤ 400 ms with a +100 ms database", measured: `p50 ${slow["placeP50"]} ms (pickup ${slow["pickupP50"]} ms)`, met: slow["placeP50"] <= 400 });
  const storm = r["joinStorm"] as Record<string, any> | undefined;
  if (storm) out.push({ target: "join storm: the 100 admitted at p99 ≤ 1.0 s", measured: `p99 ${storm["p99"]} ms (${storm["joined"]} joined)`, met: storm["p99"] <= 1000 && storm["joined"] === 100 });
  const memory = r["memory"] as { clients: number; rssMb: number; embeddedRssMb?: number } | undefined;
  if (memory) {
    const share = memory.embeddedRssMb !== undefined ? `; embedded database's share ${memory.embeddedRssMb - memory.rssMb} MB` : "";
    out.push({ target: "RSS at 600 walkers on PostgreSQL ≤ 200 MB", measured: `${memory.rssMb} MB at ${memory.clients}${share}`, met: memory.clients >= 600 ? memory.rssMb <= 200 : "n/a" });
  }
  return out;
}
