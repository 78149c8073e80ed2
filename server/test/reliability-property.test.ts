// Property-based proof of the item invariant: random interleavings of two users' commands over
// REST and two rooms (grant, discard, place, tool move/rotate/pickup, delete, racing placements,
// reconnects that replay commands) never lose or duplicate an item, and the database, the live
// room states, every client's view and the inventories agree after every command.
// PROPERTY_RUNS (default 30) and PROPERTY_LENGTH (default 20) make it search harder.
// PROPERTY_CONCURRENCY > 1 runs that many sequences at once, each in a world (users, rooms) of its
// own, from seeds PROPERTY_SEED + i (random unless given), instead of fast-check's one at a time
// with shrinking: the soak's way of getting through 100,000. PROPERTY_DB=postgresql runs it on a
// fresh database on the PostgreSQL server instead of an in-memory PGlite.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { controlEnv } from "./helpers/control.ts";
import type { DbKind } from "./helpers/db.ts";
import { MANY_USERS } from "./helpers/invariant.ts";
import { runSequences } from "./helpers/sequences.ts";
import { commandsArb, World, type Cmd } from "./helpers/world.ts";

const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 30);
const LENGTH = Number(process.env["PROPERTY_LENGTH"] ?? 20);
const CONCURRENCY = Number(process.env["PROPERTY_CONCURRENCY"] ?? 1);
const SEED = Number(process.env["PROPERTY_SEED"] ?? Math.floor(Math.random() * 2 ** 30));
const DB: DbKind = process.env["PROPERTY_DB"] === "postgresql" ? "postgresql" : "pglite";

const succeeded: Record<string, number> = {};

/** Runs the commands in a fresh world; throws with every violation found. */
async function holds(t: TestApp, commands: Cmd[]): Promise<void> {
  const world = await World.create(t);
  try {
    for (const [n, cmd] of commands.entries()) {
      await world.run(cmd);
      const problems = await world.checkServer();
      if (problems.length) throw new Error(`after command ${n} (${JSON.stringify(cmd)}): ${problems.join("; ")}`);
    }
    const problems = await world.checkAll();
    if (problems.length) throw new Error(`at the end: ${problems.join("; ")}`);
  } finally {
    for (const [kind, n] of Object.entries(world.succeeded)) succeeded[kind] = (succeeded[kind] ?? 0) + n;
    await world.close();
  }
}

/** Every sequence, CONCURRENCY at a time; fails with the first sequence that breaks the invariant. */
async function holdsConcurrently(t: TestApp): Promise<void> {
  const started = performance.now();
  const failures = await runSequences({
    arbitrary: commandsArb(LENGTH),
    runs: RUNS,
    concurrency: CONCURRENCY,
    seed: SEED,
    check: (commands) => holds(t, commands),
    // Straight to stderr: jest holds console output back until the file ends, and a soak runs for hours.
    progress: (done) => process.stderr.write(`soak-progress: property ${done}/${RUNS} sequences, ${(done / ((performance.now() - started) / 1000)).toFixed(1)}/s\n`),
  });
  const [first] = failures;
  if (first) {
    const replay = `replay alone with PROPERTY_SEED=${first.seed} PROPERTY_RUNS=1 PROPERTY_CONCURRENCY=2`;
    throw new Error(`sequence ${first.index} (seed ${first.seed}; ${replay}): ${String(first.error)}\ncommands: ${JSON.stringify(first.value)}`);
  }
}

describe("item invariant under random command sequences", () => {
  let t: TestApp;
  beforeAll(async () => {
    // Warnings and errors only: a soak's hundreds of thousands of join/leave lines would pile up in memory (t.logs).
    t = await startTestApp(DB, { authLimits: MANY_USERS, env: { LOG_LEVEL: "warn", ...controlEnv() } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("holds for every sequence", async () => {
    const started = performance.now();
    if (CONCURRENCY > 1) await holdsConcurrently(t);
    else await fc.assert(fc.asyncProperty(commandsArb(LENGTH), (commands) => holds(t, commands)), { numRuns: RUNS });
    const seconds = (performance.now() - started) / 1000;
    // The sequences did real work: items were placed, moved, rotated and picked up, not only refused.
    const how = CONCURRENCY > 1 ? `${CONCURRENCY} at a time from seed ${SEED}` : "one at a time";
    console.info(
      `successful room commands over ${RUNS} sequences (${how}, ${DB}) in ${seconds.toFixed(0)} s, ${(RUNS / seconds).toFixed(1)} sequences/s: ${JSON.stringify(succeeded)}`,
    );
    expect(Math.min(...["place", "move", "rotate", "pickup"].map((k) => succeeded[k] ?? 0))).toBeGreaterThan(0);
  }, Math.max(180_000, RUNS * 10_000));

  it("holds for a known tricky sequence: a race, a reconnect replaying it, a pickup and a re-place", async () => {
    await holds(t, [
      { k: "grant", u: 0, type: "chair" },
      { k: "race", u: 0, i: 1, x: 200, y: 200 },
      { k: "reconnect", u: 0, r: 0, replay: 3 },
      { k: "reconnect", u: 0, r: 1, replay: 3 },
      { k: "tool", u: 0, r: 0, i: 1, action: "pickup", x: 0, y: 0 },
      { k: "tool", u: 0, r: 1, i: 1, action: "pickup", x: 0, y: 0 },
      { k: "place", u: 0, r: 1, i: 1, x: 240, y: 240, rotation: 90 },
      { k: "par", a: { k: "delete", u: 0, i: 1 }, b: { k: "grant", u: 1, type: "wall" } },
    ]);
  });
});

describe("the property has teeth", () => {
  let t: TestApp;
  beforeAll(async () => {
    // The test-only switch: placement without its exactly-once guard.
    t = await startTestApp("pglite", { authLimits: MANY_USERS, env: { CAFE_TEST_UNGUARDED_PLACEMENT: "1" } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("finds a duplicate when placement is not exactly-once", async () => {
    const result = await fc.check(fc.asyncProperty(commandsArb(LENGTH), (commands) => holds(t, commands)), {
      numRuns: 50,
      endOnFailure: true,
    });
    expect(result.failed).toBe(true);
    console.info(`unguarded placement caught after ${result.numRuns} run(s): ${String(result.errorInstance).slice(0, 300)}`);
    expect(String(result.errorInstance)).toMatch(/duplicated in rooms|that the database has in room/);
  }, 120_000);
});
