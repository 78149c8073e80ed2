// Redis restarted under two processes: the test runs its own redis-server (the machine's is shared
// and never touched) and kill -9s it mid-traffic, then starts it again, empty. While it is down,
// rooms keep running and joins answer 503 instead of hanging; once it is back, both processes
// reconnect, joins resume, no stored room is hosted twice, and REST changes reach live rooms.
// REDIS_CUTS (default 1) repeats the restart.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { CLIENT_MESSAGES, SERVER_MESSAGES } from "../../shared/src/protocol.ts";
import { call, joinVia, startCluster, type Cluster, type ClusterPlayer, type Node } from "./helpers/cluster.ts";
import { startPrivateRedis, type PrivateRedis } from "./helpers/private-redis.ts";
import { leaveAll, playerOf } from "./helpers/sdk.ts";

const CUTS = Number(process.env["REDIS_CUTS"] ?? 1);

interface User {
  id: number;
  username: string;
  token: string;
}

/** Retries `attempt` every 200 ms while it fails with `retryOn` (a dependency coming back sends no event). */
async function retrying<T>(attempt: () => Promise<T>, retryOn: (err: unknown) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!retryOn(err) || Date.now() > deadline) throw new Error(`${what}: ${String((err as Error).message ?? err)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe("Redis restarted under two processes", () => {
  let redis: PrivateRedis;
  let cluster: Cluster;
  let a: Node;
  let b: Node;
  const players: ClusterPlayer[] = [];
  const users: User[] = [];

  const register = async (node: Node, username: string): Promise<User> => {
    const res = await call(node.url, "POST", "/auth/register", { body: { username, email: `${username}@example.test`, password: "correct horse battery" } });
    expect(res.status).toBe(201);
    return { id: res.body.user.id, username, token: res.body.access_token };
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    cluster = await startCluster({ REDIS_URL: redis.url });
    [a, b] = await Promise.all([cluster.start("A"), cluster.start("B")]);
    for (let i = 0; i < 4; i++) users.push(await register(i % 2 ? b : a, `redis_cut_${i}`));
  }, 90_000);
  afterAll(async () => {
    await leaveAll(players);
    await cluster?.stop();
    await redis?.kill();
  });

  it(`keeps rooms running through ${CUTS} restart(s); joins resume without twins; REST reaches rooms again`, async () => {
    const [alice, bob, carol, dave] = users as [User, User, User, User];
    const roomId = (await call(a.url, "POST", "/rooms", { token: alice.token, body: { name: "Redis cut" } })).body.id as number;
    const other = (await call(a.url, "POST", "/rooms", { token: alice.token, body: { name: "Redis cut 2" } })).body.id as number;
    const pa = await joinVia(a, alice, { room_id: roomId, x: 100, y: 100 });
    const pb = await joinVia(b, bob, { room_id: roomId, x: 200, y: 100 });
    players.push(pa, pb);
    expect(pb.hostPort).toBe(pa.hostPort);
    const host = pa.hostPort === a.port ? a : b;
    const peer = host === a ? b : a;

    for (let cut = 0; cut < CUTS; cut++) {
      await redis.kill();
      // Walking goes on in the live room (its sockets go straight to the host process).
      const y = 120 + (cut % 2) * 10;
      pb.send(CLIENT_MESSAGES.updatePosition, { x: 200, y });
      await pa.until((s) => playerOf(s, bob.id)?.y === y, `bob's move during Redis cut ${cut}`);
      // Joins are refused with 503, through either process, rather than hanging.
      for (const node of [a, b]) {
        await expect(joinVia(node, carol, { room_id: other })).rejects.toMatchObject({ code: 503 });
      }

      await redis.start();
      // Joins resume: the peer process finds the live room on its host, not a twin of its own.
      const pc = await retrying(() => joinVia(peer, carol, { room_id: roomId }), (err) => (err as { code?: number }).code === 503, "join after the restart");
      players.push(pc);
      expect(pc.hostPort).toBe(host.port);
      await pc.until((s) => playerOf(s, alice.id) !== undefined && playerOf(s, bob.id) !== undefined, "carol sees alice and bob");
      const pd = await joinVia(host, dave, { room_id: roomId });
      players.push(pd);
      expect(pd.hostPort).toBe(host.port);

      // A REST change made on the peer reaches the room on the host again.
      const text = `after restart ${cut}`;
      const since = pa.mark();
      const posted = await retrying(
        async () => {
          const res = await call(peer.url, "POST", "/chat", { token: dave.token, body: { room_id: roomId, message: text } });
          if (res.status !== 201) throw Object.assign(new Error(`${res.status} ${JSON.stringify(res.body)}`), { status: res.status });
          return res;
        },
        (err) => (err as { status?: number }).status === 503,
        "REST chat after the restart",
      );
      expect(posted.status).toBe(201);
      await pa.next(SERVER_MESSAGES.messageReceived, (m) => m.message === text, since);
      await leaveAll([pc, pd]);
      players.splice(players.indexOf(pc), 1);
      players.splice(players.indexOf(pd), 1);
    }
    console.info(`redis restarts ${CUTS}: joins refused with 503 while down, resumed on the live host after each restart, REST chat delivered after each`);
    // Nobody was thrown out along the way.
    expect(await Promise.race([pa.left.then(() => "left"), pb.left.then(() => "left"), Promise.resolve("connected")])).toBe("connected");
  }, 60_000 + CUTS * 20_000);

  it("refuses changes that publish while Redis is down; a publish that stalls after the change is saved is reported, then delivered", async () => {
    const [alice, bob, carol] = users as [User, User, User, User];
    const roomId = (await call(a.url, "POST", "/rooms", { token: alice.token, body: { name: "Redis publish" } })).body.id as number;
    const other = (await call(a.url, "POST", "/rooms", { token: alice.token, body: { name: "Redis publish 2" } })).body.id as number;
    const pa = await joinVia(a, alice, { room_id: roomId, x: 100, y: 100 });
    players.push(pa);
    const texts = async () =>
      ((await call(a.url, "GET", `/chat?room_id=${roomId}`, { token: alice.token })).body as { message: string }[]).map((m) => m.message);

    await redis.kill();
    // Both processes have noticed once each refuses a join.
    for (const node of [a, b]) await expect(joinVia(node, carol, { room_id: other })).rejects.toMatchObject({ code: 503 });
    const refused = await call(b.url, "POST", "/chat", { token: bob.token, body: { room_id: roomId, message: "REST while down" } });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: "unavailable", detail: expect.stringMatching(/^Redis is unavailable/) });
    expect(refused.headers.get("retry-after")).toBe("5");
    const since = pa.mark();
    pa.send(CLIENT_MESSAGES.sendMessage, { message: "room while down" });
    const error = await pa.next(SERVER_MESSAGES.error, (e) => e.event === CLIENT_MESSAGES.sendMessage, since);
    expect(error.code).toBe("unavailable");
    // Refused with nothing done: neither message was stored.
    const stored = await texts();
    expect(stored).not.toContain("REST while down");
    expect(stored).not.toContain("room while down");

    await redis.start();
    // Both processes are connected again once each accepts a join (it checks both of its Redis connections).
    for (const node of [a, b]) {
      const pc = await retrying(() => joinVia(node, carol, { room_id: other }), (err) => (err as { code?: number }).code === 503, "join after the restart");
      await leaveAll([pc]);
    }
    expect((await call(b.url, "POST", "/chat", { token: bob.token, body: { room_id: roomId, message: "back" } })).status).toBe(201);
    await pa.next(SERVER_MESSAGES.messageReceived, (m) => m.message === "back");

    // Stalled: the connections stay open and Redis answers nothing. The publish gives up after its
    // timeout and the caller learns the message was saved but not yet shown to live rooms.
    const text = "saved while Redis stalls";
    const beforeStall = pa.mark();
    redis.pause();
    let stalled;
    try {
      stalled = await call(b.url, "POST", "/chat", { token: bob.token, body: { room_id: roomId, message: text } });
    } finally {
      redis.resume();
    }
    expect(stalled.status).toBe(503);
    expect(stalled.body).toMatchObject({ code: "unavailable", detail: expect.stringMatching(/saved/) });
    expect(stalled.headers.get("retry-after")).toBe("5");
    expect((await texts()).filter((m) => m === text)).toHaveLength(1);
    // Not lost: the stalled publish is answered once Redis runs again, and the room shows it.
    await pa.next(SERVER_MESSAGES.messageReceived, (m) => m.message === text, beforeStall);
  }, 60_000);

  it("a join caught mid-way when Redis dies is refused with 503; neither it nor Colyseus's unawaited writes end a process; joins work once Redis is back", async () => {
    const [alice, bob, carol] = users as [User, User, User, User];
    const roomId = (await call(a.url, "POST", "/rooms", { token: alice.token, body: { name: "Redis mid-join" } })).body.id as number;
    const pb = await joinVia(b, bob, { room_id: roomId, x: 100, y: 100 });
    // Stalled first, so the connections stay "ready" and the join gets past the gate: it waits on
    // the listing read. A leave meanwhile makes Colyseus write its room count without awaiting it.
    redis.pause();
    const caught = Promise.allSettled([joinVia(a, carol, { room_id: roomId }), joinVia(b, alice, { room_id: roomId })]);
    await new Promise((r) => setTimeout(r, 300));
    await pb.room.leave();
    // Now the connections drop with those commands in flight: each fails after its retries.
    await redis.kill();
    const outcomes = await caught;
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 503 });
    }
    // Colyseus's room-count write and the leave's unsubscribe failed with nobody waiting: give
    // them time to, then both processes must still run.
    await new Promise((r) => setTimeout(r, 1500));
    for (const node of [a, b]) expect({ node: node.name, exitCode: node.proc.exitCode, signal: node.proc.signalCode }).toEqual({ node: node.name, exitCode: null, signal: null });

    await redis.start();
    // The failed listing read is not remembered: joins succeed on both processes again.
    for (const node of [a, b]) {
      const pc = await retrying(() => joinVia(node, carol, { room_id: roomId }), (err) => (err as { code?: number }).code === 503, `join via ${node.name} after the restart`);
      await leaveAll([pc]);
    }
  }, 60_000);
});
