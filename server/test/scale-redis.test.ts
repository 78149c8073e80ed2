// Scale-out on Redis: two real server processes on two ports share one fresh PostgreSQL database
// and one Redis (under a key prefix of this run). Clients joining one room_id through either
// process meet in one Colyseus room; REST on one reaches a room on the other; a killed host's
// rooms come back from the database without ghosts; SIGTERM drains with a reconnectable close.
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import pg from "pg";
import WebSocket from "ws";
import { CLOSE_CODES } from "../../shared/src/protocol.ts";
import { ADMIN_USERNAME } from "./helpers/app.ts";
import { call, joinVia, startCluster, type Cluster, type ClusterPlayer, type Node } from "./helpers/cluster.ts";
import { describeIf } from "./helpers/gate.ts";
import { leaveAll, playerOf } from "./helpers/sdk.ts";

interface User {
  id: number;
  username: string;
  token: string;
}

describeIf("postgresql", "redis")("two processes on Redis", () => {
  let cluster: Cluster;
  let a: Node;
  let b: Node;
  let alice: User;
  let bob: User;
  const players: ClusterPlayer[] = [];
  const enter = async (node: Node, user: User, roomId: number, at = { x: 100, y: 100 }) => {
    const p = await joinVia(node, user, { room_id: roomId, ...at });
    players.push(p);
    return p;
  };
  const register = async (node: Node, username: string): Promise<User> => {
    const res = await call(node.url, "POST", "/auth/register", {
      body: { username, email: `${username}@example.test`, password: "correct horse battery" },
    });
    expect(res.status).toBe(201);
    return { id: res.body.user.id, username, token: res.body.access_token };
  };
  const createRoom = async (node: Node, name: string) =>
    (await call(node.url, "POST", "/rooms", { token: alice.token, body: { name } })).body.id as number;
  const sql = async (query: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: (cluster.db.config as { url: string }).url });
    await client.connect();
    try {
      return (await client.query(query, params)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    // Colyseus's own guard (a 0.5 s wait for a concurrent creation to be announced) is turned off,
    // so every concurrent first join races to create the room and only Cafe's claim can keep them together.
    cluster = await startCluster({ COLYSEUS_MAX_CONCURRENT_CREATE_ROOM_WAIT_TIME: "0" });
    // Together: they queue on the migration lock, and only one applies the migrations.
    [a, b] = await Promise.all([cluster.start("A"), cluster.start("B")]);
    alice = await register(a, "alice");
    bob = await register(b, "bob");
  });
  afterAll(async () => {
    await leaveAll(players);
    await cluster?.stop();
  });

  it("puts concurrent first joins through both processes into one room, and they see each other", async () => {
    const rooms = await Promise.all(["One", "Two", "Three", "Four"].map((name) => createRoom(a, name)));
    for (const roomId of rooms) {
      const [pa, pb] = await Promise.all([enter(a, alice, roomId, { x: 100, y: 100 }), enter(b, bob, roomId, { x: 300, y: 300 })]);
      expect(pb.room.roomId).toBe(pa.room.roomId);
      expect(pb.hostPort).toBe(pa.hostPort);
      await pa.until((s) => playerOf(s, bob.id) !== undefined, "bob seen by alice");
      pb.send("update_position", { x: 310, y: 300 });
      await pa.until((s) => playerOf(s, bob.id)?.x === 310, "bob's move seen by alice");
      pa.send("send_message", { message: `hello ${roomId}` });
      expect((await pb.next("message_received", (m) => m.message === `hello ${roomId}`)).user_id).toBe(alice.id);
    }
    // Which process wins a concurrent creation is chance; a lone first join decides: the room is
    // created by the process that got it, and a client matched by the other connects there.
    const later = await createRoom(a, "Five");
    const first = await enter(b, bob, later, { x: 300, y: 300 });
    const second = await enter(a, alice, later);
    expect([first.hostPort, second.hostPort]).toEqual([b.port, b.port]);
    await second.until((s) => playerOf(s, bob.id) !== undefined, "bob seen through the other process");
  });

  it("delivers REST chat posted on either process to the room wherever it is hosted; counts agree", async () => {
    const roomId = await createRoom(a, "Chat");
    const pa = await enter(a, alice, roomId);
    const pb = await enter(b, bob, roomId, { x: 300, y: 300 });
    for (const node of [a, b]) {
      const res = await call(node.url, "POST", "/chat", { token: alice.token, body: { room_id: roomId, message: `via ${node.name}` } });
      expect(res.status).toBe(201);
      await pa.next("message_received", (m) => m.message === `via ${node.name}`);
      await pb.next("message_received", (m) => m.message === `via ${node.name}`);
    }
    for (const node of [a, b]) {
      const list = await call(node.url, "GET", `/rooms?q=chat`, { token: bob.token });
      expect(list.body.find((r: any) => r.id === roomId).online).toBe(2);
      const users = await call(node.url, "GET", `/room-users?room_id=${roomId}`, { token: bob.token });
      expect(users.body.map((u: any) => u.user_id).sort()).toEqual([alice.id, bob.id].sort());
    }
  });

  it("lets a JSON-protocol socket on one process meet SDK users of a room hosted by the other", async () => {
    const roomId = await createRoom(a, "Gateway");
    const pa = await enter(a, alice, roomId);
    expect(pa.hostPort).toBe(a.port); // created by the process that got the first join
    const frames: { event: string; data: any }[] = [];
    const ws = new WebSocket(`${b.url.replace("http", "ws")}/api/v1/ws?token=${bob.token}`);
    ws.on("message", (raw) => frames.push(JSON.parse(raw.toString())));
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    try {
      ws.send(JSON.stringify({ event: "join_room", data: { room_id: roomId, x: 300, y: 300 } }));
      await pa.until((s) => playerOf(s, bob.id) !== undefined, "the JSON client's avatar");
      ws.send(JSON.stringify({ event: "send_message", data: { message: "from the old protocol" } }));
      expect((await pa.next("message_received", (m) => m.message === "from the old protocol")).user_id).toBe(bob.id);
      expect(frames.find((f) => f.event === "room_state")?.data.players).toBeDefined();
    } finally {
      ws.close();
    }
  });

  it("applies a ban made on one process to a seat in a room hosted by the other", async () => {
    const admin = await register(b, ADMIN_USERNAME);
    const mallory = await register(b, "mallory");
    const roomId = await createRoom(a, "Banned");
    const pa = await enter(a, alice, roomId);
    const pm = await enter(a, mallory, roomId, { x: 300, y: 300 });
    expect(pm.hostPort).toBe(a.port);
    const res = await call(b.url, "POST", `/admin/users/${mallory.id}/ban`, { token: admin.token, body: {} });
    expect(res.status).toBe(201);
    expect(await pm.left).toBe(CLOSE_CODES.banned);
    await pa.next("user_left", (m) => m.user_id === mallory.id);
    expect((await call(a.url, "GET", "/users/me", { token: mallory.token })).body.code).toBe("banned");
  });

  it("recreates a killed host's room from the database on the next join through the survivor, without ghosts", async () => {
    const roomId = await createRoom(a, "Phoenix");
    const pa = await enter(a, alice, roomId, { x: 100, y: 100 });
    const pb = await enter(b, bob, roomId, { x: 300, y: 300 });
    const placed: number[] = [];
    for (const [type, x] of [["chair", 500], ["plant", 600]] as const) {
      const item = (await call(a.url, "POST", "/inventory", { token: alice.token, body: { type } })).body;
      pa.send("place_object", { inventory_item_id: item.id, x, y: 500, rotation: 0 });
      await pb.next("object_placed", (m) => m.object.id === item.id);
      placed.push(item.id);
    }
    pa.send("send_message", { message: "before the crash" });
    await pb.next("message_received", (m) => m.message === "before the crash");

    const host = pa.hostPort === a.port ? a : b;
    const survivor = host === a ? b : a;
    host.proc.kill("SIGKILL");
    expect((await host.exited).signal).toBe("SIGKILL");
    await Promise.all([pa.left, pb.left]);

    const back = await enter(survivor, alice, roomId, { x: 120, y: 100 });
    expect(back.hostPort).toBe(survivor.port);
    await back.until((s) => playerOf(s, alice.id) !== undefined, "the first state");
    const objects = [...back.room.state.objects.values()].map((o: any) => o.id).sort();
    expect(objects).toEqual([...placed].sort());
    const listed = await call(survivor.url, "GET", `/objects?room_id=${roomId}`, { token: alice.token });
    expect(listed.body.map((o: any) => o.id).sort()).toEqual([...placed].sort());
    const chat = await call(survivor.url, "GET", `/chat?room_id=${roomId}`, { token: alice.token });
    expect(chat.body.map((m: any) => m.message)).toEqual(["before the crash"]);

    // The dead process's seats are closed by the survivor once its heartbeat key expires.
    await waitFor(async () => {
      const users = await call(survivor.url, "GET", `/room-users?room_id=${roomId}`, { token: alice.token });
      return users.body.length === 1 && users.body[0].user_id === alice.id;
    }, "the dead process's visits to be closed");
    const open = await sql("select user_id from room_visits where left_at is null and room_id = $1", [roomId]);
    expect(open.map((r) => r.user_id)).toEqual([alice.id]);
    // Every seat the dead process held, in any room, is closed: open ones all belong to the survivor.
    expect(await sql("select distinct process_id from room_visits where left_at is null")).toHaveLength(1);
  });

  it("drains on SIGTERM: clients get a reconnectable close, seats are written, the process exits cleanly", async () => {
    const node = cluster.nodes.find((n) => n.proc.exitCode === null && n.proc.signalCode === null)!;
    const roomId = await createRoom(node, "Drain");
    const p = await enter(node, bob, roomId, { x: 200, y: 200 });
    p.send("update_position", { x: 260, y: 200 });
    await p.until((s) => playerOf(s, bob.id)?.x === 260, "own move applied");
    // A write still in flight when the signal comes is finished, not cut off.
    p.send("send_message", { message: "last words" });
    node.proc.kill("SIGTERM");
    expect(await p.left).toBe(CLOSE_CODES.serverRestarting);
    // index.ts exits 1 if the drain has not finished within 10 s.
    expect(await node.exited).toEqual({ code: 0, signal: null });
    const visits = await sql("select x, left_at from room_visits where room_id = $1", [roomId]);
    expect(visits).toHaveLength(1);
    expect(visits[0].x).toBe(260);
    expect(visits[0].left_at).not.toBeNull();
    expect(await sql("select message from chat_messages where room_id = $1", [roomId])).toEqual([{ message: "last words" }]);
  });
});

/** Polls a condition that another process makes true; fails with `what` after 20 s. */
async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
