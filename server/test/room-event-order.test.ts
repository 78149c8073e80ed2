// Room events that cross on their way to the live room. A service publishes after its commit, so
// two writers of one item can publish in the opposite order of their commits: a placement commits,
// a REST pickup commits and publishes, then the placement's publish arrives. The room must end as
// the database did (item in the inventory), not show the object: each event carries the item's
// version, and the room drops an event no newer than what it has. (Found by the property soak on
// PostgreSQL, where the pool lets the two writes really run side by side.)
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { matchMaker } from "@colyseus/core";
import type { RoomEvent } from "../../shared/src/room-events.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";
import { join, leaveAll, type Player } from "./helpers/sdk.ts";

describe.each(DB_KINDS)("room events that cross on %s", (kind) => {
  let t: TestApp;
  let alice: TestUser;
  let roomId: number;
  let a: Player;
  let watcher: Player;

  beforeAll(async () => {
    t = await startTestApp(kind);
    alice = await t.register("alice");
    const bob = await t.register("bob");
    roomId = (await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "Crossing" } })).body.id;
    a = await join(t, alice, { room_id: roomId, x: 40, y: 40 });
    watcher = await join(t, bob, { room_id: roomId, x: 700, y: 500 });
  });
  afterAll(async () => {
    await leaveAll([a, watcher]);
    await t.close();
  });

  /** Holds back the publishes `held` picks until `release()`; everything else goes through. */
  function holdPublishes(held: (event: RoomEvent) => boolean) {
    const bus = t.app.services.events;
    const publish = bus.publish.bind(bus);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let heldOne!: () => void;
    const holding = new Promise<void>((resolve) => (heldOne = resolve));
    bus.publish = async (room: number, event: RoomEvent) => {
      if (held(event)) {
        heldOne();
        await gate;
      }
      return publish(room, event);
    };
    return {
      /** Resolves once a publish is being held (its change is committed). */
      holding,
      release: () => {
        bus.publish = publish;
        release();
      },
    };
  }

  const serverObjects = () => [...(matchMaker.getLocalRoomById(a.room.roomId)!.state as { objects: Map<string, unknown> }).objects.keys()];

  it("a placement published after the pickup that followed it does not bring the object back", async () => {
    const chair = (await t.api("POST", "/api/v1/inventory", { token: alice.token, body: { type: "chair" } })).body as { id: number };
    const hold = holdPublishes((e) => e.type === "object_placed" && e.object.id === chair.id);
    try {
      const m = watcher.mark();
      a.send("place_object", { inventory_item_id: chair.id, x: 400, y: 300, rotation: 0 });
      // Committed (the REST list shows it placed), its publish held back.
      await hold.holding;
      const placed = await t.api("GET", `/api/v1/objects?room_id=${roomId}`, { token: alice.token });
      expect(placed.body.map((o: { id: number }) => o.id)).toContain(chair.id);
      // A pickup over REST commits and publishes first.
      expect((await t.api("DELETE", `/api/v1/objects/${chair.id}`, { token: alice.token })).status).toBeLessThan(300);
      await watcher.next("object_removed", (p) => p.object_id === chair.id, m);
      hold.release();
      // The late placement is dropped: a later command's answer proves the room has handled it by then.
      a.send("send_message", { message: "after the crossing" });
      await watcher.next("message_received", (p) => p.message === "after the crossing", m);
      expect(watcher.received.slice(m).some((r) => r.type === "object_placed")).toBe(false);
      expect(serverObjects()).not.toContain(String(chair.id));
      expect(watcher.room.state.objects.has(String(chair.id))).toBe(false);
      const inventory = await t.api("GET", "/api/v1/inventory?limit=200", { token: alice.token });
      expect(inventory.body.find((i: { id: number }) => i.id === chair.id)).toMatchObject({ room_id: null });
    } finally {
      hold.release();
    }
  });

  it("a move published after a later pickup does not bring the object back either", async () => {
    const plant = (await t.api("POST", "/api/v1/inventory", { token: alice.token, body: { type: "plant" } })).body as { id: number };
    const m0 = watcher.mark();
    a.send("place_object", { inventory_item_id: plant.id, x: 480, y: 200, rotation: 0 });
    await watcher.next("object_placed", (p) => p.object.id === plant.id, m0);
    const hold = holdPublishes((e) => e.type === "object_updated" && e.object.id === plant.id);
    try {
      const m = watcher.mark();
      const moving = t.api("PATCH", `/api/v1/objects/${plant.id}`, { token: alice.token, body: { x: 520 } });
      await hold.holding;
      expect((await t.api("DELETE", `/api/v1/objects/${plant.id}`, { token: alice.token })).status).toBeLessThan(300);
      await watcher.next("object_removed", (p) => p.object_id === plant.id, m);
      hold.release();
      expect((await moving).status).toBe(200);
      a.send("send_message", { message: "after the move" });
      await watcher.next("message_received", (p) => p.message === "after the move", m);
      expect(watcher.received.slice(m).some((r) => r.type === "object_updated")).toBe(false);
      expect(serverObjects()).not.toContain(String(plant.id));
    } finally {
      hold.release();
    }
  });
});
