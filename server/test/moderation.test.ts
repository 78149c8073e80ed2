// Moderation over REST, reflected live in rooms: kick, mute, ban, remove any object, audit log.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Client } from "@colyseus/sdk";
import { CLOSE_CODES, ROOM_TYPE } from "../../shared/src/protocol.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { expectError } from "./helpers/expect.ts";
import { join, leaveAll, playerOf, type Player } from "./helpers/sdk.ts";

describe("moderation for admins", () => {
  let t: TestApp;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let roomId: number;
  let a: Player;
  const players: Player[] = [];
  const enter = async (u: TestUser, x = 100) => {
    const p = await join(t, u, { room_id: roomId, x, y: 100 });
    players.push(p);
    await p.until((s) => playerOf(s, u.id) !== undefined, "own seat");
    return p;
  };
  const post = (path: string, body: unknown, token = admin.token) => t.api("POST", `/api/v1/admin${path}`, { token, body });

  beforeAll(async () => {
    t = await startTestApp("pglite");
    admin = await t.admin();
    [alice, bob] = [await t.register("alice"), await t.register("bob")];
    roomId = (await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "Moderated", build_policy: "everyone" } })).body.id;
    a = await enter(alice);
  });
  afterAll(async () => {
    await leaveAll(players);
    await t.close();
  });

  it("refuses non-admins, bad payloads, unknown targets and moderating admins", async () => {
    expectError(await post(`/users/${bob.id}/ban`, {}, alice.token), 403, "forbidden");
    expectError(await t.api("GET", "/api/v1/admin/actions", { token: alice.token }), 403, "forbidden");
    expectError(await post(`/users/${bob.id}/mute`, { minutes: 0 }), 422, "invalid_payload");
    expectError(await post(`/users/${bob.id}/mute`, { minutes: 1.5 }), 422, "invalid_payload");
    expectError(await post(`/users/999999/ban`, {}), 404, "not_found");
    expectError(await post(`/users/${admin.id}/ban`, {}), 403, "forbidden");
    expectError(await post(`/rooms/${roomId}/kick`, { user_id: bob.id }), 404, "not_found");
    expect((await t.api("GET", "/api/v1/admin/actions", { token: admin.token })).body).toEqual([]);
  });

  it("kicks a user out of a room live; they may come back", async () => {
    const b = await enter(bob, 200);
    const m = a.mark();
    const res = await post(`/rooms/${roomId}/kick`, { user_id: bob.id, reason: "spamming" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ action: "kick", target_user_id: bob.id, room_id: roomId, admin_username: admin.username, reason: "spamming" });
    expect((await b.next("error")).code).toBe("forbidden");
    expect(await b.left).toBe(CLOSE_CODES.kicked);
    await a.next("user_left", (p) => p.user_id === bob.id, m);
    const users = await t.api("GET", `/api/v1/room-users?room_id=${roomId}`, { token: alice.token });
    expect(users.body.map((u: any) => u.user_id)).toEqual([alice.id]);
    const again = await enter(bob, 200);
    await a.until((s) => playerOf(s, bob.id) !== undefined, "bob back");
    await leaveAll([again]);
  });

  it("mutes a user for N minutes: their chat gets `muted` in the room and over REST, until unmuted", async () => {
    const b = await enter(bob, 200);
    expect((await post(`/users/${bob.id}/mute`, { minutes: 5 })).body).toMatchObject({ action: "mute", minutes: 5 });
    let m = b.mark();
    b.send("send_message", { message: "can anyone hear me" });
    expect(await b.next("error", undefined, m)).toMatchObject({ code: "muted", event: "send_message" });
    expectError(await t.api("POST", "/api/v1/chat", { token: bob.token, body: { room_id: roomId, message: "rest" } }), 403, "muted");
    expect((await t.api("GET", `/api/v1/chat?room_id=${roomId}`, { token: alice.token })).body).toEqual([]);

    expect((await post(`/users/${bob.id}/unmute`, {})).status).toBe(201);
    m = a.mark();
    b.send("send_message", { message: "back" });
    expect((await a.next("message_received", undefined, m)).message).toBe("back");
    await leaveAll([b]);
  });

  it("bans an account: live seats close, its existing token is refused at the next request and join", async () => {
    const b = await enter(bob, 200);
    expect((await post(`/users/${bob.id}/ban`, { reason: "abuse" })).status).toBe(201);
    expect((await b.next("error")).code).toBe("banned");
    expect(await b.left).toBe(CLOSE_CODES.banned);
    expectError(await t.api("GET", "/api/v1/users/me", { token: bob.token }), 403, "banned");
    const login = await t.api("POST", "/api/v1/auth/login", { body: { username: bob.username, password: "correct horse battery" } });
    expectError(login, 403, "banned");
    const client = new Client(t.url);
    client.auth.token = bob.token;
    await expect(client.joinOrCreate(ROOM_TYPE, { room_id: roomId })).rejects.toMatchObject({ code: 403 });
    const users = await t.api("GET", `/api/v1/room-users?room_id=${roomId}`, { token: alice.token });
    expect(users.body.map((u: any) => u.user_id)).toEqual([alice.id]);

    expect((await post(`/users/${bob.id}/unban`, {})).status).toBe(201);
    expect((await t.api("GET", "/api/v1/users/me", { token: bob.token })).status).toBe(200);
  });

  it("removes any object back to its owner's inventory, live", async () => {
    const chair = (await t.api("POST", "/api/v1/inventory", { token: bob.token, body: { type: "chair" } })).body;
    const b = await enter(bob, 200);
    b.send("place_object", { inventory_item_id: chair.id, x: 400, y: 300, rotation: 0 });
    await a.next("object_placed", (p) => p.object.id === chair.id);
    const m = a.mark();
    const res = await post(`/objects/${chair.id}/remove`, {});
    expect(res.body).toMatchObject({ action: "remove_object", object_id: chair.id, room_id: roomId, target_user_id: bob.id });
    await a.next("object_removed", (p) => p.object_id === chair.id, m);
    await a.until((s) => !s.objects.has(String(chair.id)), "object gone from state");
    const inventory = await t.api("GET", "/api/v1/inventory", { token: bob.token });
    expect(inventory.body.map((i: any) => i.id)).toContain(chair.id);
    expectError(await post(`/objects/${chair.id}/remove`, {}), 404, "not_found");
    await leaveAll([b]);
  });

  it("keeps every action in an audit log for admins, and logs a line for each", async () => {
    const log = await t.api("GET", "/api/v1/admin/actions", { token: admin.token });
    expect(log.body.map((r: any) => r.action)).toEqual(["remove_object", "unban", "ban", "unmute", "mute", "kick"]);
    expect(log.headers.get("x-total-count")).toBe("6");
    const forBob = await t.api("GET", `/api/v1/admin/actions?user_id=${bob.id}&limit=2`, { token: admin.token });
    expect(forBob.body.map((r: any) => r.action)).toEqual(["remove_object", "unban"]);
    for (const action of ["kick", "mute", "unmute", "ban", "unban", "remove_object"]) {
      expect(t.logs.some((line) => line.includes(`moderation ${action} by ${admin.username}`))).toBe(true);
    }
    // Reasons are free text: kept in the database, never in the log.
    expect(t.logs.some((line) => line.includes("spamming"))).toBe(false);
    const doc = (await t.api("GET", "/openapi.json")).body;
    expect(Object.keys(doc.paths).filter((p) => p.startsWith("/api/v1/admin/")).sort()).toEqual([
      "/api/v1/admin/actions",
      "/api/v1/admin/objects/{id}/remove",
      "/api/v1/admin/rooms/{id}/kick",
      "/api/v1/admin/users/{id}/ban",
      "/api/v1/admin/users/{id}/mute",
      "/api/v1/admin/users/{id}/unban",
      "/api/v1/admin/users/{id}/unmute",
    ]);
  });
});
