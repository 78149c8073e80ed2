// The original JSON WebSocket protocol at /api/v1/ws, meeting SDK clients in the same rooms.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import WebSocket from "ws";
import { CLOSE_CODES } from "../../shared/src/protocol.ts";
import { MAX_MESSAGE_BYTES } from "../../shared/src/constants.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { JsonClient } from "./helpers/json-client.ts";
import { join, leaveAll, playerOf, type Player } from "./helpers/sdk.ts";

describe("JSON WebSocket gateway", () => {
  let t: TestApp;
  let scripter: TestUser;
  let browser: TestUser;
  let roomId: number;
  let js: JsonClient;
  let sdk: Player;
  beforeAll(async () => {
    t = await startTestApp("pglite");
    [scripter, browser] = [await t.register("script"), await t.register("browser")];
    roomId = (await t.api("POST", "/api/v1/rooms", { token: browser.token, body: { name: "Both protocols", build_policy: "everyone", talk_radius: 240 } })).body.id;
    sdk = await join(t, browser, { room_id: roomId, x: 400, y: 300 });
    js = await JsonClient.open(t, `?token=${scripter.token}`);
  });
  afterAll(async () => {
    js?.ws.close();
    await leaveAll([sdk]);
    await t.close();
  });

  it("closes a socket with a missing or bad token before anything else", async () => {
    const reasons = { "": "Missing token", "?token=": "Missing token", "?token=not-a-jwt": "Invalid token" };
    for (const [query, reason] of Object.entries(reasons)) {
      const c = await JsonClient.open(t, query);
      expect(await c.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason });
      expect(c.frames).toEqual([]);
    }
  });

  it("handles frames sent the moment the socket opens, in order, like the original server", async () => {
    const quick = await t.register("quick");
    // As the README's example: join on open, then act at once, without waiting for room_state.
    const ws = new WebSocket(`${t.url.replace("http", "ws")}/api/v1/ws?token=${quick.token}`);
    const c = new JsonClient(ws);
    ws.on("open", () => {
      c.send("join_room", { room_id: roomId, x: 300, y: 450 });
      c.send("update_position", { room_id: roomId, x: 310, y: 450 });
      c.send("send_message", { room_id: roomId, message: "right after joining" });
    });
    expect((await c.next("room_state")).room_id).toBe(roomId);
    expect((await c.next("message_received", (d) => d.user_id === quick.id)).message).toBe("right after joining");
    await sdk.until((s) => playerOf(s, quick.id)?.x === 310, "the quick script's move");
    expect(c.frames.filter((f) => f.event === "error")).toEqual([]);
    ws.close();
    await sdk.until((s) => playerOf(s, quick.id) === undefined, "the quick script left");
  });

  it("closes a flooding JSON socket as the room closes a flooding SDK client", async () => {
    const flood = await JsonClient.open(t, `?token=${(await t.register("jflood")).token}`);
    const m = flood.mark();
    flood.send("join_room", { room_id: roomId, x: 500, y: 450 });
    await flood.next("room_state", undefined, m);
    for (let i = 0; i < 100; i++) flood.send("get_room_state");
    expect((await flood.closed).code).toBe(CLOSE_CODES.flooding);
  });

  it("answers room events before join_room with an error", async () => {
    const m = js.mark();
    js.send("send_message", { message: "hi" });
    expect(await js.next("error", undefined, m)).toMatchObject({ code: "invalid_payload", event: "send_message" });
  });

  it("runs the original flow: join, room_state, move, chat, place, use a tool — seen by an SDK client", async () => {
    let m = js.mark();
    const ms = sdk.mark();
    js.send("join_room", { room_id: roomId, x: 100, y: 100 });
    const state = await js.next("room_state", undefined, m);
    expect(state.room_id).toBe(roomId);
    // The room's fields as the synced state has them, voice range included.
    expect(state).toMatchObject({ name: "Both protocols", width: 800, height: 600, talk_radius: 240 });
    expect(Object.values(state.players).map((p: any) => p.user_id).sort()).toEqual([scripter.id, browser.id].sort());
    expect(await sdk.next("user_joined", undefined, ms)).toMatchObject({ user_id: scripter.id, x: 100, y: 100 });

    m = js.mark();
    js.send("update_position", { room_id: roomId, x: 130, y: 100 });
    await sdk.until((s) => playerOf(s, scripter.id)?.x === 130, "script moved for the SDK client");
    sdk.send("update_position", { x: 420, y: 300 });
    expect(await js.next("position_updated", (d) => d.user_id === browser.id, m)).toEqual({ user_id: browser.id, x: 420, y: 300 });

    m = js.mark();
    js.send("send_message", { message: "hello from a script" });
    const got = await sdk.next("message_received", (d) => d.message === "hello from a script", ms);
    expect(got.user_id).toBe(scripter.id);
    sdk.send("send_message", { message: "hello from a browser" });
    expect((await js.next("message_received", (d) => d.user_id === browser.id, m)).message).toBe("hello from a browser");

    const chair = (await t.api("POST", "/api/v1/inventory", { token: scripter.token, body: { type: "chair" } })).body;
    m = js.mark();
    js.send("place_object", { inventory_item_id: chair.id, room_id: roomId, x: 200, y: 200, rotation: 0 });
    expect((await js.next("object_placed", undefined, m)).object.id).toBe(chair.id);
    await sdk.until((s) => s.objects.has(String(chair.id)));

    await t.api("POST", "/api/v1/inventory", { token: scripter.token, body: { type: "tool" } });
    m = js.mark();
    js.send("use_tool", { room_id: roomId, target_object_id: chair.id, action: "rotate" });
    expect(await js.next("tool_used", undefined, m)).toMatchObject({ user_id: scripter.id, target_object_id: chair.id, action: "rotate" });
    await sdk.until((s) => s.objects.get(String(chair.id))?.rotation === 90);

    m = js.mark();
    js.send("get_inventory");
    expect((await js.next("inventory", undefined, m)).items.some((i: { type: string }) => i.type === "tool")).toBe(true);
  });

  it("applies the room's rules: teleports and duplicate placements are rejected", async () => {
    let m = js.mark();
    js.send("update_position", { x: 700, y: 500 });
    expect((await js.next("error", undefined, m)).code).toBe("too_fast");
    expect(playerOf(sdk.room.state, scripter.id).x).toBe(130);
    const plant = (await t.api("POST", "/api/v1/inventory", { token: scripter.token, body: { type: "plant" } })).body;
    m = js.mark();
    js.send("place_object", { inventory_item_id: plant.id, x: 600, y: 100, rotation: 0 });
    js.send("place_object", { inventory_item_id: plant.id, x: 650, y: 100, rotation: 0 });
    await js.next("object_placed", undefined, m);
    expect((await js.next("error", undefined, m)).code).toBe("already_placed");
  });

  it("answers malformed frames, unknown events and bad fields with error; closes oversized frames", async () => {
    const other = await t.register("other");
    const c = await JsonClient.open(t, `?token=${other.token}`);
    const cases: [string, string][] = [
      ["not json", "invalid_payload"],
      ["[1,2]", "invalid_payload"],
      [JSON.stringify({ data: {} }), "invalid_payload"],
      [JSON.stringify({ event: "dance" }), "unknown_message"],
      [JSON.stringify({ event: "join_room", data: { room_id: "abc" } }), "invalid_payload"],
      [JSON.stringify({ event: "join_room", data: { room_id: 999999 } }), "not_found"],
    ];
    for (const [raw, code] of cases) {
      const m = c.mark();
      c.ws.send(raw);
      expect([raw, (await c.next("error", undefined, m)).code]).toEqual([raw, code]);
    }
    const m = c.mark();
    c.send("join_room", { room_id: roomId });
    await c.next("room_state", undefined, m);
    const m2 = c.mark();
    c.send("update_position", { x: "left", y: 3 });
    expect((await c.next("error", undefined, m2)).code).toBe("invalid_payload");
    c.ws.send(JSON.stringify({ event: "send_message", data: { message: "x".repeat(MAX_MESSAGE_BYTES) } }));
    expect((await c.closed).code).toBe(1009);
  });

  it("marks a server admin in room_state for JSON clients, as in the SDK's state", async () => {
    const admin = await t.admin();
    const ops = await JsonClient.open(t, `?token=${admin.token}`);
    try {
      const m = ops.mark();
      ops.send("join_room", { room_id: roomId, x: 500, y: 400 });
      const state = await ops.next("room_state", undefined, m);
      const players = Object.values(state.players) as { user_id: number; admin: boolean }[];
      expect(players.find((p) => p.user_id === admin.id)?.admin).toBe(true);
      expect(players.find((p) => p.user_id === browser.id)?.admin).toBe(false);
      await sdk.until((s) => playerOf(s, admin.id)?.admin === true, "the admin flagged in the SDK's state");
    } finally {
      ops.ws.close();
    }
  });

  it("tells the others when a JSON socket closes", async () => {
    expect(playerOf(sdk.room.state, scripter.id)).toBeDefined();
    const m = sdk.mark();
    js.ws.close();
    expect(await sdk.next("user_left", (d) => d.user_id === scripter.id, m)).toEqual({ user_id: scripter.id });
  });
});
