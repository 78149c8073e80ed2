// Property-based proof of the item invariant: random interleavings of two users' commands over
// REST and two rooms (grant, discard, place, tool move/rotate/pickup, delete, racing placements,
// reconnects that replay commands) never lose or duplicate an item, and the database, the live
// room states, every client's view and the inventories agree after every command.
// PROPERTY_RUNS (default 15) and PROPERTY_LENGTH (default 20) make it search harder.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { controlEnv } from "./helpers/control.ts";
import { MANY_USERS } from "./helpers/invariant.ts";
import { commandsArb, World, type Cmd } from "./helpers/world.ts";

const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 30);
const LENGTH = Number(process.env["PROPERTY_LENGTH"] ?? 20);

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

describe("item invariant under random command sequences", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp("pglite", { authLimits: MANY_USERS, env: controlEnv() });
  });
  afterAll(async () => {
    await t.close();
  });

  it("holds for every sequence", async () => {
    await fc.assert(fc.asyncProperty(commandsArb(LENGTH), (commands) => holds(t, commands)), { numRuns: RUNS });
    // The sequences did real work: items were placed, moved, rotated and picked up, not only refused.
    console.info(`successful room commands over ${RUNS} sequences: ${JSON.stringify(succeeded)}`);
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
