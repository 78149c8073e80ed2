// Room events that cross on their way to the live room. A service publishes after its commit, so
// two writers of one item can publish in the opposite order of their commits: a placement commits,
// a REST pickup commits and publishes, then the placement's publish arrives. The room must end as
// the database did (item in the inventory), not show the object, and everyone must hear both, in
// the order they happened (the placer waits for its object_placed): each event carries the item's
// version, and the room holds an early event until the one before it arrives. (Found by the
// property soak on PostgreSQL, where the pool lets the two writes really run side by side.)
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

  it("a placement published after the pickup that followed it: both heard, in order, and the object stays out", async () => {
    const chair = (await t.api("POST", "/api/v1/inventory", { token: alice.token, body: { type: "chair" } })).body as { id: number };
    const hold = holdPublishes((e) => e.type === "object_placed" && e.object.id === chair.id);
    try {
      const m = watcher.mark();
      a.send("place_object", { inventory_item_id: chair.id, x: 400, y: 300, rotation: 0 });
      // Committed (the REST list shows it placed), its publish held back.
      await hold.holding;
      const placed = await t.api("GET", `/api/v1/objects?room_id=${roomId}`, { token: alice.token });
      expect(placed.body.map((o: { id: number }) => o.id)).toContain(chair.id);
      // A pickup over REST commits and publishes first: the room holds it (nothing to remove yet).
      expect((await t.api("DELETE", `/api/v1/objects/${chair.id}`, { token: alice.token })).status).toBeLessThan(300);
      hold.release();
      // The placement arrives; then both apply, in the database's order.
      await watcher.next("object_removed", (p) => p.object_id === chair.id, m);
      const told = watcher.received.slice(m).filter((r) => r.type.startsWith("object_")).map((r) => r.type);
      expect(told).toEqual(["object_placed", "object_removed"]);
      // The placer's answer (the harness of the property test waits for exactly this).
      await a.next("object_placed", (p) => p.object.id === chair.id);
      expect(serverObjects()).not.toContain(String(chair.id));
      await watcher.until((st) => !st.objects.has(String(chair.id)), "the object to leave the watcher's state");
      const inventory = await t.api("GET", "/api/v1/inventory?limit=200", { token: alice.token });
      expect(inventory.body.find((i: { id: number }) => i.id === chair.id)).toMatchObject({ room_id: null });
    } finally {
      hold.release();
    }
  });

  it("gives up on an event whose predecessor never comes: reloads its objects, and drops the straggler", async () => {
    const lamp = (await t.api("POST", "/api/v1/inventory", { token: alice.token, body: { type: "lamp" } })).body as { id: number };
    const hold = holdPublishes((e) => e.type === "object_placed" && e.object.id === lamp.id);
    try {
      const m = watcher.mark();
      a.send("place_object", { inventory_item_id: lamp.id, x: 560, y: 400, rotation: 0 });
      await hold.holding;
      expect((await t.api("DELETE", `/api/v1/objects/${lamp.id}`, { token: alice.token })).status).toBeLessThan(300);
      // The room waits 5 s for the placement, then reloads from the database (one warning).
      const deadline = Date.now() + 15_000;
      while (!t.logs.some((l) => l.includes("predecessors never came")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(t.logs.filter((l) => l.includes("predecessors never came"))).toHaveLength(1);
      hold.release();
      a.send("send_message", { message: "after giving up" });
      await watcher.next("message_received", (p) => p.message === "after giving up", m);
      expect(watcher.received.slice(m).some((r) => r.type === "object_placed")).toBe(false);
      expect(serverObjects()).not.toContain(String(lamp.id));
    } finally {
      hold.release();
    }
  }, 30_000);

  it("a move published after a later pickup: heard before the pickup, and the object stays out", async () => {
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
      hold.release();
      expect((await moving).status).toBe(200);
      await watcher.next("object_removed", (p) => p.object_id === plant.id, m);
      const told = watcher.received.slice(m).filter((r) => r.type.startsWith("object_")).map((r) => r.type);
      expect(told).toEqual(["object_updated", "object_removed"]);
      expect(serverObjects()).not.toContain(String(plant.id));
      await watcher.until((st) => !st.objects.has(String(plant.id)), "the object to leave the watcher's state");
    } finally {
      hold.release();
    }
  });
});
