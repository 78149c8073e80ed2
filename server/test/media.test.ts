// Proximity media signaling through the real server: the room alone decides which pairs may
// signal (in range, both with media on, both present), on both databases and both protocols.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Client } from "@colyseus/sdk";
import { RTC } from "../../shared/src/media.ts";
import { CLOSE_CODES } from "../../shared/src/protocol.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";
import { JsonClient } from "./helpers/json-client.ts";
import { join, leaveAll, playerOf, wrap, type Player } from "./helpers/sdk.ts";

const ON = { audio: true, video: true };
const OFF = { audio: false, video: false };
const offer = { type: "offer", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" };
const peers = (connect: number[], disconnect: number[] = []) => ({ connect, disconnect });

describe.each(DB_KINDS)("proximity media signaling on %s", (kind) => {
  let t: TestApp;
  let users: TestUser[];
  let roomId: number;
  const open: Player[] = [];

  const enter = async (u: TestUser, x: number, y = 300) => {
    const p = await join(t, u, { room_id: roomId, x, y });
    open.push(p);
    await p.until((s) => playerOf(s, u.id) !== undefined, "own seat");
    return p;
  };
  /** Sends rtc_media and waits until the server has applied it (a get_room_state round trip). */
  const media = async (p: Player, state: object) => {
    const m = p.mark();
    p.send("rtc_media", state);
    p.send("get_room_state");
    await p.next("room_state", undefined, m);
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    users = [];
    for (let i = 0; i < 4; i++) users.push(await t.register(`talker${i}`));
    roomId = (await t.api("POST", "/api/v1/rooms", { token: users[0]!.token, body: { name: "Talk", width: 1200 } })).body.id;
  });
  afterAll(async () => {
    await leaveAll(open);
    await t.close();
  });

  it("connects two people in range with media on, relays signals only between them, and refuses a forger", async () => {
    const [u0, u1, u2] = users as [TestUser, TestUser, TestUser];
    const a = await enter(u0, 200);
    const b = await enter(u1, 200 + RTC.defaultTalkRadius - 10);
    const c = await enter(u2, 900);
    await media(a, ON);
    expect(a.received.some((r) => r.type === "rtc_peers")).toBe(false); // alone with media on
    const mb = b.mark();
    b.send("rtc_media", { audio: true, video: false });
    expect(await b.next("rtc_peers", undefined, mb)).toEqual(peers([u0.id]));
    expect(await a.next("rtc_peers")).toEqual(peers([u1.id]));

    let m = b.mark();
    a.send("rtc_signal", { to_user_id: u1.id, kind: "offer", data: offer });
    expect(await b.next("rtc_signal", undefined, m)).toEqual({ from_user_id: u0.id, kind: "offer", data: offer });

    // The third person, far away with media on, forges signals to both: refused, nothing relayed.
    await media(c, ON);
    const mc = c.mark();
    c.send("rtc_signal", { to_user_id: u0.id, kind: "offer", data: offer });
    c.send("rtc_signal", { to_user_id: u1.id, kind: "candidate", data: { candidate: "x" } });
    const errors = () => c.received.slice(mc).filter((r) => r.type === "error");
    await c.next("error", () => errors().length === 2, mc);
    expect(errors().map((e) => [e.payload.code, e.payload.event])).toEqual([
      ["forbidden", "rtc_signal"],
      ["forbidden", "rtc_signal"],
    ]);
    m = a.mark();
    b.send("rtc_signal", { to_user_id: u0.id, kind: "answer", data: { type: "answer", sdp: "v=0" } });
    expect((await a.next("rtc_signal", undefined, m)).from_user_id).toBe(u1.id);
    for (const p of [a, b]) expect(p.received.filter((r) => r.type === "rtc_signal").every((r) => r.payload.from_user_id !== u2.id)).toBe(true);
    expect(c.received.some((r) => r.type === "rtc_peers")).toBe(false);
  });

  it("refuses malformed and oversized signals", async () => {
    const c = open[2]!;
    const m = c.mark();
    c.send("rtc_signal", { to_user_id: users[0]!.id, kind: "hello", data: {} });
    c.send("rtc_signal", { to_user_id: users[0]!.id, kind: "offer" });
    c.send("rtc_media", { audio: "yes", video: false });
    // Under the transport's frame limit, over the signal's own limit.
    c.send("rtc_signal", { to_user_id: users[0]!.id, kind: "offer", data: { sdp: "a".repeat(RTC.maxSignalBytes) } });
    const got = () => c.received.slice(m).filter((r) => r.type === "error");
    await c.next("error", () => got().length === 4, m);
    expect(got().map((e) => e.payload.code)).toEqual(["invalid_payload", "invalid_payload", "invalid_payload", "invalid_payload"]);
    expect(got()[3]!.payload.message).toContain(String(RTC.maxSignalBytes));
  });

  it("disconnects a pair within one recompute of walking apart, and connects it again on the way back", async () => {
    const [a, b] = open as [Player, Player];
    const [u0, u1] = users as [TestUser, TestUser];
    const m = a.mark();
    b.send("update_position", { x: 200 + RTC.defaultTalkRadius + 20, y: 300 });
    expect(await a.next("rtc_peers", undefined, m)).toEqual(peers([], [u1.id]));
    expect(await b.next("rtc_peers", (p) => p.disconnect.length > 0)).toEqual(peers([], [u0.id]));
    const ms = b.mark();
    b.send("rtc_signal", { to_user_id: u0.id, kind: "candidate", data: { candidate: "late" } });
    expect(await b.next("error", undefined, ms)).toMatchObject({ code: "forbidden", event: "rtc_signal" });
    const back = a.mark();
    b.send("update_position", { x: 200 + RTC.defaultTalkRadius - 10, y: 300 });
    expect(await a.next("rtc_peers", undefined, back)).toEqual(peers([u1.id]));
  });

  it("tears a pair down when one side turns media off, and up again when it turns media back on", async () => {
    const [a, b] = open as [Player, Player];
    const [u0, u1] = users as [TestUser, TestUser];
    let m = a.mark();
    b.send("rtc_media", OFF);
    expect(await a.next("rtc_peers", undefined, m)).toEqual(peers([], [u1.id]));
    const ma = a.mark();
    a.send("rtc_signal", { to_user_id: u1.id, kind: "offer", data: offer });
    expect(await a.next("error", undefined, ma)).toMatchObject({ code: "forbidden" });
    m = a.mark();
    b.send("rtc_media", { audio: false, video: false, screen: true });
    expect(await a.next("rtc_peers", undefined, m)).toEqual(peers([u1.id]));
  });

  it("tears a dropped connection's pairs down; after reconnecting, media is off until turned on again", async () => {
    const [a, b] = open as [Player, Player];
    const [u0, u1] = users as [TestUser, TestUser];
    const token = b.room.reconnectionToken;
    let m = a.mark();
    (b.room.connection.transport as unknown as { ws: { close(code: number): void } }).ws.close(3000);
    expect(await a.next("rtc_peers", undefined, m)).toEqual(peers([], [u1.id]));
    await b.left;
    const back = wrap(await new Client(t.url).reconnect(token), u1);
    open[1] = back;
    const mb = back.mark();
    back.send("rtc_signal", { to_user_id: u0.id, kind: "offer", data: offer });
    expect(await back.next("error", undefined, mb)).toMatchObject({ code: "forbidden" });
    m = a.mark();
    back.send("rtc_media", ON);
    expect(await a.next("rtc_peers", undefined, m)).toEqual(peers([u1.id]));
    expect(await back.next("rtc_peers", undefined, mb)).toEqual(peers([u0.id]));
  });

  it("tears a pair down at once when one side leaves, and when an admin kicks one side", async () => {
    const [a] = open as [Player];
    const [, u1, , u3] = users as [TestUser, TestUser, TestUser, TestUser];
    let m = a.mark();
    await leaveAll([open[1]!]);
    expect(await a.next("rtc_peers", undefined, m)).toEqual(peers([], [u1.id]));

    const d = await enter(u3, 240);
    await media(d, ON);
    await a.next("rtc_peers", (p) => p.connect.includes(u3.id));
    m = a.mark();
    const admin = await t.admin();
    const kicked = await t.api("POST", `/api/v1/admin/rooms/${roomId}/kick`, { token: admin.token, body: { user_id: u3.id } });
    expect(kicked.status).toBe(201);
    expect(await a.next("rtc_peers", undefined, m)).toEqual(peers([], [u3.id]));
    expect(await d.left).toBe(CLOSE_CODES.kicked);
    const ma = a.mark();
    a.send("rtc_signal", { to_user_id: u3.id, kind: "offer", data: offer });
    expect(await a.next("error", undefined, ma)).toMatchObject({ code: "forbidden" });
  });

  it("lets people on one private-area rug hear only each other; someone next to it outside does not connect", async () => {
    const [u0, u1, u2] = users as [TestUser, TestUser, TestUser];
    const area = (await t.api("POST", "/api/v1/rooms", { token: u0.token, body: { name: "Booth" } })).body.id;
    const rug = (await t.api("POST", "/api/v1/inventory", { token: u0.token, body: { type: "private_area" } })).body;
    const half = RTC.privateAreaSize / 2;
    const inRoom = async (u: TestUser, x: number, y: number) => {
      const p = await join(t, u, { room_id: area, x, y });
      open.push(p);
      await p.until((s) => playerOf(s, u.id) !== undefined, "own seat");
      return p;
    };
    const a = await inRoom(u0, 400, 300);
    a.send("place_object", { inventory_item_id: rug.id, x: 400, y: 300, rotation: 0 });
    await a.until((s) => s.objects.get(String(rug.id))?.type === "private_area", "the rug");
    const b = await inRoom(u1, 400 - half + 4, 300 + half - 4); // inside, in a corner
    const c = await inRoom(u2, 400 + half + 14, 300); // outside, 62 px from a: in range were it not for the rug
    for (const p of [a, b, c]) await media(p, ON);
    expect(await a.next("rtc_peers")).toEqual(peers([u1.id]));
    expect(await b.next("rtc_peers")).toEqual(peers([u0.id]));
    // Stepping onto the rug joins the conversation; the outsider saw nothing until then.
    expect(c.received.some((r) => r.type === "rtc_peers")).toBe(false);
    const mc = c.mark();
    c.send("rtc_signal", { to_user_id: u0.id, kind: "offer", data: offer });
    expect(await c.next("error", undefined, mc)).toMatchObject({ code: "forbidden" });
    c.send("update_position", { x: 400 + half - 4, y: 300 });
    expect((await c.next("rtc_peers", undefined, mc)).connect.sort()).toEqual([u0.id, u1.id].sort());
    await leaveAll([a, b, c]);
  });

  it("uses the room's talking radius, changed live with PATCH /rooms/{id}", async () => {
    const [u0, u1] = users as [TestUser, TestUser];
    const created = await t.api("POST", "/api/v1/rooms", { token: u0.token, body: { name: "Hall", width: 1000 } });
    expect(created.body.talk_radius).toBe(RTC.defaultTalkRadius);
    const hall = created.body.id;
    const bad = await t.api("PATCH", `/api/v1/rooms/${hall}`, { token: u0.token, body: { talk_radius: RTC.maxTalkRadius + 1 } });
    expect(bad.status).toBe(422);
    const a = await join(t, u0, { room_id: hall, x: 200, y: 300 });
    const b = await join(t, u1, { room_id: hall, x: 500, y: 300 });
    open.push(a, b);
    await b.until((s) => playerOf(s, u1.id) !== undefined && playerOf(s, u0.id) !== undefined, "both seated");
    await media(a, ON);
    await media(b, ON);
    expect(a.received.some((r) => r.type === "rtc_peers")).toBe(false);
    const patched = await t.api("PATCH", `/api/v1/rooms/${hall}`, { token: u0.token, body: { talk_radius: 320 } });
    expect(patched.body.talk_radius).toBe(320);
    expect(await a.next("rtc_peers")).toEqual(peers([u1.id]));
    expect((await t.api("GET", `/api/v1/rooms/${hall}`, { token: u1.token })).body.talk_radius).toBe(320);
    await leaveAll([a, b]);
  });

  it("carries rtc_media, rtc_peers and rtc_signal over the JSON protocol, with the same rules", async () => {
    const a = open[0]!;
    const [u0, , u2] = users as [TestUser, TestUser, TestUser];
    const scripter = await t.register("jsontalker");
    const js = await JsonClient.open(t, `?token=${scripter.token}`);
    try {
      js.send("join_room", { room_id: roomId, x: 260, y: 300 });
      await js.next("room_state");
      let m = a.mark();
      js.send("rtc_media", ON);
      expect(await js.next("rtc_peers")).toEqual(peers([u0.id]));
      expect(await a.next("rtc_peers", undefined, m)).toEqual(peers([scripter.id]));
      m = a.mark();
      js.send("rtc_signal", { to_user_id: u0.id, kind: "offer", data: offer });
      expect(await a.next("rtc_signal", undefined, m)).toEqual({ from_user_id: scripter.id, kind: "offer", data: offer });
      a.send("rtc_signal", { to_user_id: scripter.id, kind: "answer", data: { sdp: "v=0" } });
      expect(await js.next("rtc_signal")).toEqual({ from_user_id: u0.id, kind: "answer", data: { sdp: "v=0" } });
      const mj = js.mark();
      js.send("rtc_signal", { to_user_id: u2.id, kind: "offer", data: offer });
      expect(await js.next("error", undefined, mj)).toMatchObject({ code: "forbidden", event: "rtc_signal" });
      expect(open[2]!.received.some((r) => r.type === "rtc_signal" && r.payload.from_user_id === scripter.id)).toBe(false);
    } finally {
      js.ws.close();
    }
    await a.next("rtc_peers", (p) => p.disconnect.includes(scripter.id));
  });
});
