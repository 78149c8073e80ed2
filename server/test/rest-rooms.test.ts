// Rooms and presence through the real app, on both databases.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { RoomVisit } from "../src/db/entities.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";
import { expectError } from "./helpers/expect.ts";

describe.each(DB_KINDS)("rooms on %s", (kind) => {
  let t: TestApp;
  let owner: TestUser;
  let other: TestUser;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp(kind);
    [owner, other, admin] = [await t.register("owner"), await t.register("other"), await t.admin()];
  });
  afterAll(() => t.close());

  const createRoom = async (token: string, body: Record<string, unknown>) => {
    const res = await t.api("POST", "/api/v1/rooms", { token, body });
    expect(res.status).toBe(201);
    return res.body;
  };
  const visit = async (roomId: number, userId: number, x: number, y: number, leftAt: Date | null = null) => {
    const em = t.app.orm.em.fork();
    em.create(RoomVisit, { room: roomId, user: userId, x, y, processId: "test", leftAt });
    await em.flush();
  };

  it("creates a room with the contract's defaults and its caller as owner", async () => {
    const room = await createRoom(owner.token, { name: "  Lobby  " });
    expect(room).toMatchObject({
      name: "Lobby",
      description: "",
      owner_id: owner.id,
      width: 800,
      height: 600,
      max_users: 50,
      is_private: false,
      build_policy: "builders",
      online: 0,
    });
    expect(Object.keys(room).sort()).toEqual(
      ["build_policy", "created_at", "description", "height", "id", "is_private", "max_users", "name", "online", "owner_id", "talk_radius", "theme", "width"].sort(),
    );
    expect((await t.api("GET", `/api/v1/rooms/${room.id}`, { token: other.token })).body).toEqual(room);
  });

  it("validates room fields against the contract's limits", async () => {
    const bad: Record<string, unknown>[] = [
      {},
      { name: "" },
      { name: "   " },
      { name: "x".repeat(101) },
      { name: "ok", width: 199 },
      { name: "ok", height: 4001 },
      { name: "ok", width: 500.5 },
      { name: "ok", max_users: 0 },
      { name: "ok", max_users: 501 },
      { name: "ok", is_private: "yes" },
      { name: "ok", description: "d".repeat(1001) },
      { name: 42 },
    ];
    for (const body of bad) expectError(await t.api("POST", "/api/v1/rooms", { token: owner.token, body }), 422, "invalid_payload");
    const edges = await createRoom(owner.token, { name: "edges", width: 200, height: 4000, max_users: 500 });
    expect(edges).toMatchObject({ width: 200, height: 4000, max_users: 500 });
  });

  it("lists, searches and pages rooms with X-Total-Count", async () => {
    for (const name of ["Search Alpha", "search beta", "Gamma 100% off_"]) await createRoom(owner.token, { name });
    const all = await t.api("GET", "/api/v1/rooms?limit=200", { token: other.token });
    expect(all.status).toBe(200);
    expect(Number(all.headers.get("x-total-count"))).toBe(all.body.length);
    const search = await t.api("GET", "/api/v1/rooms?q=SEARCH", { token: other.token });
    expect(search.body.map((r: { name: string }) => r.name).sort()).toEqual(["Search Alpha", "search beta"]);
    expect(search.headers.get("x-total-count")).toBe("2");
    // LIKE wildcards in the query match themselves only.
    expect((await t.api("GET", "/api/v1/rooms?q=100%25%20off_", { token: other.token })).body).toHaveLength(1);
    expect((await t.api("GET", "/api/v1/rooms?q=%25", { token: other.token })).body.map((r: { name: string }) => r.name)).toEqual([
      "Gamma 100% off_",
    ]);
    const page1 = await t.api("GET", "/api/v1/rooms?limit=2&offset=0", { token: other.token });
    const page2 = await t.api("GET", "/api/v1/rooms?limit=2&offset=2", { token: other.token });
    expect(page1.body).toHaveLength(2);
    expect(page2.body[0].id).toBeGreaterThan(page1.body[1].id);
    expect(page1.headers.get("x-total-count")).toBe(all.headers.get("x-total-count"));
    for (const q of ["limit=0", "limit=201", "limit=abc", "offset=-1"]) {
      expectError(await t.api("GET", `/api/v1/rooms?${q}`, { token: other.token }), 422, "invalid_payload");
    }
  });

  it("hides private rooms from everyone but their owner and admins", async () => {
    const secret = await createRoom(owner.token, { name: "Secret den", is_private: true });
    const names = async (token: string) =>
      (await t.api("GET", "/api/v1/rooms?q=secret%20den", { token })).body.map((r: { id: number }) => r.id);
    expect(await names(owner.token)).toEqual([secret.id]);
    expect(await names(admin.token)).toEqual([secret.id]);
    expect(await names(other.token)).toEqual([]);
    expectError(await t.api("GET", `/api/v1/rooms/${secret.id}`, { token: other.token }), 404, "not_found");
    expectError(await t.api("PATCH", `/api/v1/rooms/${secret.id}`, { token: other.token, body: { name: "mine" } }), 404, "not_found");
    expectError(await t.api("GET", `/api/v1/room-users?room_id=${secret.id}`, { token: other.token }), 404, "not_found");
    expectError(await t.api("GET", `/api/v1/chat?room_id=${secret.id}`, { token: other.token }), 404, "not_found");
    expect((await t.api("GET", `/api/v1/rooms/${secret.id}`, { token: admin.token })).status).toBe(200);
  });

  it("lets only the owner or an admin change or delete a room", async () => {
    const room = await createRoom(owner.token, { name: "Editable" });
    expectError(await t.api("PATCH", `/api/v1/rooms/${room.id}`, { token: other.token, body: { name: "hijack" } }), 403, "forbidden");
    expectError(await t.api("DELETE", `/api/v1/rooms/${room.id}`, { token: other.token }), 403, "forbidden");
    const edited = await t.api("PATCH", `/api/v1/rooms/${room.id}`, {
      token: owner.token,
      body: { name: "Edited", description: "now with coffee", width: 1000, max_users: 10, is_private: true },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: "Edited", description: "now with coffee", width: 1000, height: 600, max_users: 10, is_private: true });
    const byAdmin = await t.api("PATCH", `/api/v1/rooms/${room.id}`, { token: admin.token, body: { is_private: false } });
    expect(byAdmin.body.is_private).toBe(false);
    expectError(await t.api("PATCH", `/api/v1/rooms/${room.id}`, { token: owner.token, body: { width: 100 } }), 422, "invalid_payload");
    expectError(await t.api("PATCH", `/api/v1/rooms/${room.id}`, { token: owner.token, raw: "{" }), 400, "invalid_payload");
    const gone = await t.api("DELETE", `/api/v1/rooms/${room.id}`, { token: admin.token });
    expect(gone.status).toBe(204);
    expect(gone.text).toBe("");
    expectError(await t.api("GET", `/api/v1/rooms/${room.id}`, { token: owner.token }), 404, "not_found");
    expectError(await t.api("DELETE", `/api/v1/rooms/${room.id}`, { token: owner.token }), 404, "not_found");
  });

  it("answers unknown and malformed room ids", async () => {
    expectError(await t.api("GET", "/api/v1/rooms/987654", { token: owner.token }), 404, "not_found");
    expectError(await t.api("GET", "/api/v1/rooms/abc", { token: owner.token }), 422, "invalid_payload");
    expectError(await t.api("GET", "/api/v1/rooms/-1", { token: owner.token }), 422, "invalid_payload");
    expectError(await t.api("PATCH", "/api/v1/rooms/99999999999", { token: owner.token, body: {} }), 422, "invalid_payload");
    expectError(await t.api("GET", "/api/v1/rooms", {}), 401, "unauthorized");
    expectError(await t.api("POST", "/api/v1/rooms", { body: { name: "x" } }), 401, "unauthorized");
    expectError(await t.api("GET", "/api/v1/nowhere", { token: owner.token }), 404, "not_found");
  });

  it("refuses to shrink a room past its placed objects, and returns them to inventories on delete", async () => {
    const room = await createRoom(owner.token, { name: "Furnished", build_policy: "everyone" });
    const grant = async (u: TestUser, type: string) => (await t.api("POST", "/api/v1/inventory", { token: u.token, body: { type } })).body;
    const chair = await grant(owner, "chair");
    const wall = await grant(other, "wall");
    const viewer = (u: TestUser) => ({ id: u.id, username: u.username, isAdmin: false });
    await t.app.services.items.place(viewer(owner), chair.id, room.id, { x: 700, y: 100, rotation: 0 });
    await t.app.services.items.place(viewer(other), wall.id, room.id, { x: 100, y: 500, rotation: 90 });
    expectError(await t.api("PATCH", `/api/v1/rooms/${room.id}`, { token: owner.token, body: { width: 600 } }), 409, "conflict");
    expectError(await t.api("PATCH", `/api/v1/rooms/${room.id}`, { token: owner.token, body: { height: 400 } }), 409, "conflict");
    expect((await t.api("PATCH", `/api/v1/rooms/${room.id}`, { token: owner.token, body: { width: 716 } })).status).toBe(200);
    expect((await t.api("DELETE", `/api/v1/rooms/${room.id}`, { token: owner.token })).status).toBe(204);
    const ownerInv = (await t.api("GET", "/api/v1/inventory", { token: owner.token })).body.map((i: { id: number }) => i.id);
    const otherInv = (await t.api("GET", "/api/v1/inventory", { token: other.token })).body;
    expect(ownerInv).toContain(chair.id);
    expect(otherInv.find((i: { id: number }) => i.id === wall.id)).toMatchObject({ room_id: null, x: null, y: null, rotation: null });
  });

  it("shows who is in a room now with positions, the online count, and the visit history", async () => {
    const room = await createRoom(owner.token, { name: "Busy" });
    await visit(room.id, owner.id, 100, 120);
    await visit(room.id, other.id, 300, 320);
    await visit(room.id, admin.id, 50, 60, new Date());
    const now = await t.api("GET", `/api/v1/room-users?room_id=${room.id}`, { token: other.token });
    expect(now.status).toBe(200);
    expect(now.headers.get("x-total-count")).toBe("2");
    expect(now.body.map((u: { user_id: number; x: number; y: number }) => [u.user_id, u.x, u.y])).toEqual([
      [owner.id, 100, 120],
      [other.id, 300, 320],
    ]);
    expect(Object.keys(now.body[0]).sort()).toEqual(["display_name", "joined_at", "user_id", "username", "x", "y"]);
    const history = await t.api("GET", `/api/v1/room-users?room_id=${room.id}&history=1`, { token: other.token });
    expect(history.body).toHaveLength(3);
    expect(history.body.filter((v: { left_at: string | null }) => v.left_at !== null)).toHaveLength(1);
    const listed = (await t.api("GET", "/api/v1/rooms?q=busy", { token: other.token })).body[0];
    expect(listed.online).toBe(2);
    expect((await t.api("GET", `/api/v1/rooms/${room.id}`, { token: other.token })).body.online).toBe(2);
    expectError(await t.api("GET", "/api/v1/room-users", { token: other.token }), 422, "invalid_payload");
    expectError(await t.api("GET", "/api/v1/room-users?room_id=x", { token: other.token }), 422, "invalid_payload");
    expectError(await t.api("GET", `/api/v1/room-users?room_id=${room.id}&history=maybe`, { token: other.token }), 422, "invalid_payload");
    expectError(await t.api("GET", "/api/v1/room-users?room_id=424242", { token: other.token }), 404, "not_found");
  });

  describe("afterwards", () => {
    it("never answered with a 500", () => {
      expect(t.logs.filter((l) => l.includes("internal error"))).toEqual([]);
    });
  });
});
