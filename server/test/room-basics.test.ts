import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { join, playerOf, type Player } from "./helpers/sdk.ts";

describe("cafe room basics", () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let roomId: number;
  let a: Player;
  let b: Player;
  beforeAll(async () => {
    t = await startTestApp("pglite");
    [alice, bob] = [await t.register("alice"), await t.register("bob")];
    roomId = (await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "Basics" } })).body.id;
    a = await join(t, alice, { room_id: roomId, x: 100, y: 100 });
    b = await join(t, bob, { room_id: roomId, x: 300, y: 300 });
  });
  afterAll(async () => {
    await a?.room.leave();
    await b?.room.leave();
    await t.close();
  });

  it("puts both in one room and shows each other's moves", async () => {
    expect(a.room.roomId).toBe(b.room.roomId);
    await a.until((s) => playerOf(s, bob.id) !== undefined);
    a.send("update_position", { x: 120, y: 100, seq: 1 });
    await b.until((s) => playerOf(s, alice.id)?.x === 120);
    await a.until((s) => playerOf(s, alice.id)?.ack === 1, "ack 1");
  });

  it("rejects a teleport", async () => {
    const m = a.mark();
    a.send("update_position", { x: 700, y: 500 });
    expect((await a.next("error", undefined, m)).code).toBe("too_fast");
    expect(playerOf(b.room.state, alice.id).x).toBe(120);
  });
});
