// Crash proof: the real server process over PostgreSQL is killed with SIGKILL at random moments
// during bursts of racing placements and pickups, then restarted; after every restart each item
// is in exactly one place, the rooms show what the database holds, and every change a client saw
// acknowledged is still there. CRASH_ROUNDS (default 20) sets the number of kills, CRASH_SEED replays one run.
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { controlEnv } from "./helpers/control.ts";
import { CrashScenario, prng } from "./helpers/crash.ts";
import { describeIf } from "./helpers/gate.ts";

const ROUNDS = Number(process.env["CRASH_ROUNDS"] ?? 20);
const SEED = Number(process.env["CRASH_SEED"] ?? Date.now() % 1_000_000);

describeIf("postgresql")("kill -9 during placements and pickups", () => {
  let s: CrashScenario;
  beforeAll(async () => {
    s = await CrashScenario.create(controlEnv());
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it(`keeps every item exactly once across ${ROUNDS} kills (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const stats = { placed: 0, pickedUp: 0, answered: 0, sent: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const r = await s.round(random);
      expect({ round, seed: SEED, problems: r.problems }).toEqual({ round, seed: SEED, problems: [] });
      stats.placed += [...r.seen.placedIn.values()].filter((rooms) => rooms.size > 0).length;
      stats.pickedUp += r.seen.pickedUp.size;
      stats.answered += r.answered;
      stats.sent += r.total;
    }
    console.info(`crash rounds ${ROUNDS}, seed ${SEED}: ${JSON.stringify(stats)}`);
    // The kills landed mid-burst and the bursts did real work.
    expect(stats.answered).toBeLessThan(stats.sent);
    expect(stats.placed).toBeGreaterThan(0);
    expect(stats.pickedUp).toBeGreaterThan(0);
  }, ROUNDS * 15_000);
});

describeIf("postgresql")("the crash test has teeth", () => {
  let s: CrashScenario;
  beforeAll(async () => {
    s = await CrashScenario.create({ CAFE_TEST_UNGUARDED_PLACEMENT: "1" });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it("finds an item placed twice when the exactly-once guard is off", async () => {
    const random = prng(SEED);
    const found: string[] = [];
    // A kill right at the start of a burst can leave nothing to see, so allow a few rounds.
    for (let round = 0; round < 6 && found.length === 0; round++) found.push(...(await s.round(random)).problems);
    console.info(`unguarded placement under kill -9: ${found.slice(0, 3).join("; ")}`);
    // Without the guard, the race's second placement moves the item out of the first room: seen
    // as placed in both rooms when both answers arrived before the kill, or as the acknowledged
    // placement lost when only the first did (a CI run met the second). Either is the double
    // placement; the guarded run above must report neither.
    expect(found.join("\n")).toMatch(/placed in both rooms|its acknowledged placement was lost/);
  }, 120_000);
});
