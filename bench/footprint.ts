// The footprint scenario: resident memory of Cafe as a small box runs it. VmHWM (peak resident) and
// VmRSS (resident now) are read from /proc/<pid>/status. Memory, unlike CPU, is meaningful on a
// shared machine. Targets (issue 17), embedded database: peak ≤ 400 MB on a first and a later start,
// ≤ 250 MB idle, ≤ 350 MB with 100 walkers; PostgreSQL: ≤ 150 MB idle.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sleep } from "./lib.ts";
import type { Options } from "./scenarios.ts";
import { ramp, cafeSeats } from "./scenarios.ts";
import { Api, startCafe, type Running } from "./servers.ts";

export interface FootprintRow {
  case: string;
  hwmMb: number;
  rssMb: number;
  targetMb: number;
  met: boolean;
}

/** VmHWM and VmRSS in MB. */
export function memory(pid: number): { hwm: number; rss: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { hwm: Math.round(kb("VmHWM") / 1024), rss: Math.round(kb("VmRSS") / 1024) };
}

function row(name: string, m: { hwm: number; rss: number }, targetMb: number, use: "hwm" | "rss"): FootprintRow {
  return { case: name, hwmMb: m.hwm, rssMb: m.rss, targetMb, met: m[use] <= targetMb };
}

export async function footprint(o: Options, pgUrl: string | undefined): Promise<FootprintRow[]> {
  const idleMs = o.quick ? 10_000 : 30_000;
  const rows: FootprintRow[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cafe-footprint-"));
  const measure = async (server: Running, label: string, idleTarget: number, startTarget?: number) => {
    if (startTarget !== undefined) rows.push(row(`${label}: start (peak)`, memory(server.pid), startTarget, "hwm"));
    await sleep(idleMs);
    rows.push(row(`${label}: idle ${idleMs / 1000} s after start`, memory(server.pid), idleTarget, "rss"));
  };
  try {
    o.log("footprint: embedded, first start on an empty DATA_DIR");
    let server = await startCafe(undefined, [], dataDir);
    try {
      await measure(server, "embedded first start", 250, 400);
    } finally {
      await server.proc.stop();
    }
    o.log("footprint: embedded, later start, then 100 walkers");
    server = await startCafe(undefined, [], dataDir);
    try {
      await measure(server, "embedded later start", 250, 400);
      await ramp("cafe", server, cafeSeats(new Api(server.url), o.perRoom), { ...o, allSteps: true }, [100]);
      rows.push(row("embedded: 100 walkers (after the window)", memory(server.pid), 350, "rss"));
    } finally {
      await server.proc.stop();
    }
    if (pgUrl) {
      o.log("footprint: PostgreSQL server");
      server = await startCafe(pgUrl);
      try {
        await measure(server, "postgresql", 150);
      } finally {
        await server.proc.stop();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
