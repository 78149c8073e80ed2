// Invites, private rooms for members, and moderation by the room, through the real app and real
// SDK clients, on both databases.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Client } from "@colyseus/sdk";
import { CLOSE_CODES, ROOM_TYPE } from "../../shared/src/protocol.ts";
import { RoomInvite } from "../src/db/entities.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";
import { expectError } from "./helpers/expect.ts";
import { join, leaveAll, playerOf, type Player } from "./helpers/sdk.ts";

describe.each(DB_KINDS)("rooms people share on %s", (kind) => {
  let t: TestApp;
  let owner: TestUser;
  let admin: TestUser;
  let roomId: number;
  const players: Player[] = [];
  const as = (u: TestUser) => ({
    get: (path: string) => t.api("GET", `/api/v1${path}`, { token: u.token }),
    post: (path: string, body?: unknown) => t.api("POST", `/api/v1${path}`, { token: u.token, ...(body !== undefined ? { body } : {}) }),
    put: (path: string, body: unknown) => t.api("PUT", `/api/v1${path}`, { token: u.token, body }),
    del: (path: string) => t.api("DELETE", `/api/v1${path}`, { token: u.token }),
  });
  const enter = async (u: TestUser, x = 100) => {
    const p = await join(t, u, { room_id: roomId, x, y: 100 });
    players.push(p);
    await p.until((s) => playerOf(s, u.id) !== undefined, "own seat");
    return p;
  };
  const refusedJoin = (u: TestUser) => {
    const client = new Client(t.url);
    client.auth.token = u.token;
    return client.joinOrCreate(ROOM_TYPE, { room_id: roomId });
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    owner = await t.register("owner");
    admin = await t.admin();
    roomId = (await as(owner).post("/rooms", { name: "Back office", is_private: true })).body.id;
  });
  afterAll(async () => {
    await leaveAll(players);
    await t.close();
  });

  describe("invites", () => {
    it("let the owner invite into a private room; members see, list and join it, others get 404", async () => {
      const guest = await t.register("guest");
      const stranger = await t.register("stranger");
      expectError(await as(guest).get(`/rooms/${roomId}`), 404, "not_found");
      const res = await as(owner).post(`/rooms/${roomId}/invites`, { role: "builder", max_uses: 5, expires_minutes: 60 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ room_id: roomId, role: "builder", uses: 0, max_uses: 5, url: `/invite/${res.body.code}` });
      // 24 random bytes → 32 base64url characters: well over 128 bits.
      expect(res.body.code).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(Date.parse(res.body.expires_at) - Date.now()).toBeGreaterThan(59 * 60_000);

      const accepted = await as(guest).post(`/invites/${res.body.code}/accept`);
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ role: "builder", room: { id: roomId, is_private: true } });
      expect((await as(guest).get(`/rooms/${roomId}`)).status).toBe(200);
      expect((await as(guest).get("/rooms")).body.map((r: any) => r.id)).toContain(roomId);
      expect((await as(stranger).get("/rooms")).body.map((r: any) => r.id)).not.toContain(roomId);
      expectError(await as(stranger).get(`/rooms/${roomId}/members`), 404, "not_found");
      await expect(refusedJoin(stranger)).rejects.toMatchObject({ code: 404 });
      const g = await enter(guest);
      await leaveAll([g]);
      const members = await as(guest).get(`/rooms/${roomId}/members`);
      expect(members.body).toEqual([expect.objectContaining({ user_id: guest.id, username: guest.username, role: "builder" })]);
      expect(members.headers.get("x-total-count")).toBe("1");
    });

    it("counts a second accept by the same user once, and never lowers a role", async () => {
      const mod = await t.register("mod");
      expect((await as(owner).put(`/rooms/${roomId}/members/${mod.id}`, { role: "moderator" })).status).toBe(200);
      const code = (await as(mod).post(`/rooms/${roomId}/invites`, { role: "member", max_uses: 2 })).body.code;
      const user = await t.register("twice");
      expect((await as(user).post(`/invites/${code}/accept`)).body.role).toBe("member");
      expect((await as(mod).get(`/rooms/${roomId}/invites`)).body.find((i: any) => i.code === code)).toMatchObject({ uses: 1, max_uses: 2 });
      expect((await as(user).post(`/invites/${code}/accept`)).body.role).toBe("member");
      expect((await as(mod).post(`/invites/${code}/accept`)).body.role).toBe("moderator");
      const row = await t.app.orm.em.fork().findOneOrFail(RoomInvite, { code });
      expect({ uses: row.uses, maxUses: row.maxUses }).toEqual({ uses: 2, maxUses: 2 });
      // Used up: the third person is told nothing more than for a code that never existed.
      expectError(await as(await t.register("late")).post(`/invites/${code}/accept`), 404, "not_found");
      expect((await as(owner).get(`/rooms/${roomId}/invites`)).body.map((i: any) => i.code)).not.toContain(code);
    });

    it("answers 404 for revoked, expired and guessed codes; only managers create, list and revoke", async () => {
      const someone = await t.register("someone");
      const revoked = (await as(owner).post(`/rooms/${roomId}/invites`, {})).body.code;
      expect((await as(owner).del(`/rooms/${roomId}/invites/${revoked}`)).status).toBe(204);
      expectError(await as(owner).del(`/rooms/${roomId}/invites/${revoked}`), 404, "not_found");
      expectError(await as(someone).post(`/invites/${revoked}/accept`), 404, "not_found");

      const expired = (await as(owner).post(`/rooms/${roomId}/invites`, { expires_minutes: 1 })).body.code;
      await t.app.orm.em.fork().nativeUpdate(RoomInvite, { code: expired }, { expiresAt: new Date(Date.now() - 1000) });
      expectError(await as(someone).post(`/invites/${expired}/accept`), 404, "not_found");

      for (const guess of ["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "1", revoked.slice(0, -1) + (revoked.endsWith("A") ? "B" : "A")]) {
        expectError(await as(someone).post(`/invites/${guess}/accept`), 404, "not_found");
      }
      expectError(await as(someone).post(`/invites/${"x".repeat(65)}/accept`), 422, "invalid_payload");
      expectError(await as(someone).get(`/rooms/${roomId}`), 404, "not_found");

      const codes = new Set<string>();
      for (let i = 0; i < 20; i++) codes.add((await as(admin).post(`/rooms/${roomId}/invites`, { max_uses: 1 })).body.code);
      expect(codes.size).toBe(20);
      expect((await as(admin).get(`/rooms/${roomId}/invites?limit=5`)).headers.get("x-total-count")).toBe("21");
      expectError(await as(owner).post(`/rooms/${roomId}/invites`, { role: "moderator" }), 422, "invalid_payload");
      expectError(await as(owner).post(`/rooms/${roomId}/invites`, { max_uses: 1001 }), 422, "invalid_payload");
      expectError(await as(owner).post(`/rooms/${roomId}/invites`, { expires_minutes: 43201 }), 422, "invalid_payload");
    });

    it("refuses invite management to builders and members", async () => {
      const code = (await as(owner).post(`/rooms/${roomId}/invites`, { role: "member" })).body.code;
      const member = await t.register("member");
      await as(member).post(`/invites/${code}/accept`);
      expectError(await as(member).post(`/rooms/${roomId}/invites`, {}), 403, "forbidden");
      expectError(await as(member).get(`/rooms/${roomId}/invites`), 403, "forbidden");
      expectError(await as(member).del(`/rooms/${roomId}/invites/${code}`), 403, "forbidden");
      // A member may leave by themself; then the private room is hidden again.
      expect((await as(member).del(`/rooms/${roomId}/members/${member.id}`)).status).toBe(204);
      expectError(await as(member).get(`/rooms/${roomId}`), 404, "not_found");
    });
  });

  describe("moderation by the room", () => {
    let mod: TestUser;
    let mod2: TestUser;
    let bob: TestUser;
    let watcher: Player;

    beforeAll(async () => {
      [mod, mod2, bob] = [await t.register("rmod"), await t.register("rmod2"), await t.register("bob")];
      for (const [u, role] of [[mod, "moderator"], [mod2, "moderator"], [bob, "member"]] as const) {
        expect((await as(owner).put(`/rooms/${roomId}/members/${u.id}`, { role })).status).toBe(200);
      }
      watcher = await enter(owner, 300);
    });

    it("follows the rights rules: nobody on the owner or an admin, no moderator on a moderator, members not at all", async () => {
      const b = await enter(bob, 200);
      expectError(await as(mod).post(`/rooms/${roomId}/kick`, { user_id: owner.id }), 403, "forbidden");
      expectError(await as(mod).post(`/rooms/${roomId}/ban`, { user_id: admin.id }), 403, "forbidden");
      expectError(await as(owner).post(`/rooms/${roomId}/mute`, { user_id: admin.id, minutes: 5 }), 403, "forbidden");
      expectError(await as(mod).post(`/rooms/${roomId}/mute`, { user_id: mod2.id, minutes: 5 }), 403, "forbidden");
      expectError(await as(mod).put(`/rooms/${roomId}/members/${mod2.id}`, { role: "member" }), 403, "forbidden");
      expectError(await as(bob).post(`/rooms/${roomId}/kick`, { user_id: mod.id }), 403, "forbidden");
      expectError(await as(bob).get(`/rooms/${roomId}/bans`), 403, "forbidden");
      expectError(await as(bob).get(`/rooms/${roomId}/moderation-log`), 403, "forbidden");
      expectError(await as(mod).post(`/rooms/${roomId}/mute`, { user_id: bob.id, minutes: 0 }), 422, "invalid_payload");
      expectError(await as(mod).post(`/rooms/${roomId}/kick`, { user_id: 999999 }), 404, "not_found");
      // The owner may act on a moderator.
      expect((await as(owner).post(`/rooms/${roomId}/mute`, { user_id: mod2.id, minutes: 1 })).status).toBe(201);
      expect((await as(owner).del(`/rooms/${roomId}/mutes/${mod2.id}`)).status).toBe(204);
      await leaveAll([b]);
    });

    it("kicks with 4005 (they may come back) and mutes with the seconds left, in the room and over REST", async () => {
      const b = await enter(bob, 200);
      const kicked = await as(mod).post(`/rooms/${roomId}/kick`, { user_id: bob.id });
      expect(kicked.body).toMatchObject({ action: "kick", room_id: roomId, target_user_id: bob.id, admin_id: mod.id });
      expect(await b.left).toBe(CLOSE_CODES.kicked);
      const back = await enter(bob, 200);
      expect((await as(mod).post(`/rooms/${roomId}/mute`, { user_id: bob.id, minutes: 2 })).status).toBe(201);
      const m = back.mark();
      back.send("send_message", { message: "hello?" });
      const err = await back.next("error", (e) => e.event === "send_message", m);
      expect(err.code).toBe("muted");
      const seconds = Number(/muted for (\d+) more seconds/.exec(err.message)?.[1]);
      expect(seconds).toBeGreaterThan(100);
      expect(seconds).toBeLessThanOrEqual(120);
      const rest = await as(bob).post("/chat", { room_id: roomId, message: "rest" });
      expectError(rest, 403, "muted");
      expect(Number(rest.headers.get("retry-after"))).toBeGreaterThan(100);
      // The mute is this room's only: bob chats elsewhere.
      const other = (await as(owner).post("/rooms", { name: "Elsewhere" })).body.id;
      expect((await as(bob).post("/chat", { room_id: other, message: "fine here" })).status).toBe(201);
      expect((await as(mod).del(`/rooms/${roomId}/mutes/${bob.id}`)).status).toBe(204);
      expectError(await as(mod).del(`/rooms/${roomId}/mutes/${bob.id}`), 404, "not_found");
      const w = watcher.mark();
      back.send("send_message", { message: "back" });
      expect((await watcher.next("message_received", (p) => p.user_id === bob.id, w)).message).toBe("back");
      await leaveAll([back]);
    });

    it("bans with 4006; joining answers 403 banned until lifted; bans and the room's log are listed", async () => {
      const b = await enter(bob, 200);
      expect((await as(mod).post(`/rooms/${roomId}/ban`, { user_id: bob.id })).status).toBe(201);
      expect((await b.next("error")).code).toBe("banned");
      expect(await b.left).toBe(CLOSE_CODES.banned);
      const refused = await refusedJoin(bob).then(() => null, (err) => err);
      expect(refused).toMatchObject({ code: 403 });
      expect(String(refused.message)).toMatch(/^banned/);
      // Only this room: the account itself still works.
      expect((await as(bob).get("/users/me")).status).toBe(200);
      const bans = await as(mod).get(`/rooms/${roomId}/bans`);
      expect(bans.body).toEqual([expect.objectContaining({ user_id: bob.id, username: bob.username, until: null })]);
      expect((await as(owner).del(`/rooms/${roomId}/bans/${bob.id}`)).status).toBe(204);
      expect((await as(mod).get(`/rooms/${roomId}/bans`)).body).toEqual([]);
      const again = await enter(bob, 200);
      await leaveAll([again]);

      const log = await as(mod).get(`/rooms/${roomId}/moderation-log`);
      expect(log.body.map((r: any) => r.action)).toEqual(["unban", "ban", "unmute", "mute", "kick", "unmute", "mute"]);
      expect(log.body.every((r: any) => r.room_id === roomId)).toBe(true);
      expect((await as(admin).get("/admin/actions")).body.map((r: any) => r.room_id)).toContain(roomId);
    });
  });
});
