// Room export and import on both databases: round trip between two servers, limits, all-or-nothing.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { MAX_ITEMS_PER_USER } from "../../shared/src/constants.ts";
import { ROOM_EXPORT_FORMAT, ROOM_EXPORT_VERSION } from "../../shared/src/room-export.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";
import { expectError } from "./helpers/expect.ts";

describe.each(DB_KINDS)("room export and import on %s", (kind) => {
  let source: TestApp;
  let target: TestApp;
  let owner: TestUser;
  let roomId: number;

  beforeAll(async () => {
    [source, target] = [await startTestApp(kind), await startTestApp(kind)];
    owner = await source.register("owner");
    const room = await source.api("POST", "/api/v1/rooms", {
      token: owner.token,
      body: { name: "Reading room", description: "quiet please", width: 640, height: 480, max_users: 12, is_private: true },
    });
    roomId = room.body.id;
    const objects = [
      { type: "wall", name: "North wall", x: 16, y: 16, rotation: 0 },
      { type: "table", name: "Big table", x: 200, y: 200, rotation: 90 },
      { type: "chair", name: "Chair", x: 200, y: 232, rotation: 180 },
      { type: "plant", name: "Fern", x: 600, y: 400, rotation: 270 },
    ];
    for (const o of objects) {
      const item = await source.api("POST", "/api/v1/inventory", { token: owner.token, body: { type: o.type, name: o.name } });
      // Placing happens in rooms; the service is what a room calls.
      const viewer = { id: owner.id, username: owner.username, isAdmin: false };
      await source.app.services.items.place(viewer, item.body.id, roomId, { x: o.x, y: o.y, rotation: o.rotation as 0 });
    }
  }, 120_000);
  afterAll(async () => {
    await source.close();
    await target.close();
  });

  it("exports to the owner and admins only", async () => {
    const stranger = await source.register("stranger");
    const publicRoom = (await source.api("POST", "/api/v1/rooms", { token: owner.token, body: { name: "Open" } })).body.id;
    expectError(await source.api("GET", `/api/v1/rooms/${publicRoom}/export`, { token: stranger.token }), 403, "forbidden");
    expectError(await source.api("GET", `/api/v1/rooms/${roomId}/export`, { token: stranger.token }), 404, "not_found");
    const admin = await source.admin();
    expect((await source.api("GET", `/api/v1/rooms/${roomId}/export`, { token: admin.token })).status).toBe(200);
  });

  it("round-trips to another server: export → import → export gives the same document", async () => {
    const first = await source.api("GET", `/api/v1/rooms/${roomId}/export`, { token: owner.token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ format: ROOM_EXPORT_FORMAT, version: ROOM_EXPORT_VERSION, room: { name: "Reading room", width: 640 } });
    expect(first.body.objects).toHaveLength(4);

    const importer = await target.register("importer");
    const created = await target.api("POST", "/api/v1/rooms/import", { token: importer.token, body: first.body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ owner_id: importer.id, name: "Reading room", is_private: true });
    const placed = (await target.api("GET", `/api/v1/objects?room_id=${created.body.id}`, { token: importer.token })).body;
    expect(placed.map((o: any) => o.owner_id)).toEqual([importer.id, importer.id, importer.id, importer.id]);

    const second = await target.api("GET", `/api/v1/rooms/${created.body.id}/export`, { token: importer.token });
    expect(second.body).toEqual(first.body);
  });

  it("refuses a document that breaks the placement rules, naming the first problem, and creates nothing", async () => {
    const doc = (await source.api("GET", `/api/v1/rooms/${roomId}/export`, { token: owner.token })).body;
    const user = await target.register("rules");
    const overlap = { ...doc, objects: [...doc.objects, { type: "wall", name: "Bad", x: 210, y: 205, rotation: 0 }] };
    const res = await target.api("POST", "/api/v1/rooms/import", { token: user.token, body: overlap });
    expectError(res, 422, "blocked");
    expect(res.body.detail[0].loc).toEqual(["body", "objects", 4]);
    const outside = { ...doc, objects: [{ type: "chair", name: "Out", x: 639, y: 100, rotation: 0 }] };
    expectError(await target.api("POST", "/api/v1/rooms/import", { token: user.token, body: outside }), 422, "out_of_bounds");
    expectError(await target.api("POST", "/api/v1/rooms/import", { token: user.token, body: { ...doc, version: 99 } }), 422, "invalid_payload");
    expectError(await target.api("POST", "/api/v1/rooms/import", { token: user.token, body: { ...doc, objects: [{ type: "spaceship", name: "x", x: 100, y: 100, rotation: 0 }] } }), 422, "invalid_payload");
    expect((await target.api("GET", "/api/v1/objects", { token: user.token })).body).toEqual([]);
    const rooms = (await target.api("GET", "/api/v1/rooms?limit=200", { token: user.token })).body;
    expect(rooms.filter((r: any) => r.owner_id === user.id)).toEqual([]);
  });

  it("counts against the item limit: over it is 409 and nothing is created", async () => {
    const user = await target.register("limit");
    // A chair grid: chairs do not block, so only the limit can refuse it.
    const objects = Array.from({ length: MAX_ITEMS_PER_USER }, (_, i) => ({ type: "chair", name: "Chair", x: 16 + (i % 30) * 32, y: 16 + Math.floor(i / 30) * 32, rotation: 0 }));
    const doc = {
      format: ROOM_EXPORT_FORMAT,
      version: ROOM_EXPORT_VERSION,
      room: { name: "Hall", description: "", width: 1000, height: 1000, max_users: 50, is_private: false },
      objects,
    };
    await target.api("POST", "/api/v1/inventory", { token: user.token, body: { type: "tool" } });
    const res = await target.api("POST", "/api/v1/rooms/import", { token: user.token, body: doc });
    expectError(res, 409, "conflict");
    expect(res.body.detail).toContain(String(MAX_ITEMS_PER_USER));
    expect((await target.api("GET", "/api/v1/inventory", { token: user.token })).headers.get("x-total-count")).toBe("1");
    expect((await target.api("GET", "/api/v1/objects", { token: user.token })).body).toEqual([]);
    // Exactly at the limit is fine (the large body is accepted on this route).
    await target.api("DELETE", `/api/v1/inventory/${(await target.api("GET", "/api/v1/inventory", { token: user.token })).body[0].id}`, { token: user.token });
    const ok = await target.api("POST", "/api/v1/rooms/import", { token: user.token, body: doc });
    expect(ok.status).toBe(201);
    expect((await target.api("GET", `/api/v1/objects?room_id=${ok.body.id}&limit=1`, { token: user.token })).headers.get("x-total-count")).toBe(String(MAX_ITEMS_PER_USER));
  });
});
