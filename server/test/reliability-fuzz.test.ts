// Fuzz proof: FUZZ_MESSAGES (default 10,000) random and malformed messages of every client
// message type against a live room over the SDK, and as many frames per type through the JSON
// gateway. The server never crashes, every invalid message is refused with its own `error` (or
// answered by a disconnect), its log stays small, and a well-behaved player in the same room keeps
// having its moves echoed. FUZZ_PINNED=1 (the soak) runs the server in a process of its own on
// core 0 (see helpers/fuzz-target.ts) and the walker in a process of its own
// (helpers/walker-process.ts), so the walker's latency with and without attack compares.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { CLIENT_MESSAGES } from "../../shared/src/protocol.ts";
import { prng } from "./helpers/crash.ts";
import { fuzzGateway, fuzzRoom, openGateway, planGatewayFrames, planRoomMessages, walk, type FuzzResult } from "./helpers/fuzz-clients.ts";
import { Account, startFuzzTarget, type FuzzTarget } from "./helpers/fuzz-target.ts";
import { Probe } from "./helpers/probe.ts";
import { walkApart } from "./helpers/walker-process.ts";

const PER_TYPE = Number(process.env["FUZZ_MESSAGES"] ?? 10_000);
const CONNECTIONS = Number(process.env["FUZZ_CONNECTIONS"] ?? 150);
/** Fuzzers spread over a few rooms, so the cost is the messages, not every client decoding 150 players. */
const ROOMS = 5;
const SEED = Number(process.env["FUZZ_SEED"] ?? Date.now() % 1_000_000);
/** Seconds the walker first walks with the attackers connected but quiet: its p99 without attack (the soak sets it). */
const BASELINE_S = Number(process.env["FUZZ_BASELINE_S"] ?? 0);
const PINNED = process.env["FUZZ_PINNED"] === "1";
const TYPES = Object.values(CLIENT_MESSAGES);
/** The core the soak pins this process (the attackers) to; the server has the other (helpers/fuzz-target.ts). */
const ATTACKER_CORE = 1;

function total(results: FuzzResult[]) {
  const sum = { sent: 0, invalid: 0, refused: 0, closes: {} as Record<string, number>, problems: [] as string[] };
  for (const r of results) {
    sum.sent += r.sent;
    sum.invalid += r.invalid;
    sum.refused += r.refused;
    for (const [code, n] of Object.entries(r.closes)) sum.closes[code] = (sum.closes[code] ?? 0) + n;
    sum.problems.push(...r.problems);
  }
  return sum;
}

/** Splits a plan round-robin into one share per connection. */
const shares = <T>(plan: T[], n: number): T[][] => Array.from({ length: n }, (_, k) => plan.filter((_, i) => i % n === k));

describe(`fuzzing (seed ${SEED}, ${PER_TYPE} per type${PINNED ? ", server pinned to its own core" : ""})`, () => {
  let target: FuzzTarget;
  let owner: Account;
  const roomIds: number[] = [];
  const users: Account[] = [];
  beforeAll(async () => {
    target = await startFuzzTarget(PINNED);
    owner = await target.register("fuzzowner");
    for (let r = 0; r < ROOMS; r++) roomIds.push((await target.post("/rooms", { name: `Fuzz ${r}`, max_users: 500, build_policy: "everyone" }, owner.token)).body.id);
    for (let i = 0; i < CONNECTIONS; i++) users.push(await target.register("fz"));
  }, 120_000);
  afterAll(async () => {
    await target?.close();
  });

  /** Connects everyone first (one at a time: a join storm is the bench's business), then fuzzes at once. */
  async function run<C, T>(label: string, connect: (user: Account, roomId: number) => Promise<C>, fuzz: (c: C, share: T[]) => Promise<FuzzResult>, plan: T[]) {
    const connections: C[] = [];
    for (const [k, user] of users.entries()) connections.push(await connect(user, roomIds[k % ROOMS]!));
    // The walker shares the first room with its fuzzers. Pinned (the soak), it walks in a process
    // of its own on the attackers' core, so its event loop does not queue behind theirs.
    const walker = async () => {
      const start = { url: target.url, token: await owner.fresh(), userId: owner.id, roomId: roomIds[0]! };
      return PINNED ? walkApart(start, ATTACKER_CORE) : walk(start.url, start.token, start.userId, start.roomId);
    };
    let baseline: { p50: number; p99: number; moves: number; cpu: string } | undefined;
    if (BASELINE_S > 0) {
      const quiet = await walker();
      const measured = target.measure();
      await new Promise((r) => setTimeout(r, BASELINE_S * 1000)); // a measuring window, not a wait for an event
      baseline = { ...(await quiet.stop()), cpu: measured() };
    }
    const walking = await walker();
    const measured = target.measure();
    const linesBefore = target.logLines();
    const started = performance.now();
    const results = await Promise.all(shares(plan, CONNECTIONS).map((share, k) => fuzz(connections[k]!, share)));
    const seconds = (performance.now() - started) / 1000;
    const walked = await walking.stop();
    const cpu = measured();
    const lines = target.logLines() - linesBefore;
    const perClientSecond = lines / (CONNECTIONS * seconds);
    const health = await target.health();
    if (baseline) {
      const change = Math.round(((walked.p99 - baseline.p99) / baseline.p99) * 100);
      console.info(
        `${label} walker p99 without attack ${baseline.p99} ms (p50 ${baseline.p50}, ${baseline.moves} moves; ${baseline.cpu}), under attack ${walked.p99} ms (p50 ${walked.p50}, ${walked.moves} moves; ${cpu}): ${change >= 0 ? "+" : ""}${change} % (target: within 10 %)`,
      );
    }
    console.info(
      `${label} server log: ${lines} lines in ${seconds.toFixed(0)} s from ${CONNECTIONS} attacking clients = ${perClientSecond.toFixed(3)} per client per second; expiring tokens renewed so far: ${Account.renewals}`,
    );
    return { sum: total(results), walked, health, perClientSecond };
  }

  it("a live room refuses every invalid SDK message and keeps serving a well-behaved player", async () => {
    const rand = prng(SEED);
    const plan = planRoomMessages(TYPES, PER_TYPE, rand);
    const { sum, walked, health, perClientSecond } = await run(
      "room",
      async (user, roomId) => ({ p: await Probe.join(target.url, await user.fresh(), { room_id: roomId, x: 30 + Math.floor(rand() * 700), y: 30 + Math.floor(rand() * 500) }, false), user, roomId }),
      ({ p, user, roomId }, share) => fuzzRoom(target.url, () => user.fresh(), roomId, share, rand, p),
      plan,
    );
    console.info(`room fuzz: ${JSON.stringify({ ...sum, problems: sum.problems.slice(0, 5) })}; walker ${JSON.stringify(walked)}`);
    expect(sum.problems).toEqual([]);
    expect(sum.sent).toBe(plan.length);
    expect(sum.invalid).toBeGreaterThanOrEqual(TYPES.length * PER_TYPE * 0.9);
    expect(sum.refused).toBeLessThanOrEqual(sum.invalid);
    // Every invalid message was refused, except those after a close in the same batch.
    expect(sum.refused + 30 * ((sum.closes["4000"] ?? 0) + (sum.closes["4002"] ?? 0))).toBeGreaterThanOrEqual(sum.invalid);
    expect(walked.problems).toEqual([]);
    expect(walked.moves).toBeGreaterThan(10);
    expect(health).toBe(200);
    // At most about one log line per attacking client per second (the bound).
    expect(perClientSecond).toBeLessThanOrEqual(1);
  }, Math.max(300_000, PER_TYPE * 60));

  it("the JSON gateway refuses every invalid frame and keeps serving a well-behaved player", async () => {
    const rand = prng(SEED + 1);
    const plan = planGatewayFrames(TYPES, PER_TYPE, rand);
    const { sum, walked, health, perClientSecond } = await run("gateway", async (user, roomId) => openGateway(target.url, await user.fresh(), roomId), fuzzGateway, plan);
    console.info(`gateway fuzz: ${JSON.stringify({ ...sum, problems: sum.problems.slice(0, 5) })}; walker ${JSON.stringify(walked)}`);
    expect(sum.problems).toEqual([]);
    expect(sum.sent).toBe(plan.length);
    expect(sum.refused).toBe(sum.invalid);
    expect(sum.invalid).toBeGreaterThanOrEqual(TYPES.length * PER_TYPE * 0.9);
    expect(walked.problems).toEqual([]);
    expect(walked.moves).toBeGreaterThan(10);
    expect(health).toBe(200);
    // At most about one log line per attacking client per second (the bound).
    expect(perClientSecond).toBeLessThanOrEqual(1);
  }, Math.max(300_000, PER_TYPE * 60));
});
