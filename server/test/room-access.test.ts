// Joining: tokens, private rooms, capacity, one seat per user, reconnection, presence, the monitor.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Client } from "@colyseus/sdk";
import jwt from "jsonwebtoken";
import { CLOSE_CODES, ROOM_TYPE } from "../../shared/src/protocol.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";
import { join, leaveAll, playerOf, wrap, type Player } from "./helpers/sdk.ts";

const joinWith = (t: TestApp, token: string | undefined, options: Record<string, unknown>) => {
  const client = new Client(t.url);
  if (token !== undefined) client.auth.token = token;
  return client.joinOrCreate(ROOM_TYPE, options);
};

describe("joining a cafe room", () => {
  let t: TestApp;
  let owner: TestUser;
  let stranger: TestUser;
  const open: Player[] = [];
  const enter = async (u: TestUser, options: Record<string, unknown>) => {
    const p = await join(t, u, options);
    open.push(p);
    return p;
  };
  const newRoom = async (body: Record<string, unknown>) =>
    (await t.api("POST", "/api/v1/rooms", { token: owner.token, body })).body.id as number;

  beforeAll(async () => {
    t = await startTestApp("pglite");
    [owner, stranger] = [await t.register("owner"), await t.register("stranger")];
  });
  afterAll(async () => {
    await leaveAll(open);
    await t.close();
  });

  it("refuses missing, invalid, expired and foreign tokens", async () => {
    const roomId = await newRoom({ name: "Guarded" });
    const expired = jwt.sign({ username: owner.username, exp: Math.floor(Date.now() / 1000) - 5 }, t.secret, { subject: String(owner.id) });
    const foreign = jwt.sign({ username: owner.username }, "x".repeat(40), { subject: String(owner.id), expiresIn: 60 });
    for (const token of [undefined, "garbage", expired, foreign]) {
      await expect(joinWith(t, token, { room_id: roomId })).rejects.toMatchObject({ code: 401 });
    }
  });

  it("refuses unknown rooms and malformed room ids, and never makes a second room for one id", async () => {
    await expect(joinWith(t, owner.token, { room_id: 987654 })).rejects.toMatchObject({ code: 404 });
    for (const room_id of [undefined, "x", -3, 1.5]) {
      await expect(joinWith(t, owner.token, { room_id })).rejects.toMatchObject({ code: 400 });
    }
    const roomId = await newRoom({ name: "One" });
    const a = await enter(owner, { room_id: roomId });
    await expect(joinWith(t, stranger.token, { room_id: String(roomId) })).rejects.toMatchObject({ code: 400 });
    const b = await enter(stranger, { room_id: roomId });
    expect(b.room.roomId).toBe(a.room.roomId);
  });

  it("admits only the owner and admins to a private room", async () => {
    const roomId = await newRoom({ name: "Private", is_private: true });
    await expect(joinWith(t, stranger.token, { room_id: roomId })).rejects.toMatchObject({ code: 404 });
    const admin = await t.admin();
    const o = await enter(owner, { room_id: roomId });
    const ad = await enter(admin, { room_id: roomId });
    expect(ad.room.roomId).toBe(o.room.roomId);
  });

  it("refuses the next user when the room is full, and stays one room", async () => {
    const roomId = await newRoom({ name: "Tiny", max_users: 2 });
    const first = await enter(owner, { room_id: roomId });
    await enter(stranger, { room_id: roomId });
    const third = await t.register("third");
    await expect(joinWith(t, third.token, { room_id: roomId })).rejects.toMatchObject({ code: 409 });
    // A seat frees up: the same live room takes the next user.
    await first.room.leave();
    const again = await enter(third, { room_id: roomId });
    expect(again.room.roomId).toBe(open.find((p) => p.user.id === stranger.id && p.room.state.room_id === roomId)!.room.roomId);
  });

  it("gives a user one seat: a second connection takes it over and closes the first with 4001", async () => {
    const roomId = await newRoom({ name: "Seat" });
    const watcher = await enter(stranger, { room_id: roomId });
    const first = await enter(owner, { room_id: roomId, x: 100, y: 100 });
    first.send("update_position", { x: 130, y: 100 });
    await watcher.until((s) => playerOf(s, owner.id)?.x === 130);
    const second = await enter(owner, { room_id: roomId });
    expect(await first.left).toBe(CLOSE_CODES.seatTakenOver);
    await second.until((s) => playerOf(s, owner.id)?.x === 130, "same position after takeover");
    expect([...watcher.room.state.players.values()].filter((p: any) => p.user_id === owner.id)).toHaveLength(1);
    second.send("update_position", { x: 150, y: 100 });
    await watcher.until((s) => playerOf(s, owner.id)?.x === 150);
  });

  it("tells others who joined and who left", async () => {
    const roomId = await newRoom({ name: "Hello" });
    const host = await enter(owner, { room_id: roomId });
    const m = host.mark();
    const guest = await enter(stranger, { room_id: roomId, x: 250, y: 260 });
    expect(await host.next("user_joined", undefined, m)).toEqual({ user_id: stranger.id, username: stranger.username, x: 250, y: 260 });
    await guest.room.leave();
    expect(await host.next("user_left", undefined, m)).toEqual({ user_id: stranger.id });
    await host.until((s) => playerOf(s, stranger.id) === undefined);
  });

  it("keeps a dropped client's seat for a reconnection, and replays do not apply twice", async () => {
    const roomId = await newRoom({ name: "Flaky" });
    const host = await enter(stranger, { room_id: roomId });
    const p = await enter(owner, { room_id: roomId, x: 300, y: 300 });
    p.send("update_position", { x: 340, y: 300 });
    await host.until((s) => playerOf(s, owner.id)?.x === 340);
    const chair = (await t.api("POST", "/api/v1/inventory", { token: owner.token, body: { type: "chair" } })).body;
    const place = { inventory_item_id: chair.id, x: 500, y: 500, rotation: 0 };
    p.send("place_object", place);
    await host.until((s) => s.objects.has(String(chair.id)));
    const token = p.room.reconnectionToken;
    const m = host.mark();
    // Drop the connection without consent (as a network failure would).
    (p.room.connection.transport as unknown as { ws: { close(code: number): void } }).ws.close(3000);
    await p.left;
    const back = wrap(await new Client(t.url).reconnect(token), owner);
    open.push(back);
    expect(back.room.sessionId).toBe(p.room.sessionId);
    await back.until((s) => playerOf(s, owner.id)?.x === 340, "same position");
    const mb = back.mark();
    back.send("place_object", place);
    expect((await back.next("error", undefined, mb)).code).toBe("already_placed");
    expect(host.received.slice(m).some((r) => r.type === "user_left")).toBe(false);
    const objects = await t.api("GET", `/api/v1/objects?room_id=${roomId}`, { token: owner.token });
    expect(objects.body.filter((o: { id: number }) => o.id === chair.id)).toHaveLength(1);
  });

  it("closes everyone's connection when the stored room is deleted", async () => {
    const roomId = await newRoom({ name: "Doomed" });
    const p = await enter(stranger, { room_id: roomId });
    expect((await t.api("DELETE", `/api/v1/rooms/${roomId}`, { token: owner.token })).status).toBe(204);
    expect(await p.left).toBe(CLOSE_CODES.roomDeleted);
  });

  describe("the monitor", () => {
    it("refuses anonymous users and non-admins, and opens for an admin", async () => {
      const admin = await t.admin();
      const basic = (u: string, pw: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${pw}`).toString("base64")}` });
      const anonymous = await t.api("GET", "/colyseus/");
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic/);
      expect(anonymous.text).not.toMatch(/<html/i);
      expect((await t.api("GET", "/colyseus/", { token: stranger.token })).status).toBe(401);
      expect((await t.api("GET", "/colyseus/", { headers: basic(stranger.username, "correct horse battery") })).status).toBe(401);
      expect((await t.api("GET", "/colyseus/", { headers: basic(admin.username, "wrong password") })).status).toBe(401);
      const byToken = await t.api("GET", "/colyseus/", { token: admin.token });
      expect(byToken.status).toBe(200);
      expect(byToken.text).toMatch(/<html/i);
      expect((await t.api("GET", "/colyseus/", { headers: basic(admin.username, "correct horse battery") })).status).toBe(200);
    });
  });
});

describe.each(DB_KINDS)("live presence and exactly-once placement on %s", (kind) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  const open: Player[] = [];
  beforeAll(async () => {
    t = await startTestApp(kind);
    [alice, bob] = [await t.register("alice"), await t.register("bob")];
  });
  afterAll(async () => {
    await leaveAll(open);
    await t.close();
  });

  it("admits exactly max_users of a join storm, refuses the rest room_full, and frees every held place", async () => {
    const roomId = (await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "Storm", max_users: 4 } })).body.id as number;
    const crowd: TestUser[] = [];
    for (let i = 0; i < 10; i++) crowd.push(await t.register(`storm${i}`));
    const results = await Promise.allSettled(crowd.map((u) => join(t, u, { room_id: roomId })));
    const joined = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    open.push(...joined);
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as { code: number; message: string }] : []));
    expect(joined).toHaveLength(4);
    expect(refused.map((e) => [e.code, e.message.split(":")[0]])).toEqual(Array(6).fill([409, "room_full"]));
    expect(new Set(joined.map((p) => p.room.roomId)).size).toBe(1);
    // One visit row per seat (written together by group commit), each for its own user.
    const present = await t.api("GET", `/api/v1/room-users?room_id=${roomId}`, { token: alice.token });
    expect((present.body as { user_id: number }[]).map((u) => u.user_id).sort()).toEqual(joined.map((p) => p.user.id).sort());
    // The live, full room refuses at matchmaking: an HTTP answer, no seat reservation, no WebSocket.
    const late = crowd.find((u) => !joined.some((p) => p.user.id === u.id))!;
    const early = await fetch(`${t.url}/matchmake/joinOrCreate/cafe`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${late.token}` },
      body: JSON.stringify({ room_id: roomId }),
    });
    expect({ status: early.status, body: await early.json() }).toMatchObject({ status: 409, body: { error: expect.stringMatching(/^room_full/) } });
    // No place stays held by the refused joins: a freed seat takes the next user.
    await joined[0]!.room.leave();
    await joined[1]!.until((s) => s.players.size === 3);
    open.push(await join(t, late, { room_id: roomId }));
  });

  it("shows live users and online counts over REST, and keeps the visit history", async () => {
    const roomId = (await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "Live" } })).body.id;
    const a = await join(t, alice, { room_id: roomId, x: 100, y: 100 });
    const b = await join(t, bob, { room_id: roomId, x: 200, y: 200 });
    open.push(a, b);
    const users = await t.api("GET", `/api/v1/room-users?room_id=${roomId}`, { token: alice.token });
    expect(users.body.map((u: { user_id: number }) => u.user_id).sort()).toEqual([alice.id, bob.id].sort());
    expect((await t.api("GET", `/api/v1/rooms/${roomId}`, { token: alice.token })).body.online).toBe(2);
    // Positions reach the database within the flush interval.
    a.send("update_position", { x: 150, y: 100 });
    const deadline = Date.now() + 8000;
    let seen: { x: number } | undefined;
    while (Date.now() < deadline) {
      const res = await t.api("GET", `/api/v1/room-users?room_id=${roomId}`, { token: bob.token });
      seen = res.body.find((u: { user_id: number }) => u.user_id === alice.id);
      if (seen?.x === 150) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(seen?.x).toBe(150);
    await b.room.leave();
    await a.until((s) => playerOf(s, bob.id) === undefined);
    const after = await t.api("GET", `/api/v1/room-users?room_id=${roomId}`, { token: alice.token });
    expect(after.body.map((u: { user_id: number }) => u.user_id)).toEqual([alice.id]);
    const history = await t.api("GET", `/api/v1/room-users?room_id=${roomId}&history=1`, { token: alice.token });
    expect(history.body.find((v: { user_id: number }) => v.user_id === bob.id).left_at).not.toBeNull();
  });

  it("places one item exactly once under 10 concurrent attempts from two connections", async () => {
    const roomA = (await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "A" } })).body.id;
    const roomB = (await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "B" } })).body.id;
    const inA = await join(t, alice, { room_id: roomA, x: 100, y: 100 });
    const inB = await join(t, alice, { room_id: roomB, x: 100, y: 100 });
    open.push(inA, inB);
    const chair = (await t.api("POST", "/api/v1/inventory", { token: alice.token, body: { type: "chair" } })).body;
    const [ma, mb] = [inA.mark(), inB.mark()];
    for (let i = 0; i < 5; i++) {
      inA.send("place_object", { inventory_item_id: chair.id, x: 300 + i * 40, y: 300, rotation: 0 });
      inB.send("place_object", { inventory_item_id: chair.id, x: 300 + i * 40, y: 400, rotation: 0 });
    }
    const outcome = (p: Player, since: number) => p.received.slice(since).filter((r) => r.type === "error" || r.type === "object_placed");
    await Promise.all([
      inA.until(() => outcome(inA, ma).length >= 5, "5 outcomes in A"),
      inB.until(() => outcome(inB, mb).length >= 5, "5 outcomes in B"),
    ]);
    const all = [...outcome(inA, ma), ...outcome(inB, mb)];
    expect(all.filter((r) => r.type === "object_placed")).toHaveLength(1);
    expect(all.filter((r) => r.type === "error").map((r) => r.payload.code)).toEqual(Array(9).fill("already_placed"));
    // Wait on the room that got the object: only its client hears the patch that brings it.
    const host = outcome(inA, ma).some((r) => r.type === "object_placed") ? inA : inB;
    await host.until(() => inA.room.state.objects.size + inB.room.state.objects.size === 1, "one object in the states");
    const rows = await t.app.orm.em.fork().getConnection().execute("select room_id from items where id = ?", [chair.id]);
    expect(rows).toHaveLength(1);
    expect([roomA, roomB]).toContain(Number(rows[0]!["room_id"]));
  });
});
