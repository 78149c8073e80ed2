// Logs and metrics: one JSON line per request with its id, room lines with the room id, no
// secrets anywhere; /metrics counts exactly what the test did.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { loadConfig } from "../src/config/index.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { expectError } from "./helpers/expect.ts";
import { JsonClient } from "./helpers/json-client.ts";
import { join, leaveAll, playerOf, type Player } from "./helpers/sdk.ts";

/** Reads one sample (`name{labels} value`) from Prometheus text; 0 when absent. */
function sample(text: string, name: string, labels = ""): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ""} `));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe("logs and metrics", () => {
  let t: TestApp;
  let admin: TestUser;
  let alice: TestUser;
  let roomId: number;
  let p: Player;
  const metrics = async () => {
    const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  beforeAll(async () => {
    t = await startTestApp("pglite", { env: { METRICS_PORT: "0" } });
    admin = await t.admin();
    alice = await t.register("alice");
    roomId = (await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "Observed" } })).body.id;
  });
  afterAll(async () => {
    if (p) await leaveAll([p]);
    await t.close();
  });

  it("serves /metrics to admins only on the main port, and to anyone on METRICS_PORT", async () => {
    expectError(await t.api("GET", "/metrics"), 401, "unauthorized");
    expectError(await t.api("GET", "/metrics", { token: alice.token }), 403, "forbidden");
    expect(await metrics()).toContain("# TYPE cafe_messages_in_total counter");
    expect(t.app.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const open = await fetch(t.app.metricsUrl!);
    expect(open.status).toBe(200);
    expect(await open.text()).toContain("cafe_db_query_duration_seconds_count");
    expect((await fetch(t.app.metricsUrl!.replace("/metrics", "/other"))).status).toBe(404);
  });

  it("counts rooms, clients, messages in and out by type, and rejected moves by reason", async () => {
    const before = await metrics();
    p = await join(t, alice, { room_id: roomId, x: 100, y: 100 });
    await p.until((s) => playerOf(s, alice.id) !== undefined, "own seat");
    p.send("update_position", { x: 110, y: 100 });
    await p.until((s) => playerOf(s, alice.id).x === 110, "move applied");
    let m = p.mark();
    p.send("update_position", { x: 700, y: 500 });
    expect((await p.next("error", undefined, m)).code).toBe("too_fast");
    m = p.mark();
    p.send("update_position", { x: 5000, y: 100 });
    expect((await p.next("error", undefined, m)).code).toBe("out_of_bounds");
    m = p.mark();
    p.send("send_message", { message: "counted" });
    await p.next("message_received", undefined, m);
    m = p.mark();
    p.send("no_such_message", {});
    await p.next("error", (e) => e.code === "unknown_message", m);
    const after = await metrics();
    const delta = (name: string, labels = "") => sample(after, name, labels) - sample(before, name, labels);
    expect(sample(after, "cafe_rooms")).toBe(1);
    expect(sample(after, "cafe_clients")).toBe(1);
    expect(delta("cafe_messages_in_total", 'type="update_position"')).toBe(3);
    expect(delta("cafe_messages_in_total", 'type="send_message"')).toBe(1);
    expect(delta("cafe_messages_in_total", 'type="_unknown"')).toBe(1);
    expect(delta("cafe_rejected_moves_total", 'reason="too_fast"')).toBe(1);
    expect(delta("cafe_rejected_moves_total", 'reason="out_of_bounds"')).toBe(1);
    expect(delta("cafe_messages_out_total", 'type="error"')).toBe(3);
    expect(delta("cafe_messages_out_total", 'type="message_received"')).toBe(1);
    expect(delta("cafe_patch_duration_seconds_count")).toBeGreaterThan(0);
    expect(delta("cafe_db_query_duration_seconds_count")).toBeGreaterThan(0);
    // Sampled every 0.5 s: wait for the first sample rather than assume one was taken.
    const deadline = Date.now() + 5000;
    while (sample(await metrics(), "cafe_event_loop_lag_seconds_count") === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(sample(await metrics(), "cafe_event_loop_lag_seconds_count")).toBeGreaterThan(0);
  });

  it("serves a connection that sent a malformed message from the slow lane, in order, and counts what waited", async () => {
    const bob = await t.register("bob");
    const q = await join(t, bob, { room_id: roomId, x: 300, y: 300 });
    try {
      await q.until((s) => playerOf(s, bob.id) !== undefined, "own seat");
      const before = await metrics();
      q.send("update_position", { x: 310, y: 300 });
      await q.until((s) => playerOf(s, bob.id).x === 310, "move applied");
      const waited = async () => sample(await metrics(), "cafe_slow_lane_messages_total") - sample(before, "cafe_slow_lane_messages_total");
      expect(await waited()).toBe(0); // a well-behaved connection never waits
      const m = q.mark();
      q.send("update_position", { x: "east", y: 300 });
      q.send("update_position", { x: 320, y: 300 });
      q.send("send_message", { message: "after the refusal" });
      expect((await q.next("error", undefined, m)).code).toBe("invalid_payload");
      await q.until((s) => playerOf(s, bob.id).x === 320, "the held move applied");
      await q.next("message_received", (e) => e.message === "after the refusal", m);
      expect(q.received.slice(m).filter((r) => r.type === "error")).toHaveLength(1);
      // The refusal held the connection: both messages after it waited their turn in the lane.
      expect(await waited()).toBe(2);
      expect(sample(await metrics(), "cafe_slow_lane_waiting")).toBe(0);
    } finally {
      await leaveAll([q]);
    }
  });

  it("holds a JSON socket that sent a malformed frame in the same lane", async () => {
    const carol = await t.register("carol");
    const c = await JsonClient.open(t, `?token=${carol.token}`);
    try {
      c.send("join_room", { room_id: roomId, x: 400, y: 300 });
      await c.next("room_state");
      const before = sample(await metrics(), "cafe_slow_lane_messages_total");
      const m = c.mark();
      c.send("no_such_event", {});
      c.send("send_message", { message: "first after the refusal" });
      c.send("send_message", { message: "second after the refusal" });
      expect((await c.next("error", undefined, m)).code).toBe("unknown_message");
      await c.next("message_received", (d) => d.message === "first after the refusal", m);
      await c.next("message_received", (d) => d.message === "second after the refusal", m);
      const got = c.frames.slice(m).filter((f) => f.event === "message_received" && f.data.user_id === carol.id).map((f) => f.data.message);
      expect(got).toEqual(["first after the refusal", "second after the refusal"]);
      // The gateway refused the frame itself: the two after it waited in its lane (the room refused nothing).
      expect(sample(await metrics(), "cafe_slow_lane_messages_total") - before).toBe(2);
    } finally {
      c.ws.close();
      await c.closed;
    }
  });

  it("logs one JSON line per request with its request id, and room lines with the room id", async () => {
    const res = await t.api("GET", "/api/v1/users/me", { token: alice.token, headers: { "x-request-id": "trace-abc.1" } });
    expect(res.headers.get("x-request-id")).toBe("trace-abc.1");
    const generated = await t.api("GET", "/healthz", { headers: { "x-request-id": "bad id with spaces" } });
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const lines = t.logs.map((l) => JSON.parse(l));
    expect(lines.find((l) => l.request_id === "trace-abc.1")).toMatchObject({ msg: "request", method: "GET", path: "/api/v1/users/me", status: 200, level: 30 });
    expect(lines.find((l) => l.msg === "join" && l.user_id === alice.id)).toMatchObject({ room_id: roomId });
    expect(lines.find((l) => l.msg === "room created")).toMatchObject({ room_id: roomId });
  });

  it("never logs passwords, tokens or the secret key", async () => {
    const password = "correct horse battery";
    await t.api("POST", "/api/v1/auth/login", { body: { username: alice.username, password } });
    await t.api("POST", "/api/v1/auth/login", { form: { username: alice.username, password: "wrong password!" } });
    await t.api("GET", `/api/v1/rooms?token=${alice.token}`);
    const all = t.logs.join("\n");
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [password, "wrong password!", alice.token, admin.token, t.secret]) expect(all).not.toContain(secret);
  });

  it("rejects a bad LOG_LEVEL or METRICS_PORT with one line naming the variable", () => {
    expect(() => loadConfig({ LOG_LEVEL: "loud" })).toThrow(/^Configuration error: LOG_LEVEL is invalid/);
    expect(() => loadConfig({ METRICS_PORT: "70000" })).toThrow(/^Configuration error: METRICS_PORT is invalid/);
    expect(loadConfig({ LOG_LEVEL: "debug", METRICS_PORT: "9100" })).toMatchObject({ logLevel: "debug", metricsPort: 9100 });
  });
});
