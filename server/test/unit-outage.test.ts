// The one place that tells an outage from a bug, the log that folds an outage's thousands of
// failures into a line every few seconds, a room's reload of its objects after an outage, and the
// event bus's answer when Redis is down or stalls.
import { LocalPresence, type Presence } from "@colyseus/core";
import { describe, expect, it } from "@jest/globals";
import { ObjectState } from "../../shared/src/state.ts";
import { resyncObjects } from "../src/rooms/outage-recovery.ts";
import { AppError, conflict } from "../src/services/errors.ts";
import { RoomEventBus, type RoomEvent } from "../src/services/events.ts";
import { describeOutage, isUnavailable, OutageLog, unavailable } from "../src/services/outage.ts";

const withCode = (code: string, message = "boom") => Object.assign(new Error(message), { code });

describe("isUnavailable", () => {
  it.each([
    ["a refused connection", withCode("ECONNREFUSED")],
    ["a reset connection", withCode("ECONNRESET")],
    ["a full disk (SQLSTATE 53100)", withCode("53100", 'could not extend file "base/1/2": No space left on device')],
    ["our statement timeout (57014)", withCode("57014", "canceling statement due to statement timeout")],
    ["a server shutting down (57P01)", withCode("57P01")],
    ["pg-pool's connect timeout", new Error("timeout exceeded when trying to connect")],
    ["a connection that ended mid-query", new Error("Connection terminated unexpectedly")],
    ["a cause two levels down", new Error("outer", { cause: new Error("middle", { cause: withCode("ECONNREFUSED") }) })],
    ["every address refused", new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")], "")],
    ["Redis without a connection", new Error("Connection is closed.")],
  ])("is true for %s", (_what, err) => {
    expect(isUnavailable(err)).toBe(true);
  });

  it.each([
    ["a unique violation (23505)", withCode("23505", "duplicate key")],
    ["a syntax error (42601)", withCode("42601")],
    ["a contract error", conflict("taken")],
    ["a plain bug", new TypeError("x is undefined")],
    ["a string", "ECONNREFUSED"],
    ["nothing", undefined],
  ])("is false for %s", (_what, err) => {
    expect(isUnavailable(err)).toBe(false);
  });

  it("is answered as a 503 with Retry-After", () => {
    const mapped = unavailable();
    expect([mapped.status, mapped.code, mapped.headers["Retry-After"]]).toEqual([503, "unavailable", "5"]);
  });

  it("describes a failure without connection strings", () => {
    const line = describeOutage(withCode("ECONNREFUSED", "connect to postgresql://cafe:secret@db:5432/cafe failed"));
    expect(line).toBe("ECONNREFUSED: connect to <url> failed");
  });
});

describe("OutageLog", () => {
  it("writes the first failure at once and folds the rest of the window into the next line", () => {
    const lines: { line: string; fields: Record<string, unknown> }[] = [];
    const log = new OutageLog((line, fields) => lines.push({ line, fields }), "embedded database in /data/pgdata", 60_000);
    for (let i = 0; i < 1000; i++) log.report("send_message", withCode("53100", "No space left on device"));
    expect(lines).toEqual([{ line: "embedded database in /data/pgdata unavailable (send_message): 53100: No space left on device", fields: { folded: 0 } }]);
  });
});

describe("resyncObjects", () => {
  const item = (id: number, x: number) => ({ id, type: "chair", name: "Chair", owner_id: 1, room_id: 5, x, y: 40, rotation: 0 });

  it("makes the room show exactly the database's objects", () => {
    const objects = new Map<string, ObjectState>();
    const put = (o: ReturnType<typeof item>) => objects.set(String(o.id), new ObjectState({ id: o.id, type: o.type, name: o.name, owner_id: o.owner_id, x: o.x, y: o.y, rotation: o.rotation }));
    put(item(1, 40)); // unchanged
    put(item(2, 80)); // moved in the database
    put(item(3, 120)); // picked up in the database
    const changed = resyncObjects(objects, [item(1, 40), item(2, 100), item(4, 160)] as never, put as never);
    expect(changed.removed).toEqual([3]);
    expect(changed.placed.map((o) => o.id)).toEqual([2, 4]);
    expect([...objects.values()].map((o) => [o.id, o.x])).toEqual([[1, 40], [2, 100], [4, 160]]);
  });
});

describe("RoomEventBus", () => {
  const event: RoomEvent = { type: "room_deleted" };
  /** A presence whose publish behaves as given (the rest of Presence is never called here). */
  const presenceWith = (publish: () => Promise<void>) => ({ publish }) as unknown as Presence;

  it("delivers through the presence when Redis answers", async () => {
    const bus = new RoomEventBus(new LocalPresence());
    const seen: RoomEvent[] = [];
    await bus.subscribe(7, (e) => seen.push(e));
    bus.assertReady();
    await bus.publish(7, event);
    expect(seen).toEqual([event]);
  });

  it("refuses a change before it is made while Redis is down, and a publish after it with 'saved'", async () => {
    const lines: string[] = [];
    const bus = new RoomEventBus(presenceWith(() => Promise.resolve()), { ready: () => false, log: (line) => lines.push(line) });
    expect(() => bus.assertReady()).toThrow(AppError);
    try {
      bus.assertReady();
    } catch (err) {
      expect(err).toMatchObject({ status: 503, code: "unavailable", headers: { "Retry-After": "5" } });
      expect((err as AppError).detail).toMatch(/^Redis is unavailable/);
    }
    await expect(bus.publish(7, event)).rejects.toMatchObject({ status: 503, code: "unavailable", detail: expect.stringMatching(/saved/) });
    expect(lines).toEqual([expect.stringMatching(/^Redis unavailable \(publish after a saved change\)/)]);
  });

  it("gives up on a publish Redis never answers, and says the change was saved", async () => {
    const lines: string[] = [];
    const bus = new RoomEventBus(presenceWith(() => new Promise<void>(() => {})), { publishTimeoutMs: 10, log: (line) => lines.push(line) });
    await expect(bus.publish(7, event)).rejects.toMatchObject({ status: 503, code: "unavailable", detail: expect.stringMatching(/saved/) });
    expect(lines).toHaveLength(1);
  });

  it("tells every room of a multi-room change even when one publish fails, then says it was saved", async () => {
    // Room 8's publish fails (Redis dropped the connection); rooms 7 and 9 must still hear.
    const told: string[] = [];
    const presence = {
      publish: (topic: string) => {
        told.push(topic);
        return topic.includes(":8:") ? Promise.reject(withCode("ECONNRESET")) : Promise.resolve();
      },
    } as unknown as Presence;
    const bus = new RoomEventBus(presence, { log: () => {} });
    const removed: RoomEvent = { type: "user_removed", userId: 3, reason: "banned" };
    await expect(bus.publishEach([7, 8, 9].map((roomId) => [roomId, removed] as const))).rejects.toMatchObject({ status: 503, code: "unavailable", detail: expect.stringMatching(/saved/) });
    expect(told).toEqual(["cafe:room:7:events", "cafe:room:8:events", "cafe:room:9:events"]);
    // All delivered: resolves.
    told.length = 0;
    const fine = new RoomEventBus({ publish: (topic: string) => (told.push(topic), Promise.resolve()) } as unknown as Presence);
    await fine.publishEach([7, 9].map((roomId) => [roomId, removed] as const));
    expect(told).toEqual(["cafe:room:7:events", "cafe:room:9:events"]);
  });

  it("passes on a failure that is not an outage (a bug stays a bug)", async () => {
    const bug = new TypeError("cannot serialise");
    const bus = new RoomEventBus(presenceWith(() => Promise.reject(bug)));
    await expect(bus.publish(7, event)).rejects.toBe(bug);
  });
});
