// Whispers: to one user in the room and the sender only, over the SDK, the JSON protocol and REST;
// stored, and shown in history only to those two (and admins). On both databases.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";
import { expectError } from "./helpers/expect.ts";
import { JsonClient } from "./helpers/json-client.ts";
import { join, leaveAll, playerOf, type Player } from "./helpers/sdk.ts";

describe.each(DB_KINDS)("whispers on %s", (kind) => {
  let t: TestApp;
  let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser, admin: TestUser;
  let roomId: number;
  let a: Player;
  let b: Player;
  let c: Player;
  let d: JsonClient;

  beforeAll(async () => {
    t = await startTestApp(kind);
    [alice, bob, carol, dave] = [await t.register("alice"), await t.register("bob"), await t.register("carol"), await t.register("dave")];
    admin = await t.admin();
    roomId = (await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "Whispers" } })).body.id;
    a = await join(t, alice, { room_id: roomId, x: 100, y: 100 });
    b = await join(t, bob, { room_id: roomId, x: 200, y: 100 });
    c = await join(t, carol, { room_id: roomId, x: 300, y: 100 });
    d = await JsonClient.open(t, `?token=${dave.token}`);
    d.send("join_room", { room_id: roomId, x: 400, y: 100 });
    await d.next("room_state");
    await a.until((s) => [alice, bob, carol, dave].every((u) => playerOf(s, u.id)), "everyone in");
  });
  afterAll(async () => {
    d?.ws.close();
    await leaveAll([a, b, c].filter(Boolean));
    await t?.close();
  });

  /** A public message after the whisper: once a client has it, it would already have had the whisper. */
  const publicAfter = async (text: string) => {
    a.send("send_message", { message: text });
    await Promise.all([c.next("message_received", (m) => m.message === text), d.next("message_received", (m) => m.message === text)]);
  };
  const heard = (p: Player | JsonClient, text: string) =>
    p instanceof JsonClient
      ? p.frames.some((f) => f.event === "message_received" && f.data.message === text)
      : p.received.some((m) => m.type === "message_received" && m.payload.message === text);

  it("reaches only its target and its sender over the SDK; the JSON client and a third SDK client never get it", async () => {
    a.send("send_message", { message: "psst bob", to_user_id: bob.id });
    const got = await b.next("message_received", (m) => m.message === "psst bob");
    expect(got).toMatchObject({ user_id: alice.id, to_user_id: bob.id, room_id: roomId });
    expect((await a.next("message_received", (m) => m.message === "psst bob")).to_user_id).toBe(bob.id);
    await publicAfter("hello all");
    expect(heard(c, "psst bob")).toBe(false);
    expect(heard(d, "psst bob")).toBe(false);
    expect(heard(b, "hello all")).toBe(true);
  });

  it("works from the JSON protocol and from REST, to a JSON client too", async () => {
    d.send("send_message", { message: "psst carol", to_user_id: carol.id });
    expect((await c.next("message_received", (m) => m.message === "psst carol")).to_user_id).toBe(carol.id);
    await d.next("message_received", (m) => m.message === "psst carol");
    const rest = await t.api("POST", "/api/v1/chat", { token: bob.token, body: { room_id: roomId, message: "psst dave", to_user_id: dave.id } });
    expect(rest.status).toBe(201);
    expect(rest.body.to_user_id).toBe(dave.id);
    expect((await d.next("message_received", (m) => m.message === "psst dave")).user_id).toBe(bob.id);
    await publicAfter("hello again");
    expect(heard(a, "psst carol") || heard(b, "psst carol")).toBe(false);
    expect(heard(a, "psst dave") || heard(c, "psst dave")).toBe(false);
  });

  it("answers not_found for someone not in the room", async () => {
    const away = await t.register("away");
    expectError(
      await t.api("POST", "/api/v1/chat", { token: alice.token, body: { room_id: roomId, message: "hi", to_user_id: away.id } }),
      404,
      "not_found",
    );
    const m = a.mark();
    a.send("send_message", { message: "hi", to_user_id: away.id });
    expect((await a.next("error", (e) => e.event === "send_message", m)).code).toBe("not_found");
  });

  it("keeps whispers in history for their two people and admins only", async () => {
    const texts = async (u: TestUser) =>
      (await t.api("GET", `/api/v1/chat?room_id=${roomId}&limit=200`, { token: u.token })).body.map((m: any) => m.message);
    expect(await texts(alice)).toEqual(["psst bob", "hello all", "hello again"]);
    expect(await texts(bob)).toEqual(["psst bob", "hello all", "psst dave", "hello again"]);
    expect(await texts(carol)).toEqual(["hello all", "psst carol", "hello again"]);
    expect(await texts(dave)).toEqual(["hello all", "psst carol", "psst dave", "hello again"]);
    expect(await texts(admin)).toEqual(["psst bob", "hello all", "psst carol", "psst dave", "hello again"]);
    const total = await t.api("GET", `/api/v1/chat?room_id=${roomId}&limit=1`, { token: carol.token });
    expect(total.headers.get("x-total-count")).toBe("3");
  });
});
