// Account deletion over REST, with its live effects in rooms (SDK and JSON protocol), on both databases.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { DELETED_USER_NAME, USERNAME_RESERVED_DAYS } from "../../shared/src/leaving.ts";
import { CLOSE_CODES } from "../../shared/src/protocol.ts";
import { User } from "../src/db/entities.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";
import { expectError } from "./helpers/expect.ts";
import { openGateway } from "./helpers/fuzz-clients.ts";
import { join, leaveAll, playerOf, type Player } from "./helpers/sdk.ts";

const PASSWORD = "correct horse battery";

describe.each(DB_KINDS)("account deletion on %s", (kind) => {
  let t: TestApp;
  const players: Player[] = [];
  const auth = (u: TestUser) => ({ token: u.token });
  const createRoom = async (u: TestUser, name: string) =>
    (await t.api("POST", "/api/v1/rooms", { ...auth(u), body: { name } })).body.id as number;
  const grant = async (u: TestUser, type = "chair") => (await t.api("POST", "/api/v1/inventory", { ...auth(u), body: { type } })).body.id as number;
  const enter = async (u: TestUser, roomId: number, x: number) => {
    const p = await join(t, u, { room_id: roomId, x, y: 300 });
    players.push(p);
    await p.until((s) => playerOf(s, u.id) !== undefined, "own seat");
    return p;
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
  }, 120_000);
  afterAll(async () => {
    await leaveAll(players);
    await t.close();
  });

  it("refuses a wrong or missing password and other users; admins only for someone else", async () => {
    const [alice, bob] = [await t.register("alice"), await t.register("bob")];
    expectError(await t.api("DELETE", "/api/v1/users/me", { ...auth(alice), body: { password: "wrong password" } }), 403, "forbidden");
    expectError(await t.api("DELETE", "/api/v1/users/me", { ...auth(alice), body: {} }), 422, "invalid_payload");
    expectError(await t.api("DELETE", "/api/v1/users/me", { body: { password: PASSWORD } }), 401, "unauthorized");
    expectError(await t.api("DELETE", `/api/v1/users/${bob.id}`, auth(alice)), 403, "forbidden");
    expectError(await t.api("DELETE", "/api/v1/users/999999", auth(await t.admin())), 404, "not_found");
    expect((await t.api("GET", "/api/v1/users/me", auth(alice))).status).toBe(200);
  });

  it("deletes everything the account owns, live, and keeps its chat under a deleted author", async () => {
    const [carol, dave] = [await t.register("carol"), await t.register("dave")];
    const carolsRoom = await createRoom(carol, "Carol's");
    const davesRoom = await createRoom(dave, "Dave's");
    const [keep, inDaves, inOwn, davesInCarols] = [await grant(carol), await grant(carol, "table"), await grant(carol, "plant"), await grant(dave, "wall")];
    // Each may build in the other's room (rooms default to the builders policy).
    const makeBuilder = async (owner: TestUser, roomId: number, u: TestUser) =>
      expect((await t.api("PUT", `/api/v1/rooms/${roomId}/members/${u.id}`, { ...auth(owner), body: { role: "builder" } })).status).toBe(200);
    await makeBuilder(dave, davesRoom, carol);
    await makeBuilder(carol, carolsRoom, dave);
    const d = await enter(dave, davesRoom, 400);
    const c = await enter(carol, davesRoom, 200);
    const inCarols = await enter(dave, carolsRoom, 400);
    // Place through the rooms, as players do.
    const placeLive = async (p: Player, itemId: number, x: number) => {
      p.send("place_object", { inventory_item_id: itemId, x, y: 100, rotation: 0 });
      await p.until((s) => s.objects.get(String(itemId)) !== undefined, `object ${itemId}`);
    };
    await placeLive(c, inDaves, 100);
    await placeLive(inCarols, davesInCarols, 300);
    const carolInOwn = await enter(carol, carolsRoom, 200);
    await placeLive(carolInOwn, inOwn, 100);
    const m = c.mark();
    c.send("send_message", { message: "bye everyone" });
    await c.next("message_received", undefined, m);
    // The JSON protocol's seat is in a third room (one seat per user per room).
    const gw = await openGateway(t.url, carol.token, await createRoom(dave, "Dave's other"));
    const gwClosed = new Promise<number>((resolve) => gw.ws.once("close", resolve));

    const res = await t.api("DELETE", "/api/v1/users/me", { ...auth(carol), body: { password: PASSWORD } });
    expect(res.status).toBe(204);

    // Her seat in Dave's room closes with 4007, on both protocols; her object leaves the room live.
    expect(await c.left).toBe(CLOSE_CODES.accountDeleted);
    expect(await gwClosed).toBe(CLOSE_CODES.accountDeleted);
    await d.until((s) => s.objects.get(String(inDaves)) === undefined && playerOf(s, carol.id) === undefined, "carol and her table gone");
    // Her own room is deleted as a room delete: Dave's wall is back in his inventory.
    expect(await inCarols.left).toBe(CLOSE_CODES.roomDeleted);
    expect(await carolInOwn.left).toBe(CLOSE_CODES.roomDeleted);
    expectError(await t.api("GET", `/api/v1/rooms/${carolsRoom}`, auth(dave)), 404, "not_found");
    const davesItems = (await t.api("GET", "/api/v1/inventory", auth(dave))).body;
    expect(davesItems.map((i: any) => i.id)).toEqual([davesInCarols]);

    // Her token stops at once, for REST and joins; her login is gone; her items are gone.
    expectError(await t.api("GET", "/api/v1/users/me", auth(carol)), 401, "unauthorized");
    await expect(join(t, carol, { room_id: davesRoom })).rejects.toMatchObject({ code: 401 });
    expectError(await t.api("POST", "/api/v1/auth/login", { body: { username: carol.username, password: PASSWORD } }), 401, "unauthorized");
    expectError(await t.api("GET", `/api/v1/users/${carol.id}`, auth(dave)), 404, "not_found");
    const rows = await t.app.orm.em.fork().getConnection().execute("select id from items where id in (?, ?, ?)", [keep, inDaves, inOwn]);
    expect(rows).toEqual([]);

    // Her roles in other people's rooms end with the account.
    const members = (await t.api("GET", `/api/v1/rooms/${davesRoom}/members`, auth(dave))).body;
    expect(members.map((mb: any) => mb.user_id)).not.toContain(carol.id);

    // Her chat stays, shown as from a deleted user.
    const chat = (await t.api("GET", `/api/v1/chat?room_id=${davesRoom}`, auth(dave))).body;
    expect(chat).toEqual([expect.objectContaining({ user_id: carol.id, username: DELETED_USER_NAME, message: "bye everyone" })]);

    // Audited.
    const admin = await t.admin();
    const log = (await t.api("GET", `/api/v1/admin/actions?user_id=${carol.id}`, auth(admin))).body;
    expect(log).toEqual([expect.objectContaining({ action: "delete_account", admin_id: carol.id, target_user_id: carol.id })]);
    expect(t.logs.some((l) => l.includes(`account ${carol.id} deleted`))).toBe(true);
    await leaveAll([d]);
  });

  it("admins delete accounts, audited; the username is free again after the reservation, not before", async () => {
    const admin = await t.admin();
    const erin = await t.register("erin");
    expect((await t.api("DELETE", `/api/v1/users/${erin.id}`, auth(admin))).status).toBe(204);
    expectError(await t.api("DELETE", `/api/v1/users/${erin.id}`, auth(admin)), 404, "not_found");
    const log = (await t.api("GET", `/api/v1/admin/actions?user_id=${erin.id}`, auth(admin))).body;
    expect(log).toEqual([expect.objectContaining({ action: "delete_account", admin_id: admin.id, target_user_id: erin.id })]);

    const again = { username: erin.username, email: "erin-new@example.test", password: PASSWORD };
    expectError(await t.api("POST", "/api/v1/auth/register", { body: again }), 409, "conflict");
    // The old email address is free at once (nothing personal is kept).
    const reuse = await t.api("POST", "/api/v1/auth/register", { body: { username: `${erin.username}x`, email: `${erin.username}@example.test`, password: PASSWORD } });
    expect(reuse.status).toBe(201);

    const almost = new Date(Date.now() - (USERNAME_RESERVED_DAYS * 24 - 1) * 3600_000);
    await t.app.orm.em.fork().nativeUpdate(User, { id: erin.id }, { deletedAt: almost });
    expectError(await t.api("POST", "/api/v1/auth/register", { body: again }), 409, "conflict");
    const past = new Date(Date.now() - (USERNAME_RESERVED_DAYS * 24 + 1) * 3600_000);
    await t.app.orm.em.fork().nativeUpdate(User, { id: erin.id }, { deletedAt: past });
    const fresh = await t.api("POST", "/api/v1/auth/register", { body: again });
    expect(fresh.status).toBe(201);
    expect(fresh.body.user.id).not.toBe(erin.id);
  });
});
