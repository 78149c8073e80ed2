// How a seat ends and where one starts: leave_room is a consented leave (no reconnection grace),
// two players who join an empty room do not stand on one spot, and the JSON protocol hears every
// seat-ending close (kick 4005, ban 4006) and the room's own error codes.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { CloseCode } from "@colyseus/core";
import { ROOM } from "../../shared/src/constants.ts";
import { CLOSE_CODES } from "../../shared/src/protocol.ts";
import { SPAWN_CLEARANCE } from "../../shared/src/sim/spawn.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { JsonClient } from "./helpers/json-client.ts";
import { join, leaveAll, playerOf, type Player } from "./helpers/sdk.ts";

/** The promise, or a failure after `ms` naming what never happened (no test waits on a hang). */
function within<T>(promise: Promise<T>, what: string, ms = 8000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe("seat endings and spawn points", () => {
  let t: TestApp;
  let admin: TestUser;
  let owner: TestUser;
  const players: Player[] = [];
  const sockets: JsonClient[] = [];
  const enter = async (u: TestUser, options: Record<string, unknown>) => {
    const p = await join(t, u, options);
    players.push(p);
    await p.until((s) => playerOf(s, u.id) !== undefined, "own seat");
    return p;
  };
  const openJson = async (u: TestUser) => {
    const c = await JsonClient.open(t, `?token=${u.token}`);
    sockets.push(c);
    return c;
  };
  const createRoom = async (body: Record<string, unknown>) =>
    (await t.api("POST", "/api/v1/rooms", { token: owner.token, body })).body.id as number;
  const roomUsers = async (roomId: number) =>
    (await t.api("GET", `/api/v1/room-users?room_id=${roomId}`, { token: owner.token })).body.map((u: { user_id: number }) => u.user_id);

  beforeAll(async () => {
    t = await startTestApp("pglite");
    admin = await t.admin();
    owner = await t.register("owner");
  });
  afterAll(async () => {
    for (const s of sockets) s.ws.close();
    await leaveAll(players);
    await t.close();
  });

  it("leave_room over the SDK frees the seat at once: user_left reaches the others, no reconnection", async () => {
    const roomId = await createRoom({ name: "Leaving" });
    const bob = await t.register("bob");
    const a = await enter(owner, { room_id: roomId, x: 100, y: 100 });
    const b = await enter(bob, { room_id: roomId, x: 300, y: 300 });
    const m = a.mark();
    b.send("leave_room");
    // The reconnection grace is 20 s: a dropped seat would still be here when this gives up.
    await a.next("user_left", (p) => p.user_id === bob.id, m);
    await a.until((s) => playerOf(s, bob.id) === undefined, "bob gone from the state");
    expect(await within(b.left, "bob's close")).toBe(CloseCode.CONSENTED);
    expect(await roomUsers(roomId)).toEqual([owner.id]);
  });

  it("seats two players who join an empty room without a position apart", async () => {
    const roomId = await createRoom({ name: "Spawning" });
    const [carol, dave] = [await t.register("carol"), await t.register("dave")];
    const c = await enter(carol, { room_id: roomId });
    const d = await enter(dave, { room_id: roomId });
    await c.until((s) => playerOf(s, dave.id) !== undefined, "dave seen by carol");
    const [pc, pd] = [playerOf(c.room.state, carol.id), playerOf(c.room.state, dave.id)];
    expect({ x: pc.x, y: pc.y }).toEqual({ x: ROOM.defaultWidth / 2, y: ROOM.defaultHeight / 2 });
    expect(Math.hypot(pc.x - pd.x, pc.y - pd.y)).toBeGreaterThanOrEqual(SPAWN_CLEARANCE);
    await leaveAll([c, d]);
  });

  it("closes a kicked JSON user's socket with 4005 and a reason", async () => {
    const roomId = await createRoom({ name: "Kicking" });
    const erin = await t.register("erin");
    const js = await openJson(erin);
    js.send("join_room", { room_id: roomId, x: 200, y: 200 });
    await js.next("room_state");
    const kick = await t.api("POST", `/api/v1/admin/rooms/${roomId}/kick`, { token: admin.token, body: { user_id: erin.id } });
    expect(kick.status).toBe(201);
    const closed = await within(js.closed, "the JSON socket to close");
    expect(closed.code).toBe(CLOSE_CODES.kicked);
    expect(closed.reason).not.toBe("");
    expect((await js.next("error")).code).toBe("forbidden");
    expect(await roomUsers(roomId)).toEqual([]);
  });

  it("closes a banned JSON user's socket with 4006 and a reason", async () => {
    const roomId = await createRoom({ name: "Banning" });
    const frank = await t.register("frank");
    const js = await openJson(frank);
    js.send("join_room", { room_id: roomId, x: 200, y: 200 });
    await js.next("room_state");
    expect((await t.api("POST", `/api/v1/admin/users/${frank.id}/ban`, { token: admin.token, body: {} })).status).toBe(201);
    const closed = await within(js.closed, "the JSON socket to close");
    expect(closed.code).toBe(CLOSE_CODES.banned);
    expect(closed.reason).not.toBe("");
    expect((await js.next("error")).code).toBe("banned");
  });

  it("checks the account once and loads the room once per join, JSON protocol included", async () => {
    const { accounts, rooms, joins } = t.app.services;
    // The account is checked by the one-statement join (joins.admit) or, on its careful path, by authenticate.
    const calls = { accountChecks: 0, liveSnapshot: 0 };
    const [authenticate, admit, liveSnapshot] = [accounts.authenticate.bind(accounts), joins.admit.bind(joins), rooms.liveSnapshot.bind(rooms)];
    accounts.authenticate = (token: string) => (calls.accountChecks++, authenticate(token));
    joins.admit = (userId: number, roomId: number) => (calls.accountChecks++, admit(userId, roomId));
    rooms.liveSnapshot = (id: number) => (calls.liveSnapshot++, liveSnapshot(id));
    try {
      const roomId = await createRoom({ name: "Counted" });
      const ivy = await t.register("ivy");
      Object.assign(calls, { accountChecks: 0, liveSnapshot: 0 }); // REST above checks tokens too
      const js = await openJson(ivy);
      js.send("join_room", { room_id: roomId, x: 200, y: 200 });
      await js.next("room_state");
      expect(calls).toEqual({ accountChecks: 1, liveSnapshot: 1 });
      // A second player joins the live room: one more account check, no more loading.
      await enter(owner, { room_id: roomId, x: 400, y: 200 });
      expect(calls).toEqual({ accountChecks: 2, liveSnapshot: 1 });
    } finally {
      accounts.authenticate = authenticate;
      joins.admit = admit;
      rooms.liveSnapshot = liveSnapshot;
    }
  });

  it("forwards the room's own code for a refused join: banned, room_full, conflict", async () => {
    // Banned between opening the socket and joining: the room refuses with `banned`.
    const gina = await t.register("gina");
    const js = await openJson(gina);
    expect((await t.api("POST", `/api/v1/admin/users/${gina.id}/ban`, { token: admin.token, body: {} })).status).toBe(201);
    js.send("join_room", { room_id: await createRoom({ name: "Open" }) });
    expect(await js.next("error")).toMatchObject({ code: "banned", event: "join_room" });

    const hank = await t.register("hank");
    const full = await createRoom({ name: "Full", max_users: 1 });
    await enter(owner, { room_id: full, x: 100, y: 100 });
    const jh = await openJson(hank);
    let m = jh.mark();
    jh.send("join_room", { room_id: full });
    expect(await jh.next("error", undefined, m)).toMatchObject({ code: "room_full", event: "join_room" });

    // A room covered wall to wall has no free spot: a conflict, not a full room.
    const walled = await createRoom({ name: "Walled", width: 200, height: 200 });
    const viewer = { id: owner.id, username: owner.username, isAdmin: false };
    for (let x = 16; x < 200; x += 32) {
      for (let y = 16; y < 200; y += 32) {
        const wall = (await t.api("POST", "/api/v1/inventory", { token: owner.token, body: { type: "wall" } })).body as { id: number };
        await t.app.services.items.place(viewer, wall.id, walled, { x, y, rotation: 0 }, []);
      }
    }
    m = jh.mark();
    jh.send("join_room", { room_id: walled });
    const refused = await jh.next("error", undefined, m);
    expect(refused).toMatchObject({ code: "conflict", event: "join_room" });
    expect(refused.message).not.toMatch(/^conflict:/);
  });
});
