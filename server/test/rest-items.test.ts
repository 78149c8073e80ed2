// Inventory, placed objects, chat and tool logs through the real app, on both databases.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ITEM_TYPES, MAX_ITEMS_PER_USER } from "../../shared/src/constants.ts";
import { Item, RoomVisit, ToolLog } from "../src/db/entities.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";
import { expectError } from "./helpers/expect.ts";

describe.each(DB_KINDS)("items, objects, chat and logs on %s", (kind) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let roomOwner: TestUser;
  let roomId: number;
  beforeAll(async () => {
    t = await startTestApp(kind);
    [alice, bob, roomOwner] = [await t.register("alice"), await t.register("bob"), await t.register("host")];
    roomId = (await t.api("POST", "/api/v1/rooms", { token: roomOwner.token, body: { name: "Cafe" } })).body.id;
  });
  afterAll(() => t.close());

  const grant = async (u: TestUser, type: string, name?: string) => {
    const res = await t.api("POST", "/api/v1/inventory", { token: u.token, body: name ? { type, name } : { type } });
    expect(res.status).toBe(201);
    return res.body as { id: number; type: string; name: string };
  };
  const place = (u: TestUser, itemId: number, x: number, y: number, room = roomId) =>
    t.app.services.items.place({ id: u.id, username: u.username, isAdmin: false }, itemId, room, { x, y, rotation: 0 });

  describe("inventory", () => {
    it("grants every item type with a default or given name", async () => {
      for (const type of ITEM_TYPES) {
        const item = await grant(alice, type);
        expect(item).toMatchObject({ type, owner_id: alice.id, room_id: null, x: null, y: null, rotation: null });
        expect(item.name.toLowerCase().replace(" ", "_")).toBe(type);
      }
      expect((await grant(alice, "plant", "  Fern  ")).name).toBe("Fern");
      const inv = await t.api("GET", "/api/v1/inventory", { token: alice.token });
      expect(inv.body.map((i: { type: string }) => i.type)).toEqual([...ITEM_TYPES, "plant"]);
      expect(inv.headers.get("x-total-count")).toBe(String(ITEM_TYPES.length + 1));
      expect((await t.api("GET", "/api/v1/inventory?limit=2&offset=4", { token: alice.token })).body).toHaveLength(2);
    });

    it("validates grants", async () => {
      for (const body of [{}, { type: "sofa" }, { type: 3 }, { type: "chair", name: "" }, { type: "chair", name: "n".repeat(65) }]) {
        expectError(await t.api("POST", "/api/v1/inventory", { token: alice.token, body }), 422, "invalid_payload");
      }
      expectError(await t.api("POST", "/api/v1/inventory", { body: { type: "chair" } }), 401, "unauthorized");
    });

    it("caps a user's items at the limit, even under concurrent grants", async () => {
      const hoarder = await t.register("hoarder");
      const em = t.app.orm.em.fork();
      for (let i = 0; i < MAX_ITEMS_PER_USER - 5; i++) em.create(Item, { type: "plant", name: `Plant ${i}`, owner: hoarder.id });
      await em.flush();
      const grants = await Promise.all(
        Array.from({ length: 10 }, () => t.api("POST", "/api/v1/inventory", { token: hoarder.token, body: { type: "chair" } })),
      );
      expect(grants.map((g) => g.status).sort()).toEqual([201, 201, 201, 201, 201, 409, 409, 409, 409, 409]);
      for (const g of grants.filter((g) => g.status === 409)) expectError(g, 409, "conflict");
      const list = await t.api("GET", "/api/v1/inventory?limit=1", { token: hoarder.token });
      expect(list.headers.get("x-total-count")).toBe(String(MAX_ITEMS_PER_USER));
    });

    it("shows nobody else's inventory and discards only your own unplaced items", async () => {
      const mine = await grant(bob, "table");
      expect((await t.api("GET", "/api/v1/inventory", { token: alice.token })).body.map((i: { id: number }) => i.id)).not.toContain(mine.id);
      expectError(await t.api("DELETE", `/api/v1/inventory/${mine.id}`, { token: alice.token }), 404, "not_found");
      const placed = await grant(bob, "chair");
      await place(bob, placed.id, 400, 300);
      expectError(await t.api("DELETE", `/api/v1/inventory/${placed.id}`, { token: bob.token }), 409, "already_placed");
      expect((await t.api("DELETE", `/api/v1/inventory/${mine.id}`, { token: bob.token })).status).toBe(204);
      expectError(await t.api("DELETE", `/api/v1/inventory/${mine.id}`, { token: bob.token }), 404, "not_found");
      expectError(await t.api("DELETE", "/api/v1/inventory/nope", { token: bob.token }), 422, "invalid_payload");
    });
  });

  describe("placed objects", () => {
    it("lists a room's objects and gets one, but not an unplaced item", async () => {
      const chair = await grant(alice, "chair");
      const placed = await place(alice, chair.id, 200, 200);
      expect(placed).toMatchObject({ id: chair.id, room_id: roomId, x: 200, y: 200, rotation: 0 });
      const list = await t.api("GET", `/api/v1/objects?room_id=${roomId}`, { token: bob.token });
      expect(list.body.map((o: { id: number }) => o.id)).toContain(chair.id);
      expect(Number(list.headers.get("x-total-count"))).toBe(list.body.length);
      expect((await t.api("GET", `/api/v1/objects/${chair.id}`, { token: bob.token })).body).toEqual(placed);
      const mine = await t.api("GET", "/api/v1/objects", { token: alice.token });
      expect(mine.body.every((o: { owner_id: number }) => o.owner_id === alice.id)).toBe(true);
      const loose = await grant(alice, "tool");
      expectError(await t.api("GET", `/api/v1/objects/${loose.id}`, { token: alice.token }), 404, "not_found");
      expectError(await t.api("GET", "/api/v1/objects/777777", { token: alice.token }), 404, "not_found");
      expectError(await t.api("GET", "/api/v1/objects?room_id=777777", { token: alice.token }), 404, "not_found");
    });

    it("moves and rotates under the placement rules, by the object's or the room's owner only", async () => {
      const table = await grant(alice, "table");
      await place(alice, table.id, 500, 100);
      const moved = await t.api("PATCH", `/api/v1/objects/${table.id}`, { token: alice.token, body: { x: 520.4, rotation: 90 } });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ x: 520, y: 100, rotation: 90 });
      expectError(await t.api("PATCH", `/api/v1/objects/${table.id}`, { token: bob.token, body: { x: 10 } }), 403, "forbidden");
      const byHost = await t.api("PATCH", `/api/v1/objects/${table.id}`, { token: roomOwner.token, body: { y: 140 } });
      expect(byHost.body.y).toBe(140);
      expectError(await t.api("PATCH", `/api/v1/objects/${table.id}`, { token: alice.token, body: { x: 790 } }), 400, "out_of_bounds");
      expectError(await t.api("PATCH", `/api/v1/objects/${table.id}`, { token: alice.token, body: { y: 5 } }), 400, "out_of_bounds");
      expectError(await t.api("PATCH", `/api/v1/objects/${table.id}`, { token: alice.token, body: { rotation: 45 } }), 422, "invalid_payload");
      expectError(await t.api("PATCH", `/api/v1/objects/${table.id}`, { token: alice.token, body: { x: "left" } }), 422, "invalid_payload");
      const wall = await grant(bob, "wall");
      await place(bob, wall.id, 600, 140);
      expectError(await t.api("PATCH", `/api/v1/objects/${table.id}`, { token: alice.token, body: { x: 590 } }), 409, "blocked");
      expect((await t.api("PATCH", `/api/v1/objects/${table.id}`, { token: alice.token, body: { x: 568 } })).status).toBe(200);
      expect((await t.api("GET", `/api/v1/objects/${table.id}`, { token: alice.token })).body).toMatchObject({ x: 568, y: 140 });
    });

    it("does not let a blocking object land on a player who is in the room", async () => {
      const plant = await grant(alice, "plant");
      await place(alice, plant.id, 100, 400);
      const em = t.app.orm.em.fork();
      em.create(RoomVisit, { room: roomId, user: bob.id, x: 160, y: 400, processId: "test" });
      await em.flush();
      expectError(await t.api("PATCH", `/api/v1/objects/${plant.id}`, { token: alice.token, body: { x: 150 } }), 409, "blocked");
      const chair = await grant(alice, "chair");
      await place(alice, chair.id, 100, 300);
      expect((await t.api("PATCH", `/api/v1/objects/${chair.id}`, { token: alice.token, body: { x: 160, y: 400 } })).status).toBe(200);
    });

    it("returns an object to its owner's inventory on DELETE, once", async () => {
      const chair = await grant(bob, "chair");
      await place(bob, chair.id, 300, 500);
      expectError(await t.api("DELETE", `/api/v1/objects/${chair.id}`, { token: alice.token }), 403, "forbidden");
      const res = await t.api("DELETE", `/api/v1/objects/${chair.id}`, { token: roomOwner.token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: chair.id, owner_id: bob.id, room_id: null, x: null, y: null });
      expect((await t.api("GET", "/api/v1/inventory", { token: bob.token })).body.map((i: { id: number }) => i.id)).toContain(chair.id);
      expectError(await t.api("DELETE", `/api/v1/objects/${chair.id}`, { token: bob.token }), 404, "not_found");
    });

    it("places an item exactly once under concurrent attempts", async () => {
      const chair = await grant(alice, "chair");
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => place(alice, chair.id, 100 + i * 40, 560)));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const errors = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code: string }).code] : []));
      expect(errors).toEqual(Array(9).fill("already_placed"));
      const rows = await t.app.orm.em.fork().getConnection().execute("select count(*)::int as n from items where id = ?", [chair.id]);
      expect(Number(rows[0]!.n)).toBe(1);
      await expect(place(bob, (await grant(alice, "chair")).id, 100, 100)).rejects.toMatchObject({ code: "not_in_inventory" });
    });
  });

  describe("chat", () => {
    it("stores messages and pages history newest last", async () => {
      const sent = [];
      for (let i = 1; i <= 5; i++) {
        const res = await t.api("POST", "/api/v1/chat", { token: i % 2 ? alice.token : bob.token, body: { room_id: roomId, message: `  hello ${i}  ` } });
        expect(res.status).toBe(201);
        sent.push(res.body);
      }
      expect(sent[0]).toMatchObject({ room_id: roomId, user_id: alice.id, username: alice.username, message: "hello 1" });
      expect(Object.keys(sent[0]).sort()).toEqual(["created_at", "id", "message", "room_id", "user_id", "username"]);
      const last3 = await t.api("GET", `/api/v1/chat?room_id=${roomId}&limit=3`, { token: bob.token });
      expect(last3.body.map((m: { message: string }) => m.message)).toEqual(["hello 3", "hello 4", "hello 5"]);
      expect(last3.headers.get("x-total-count")).toBe("5");
      const before = await t.api("GET", `/api/v1/chat?room_id=${roomId}&before=${last3.body[0].id}`, { token: bob.token });
      expect(before.body.map((m: { message: string }) => m.message)).toEqual(["hello 1", "hello 2"]);
    });

    it("rejects empty, blank and over-long messages without storing them", async () => {
      const count = async () => Number((await t.api("GET", `/api/v1/chat?room_id=${roomId}`, { token: alice.token })).headers.get("x-total-count"));
      const before = await count();
      for (const message of ["", "    ", "x".repeat(501), 7]) {
        expectError(await t.api("POST", "/api/v1/chat", { token: alice.token, body: { room_id: roomId, message } }), 422, "invalid_payload");
      }
      expect((await t.api("POST", "/api/v1/chat", { token: alice.token, body: { room_id: roomId, message: ` ${"y".repeat(500)} ` } })).status).toBe(201);
      expect(await count()).toBe(before + 1);
      expectError(await t.api("POST", "/api/v1/chat", { token: alice.token, body: { room_id: 55555, message: "hi" } }), 404, "not_found");
      expectError(await t.api("POST", "/api/v1/chat", { token: alice.token, body: { message: "hi" } }), 422, "invalid_payload");
      expectError(await t.api("GET", "/api/v1/chat", { token: alice.token }), 422, "invalid_payload");
      expectError(await t.api("GET", `/api/v1/chat?room_id=${roomId}&limit=500`, { token: alice.token }), 422, "invalid_payload");
    });
  });

  describe("tool logs", () => {
    it("lists tool uses newest first, filtered by room and user, hiding private rooms", async () => {
      const hidden = (await t.api("POST", "/api/v1/rooms", { token: roomOwner.token, body: { name: "Back office", is_private: true } })).body.id;
      const em = t.app.orm.em.fork();
      em.create(ToolLog, { room: roomId, user: alice.id, targetObjectId: 1, action: "inspect", result: "a chair" });
      em.create(ToolLog, { room: roomId, user: bob.id, targetObjectId: 2, action: "rotate", result: "rotated to 90" });
      em.create(ToolLog, { room: hidden, user: roomOwner.id, targetObjectId: 3, action: "pickup", result: "picked up" });
      await em.flush();
      const all = await t.api("GET", `/api/v1/tools/logs?room_id=${roomId}`, { token: alice.token });
      expect(all.body.map((l: { action: string }) => l.action)).toEqual(["rotate", "inspect"]);
      expect(Object.keys(all.body[0]).sort()).toEqual(["action", "created_at", "id", "result", "room_id", "target_object_id", "user_id"]);
      const bobs = await t.api("GET", `/api/v1/tools/logs?room_id=${roomId}&user_id=${bob.id}`, { token: alice.token });
      expect(bobs.body).toHaveLength(1);
      const everywhere = await t.api("GET", "/api/v1/tools/logs", { token: alice.token });
      expect(everywhere.body.map((l: { room_id: number }) => l.room_id)).not.toContain(hidden);
      const ownerView = await t.api("GET", "/api/v1/tools/logs", { token: roomOwner.token });
      expect(ownerView.body.map((l: { room_id: number }) => l.room_id)).toContain(hidden);
      expectError(await t.api("GET", `/api/v1/tools/logs?room_id=${hidden}`, { token: alice.token }), 404, "not_found");
      expectError(await t.api("GET", "/api/v1/tools/logs?limit=0", { token: alice.token }), 422, "invalid_payload");
      expectError(await t.api("GET", "/api/v1/tools/logs?user_id=abc", { token: alice.token }), 422, "invalid_payload");
    });
  });

  describe("afterwards", () => {
    it("never answered with a 500", () => {
      expect(t.logs.filter((l) => l.includes("internal error"))).toEqual([]);
    });
  });
});
