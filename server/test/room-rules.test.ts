// The authoritative rules of the `cafe` room, through the real server with real SDK clients.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { MAX_MESSAGE_BYTES, PLAYER_RADIUS } from "../../shared/src/constants.ts";
import { CLOSE_CODES } from "../../shared/src/protocol.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";
import { join, leaveAll, playerOf, type Player } from "./helpers/sdk.ts";

describe.each(DB_KINDS)("cafe room rules on %s", (kind) => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let roomId: number;
  let a: Player;
  let b: Player;
  const players: Player[] = [];
  const enter = async (u: TestUser, options: Record<string, unknown>) => {
    const p = await join(t, u, options);
    players.push(p);
    return p;
  };
  const grant = async (u: TestUser, type: string) =>
    (await t.api("POST", "/api/v1/inventory", { token: u.token, body: { type } })).body as { id: number };

  beforeAll(async () => {
    t = await startTestApp(kind);
    [alice, bob] = [await t.register("alice"), await t.register("bob")];
    roomId = (await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "Rules", build_policy: "everyone" } })).body.id;
    // A wall at (200, 100): Alice spawns left of it.
    const wall = await grant(alice, "wall");
    await t.app.services.items.place({ id: alice.id, username: alice.username, isAdmin: false }, wall.id, roomId, { x: 200, y: 100, rotation: 0 });
    a = await enter(alice, { room_id: roomId, x: 150, y: 100 });
    b = await enter(bob, { room_id: roomId, x: 400, y: 400 });
    await a.until((s) => playerOf(s, bob.id) !== undefined);
  });
  afterAll(async () => {
    await leaveAll(players);
    await t.close();
  });

  describe("movement", () => {
    it("loads placed objects into the state on create", () => {
      const objects = [...a.room.state.objects.values()];
      expect(objects.map((o: any) => [o.type, o.x, o.y])).toEqual([["wall", 200, 100]]);
    });

    it("shows each player's moves to both, and names the seq of a refused move", async () => {
      expect(a.room.roomId).toBe(b.room.roomId);
      b.send("update_position", { x: 410, y: 400, seq: 7 });
      await a.until((s) => playerOf(s, bob.id)?.x === 410, "bob's move seen by alice");
      await b.until((s) => playerOf(s, bob.id)?.x === 410, "bob's move taken, in his own state");
      const m = b.mark();
      b.send("update_position", { x: 720, y: 400, seq: 8 }); // far beyond walking speed
      const refusal = await b.next("error", undefined, m);
      expect(refusal).toMatchObject({ code: "too_fast", event: "update_position", seq: 8 });
      expect(playerOf(b.room.state, bob.id).x).toBe(410);
      b.send("update_position", { x: 400, y: 400, seq: 9 });
      await a.until((s) => playerOf(s, bob.id)?.x === 400, "bob back");
      // No per-player input sequence travels in the state: every patch is the same for everyone.
      expect(Object.keys(playerOf(a.room.state, bob.id).toJSON())).not.toContain("ack");
    });

    it("rejects moving into a wall, and through one", async () => {
      let m = a.mark();
      a.send("update_position", { x: 190, y: 100 });
      expect((await a.next("error", undefined, m)).code).toBe("blocked");
      a.send("update_position", { x: 150, y: 160 });
      await a.until((s) => playerOf(s, alice.id).y === 160);
      // Straight across the wall's row is a path through it even though both ends are free.
      a.send("update_position", { x: 150, y: 100 });
      await a.until((s) => playerOf(s, alice.id).y === 100);
      m = a.mark();
      a.send("update_position", { x: 250, y: 100 });
      expect((await a.next("error", undefined, m)).code).toBe("blocked");
      expect(playerOf(a.room.state, alice.id).x).toBe(150);
    });

    it("rejects leaving the room", async () => {
      const m = a.mark();
      a.send("update_position", { x: 150, y: 5 });
      expect((await a.next("error", undefined, m)).code).toBe("out_of_bounds");
      expect(playerOf(a.room.state, alice.id).y).toBe(100);
    });

    it("rejects a teleport but allows a lag burst within walking speed", async () => {
      let m = b.mark();
      b.send("update_position", { x: 750, y: 550 });
      expect((await b.next("error", undefined, m)).code).toBe("too_fast");
      b.send("update_position", { x: 480, y: 400 });
      await a.until((s) => playerOf(s, bob.id).x === 480, "bob at 480");
      // The window still holds 80 px: 150 more would exceed 200 px in one second.
      m = b.mark();
      b.send("update_position", { x: 630, y: 400 });
      expect((await b.next("error", undefined, m)).code).toBe("too_fast");
      expect(playerOf(a.room.state, bob.id).x).toBe(480);
    });
  });

  describe("chat", () => {
    it("stores a message and delivers it to everyone", async () => {
      const [ma, mb] = [a.mark(), b.mark()];
      a.send("send_message", { message: "  hello there  " });
      const [got, mine] = await Promise.all([b.next("message_received", undefined, mb), a.next("message_received", undefined, ma)]);
      expect(got).toMatchObject({ room_id: roomId, user_id: alice.id, username: alice.username, message: "hello there" });
      expect(mine.id).toBe(got.id);
      const history = await t.api("GET", `/api/v1/chat?room_id=${roomId}`, { token: bob.token });
      expect(history.body.map((m: { id: number }) => m.id)).toContain(got.id);
    });

    it("rejects empty and 501-character messages without storing them", async () => {
      for (const message of ["", "   ", "x".repeat(501)]) {
        const m = a.mark();
        a.send("send_message", { message });
        expect(await a.next("error", undefined, m)).toMatchObject({ code: "invalid_payload", event: "send_message" });
      }
      const history = await t.api("GET", `/api/v1/chat?room_id=${roomId}&limit=200`, { token: bob.token });
      expect(history.body.some((m: { message: string }) => m.message === "" || m.message.length > 500)).toBe(false);
    });

    it("delivers chat posted over REST to live clients", async () => {
      const m = a.mark();
      const posted = await t.api("POST", "/api/v1/chat", { token: bob.token, body: { room_id: roomId, message: "from a script" } });
      expect(posted.status).toBe(201);
      expect((await a.next("message_received", (p) => p.id === posted.body.id, m)).message).toBe("from a script");
    });

    it("rate-limits a chatty client with a clear error", async () => {
      const m = b.mark();
      for (let i = 0; i < 7; i++) b.send("send_message", { message: `spam ${i}` });
      expect(await b.next("error", (p) => p.code === "rate_limited", m)).toMatchObject({ event: "send_message" });
    });
  });

  describe("placing objects", () => {
    it("places an item for everyone and takes it out of the inventory", async () => {
      const chair = await grant(bob, "chair");
      const [ma, mb] = [a.mark(), b.mark()];
      b.send("place_object", { inventory_item_id: chair.id, x: 500, y: 200, rotation: 90 });
      const [seenByA] = await Promise.all([a.next("object_placed", undefined, ma), b.next("object_placed", undefined, mb)]);
      expect(seenByA.object).toMatchObject({ id: chair.id, type: "chair", owner_id: bob.id, room_id: roomId, x: 500, y: 200, rotation: 90 });
      await a.until((s) => s.objects.get(String(chair.id))?.x === 500);
      const inventory = await t.api("GET", "/api/v1/inventory", { token: bob.token });
      expect(inventory.body.map((i: { id: number }) => i.id)).not.toContain(chair.id);
    });

    it("refuses another user's item, an unknown item, and a spot outside the room", async () => {
      const hers = await grant(alice, "plant");
      let m = b.mark();
      b.send("place_object", { inventory_item_id: hers.id, x: 600, y: 300, rotation: 0 });
      expect((await b.next("error", undefined, m)).code).toBe("not_in_inventory");
      m = b.mark();
      b.send("place_object", { inventory_item_id: 999999, x: 600, y: 300, rotation: 0 });
      expect((await b.next("error", undefined, m)).code).toBe("not_in_inventory");
      const mine = await grant(bob, "table");
      m = b.mark();
      b.send("place_object", { inventory_item_id: mine.id, x: 795, y: 300, rotation: 0 });
      expect((await b.next("error", undefined, m)).code).toBe("out_of_bounds");
      m = b.mark();
      b.send("place_object", { inventory_item_id: mine.id, x: 150, y: 100, rotation: 0 });
      expect((await b.next("error", undefined, m)).code).toBe("blocked"); // Alice stands there
      expect(a.room.state.objects.get(String(mine.id))).toBeUndefined();
    });

    it("sits a player on a chair they walk onto", async () => {
      const chair = await grant(alice, "chair");
      a.send("place_object", { inventory_item_id: chair.id, x: 150, y: 160, rotation: 0 });
      await a.until((s) => s.objects.has(String(chair.id)));
      a.send("update_position", { x: 150, y: 155 });
      await b.until((s) => playerOf(s, alice.id).sitting_on === chair.id, "sitting");
    });
  });

  describe("tools", () => {
    let target: number;
    beforeAll(async () => {
      const table = await grant(bob, "table");
      const m = b.mark();
      b.send("place_object", { inventory_item_id: table.id, x: 600, y: 500, rotation: 0 });
      target = (await b.next("object_placed", undefined, m)).object.id;
    });

    it("refuses tool use without a tool in the inventory", async () => {
      const m = a.mark();
      a.send("use_tool", { target_object_id: target, action: "inspect" });
      expect(await a.next("error", undefined, m)).toMatchObject({ code: "no_tool", event: "use_tool" });
    });

    it("inspects anything, but moves and picks up only what one may change", async () => {
      await grant(alice, "tool");
      let m = b.mark();
      a.send("use_tool", { target_object_id: target, action: "inspect" });
      const inspected = await b.next("tool_used", undefined, m);
      expect(inspected).toMatchObject({ user_id: alice.id, target_object_id: target, action: "inspect" });
      expect(inspected.result).toContain("table");
      const logs = await t.api("GET", `/api/v1/tools/logs?room_id=${roomId}`, { token: alice.token });
      expect(logs.body[0]).toMatchObject({ id: inspected.id, action: "inspect", user_id: alice.id, target_object_id: target });
      // Bob owns neither Alice's plant nor the room (Alice does).
      const plant = await grant(alice, "plant");
      await t.app.services.items.place({ id: alice.id, username: alice.username, isAdmin: false }, plant.id, roomId, { x: 700, y: 300, rotation: 0 });
      await b.until((st) => st.objects.has(String(plant.id)), "plant in state");
      await grant(bob, "tool");
      for (const action of ["pickup", "rotate"]) {
        m = b.mark();
        b.send("use_tool", { target_object_id: plant.id, action });
        expect(await b.next("error", undefined, m)).toMatchObject({ code: "forbidden", event: "use_tool" });
      }
      expect(a.room.state.objects.get(String(plant.id))).toMatchObject({ x: 700, rotation: 0 });
    });

    it("moves, rotates and picks up with a tool, for everyone, with a log row each", async () => {
      let m = a.mark();
      b.send("use_tool", { target_object_id: target, action: "move", x: 650, y: 500 });
      expect((await a.next("tool_used", undefined, m)).result).toContain("650");
      await a.until((s) => s.objects.get(String(target))?.x === 650);
      b.send("use_tool", { target_object_id: target, action: "rotate" });
      await a.until((s) => s.objects.get(String(target))?.rotation === 90);
      m = a.mark();
      b.send("use_tool", { target_object_id: target, action: "pickup" });
      expect((await a.next("object_removed", undefined, m)).object_id).toBe(target);
      await a.until((s) => !s.objects.has(String(target)));
      const inventory = await t.api("GET", "/api/v1/inventory", { token: bob.token });
      expect(inventory.body.map((i: { id: number }) => i.id)).toContain(target);
      const logs = await t.api("GET", `/api/v1/tools/logs?room_id=${roomId}&user_id=${bob.id}`, { token: bob.token });
      expect(logs.body.map((l: { action: string }) => l.action)).toEqual(["pickup", "rotate", "move"]);
    });

    it("applies one client's commands in the order sent, without waiting for replies", async () => {
      const chair = await grant(bob, "chair");
      await grant(bob, "tool");
      const m = b.mark();
      // An item keeps its id when placed, so a script may act on it at once.
      b.send("place_object", { inventory_item_id: chair.id, x: 560, y: 300, rotation: 0 });
      b.send("use_tool", { target_object_id: chair.id, action: "rotate" });
      b.send("use_tool", { target_object_id: chair.id, action: "pickup" });
      await b.next("tool_used", (p) => p.action === "pickup", m);
      const outcomes = b.received
        .slice(m)
        .filter((r) => ["object_placed", "tool_used", "error"].includes(r.type))
        .map((r) => (r.type === "tool_used" ? r.payload.action : r.type));
      expect(outcomes).toEqual(["object_placed", "rotate", "pickup"]);
    });

    it("reflects REST PATCH and DELETE of objects in the live room", async () => {
      const plant = await grant(alice, "plant");
      a.send("place_object", { inventory_item_id: plant.id, x: 700, y: 100, rotation: 0 });
      await b.until((s) => s.objects.has(String(plant.id)));
      await t.api("PATCH", `/api/v1/objects/${plant.id}`, { token: alice.token, body: { x: 720, rotation: 180 } });
      await b.until((s) => s.objects.get(String(plant.id))?.x === 720 && s.objects.get(String(plant.id))?.rotation === 180);
      const m = b.mark();
      await t.api("DELETE", `/api/v1/objects/${plant.id}`, { token: alice.token });
      expect((await b.next("object_removed", undefined, m)).object_id).toBe(plant.id);
      await b.until((s) => !s.objects.has(String(plant.id)));
    });
  });

  describe("room changes", () => {
    it("applies a REST room edit live, moving players a shrink left outside back in", async () => {
      const id = (await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "Shrinking", build_policy: "everyone" } })).body.id;
      const carol = await enter(await t.register("carol"), { room_id: id, x: 700, y: 500 });
      await carol.until((s) => playerOf(s, carol.user.id)?.x === 700);
      const res = await t.api("PATCH", `/api/v1/rooms/${id}`, { token: alice.token, body: { name: "Smaller", width: 400, height: 300 } });
      expect(res.status).toBe(200);
      await carol.until((s) => s.width === 400 && s.height === 300 && s.name === "Smaller", "the new size");
      await carol.until((s) => {
        const me = playerOf(s, carol.user.id);
        return me.x <= 400 - PLAYER_RADIUS && me.y <= 300 - PLAYER_RADIUS;
      }, "carol back inside");
      await leaveAll([carol]);
    });
  });

  describe("other messages", () => {
    it("answers get_inventory and get_room_state to the caller", async () => {
      let m = a.mark();
      a.send("get_inventory", {});
      const inventory = await a.next("inventory", undefined, m);
      expect(inventory.items.every((i: { owner_id: number; room_id: null }) => i.owner_id === alice.id && i.room_id === null)).toBe(true);
      m = a.mark();
      a.send("get_room_state");
      const state = await a.next("room_state", undefined, m);
      expect(state).toMatchObject({ room_id: roomId, name: "Rules", width: 800, height: 600 });
      const me = Object.values(state.players).find((p: any) => p.user_id === alice.id) as any;
      expect(Object.keys(me).sort()).toEqual(["admin", "avatar", "color", "display_name", "sitting_on", "user_id", "username", "x", "y"]);
      expect(me.admin).toBe(false);
      expect(Object.values(state.objects).length).toBe(a.room.state.objects.size);
    });

    it("answers unknown messages and bad payloads with error, changing nothing", async () => {
      const before = { ...playerOf(a.room.state, alice.id).toJSON() };
      const bad: [string, unknown][] = [
        ["dance", {}],
        ["update_position", { x: "left", y: 1 }],
        ["update_position", {}],
        ["update_position", { x: Number.NaN, y: 1 }],
        ["place_object", { inventory_item_id: -1, x: 1, y: 1 }],
        ["place_object", { inventory_item_id: 1, x: 100, y: 100, rotation: 45 }],
        ["use_tool", { target_object_id: 1, action: "smash" }],
        ["send_message", "just a string"],
        ["send_message", null],
      ];
      for (const [type, payload] of bad) {
        const m = a.mark();
        a.send(type, payload);
        const err = await a.next("error", undefined, m);
        expect([type, err.code]).toEqual([type, type === "dance" ? "unknown_message" : "invalid_payload"]);
        expect(err.event).toBe(type);
      }
      expect(playerOf(a.room.state, alice.id).toJSON()).toEqual(before);
    });

    it("survives 1,000 random malformed messages and keeps serving the other client", async () => {
      // 25 noisy clients × 40 messages: each stays within the per-second cap, so every message is
      // processed (a client over the cap is disconnected instead, which the flooding test covers).
      const noisy = await Promise.all(
        Array.from({ length: 25 }, async (_, i) => enter(await t.register("noisy"), { room_id: roomId, x: 40 + i * 28, y: 580 })),
      );
      const junk = [null, 0, -1, 1e309, "x", "x".repeat(300), [], [1, 2], {}, { x: {} }, { message: 12 }, { inventory_item_id: "1" }, true];
      const types = ["update_position", "send_message", "place_object", "use_tool", "nope", "__proto__", "constructor", "toString"];
      noisy.forEach((client, c) => {
        for (let i = 0; i < 40; i++) client.send(types[(c + i) % types.length]!, junk[(c * 40 + i) % junk.length]);
      });
      const m = a.mark();
      b.send("update_position", { x: 470, y: 400 });
      a.send("send_message", { message: "still here" });
      await a.next("message_received", (p) => p.message === "still here", m);
      await a.until((s) => playerOf(s, bob.id).x === 470);
      await Promise.all(noisy.map((client) => client.until(() => client.received.filter((r) => r.type === "error").length === 40, "40 errors")));
      await leaveAll(noisy);
    });

    it("closes a connection that sends an oversized message (1009), and keeps serving the others", async () => {
      const big = await enter(await t.register("big"), { room_id: roomId, x: 60, y: 200 });
      const m0 = a.mark();
      big.send("send_message", { message: "x".repeat(MAX_MESSAGE_BYTES) });
      expect(await big.left).toBe(CLOSE_CODES.messageTooBig);
      await a.next("user_left", (p) => p.user_id === big.user.id, m0);
      const m = a.mark();
      a.send("send_message", { message: "after the big one" });
      await a.next("message_received", (p) => p.message === "after the big one", m);
      const history = await t.api("GET", `/api/v1/chat?room_id=${roomId}&limit=200`, { token: alice.token });
      expect(history.body.some((c: { user_id: number }) => c.user_id === big.user.id)).toBe(false);
    });

    it("disconnects a flooding client without disturbing the others", async () => {
      const flood = await enter(await t.register("flood"), { room_id: roomId, x: 60, y: 300 });
      for (let i = 0; i < 100; i++) flood.send("get_room_state", {});
      const m0 = a.mark();
      expect(await flood.left).toBe(CLOSE_CODES.flooding);
      // The seat is freed at once, not kept for a reconnection.
      await a.next("user_left", (p) => p.user_id === flood.user.id, m0);
      const m = a.mark();
      a.send("send_message", { message: "calm" });
      await a.next("message_received", (p) => p.message === "calm", m);
    });
  });
});
