// `npm run soak`: the reliability suites at sizes too large for `npm test`, one jest run per step,
// each reporting what it checked; a summary (dated) goes to stdout and to SOAK_OUT. Exit code 1 if
// any step failed — which it must when CAFE_TEST_UNGUARDED_PLACEMENT=1 (the control run).
//
// Knobs (environment):
//   SOAK_STEPS                 comma list of steps (default: property,crash,fuzz,db-cuts,redis-cuts)
//   SOAK_PROPERTY_SEQUENCES    property-test command sequences in total (default 100000)
//   SOAK_PROPERTY_PROCESSES    jest processes sharing them, run side by side (default 2)
//   SOAK_PROPERTY_LENGTH       commands per sequence (default 20)
//   SOAK_PROPERTY_CONCURRENCY  sequences in flight at once in each process, each in rooms of its own (default 8)
//   SOAK_PROPERTY_SEED         the first process's first seed (default random; process i starts at
//                              SEED + i × its share), to run a reported range again
//   SOAK_PROPERTY_DB           pglite (default: in memory, per process) or postgresql (a fresh database
//                              per process on TEST_DATABASE_URL / DATABASE_URL)
//   SOAK_CRASH_ROUNDS          kill -9 rounds on the server over PostgreSQL (default 100)
//   SOAK_FUZZ_MESSAGES         malformed messages and frames in total, room + gateway (default 1000000)
//   SOAK_FUZZ_CONNECTIONS      attacking clients (default 150)
//   SOAK_FUZZ_BASELINE_S       seconds the walker first walks without attack, for its p99 (default 30)
//   SOAK_FUZZ_DB               pglite (default: the server's embedded database) or postgresql (a fresh
//                              database on TEST_DATABASE_URL / DATABASE_URL)
//   FUZZ_SERVER_PROFILE        a folder: the fuzz step's pinned server writes a CPU profile of its run there
//   SOAK_FUZZ_LOOP_DELAY_S     the fuzz server reports its event-loop delay and garbage collections every
//                              so many seconds (default 10; 0: not)
//   FUZZ_SERVER_NODE_FLAGS     Node/V8 flags for the fuzz server ("--max-semi-space-size=2 …": experiments)
//   FUZZ_HEAP_SAMPLE           a file: the fuzz server writes a sampling heap profile there when it stops,
//                              with the objects major collections freed (what outlived the young generation)
//   FUZZ_SERVER_STDOUT         a file for the fuzz server's stdout (V8's --trace-gc-nvp lines, say)
//   SOAK_DB_CUTS               PostgreSQL cut-and-restore cycles under traffic (default 20)
//   SOAK_REDIS_CUTS            Redis kill-and-restart cycles under two processes (default 20)
//   SOAK_OUT                   summary file (default bench/results/soak-<date>.md)
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CLIENT_MESSAGES } from "../../shared/src/protocol.ts";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const STEPS = (process.env["SOAK_STEPS"] ?? "property,crash,fuzz,db-cuts,redis-cuts").split(",").map((s) => s.trim()).filter(Boolean);
const MESSAGE_TYPES = Object.keys(CLIENT_MESSAGES).length;

interface Run {
  file: string;
  name?: string;
  env: Record<string, string>;
  /** Pins the jest process to this core (taskset); the suite then pins its server to the other one. */
  core?: number;
}

interface Step {
  size: string;
  runs: Run[];
}

function plan(step: string): Step {
  switch (step) {
    case "property": {
      const total = env("SOAK_PROPERTY_SEQUENCES", 100_000);
      const processes = Math.max(1, env("SOAK_PROPERTY_PROCESSES", 2));
      const share = Math.ceil(total / processes);
      const concurrency = Math.max(1, env("SOAK_PROPERTY_CONCURRENCY", 8));
      const db = process.env["SOAK_PROPERTY_DB"] === "postgresql" ? "postgresql" : "pglite";
      const length = String(env("SOAK_PROPERTY_LENGTH", 20));
      // Each process its own seeds: far apart, so no two processes run the same sequence.
      const base = process.env["SOAK_PROPERTY_SEED"] ? env("SOAK_PROPERTY_SEED", 0) : Math.floor(Math.random() * 2 ** 29);
      const runs = Array.from({ length: processes }, (_, i) => ({
        file: "server/test/reliability-property.test.ts",
        name: "holds for every sequence",
        env: {
          PROPERTY_RUNS: String(share),
          PROPERTY_LENGTH: length,
          PROPERTY_CONCURRENCY: String(concurrency),
          PROPERTY_SEED: String(base + i * share),
          PROPERTY_DB: db,
          // Hours at a low priority on a shared machine: a wait may be starved for seconds; a view
          // that never converges still fails, only later.
          PROBE_TIMEOUT_MS: "120000",
          PROPERTY_CONVERGE_MS: "60000",
        },
      }));
      return { size: `${share * processes} sequences of ≤ ${length} commands in ${processes} processes, ${concurrency} at a time in each, on ${db}`, runs };
    }
    case "crash": {
      const rounds = env("SOAK_CRASH_ROUNDS", 100);
      return { size: `${rounds} kill -9 rounds`, runs: [{ file: "server/test/reliability-crash.test.ts", name: "keeps every item exactly once", env: { CRASH_ROUNDS: String(rounds) } }] };
    }
    case "fuzz": {
      const total = env("SOAK_FUZZ_MESSAGES", 1_000_000);
      // The suite sends FUZZ_MESSAGES per message type, once as SDK messages and once as JSON frames.
      const perType = Math.ceil(total / (2 * MESSAGE_TYPES));
      const connections = env("SOAK_FUZZ_CONNECTIONS", 150);
      // The server on core 0 (the suite starts it), attackers on core 1 and the walker in a process
      // of its own on core 1: see helpers/fuzz-target.ts and helpers/walker-process.ts.
      const db = process.env["SOAK_FUZZ_DB"] === "postgresql" ? "postgresql" : "pglite";
      const fuzzEnv = { FUZZ_MESSAGES: String(perType), FUZZ_CONNECTIONS: String(connections), FUZZ_BASELINE_S: String(env("SOAK_FUZZ_BASELINE_S", 30)), FUZZ_PINNED: "1", FUZZ_DB: db, FUZZ_LOOP_DELAY: String(env("SOAK_FUZZ_LOOP_DELAY_S", 10)) };
      return { size: `${perType * 2 * MESSAGE_TYPES} messages/frames from ${connections} clients on ${db} (server pinned to core 0, attackers to core 1, the walker in a process of its own there)`, runs: [{ file: "server/test/reliability-fuzz.test.ts", env: fuzzEnv, core: 1 }] };
    }
    case "db-cuts": {
      const cuts = env("SOAK_DB_CUTS", 20);
      return { size: `${cuts} PostgreSQL cuts`, runs: [{ file: "server/test/outage-postgres.test.ts", name: "keeps walking", env: { OUTAGE_CUTS: String(cuts) } }] };
    }
    case "redis-cuts": {
      const cuts = env("SOAK_REDIS_CUTS", 20);
      return { size: `${cuts} Redis restarts`, runs: [{ file: "server/test/outage-redis.test.ts", env: { REDIS_CUTS: String(cuts) } }] };
    }
  }
  throw new Error(`unknown soak step "${step}" (SOAK_STEPS)`);
}

interface Outcome {
  ok: boolean;
  tests: string;
  figures: string[];
  failure: string;
}

/** One jest process; its `console.info` figures and its "Tests:" line are what the step reports. */
function runJest(run: Run): Promise<Outcome> {
  const args = ["--experimental-vm-modules", "node_modules/jest/bin/jest.js", "--runInBand", run.file, ...(run.name ? ["-t", run.name] : [])];
  return new Promise((resolve) => {
    const [command, argv]: [string, string[]] = run.core === undefined ? [process.execPath, args] : ["taskset", ["-c", String(run.core), process.execPath, ...args]];
    const child = spawn(command, argv, { env: { ...process.env, ...run.env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        // A long step says how far it got while it runs.
        for (const line of chunk.toString().split("\n")) if (line.startsWith("soak-progress: ")) console.log(`   ${new Date().toISOString().slice(11, 19)} ${line.slice(15)}`);
      });
    }
    child.once("exit", (code, signal) => {
      const lines = out.split("\n");
      const figures = lines.flatMap((line, i) => (/^\s*console\.info/.test(line) ? [lines[i + 1]!.trim()] : [])).filter(Boolean);
      const tests = lines.find((l) => /^Tests:/.test(l))?.replace(/^Tests:\s*/, "") ?? `no summary (exit ${signal ?? code})`;
      const failure = lines.filter((l) => /●|Expected|Received|Error:|thrown:|seed \d|^\s*commands: /.test(l)).slice(0, 10).join("\n");
      resolve({ ok: code === 0, tests, figures, failure });
    });
  });
}

async function main(): Promise<void> {
  const started = new Date();
  const control = process.env["CAFE_TEST_UNGUARDED_PLACEMENT"] ? " (CONTROL RUN: placement guard off, must fail)" : "";
  const rows: string[] = [];
  let failed = 0;
  console.log(`soak ${started.toISOString()}${control}: steps ${STEPS.join(", ")}`);
  for (const name of STEPS) {
    const step = plan(name);
    const t0 = performance.now();
    console.log(`\n== ${name}: ${step.size}`);
    const outcomes = await Promise.all(step.runs.map(runJest));
    const minutes = ((performance.now() - t0) / 60_000).toFixed(1);
    const ok = outcomes.every((o) => o.ok);
    if (!ok) failed++;
    for (const o of outcomes) {
      console.log(`   ${o.ok ? "passed" : "FAILED"}: ${o.tests}`);
      for (const f of o.figures) console.log(`   ${f}`);
      if (!o.ok) console.log(o.failure.replace(/^/gm, "   | "));
    }
    // A failure's own words go in the file too: the console of a run of hours is easily lost.
    const said = outcomes.flatMap((o) => [...o.figures, ...(o.ok ? [] : [`FAILED: ${o.tests}`, ...o.failure.split("\n")])]);
    const figures = said.map((f) => f.replace(/\|/g, "/")).join("<br>");
    rows.push(`| ${name} | ${step.size} | ${minutes} min | ${ok ? "passed" : "**failed**"} | ${figures} |`);
  }
  const summary = [
    `Soak of ${started.toISOString().slice(0, 16).replace("T", " ")} UTC${control}, ${failed === 0 ? "all steps passed" : `${failed} step(s) FAILED`}.`,
    "",
    "| step | size | time | result | what it reported |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
  const out = process.env["SOAK_OUT"] ?? path.join("bench", "results", `soak-${started.toISOString().slice(0, 10)}.md`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, summary + "\n");
  console.log(`\n${summary}\n\nwritten to ${out}`);
  process.exit(failed === 0 ? 0 : 1);
}

await main();
