// Issue 13 on the server: the furniture catalog's multi-tile pieces under the room's rules,
// avatars and room themes over REST and live in the state, and emotes on both protocols.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { defaultAvatar } from "../../shared/src/appearance.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { JsonClient } from "./helpers/json-client.ts";
import { join, leaveAll, playerOf, type Player } from "./helpers/sdk.ts";

/**
 * Walks in a straight line at about 150 px/s (under the 200 px/s rule, so CPU stalls only make it
 * slower), each step confirmed by the state before the next is sent.
 */
async function stroll(p: Player, userId: number, to: { x: number; y: number }): Promise<void> {
  const STEP = 15;
  for (;;) {
    const at = playerOf(p.room.state, userId);
    const d = Math.hypot(to.x - at.x, to.y - at.y);
    if (d === 0) return;
    const k = Math.min(1, STEP / d);
    const next = { x: Math.round(at.x + (to.x - at.x) * k), y: Math.round(at.y + (to.y - at.y) * k) };
    const m = p.mark();
    p.send("update_position", next);
    await Promise.race([
      p.until((s) => playerOf(s, userId).x === next.x && playerOf(s, userId).y === next.y, `step to ${next.x},${next.y}`),
      p.next("error", undefined, m).then((e) => Promise.reject(new Error(`walk refused: ${JSON.stringify(e)}`))),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100)); // pacing, as a client's walk loop does
  }
}

describe("a world worth walking in (server)", () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let roomId: number;
  let a: Player;
  let b: Player;
  const grant = async (u: TestUser, type: string) => {
    const res = await t.api("POST", "/api/v1/inventory", { token: u.token, body: { type } });
    expect(res.status).toBe(201);
    return res.body as { id: number; name: string };
  };

  beforeAll(async () => {
    t = await startTestApp("pglite");
    [alice, bob] = [await t.register("alice"), await t.register("bob")];
    const created = await t.api("POST", "/api/v1/rooms", {
      token: alice.token,
      body: { name: "Café", theme: { floor: "tiles", wall_color: "#336699" } },
    });
    expect(created.status).toBe(201);
    roomId = created.body.id;
    a = await join(t, alice, { room_id: roomId, x: 100, y: 500 });
    b = await join(t, bob, { room_id: roomId, x: 700, y: 500 });
    await a.until((s) => playerOf(s, bob.id) !== undefined);
  });
  afterAll(async () => {
    await leaveAll([a, b]);
    await t.close();
  });

  describe("room theme", () => {
    it("is set on create, returned, synced, and changed live by PATCH", async () => {
      const room = await t.api("GET", `/api/v1/rooms/${roomId}`, { token: alice.token });
      expect(room.body.theme).toEqual({ floor: "tiles", wall_color: "#336699" });
      expect([a.room.state.floor, a.room.state.wall_color]).toEqual(["tiles", "#336699"]);
      const patched = await t.api("PATCH", `/api/v1/rooms/${roomId}`, { token: alice.token, body: { theme: { floor: "grass" } } });
      expect(patched.body.theme).toEqual({ floor: "grass", wall_color: "#336699" });
      await b.until((s) => s.floor === "grass", "the new floor");
    });

    it("syncs the talking radius, and a PATCH changes it live", async () => {
      expect(a.room.state.talk_radius).toBe(160);
      const patched = await t.api("PATCH", `/api/v1/rooms/${roomId}`, { token: alice.token, body: { talk_radius: 320 } });
      expect(patched.body.talk_radius).toBe(320);
      await b.until((s) => s.talk_radius === 320, "the new talking radius");
      await t.api("PATCH", `/api/v1/rooms/${roomId}`, { token: alice.token, body: { talk_radius: 160 } });
      await a.until((s) => s.talk_radius === 160, "the radius back to the default");
    });

    it("defaults to wood and refuses unknown floors and bad colours", async () => {
      const plain = await t.api("POST", "/api/v1/rooms", { token: bob.token, body: { name: "Plain" } });
      expect(plain.body.theme).toEqual({ floor: "wood", wall_color: "#6d4c41" });
      for (const theme of [{ floor: "lava" }, { wall_color: "red" }]) {
        const bad = await t.api("PATCH", `/api/v1/rooms/${plain.body.id}`, { token: bob.token, body: { theme } });
        expect(bad.status).toBe(422);
      }
    });
  });

  describe("avatars", () => {
    it("has a default derived from the id, returned with the user and in the state", async () => {
      const me = await t.api("GET", "/api/v1/users/me", { token: bob.token });
      expect(me.body.avatar).toEqual(defaultAvatar(bob.id));
      expect(playerOf(a.room.state, bob.id).avatar.toJSON()).toEqual(defaultAvatar(bob.id));
    });

    it("changes with PATCH /users/me, and another user sees it change live", async () => {
      const res = await t.api("PATCH", "/api/v1/users/me", {
        token: bob.token,
        body: { avatar: { hair: "mohawk", outfit_color: "#AA00CC", accessory: "headphones" } },
      });
      expect(res.status).toBe(200);
      expect(res.body.avatar).toEqual({ ...defaultAvatar(bob.id), hair: "mohawk", outfit_color: "#aa00cc", accessory: "headphones" });
      await a.until((s) => playerOf(s, bob.id)?.avatar.outfit_color === "#aa00cc", "bob's new outfit, seen by alice");
      expect(playerOf(a.room.state, bob.id).avatar.toJSON()).toEqual(res.body.avatar);
      const again = await t.api("GET", `/api/v1/users/${bob.id}`, { token: alice.token });
      expect(again.body.avatar.accessory).toBe("headphones");
    });

    it("refuses parts outside their enums and bad colours", async () => {
      for (const avatar of [{ hair: "dreadful" }, { skin: "green" }, { hair_color: "#12345" }, { body: 3 }]) {
        const res = await t.api("PATCH", "/api/v1/users/me", { token: bob.token, body: { avatar } });
        expect(res.status).toBe(422);
      }
    });
  });

  describe("multi-tile furniture", () => {
    it("grants café types with their default names and refuses unknown ones", async () => {
      expect((await grant(alice, "coffee_machine")).name).toBe("Coffee machine");
      const bad = await t.api("POST", "/api/v1/inventory", { token: alice.token, body: { type: "throne" } });
      expect(bad.status).toBe(422);
    });

    it("places a 2×1 sofa, seats on either tile, and turns it", async () => {
      const sofa = await grant(alice, "sofa");
      let m = a.mark();
      a.send("place_object", { inventory_item_id: sofa.id, x: 320, y: 208, rotation: 0 });
      expect((await a.next("object_placed", undefined, m)).object).toMatchObject({ id: sofa.id, type: "sofa", x: 320, y: 208 });
      // Alice walks onto the sofa's right-hand tile (288..320 is the left one, 320..352 the right).
      await stroll(a, alice.id, { x: 350, y: 210 });
      expect(playerOf(a.room.state, alice.id).sitting_on).toBe(sofa.id);
      // Turned by 90°, the sofa runs from y=176 to y=240 at x=304..336: (350, 210) is off it.
      const turned = await t.api("PATCH", `/api/v1/objects/${sofa.id}`, { token: alice.token, body: { rotation: 90 } });
      expect(turned.status).toBe(200);
      await a.until((s) => playerOf(s, alice.id).sitting_on === 0, "alice no longer seated");
      await stroll(a, alice.id, { x: 320, y: 230 });
      expect(playerOf(a.room.state, alice.id).sitting_on).toBe(sofa.id);
    });

    it("checks every tile of a blocking footprint against blocking pieces and people", async () => {
      const desk = await grant(alice, "desk");
      const wall = await grant(alice, "wall");
      let m = a.mark();
      a.send("place_object", { inventory_item_id: wall.id, x: 560, y: 112, rotation: 0 });
      await a.next("object_placed", (p) => p.object.id === wall.id, m);
      // The desk's right tile would cover the wall.
      m = a.mark();
      a.send("place_object", { inventory_item_id: desk.id, x: 528, y: 112, rotation: 0 });
      expect((await a.next("error", undefined, m)).code).toBe("blocked");
      // Its lower tile would cover Bob, standing at (700, 500).
      m = a.mark();
      a.send("place_object", { inventory_item_id: desk.id, x: 688, y: 512, rotation: 90 });
      expect((await a.next("error", undefined, m)).code).toBe("blocked");
      // Past the right edge of the room only with the long side across.
      m = a.mark();
      a.send("place_object", { inventory_item_id: desk.id, x: 784, y: 48, rotation: 0 });
      expect((await a.next("error", undefined, m)).code).toBe("out_of_bounds");
      m = a.mark();
      a.send("place_object", { inventory_item_id: desk.id, x: 784, y: 48, rotation: 90 });
      await a.next("object_placed", (p) => p.object.id === desk.id, m);
      // And walking through the desk's lower tile (784, 64) is refused.
      await stroll(b, bob.id, { x: 760, y: 130 });
      m = b.mark();
      b.send("update_position", { x: 760, y: 60 });
      expect((await b.next("error", undefined, m)).code).toBe("blocked");
    });

    it("lets a table stand on a rug, and people walk over the rug", async () => {
      const rug = await grant(alice, "rug");
      const table = await grant(alice, "table");
      let m = a.mark();
      a.send("place_object", { inventory_item_id: rug.id, x: 160, y: 128, rotation: 0 });
      await a.next("object_placed", (p) => p.object.id === rug.id, m);
      m = a.mark();
      a.send("place_object", { inventory_item_id: table.id, x: 144, y: 112, rotation: 0 });
      await a.next("object_placed", (p) => p.object.id === table.id, m);
      await stroll(a, alice.id, { x: 190, y: 150 });
    });
  });

  describe("emotes", () => {
    it("broadcasts an emote to SDK and JSON clients alike, and refuses unknown ones", async () => {
      const scripter = await t.register("script");
      const js = await JsonClient.open(t, `?token=${scripter.token}`);
      try {
        js.send("join_room", { room_id: roomId, x: 100, y: 300 });
        await js.next("room_state");
        let mb = b.mark();
        let mj = js.mark();
        a.send("emote", { emote: "wave" });
        expect(await b.next("emote", undefined, mb)).toEqual({ user_id: alice.id, emote: "wave" });
        expect(await js.next("emote", undefined, mj)).toEqual({ user_id: alice.id, emote: "wave" });
        // From the JSON protocol to an SDK client.
        mb = b.mark();
        js.send("emote", { emote: "coffee" });
        expect(await b.next("emote", (p) => p.user_id === scripter.id, mb)).toEqual({ user_id: scripter.id, emote: "coffee" });
        mj = js.mark();
        js.send("emote", { emote: "dance" });
        expect(await js.next("error", undefined, mj)).toMatchObject({ code: "invalid_payload", event: "emote" });
      } finally {
        js.ws.close();
      }
    });

    it("is rate-limited like chat", async () => {
      const m = b.mark();
      for (let i = 0; i < 6; i++) b.send("emote", { emote: "clap" });
      expect(await b.next("error", undefined, m)).toMatchObject({ code: "rate_limited", event: "emote" });
      const claps = b.received.slice(m).filter((r) => r.type === "emote" && r.payload.user_id === bob.id);
      expect(claps.length).toBeLessThanOrEqual(5);
    });
  });
});
