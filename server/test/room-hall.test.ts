// Halls (rooms of more than HALL_MIN_USERS seats): each connection receives only the players within
// VIEW_RADIUS, plus every object, through the real server with real SDK clients.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Client } from "@colyseus/sdk";
import { HALL_MIN_USERS, VIEW_EXIT_RADIUS, VIEW_RADIUS } from "../../shared/src/interest.ts";
import { ROOM_TYPE } from "../../shared/src/protocol.ts";
import { CafeState } from "../../shared/src/state.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { join, leaveAll, playerOf, wrap, type Player } from "./helpers/sdk.ts";

describe("a hall shows each player only the people near them", () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let hallId: number;
  let a: Player;
  let b: Player;
  const players: Player[] = [];
  const enter = async (u: TestUser, x: number, y: number) => {
    const p = await join(t, u, { room_id: hallId, x, y });
    players.push(p);
    return p;
  };
  /** Walks in steps the server accepts, waiting for each to come back in the walker's own state. */
  const walk = async (p: Player, to: { x: number; y: number }) => {
    let me = playerOf(p.room.state, p.user.id);
    while (me.x !== to.x || me.y !== to.y) {
      const x = me.x + Math.sign(to.x - me.x) * Math.min(30, Math.abs(to.x - me.x));
      const y = me.y + Math.sign(to.y - me.y) * Math.min(30, Math.abs(to.y - me.y));
      p.send("update_position", { x, y });
      await p.until((s) => playerOf(s, p.user.id)?.x === x && playerOf(s, p.user.id)?.y === y, `walk to ${x},${y}`);
      me = playerOf(p.room.state, p.user.id);
    }
  };

  beforeAll(async () => {
    t = await startTestApp("pglite");
    [alice, bob, carol] = [await t.register("alice"), await t.register("bob"), await t.register("carol")];
    const created = await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "Hall", width: 4000, height: 4000, max_users: 500 } });
    hallId = created.body.id;
    expect(500).toBeGreaterThanOrEqual(HALL_MIN_USERS);
    // A table in the far corner: objects are visible from anywhere.
    const table = (await t.api("POST", "/api/v1/inventory", { token: alice.token, body: { type: "table" } })).body;
    await t.app.services.items.place({ id: alice.id, username: alice.username, isAdmin: false }, table.id, hallId, { x: 3900, y: 3900, rotation: 0 });
    // Bob starts past the exit radius from Alice: neither sees the other.
    a = await enter(alice, 300, 100);
    b = await enter(bob, 300 + VIEW_EXIT_RADIUS + 50, 100);
  });
  afterAll(async () => {
    await leaveAll(players);
    await t.close();
  });

  it("keeps a far player out of your state, but shows you yourself and every object", async () => {
    await a.until((s) => playerOf(s, alice.id) !== undefined && s.objects.size === 1, "own player and the table");
    await b.until((s) => playerOf(s, bob.id) !== undefined);
    // Alice's own move, made after Bob joined, proves her state is current.
    await walk(a, { x: 300, y: 110 });
    expect(playerOf(a.room.state, bob.id)).toBeUndefined();
    expect(playerOf(b.room.state, alice.id)).toBeUndefined();
    expect([...a.room.state.objects.values()].map((o: any) => [o.type, o.x, o.y])).toEqual([["table", 3900, 3900]]);
  });

  it("shows a player who comes within the view radius, and the newcomer sees you", async () => {
    // 190 px along x: within one second's walking allowance.
    await walk(b, { x: 300 + VIEW_RADIUS - 40, y: 100 });
    await a.until((s) => playerOf(s, bob.id)?.x === 300 + VIEW_RADIUS - 40, "bob in alice's view");
    await b.until((s) => playerOf(s, alice.id)?.y === 110, "alice in bob's view");
  });

  it("drops a player who goes past the exit radius", async () => {
    // Alice walks away from Bob: over VIEW_EXIT_RADIUS apart, they lose each other.
    await walk(a, { x: 120, y: 110 });
    await a.until((s) => playerOf(s, bob.id) === undefined, "bob gone from alice's view");
    await b.until((s) => playerOf(s, alice.id) === undefined, "alice gone from bob's view");
  });

  it("shows the people near a newcomer at once, to a client decoding with the shared CafeState", async () => {
    const client = new Client(t.url);
    client.auth.token = carol.token;
    const room = await client.joinOrCreate(ROOM_TYPE, { room_id: hallId, x: 160, y: 160 }, CafeState);
    const c = wrap(room, carol);
    players.push(c);
    await c.until((s) => playerOf(s, alice.id)?.x === 120 && playerOf(s, carol.id) !== undefined, "alice near carol");
    expect(playerOf(c.room.state, bob.id)).toBeUndefined();
    await a.until((s) => playerOf(s, carol.id) !== undefined, "carol near alice");
    // Her own moves reach her own view as they reach those near her.
    c.send("update_position", { x: 170, y: 160, seq: 5 });
    await c.until((s) => playerOf(s, carol.id)?.x === 170, "carol's move in her own view");
    await a.until((s) => playerOf(s, carol.id)?.x === 170, "carol's move seen by alice");
  });

  it("takes a player who leaves out of the views that showed them", async () => {
    const c = players[players.length - 1]!;
    await c.room.leave();
    await a.until((s) => playerOf(s, carol.id) === undefined, "carol gone");
  });
});
