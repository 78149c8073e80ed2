// Fuzz proof: FUZZ_MESSAGES (default 10,000) random and malformed messages of every client
// message type against a live room over the SDK, and as many frames per type through the JSON
// gateway. The server never crashes, every invalid message is refused with its own `error` (or
// answered by a disconnect), and a well-behaved player in the same room keeps having its moves echoed.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { CLIENT_MESSAGES } from "../../shared/src/protocol.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { prng } from "./helpers/crash.ts";
import { fuzzGateway, fuzzRoom, openGateway, planGatewayFrames, planRoomMessages, walk, type FuzzResult } from "./helpers/fuzz-clients.ts";
import { MANY_USERS } from "./helpers/invariant.ts";
import { Probe } from "./helpers/probe.ts";

const PER_TYPE = Number(process.env["FUZZ_MESSAGES"] ?? 10_000);
const CONNECTIONS = Number(process.env["FUZZ_CONNECTIONS"] ?? 150);
/** Fuzzers spread over a few rooms, so the cost is the messages, not every client decoding 150 players. */
const ROOMS = 5;
const SEED = Number(process.env["FUZZ_SEED"] ?? Date.now() % 1_000_000);
/** Seconds the walker first walks with the attackers connected but quiet: its p99 without attack (the soak sets it). */
const BASELINE_S = Number(process.env["FUZZ_BASELINE_S"] ?? 0);
const TYPES = Object.values(CLIENT_MESSAGES);

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

describe(`fuzzing (seed ${SEED}, ${PER_TYPE} per type)`, () => {
  let t: TestApp;
  let owner: TestUser;
  const roomIds: number[] = [];
  const users: TestUser[] = [];
  beforeAll(async () => {
    t = await startTestApp("pglite", { authLimits: MANY_USERS });
    owner = await t.register("fuzzowner");
    for (let r = 0; r < ROOMS; r++) roomIds.push((await t.api("POST", "/api/v1/rooms", { token: owner.token, body: { name: `Fuzz ${r}`, max_users: 500, build_policy: "everyone" } })).body.id);
    for (let i = 0; i < CONNECTIONS; i++) users.push(await t.register("fz"));
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  /** Connects everyone first (one at a time: a join storm is the bench's business), then fuzzes at once. */
  async function run<C, T>(connect: (user: TestUser, roomId: number) => Promise<C>, fuzz: (c: C, share: T[]) => Promise<FuzzResult>, plan: T[]) {
    const connections: C[] = [];
    for (const [k, user] of users.entries()) connections.push(await connect(user, roomIds[k % ROOMS]!));
    // The walker shares the first room with its fuzzers.
    let baseline: { p50: number; p99: number; moves: number } | undefined;
    if (BASELINE_S > 0) {
      const quiet = walk(t.url, owner.token, owner.id, roomIds[0]!);
      await new Promise((r) => setTimeout(r, BASELINE_S * 1000)); // a measuring window, not a wait for an event
      baseline = await quiet.stop();
    }
    const walker = walk(t.url, owner.token, owner.id, roomIds[0]!);
    const results = await Promise.all(shares(plan, CONNECTIONS).map((share, k) => fuzz(connections[k]!, share)));
    const walked = await walker.stop();
    const health = await t.api("GET", "/healthz");
    if (baseline) console.info(`walker p99 without attack ${baseline.p99} ms (${baseline.moves} moves), under attack ${walked.p99} ms (${walked.moves} moves)`);
    return { sum: total(results), walked, health: health.status };
  }

  it("a live room refuses every invalid SDK message and keeps serving a well-behaved player", async () => {
    const rand = prng(SEED);
    const plan = planRoomMessages(TYPES, PER_TYPE, rand);
    const { sum, walked, health } = await run(
      (user, roomId) => Probe.join(t.url, user.token, { room_id: roomId, x: 30 + Math.floor(rand() * 700), y: 30 + Math.floor(rand() * 500) }, false).then((p) => ({ p, user, roomId })),
      ({ p, user, roomId }, share) => fuzzRoom(t.url, user.token, roomId, share, rand, p),
      plan,
    );
    console.info(`room fuzz: ${JSON.stringify({ ...sum, problems: sum.problems.slice(0, 5) })}; walker ${JSON.stringify(walked)}; log lines ${t.logs.length}`);
    expect(sum.problems).toEqual([]);
    expect(sum.sent).toBe(plan.length);
    expect(sum.invalid).toBeGreaterThanOrEqual(TYPES.length * PER_TYPE * 0.9);
    expect(sum.refused).toBeLessThanOrEqual(sum.invalid);
    // Every invalid message was refused, except those after a close in the same batch.
    expect(sum.refused + 30 * ((sum.closes["4000"] ?? 0) + (sum.closes["4002"] ?? 0))).toBeGreaterThanOrEqual(sum.invalid);
    expect(walked.problems).toEqual([]);
    expect(walked.moves).toBeGreaterThan(10);
    expect(health).toBe(200);
  }, Math.max(300_000, PER_TYPE * 60));

  it("the JSON gateway refuses every invalid frame and keeps serving a well-behaved player", async () => {
    const rand = prng(SEED + 1);
    const plan = planGatewayFrames(TYPES, PER_TYPE, rand);
    const { sum, walked, health } = await run((user, roomId) => openGateway(t.url, user.token, roomId), fuzzGateway, plan);
    console.info(`gateway fuzz: ${JSON.stringify({ ...sum, problems: sum.problems.slice(0, 5) })}; walker ${JSON.stringify(walked)}; log lines ${t.logs.length}`);
    expect(sum.problems).toEqual([]);
    expect(sum.sent).toBe(plan.length);
    expect(sum.refused).toBe(sum.invalid);
    expect(sum.invalid).toBeGreaterThanOrEqual(TYPES.length * PER_TYPE * 0.9);
    expect(walked.problems).toEqual([]);
    expect(walked.moves).toBeGreaterThan(10);
    expect(health).toBe(200);
  }, Math.max(300_000, PER_TYPE * 60));
});
