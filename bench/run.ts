// `npm run bench [-- --quick] [--only=walkers,hall,join,durable,slowdb,profile,footprint,client] [--targets=cafe,plain,naive] [--steps=100,500]
// [--all-steps]`: Cafe against two
// references on this machine, server pinned to core 0 and the load generator to core 1.
// Prints a table per scenario and writes bench/results/latest.json (or --out=FILE).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { round1 } from "./lib.ts";
import { cafeSeats, durable, hall, joinStorm, ramp, walkersAll, type Options, type WalkRow } from "./scenarios.ts";
import type { Target } from "./gen.ts";
import { Api, freshDatabase, POSTGRES_URL, startCafe } from "./servers.ts";
import { startSlowProxy } from "./slow-proxy.ts";
import { summariseProfile } from "./profile.ts";
import { footprint } from "./footprint.ts";
import { clientDraw } from "./client-draw.ts";
import { judgeTargets } from "./targets.ts";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const only = argv.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const stepsArg = argv.find((a) => a.startsWith("--steps="))?.slice(8).split(",").map(Number);
const targetsArg = argv.find((a) => a.startsWith("--targets="))?.slice(10).split(",") as Target[] | undefined;
const walkersOnPg = argv.includes("--walkers-db=postgresql");
const joinOnPg = argv.includes("--join-db=postgresql");
const outFile = argv.find((a) => a.startsWith("--out="))?.slice(6) ?? "bench/results/latest.json";
const ALL = ["walkers", "hall", "join", "durable", "slowdb", "memory", "profile", "footprint", "client"];
const selected = only ?? ALL;
for (const s of selected) if (!ALL.includes(s)) throw new Error(`unknown scenario ${s}; choose from ${ALL.join(", ")}`);

const o: Options = {
  quick,
  steps: stepsArg ?? (quick ? [50, 150, 300] : [100, 300, 600, 900, 1200, 1500]),
  allSteps: argv.includes("--all-steps"),
  targets: targetsArg ?? ["cafe", "plain", "naive"],
  warmupMs: quick ? 1500 : 3000,
  windowMs: quick ? 4000 : 10_000,
  perRoom: 50,
  log: (line) => console.log(line),
};

function table(rows: Record<string, unknown>[]): void {
  if (!rows.length) return;
  const keys = Object.keys(rows[0]!);
  const cells = rows.map((r) => keys.map((k) => String(r[k] ?? "")));
  const widths = keys.map((k, i) => Math.max(k.length, ...cells.map((c) => c[i]!.length)));
  console.log(keys.map((k, i) => k.padStart(widths[i]!)).join("  "));
  for (const c of cells) console.log(c.map((v, i) => v.padStart(widths[i]!)).join("  "));
}

/** Cafe's figures divided by a reference's at the same client count (below 1 is better for CPU, bytes, latency). */
function ratios(cafe: WalkRow[], ref: WalkRow[], name: string) {
  return cafe.flatMap((c) => {
    const r = ref.find((x) => x.clients === c.clients);
    if (!r) return [];
    const div = (a: number, b: number) => (b > 0 ? round1(a / b) : NaN);
    return [{ vs: name, clients: c.clients, cpuPer100: div(c.cpuPer100, r.cpuPer100), cpuPer1kMoves: div(c.cpuPer1kMoves, r.cpuPer1kMoves), downBps: div(c.downBps, r.downBps), upBps: div(c.upBps, r.upBps), p99: div(c.p99, r.p99), rssMb: div(c.rssMb, r.rssMb) }];
  });
}

const results: Record<string, unknown> = { startedAt: new Date().toISOString(), quick, steps: o.steps, windowMs: o.windowMs, cores: "server on core 0, generator on core 1 (taskset)" };

async function main(): Promise<void> {
  // PostgreSQL is optional: without it the bench runs the embedded-database scenarios only.
  const needsPg = walkersOnPg || joinOnPg || selected.some((s) => ["durable", "slowdb", "memory", "profile", "footprint"].includes(s));
  const pgdb = needsPg
    ? await freshDatabase().catch((err: Error) => (console.log(`PostgreSQL not reachable at ${POSTGRES_URL} (${err.message}): skipping its scenarios`), undefined))
    : undefined;
  try {
    if (selected.includes("walkers")) {
      // Embedded PostgreSQL, as a fresh `npm start` runs (movement does not touch the database);
      // `--walkers-db=postgresql` measures the server's memory without the embedded database.
      const walk = await walkersAll(o, walkersOnPg ? pgdb?.url : undefined);
      results["walkers"] = walk;
      for (const t of ["cafe", "plain", "naive"] as const) {
        console.log(`\nwalkers — ${t}`);
        table(walk[t] as unknown as Record<string, unknown>[]);
      }
      const r = [...ratios(walk.cafe, walk.naive, "naive JSON"), ...ratios(walk.cafe, walk.plain, "plain Colyseus")];
      results["ratios"] = r;
      console.log("\nCafe ÷ reference at equal clients (< 1: Cafe uses less)");
      table(r);
    }
    if (selected.includes("hall")) {
      const rows = await hall(o, undefined, stepsArg ?? (quick ? [100, 250] : [100, 250, 500]));
      results["hall"] = rows;
      console.log("\nhall — one 4000 × 4000 room, interest management (compare cpuPer100 and downBps with walkers — cafe)");
      table(rows as unknown as Record<string, unknown>[]);
    }
    if (selected.includes("join")) {
      // `--profile-join`: a CPU profile of the storm, summarised like the walkers' profile;
      // `--join-db=postgresql`: the storm on PostgreSQL rather than the embedded database.
      const profileTo = argv.includes("--profile-join") ? path.resolve("bench/results/cafe-join.cpuprofile") : undefined;
      const storm: Record<string, unknown> = await joinStorm({ ...o, ...(profileTo ? { profileTo } : {}) }, joinOnPg ? pgdb?.url : undefined);
      results["joinStorm"] = storm;
      console.log("\njoin storm");
      table([{ ...storm, refused: JSON.stringify(storm["refused"]) }]);
      if (profileTo) {
        const summary = summariseProfile(JSON.parse(readFileSync(profileTo, "utf8")));
        console.log(`\nwhere the join storm's CPU goes (busy ${summary.busyPct}% of samples)`);
        table(summary.byPackage.slice(0, 12));
        table(summary.byFunction.slice(0, 25));
      }
    }
    if (selected.includes("durable")) {
      const rows: Record<string, unknown>[] = [];
      const kinds: [string, string | undefined][] = [["embedded", undefined]];
      if (pgdb) kinds.push(["postgresql", pgdb.url]);
      for (const [label, url] of kinds) {
        o.log(`durable: ${label}`);
        const server = await startCafe(url);
        try {
          const r = await durable(o, label, server);
          for (const [kind, v] of Object.entries(r)) rows.push({ db: label, kind, ...(v as object) });
        } finally {
          await server.proc.stop();
        }
      }
      results["durable"] = rows;
      console.log("\nchat and placement (20 clients, one room)");
      table(rows);
    }
    if (selected.includes("slowdb") && pgdb) results["slowDb"] = await slowDb(pgdb.url);
    if (selected.includes("memory") && pgdb) results["memory"] = await memory(pgdb.url);
    if (selected.includes("profile")) results["profile"] = await profile(pgdb?.url);
    if (selected.includes("footprint")) {
      const rows = await footprint(o, pgdb?.url);
      results["footprint"] = rows;
      console.log("\nfootprint (MB; VmHWM = peak resident, VmRSS = resident now; met: against the issue's target)");
      table(rows as unknown as Record<string, unknown>[]);
    }
    if (selected.includes("client")) {
      const rows = await clientDraw(o.log, quick);
      table(rows as unknown as Record<string, unknown>[]);
      results["client"] = rows;
    }
    const judged = judgeTargets(results);
    if (judged.length) {
      results["targets"] = judged;
      console.log("\nissue 14's targets, judged on this run (ratios: Cafe ÷ the reference at equal clients, windows nobody else disturbed)");
      table(judged as unknown as Record<string, unknown>[]);
    }
  } finally {
    await pgdb?.drop();
    // Written even when a scenario failed: the figures measured before it are kept.
    mkdirSync(path.dirname(outFile), { recursive: true });
    writeFileSync(outFile, JSON.stringify(results, null, 2));
    console.log(`\nwrote ${outFile}`);
  }
}

/** The same walkers on PostgreSQL direct and through a proxy adding 100 ms to each round trip. */
async function slowDb(pgUrl: string) {
  const clients = quick ? 100 : 300;
  const rows: Record<string, unknown>[] = [];
  const target = new URL(POSTGRES_URL);
  const proxy = await startSlowProxy({ host: target.hostname, port: Number(target.port || 5432) }, 100);
  try {
    for (const [label, url] of [["postgresql", pgUrl], ["postgresql +100 ms", pgUrl.replace(`${target.hostname}:${target.port || 5432}`, `127.0.0.1:${proxy.port}`)]] as const) {
      o.log(`slow database: ${label}`);
      const server = await startCafe(url);
      try {
        const [walk] = await ramp("cafe", server, cafeSeats(new Api(server.url), o.perRoom), o, [clients]);
        const chat = await durable({ ...o, windowMs: Math.min(o.windowMs, 5000) }, label, server, 10);
        rows.push({ db: label, clients: walk?.clients, p50: walk?.p50, p99: walk?.p99, lagP99: walk?.lagP99, chatP50: round1((chat["chat"] as any).p50), placeP50: round1((chat["place"] as any).placeP50), pickupP50: round1((chat["place"] as any).pickupP50) });
      } finally {
        await server.proc.stop();
      }
    }
  } finally {
    await proxy.close();
  }
  console.log("\nslow database (movement latency, chat and placement latency)");
  table(rows);
  return rows;
}

/**
 * Resident memory with 600 walkers (quick: 300) on the PostgreSQL server, then on the embedded
 * database: the difference is the embedded database's share.
 */
async function memory(pgUrl: string) {
  const clients = quick ? 300 : 600;
  const row: Record<string, number> = { clients };
  for (const [key, url] of [["rssMb", pgUrl], ["embeddedRssMb", undefined]] as const) {
    o.log(`memory: Cafe with ${clients} walkers on ${url ? "PostgreSQL" : "the embedded database"}`);
    const server = await startCafe(url);
    try {
      const [walk] = await ramp("cafe", server, cafeSeats(new Api(server.url), o.perRoom), { ...o, allSteps: true }, [clients]);
      row[key] = walk?.rssMb ?? 0;
      // What the memory costs or saves in time: the young generation's size trades RSS for GC work.
      if (url) Object.assign(row, { heapMb: walk?.heapMb ?? 0, heapTotalMb: walk?.heapTotalMb ?? 0, externalMb: walk?.externalMb ?? 0, cpu: walk?.serverCpu ?? 0, p99: walk?.p99 ?? 0 });
    } finally {
      await server.proc.stop();
    }
  }
  console.log("\nmemory (resident MB with walkers connected)");
  table([row]);
  return row;
}

/** A CPU profile of Cafe's measuring window under walkers (on PostgreSQL), by function and by package. */
async function profile(pgUrl: string | undefined) {
  const dir = path.resolve("bench/results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "cafe-walkers.cpuprofile");
  rmSync(file, { force: true });
  const clients = quick ? 150 : 500;
  o.log(`profile: Cafe with ${clients} walkers`);
  const server = await startCafe(pgUrl);
  try {
    await ramp("cafe", server, cafeSeats(new Api(server.url), o.perRoom), { ...o, profileTo: file }, [clients]);
  } finally {
    await server.proc.stop();
  }
  const summary = summariseProfile(JSON.parse(readFileSync(file, "utf8")));
  console.log(`\nwhere Cafe's CPU goes (${clients} walkers, measuring window only; busy ${summary.busyPct}% of samples), by package`);
  table(summary.byPackage.slice(0, 12));
  console.log("\ntop functions (self time)");
  table(summary.byFunction.slice(0, 15));
  return { clients, file: path.relative(process.cwd(), file), busyPct: summary.busyPct, byPackage: summary.byPackage.slice(0, 20), byFunction: summary.byFunction.slice(0, 40) };
}

await main();
