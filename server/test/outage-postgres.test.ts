// PostgreSQL goes away under traffic, and comes back: the server reaches it through a proxy the
// test cuts (the machine's PostgreSQL itself is never touched). While it is cut, walking goes on,
// durable commands answer `unavailable` (REST 503 with Retry-After), /readyz says 503 and /healthz
// 200; once it is restored, everything works again without a restart, positions and visits are
// written, and nothing is lost or duplicated. OUTAGE_CUTS repeats the cycle, alternating refused
// and reset connections.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { CLIENT_MESSAGES, SERVER_MESSAGES } from "../../shared/src/protocol.ts";
import { startApp } from "../src/app.ts";
import { loadConfig, resolveSecretKey } from "../src/config/index.ts";
import { checkedOut } from "../src/db/pool-guard.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { controlEnv } from "./helpers/control.ts";
import { startCutProxy, type CutMode, type CutProxy } from "./helpers/cut-proxy.ts";
import { createTestDatabase, POSTGRES_ADMIN_URL, type TestDatabase } from "./helpers/db.ts";
import { checkItemInvariant, MANY_USERS, type ItemRow } from "./helpers/invariant.ts";
import { Probe } from "./helpers/probe.ts";
import { playerOf } from "./helpers/sdk.ts";

/** OUTAGE_CUTS (default 1) repeats the cut-and-restore cycle (the soak runs 20 and more). */
const CUTS = Number(process.env["OUTAGE_CUTS"] ?? 1);

/** Polls `check` every 100 ms (a condition on another process, which sends no event) until it holds. */
async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("PostgreSQL cut and restored under traffic", () => {
  let t: TestApp;
  let proxy: CutProxy;
  let db: pg.Client;
  const probes: Probe[] = [];

  beforeAll(async () => {
    const admin = new URL(POSTGRES_ADMIN_URL);
    proxy = await startCutProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    t = await startTestApp("postgresql", { routeDatabase: (url) => proxy.through(url), env: controlEnv(), authLimits: MANY_USERS });
    if (t.database.kind !== "postgresql") throw new Error("needs PostgreSQL");
    db = new pg.Client({ connectionString: t.database.url });
    await db.connect();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(probes.map((p) => p.leave()));
    await db?.end();
    await proxy?.restore();
    await t?.close();
    await proxy?.close();
  });

  const sql = async <R>(text: string, values: unknown[] = []): Promise<R[]> => (await db.query(text, values)).rows as R[];

  it(`keeps walking, refuses durable commands promptly, and recovers by itself (${CUTS} cut(s))`, async () => {
    for (let n = 0; n < CUTS; n++) await cutCycle(n % 2 === 0 ? "refuse" : "reset");
  }, 60_000 * CUTS);

  /** One cut under traffic and its recovery, on fresh users, room and items. */
  async function cutCycle(mode: CutMode): Promise<void> {
    const [a, b, c, d] = [await t.register("cut_a"), await t.register("cut_b"), await t.register("cut_c"), await t.register("cut_d")];
    const api = (u: TestUser, method: string, path: string, body?: unknown) => t.api(method, path, { token: u.token, body });
    const roomId = (await api(a, "POST", "/api/v1/rooms", { name: "Outage" })).body.id as number;
    const items: number[] = [];
    for (let i = 0; i < 4; i++) items.push((await api(a, "POST", "/api/v1/inventory", { type: "chair" })).body.id);
    const [pa, pb, pd] = await Promise.all([a, b, d].map((u, i) => Probe.join(t.url, u.token, { room_id: roomId, x: 100 + 100 * i, y: 400 })));
    const [A, B, D] = [pa!, pb!, pd!];
    probes.push(A, B);

    // B walks back and forth the whole time, 4 px every 40 ms (100 px/s).
    let step = 0;
    let walking = true;
    const walker = setInterval(() => {
      if (!walking) return;
      step++;
      B.send(CLIENT_MESSAGES.updatePosition, { x: 200 + 4 * (20 - Math.abs((step % 40) - 20)), y: 400 });
    }, 40);
    try {
      // Traffic in flight when the cut lands: placements and chat whose outcome is unknown.
      const since = A.mark();
      A.send(CLIENT_MESSAGES.placeObject, { inventory_item_id: items[1], x: 120, y: 120, rotation: 0 });
      A.send(CLIENT_MESSAGES.placeObject, { inventory_item_id: items[2], x: 200, y: 120, rotation: 90 });
      for (let i = 0; i < 2; i++) A.send(CLIENT_MESSAGES.sendMessage, { message: `burst ${i}` });
      await proxy.cut(mode);

      // Durable commands: `unavailable`, promptly (the elapsed time is reported, not asserted).
      const started = performance.now();
      for (const [type, payload] of [
        [CLIENT_MESSAGES.sendMessage, { message: "during the cut" }],
        [CLIENT_MESSAGES.placeObject, { inventory_item_id: items[0], x: 300, y: 120, rotation: 0 }],
        [CLIENT_MESSAGES.getInventory, {}],
      ] as const) {
        const mark = A.mark();
        A.send(type, payload);
        const answer = await A.answer(mark, type, () => false);
        expect({ type, code: answer.payload.code }).toEqual({ type, code: "unavailable" });
      }
      console.info(`${mode}: three durable commands refused during the cut in ${Math.round(performance.now() - started)} ms`);

      const rest = await api(a, "GET", "/api/v1/inventory");
      expect([rest.status, rest.body.code, rest.headers.get("retry-after")]).toEqual([503, "unavailable", "5"]);
      const chat = await api(a, "POST", "/api/v1/chat", { room_id: roomId, message: "rest during the cut" });
      expect([chat.status, chat.body.code]).toEqual([503, "unavailable"]);
      expect((await t.api("GET", "/readyz")).status).toBe(503);
      expect((await t.api("GET", "/readyz")).body.code).toBe("unavailable");
      expect((await t.api("GET", "/healthz")).status).toBe(200);
      await expect(Probe.join(t.url, c.token, { room_id: roomId })).rejects.toMatchObject({ code: 503 });

      // Walking goes on from memory: B steps off the walker's line and A sees it.
      walking = false;
      B.send(CLIENT_MESSAGES.updatePosition, { x: playerOf(B.room.state, b.id).x, y: 397 });
      await A.wait(() => (playerOf(A.room.state, b.id)?.y === 397 ? true : undefined), "B's step during the cut");
      walking = true;
      // D leaves while the database cannot record it.
      await D.leave();

      await proxy.restore();
      await until(async () => ((await t.api("GET", "/readyz")).status === 200 ? true : undefined), "/readyz 200 after the restore");

      // Everything works again, without a restart.
      let mark = A.mark();
      A.send(CLIENT_MESSAGES.sendMessage, { message: "after the cut" });
      const said = await A.answer(mark, CLIENT_MESSAGES.sendMessage, (m) => m.type === SERVER_MESSAGES.messageReceived && m.payload.message === "after the cut");
      expect(said).toMatchObject({ ok: true });
      mark = A.mark();
      A.send(CLIENT_MESSAGES.placeObject, { inventory_item_id: items[0], x: 300, y: 200, rotation: 0 });
      const placed = await A.answer(mark, CLIENT_MESSAGES.placeObject, (m) => m.type === SERVER_MESSAGES.objectPlaced && m.payload.object.id === items[0]);
      expect(placed).toMatchObject({ ok: true });
      const late = await Probe.join(t.url, c.token, { room_id: roomId });
      probes.push(late);
      expect((await api(a, "GET", "/api/v1/inventory")).status).toBe(200);

      // Positions are written again, and D's visit (left during the cut) is closed.
      walking = false;
      const at = playerOf(B.room.state, b.id);
      await until(async () => {
        const [row] = await sql<{ x: number; y: number }>("select x, y from room_visits where user_id = $1 and left_at is null", [b.id]);
        return row && row.x === at.x && row.y === at.y ? true : undefined;
      }, "B's position flushed after the restore");
      await until(async () => ((await sql("select 1 from room_visits where user_id = $1 and left_at is null", [d.id])).length === 0 ? true : undefined), "D's visit closed");

      // Nothing lost or duplicated: the database, A's view of the room and the inventory agree.
      const rows = () => sql<ItemRow>("select id, owner_id as owner, room_id as room, x, y, rotation from items where owner_id = $1", [a.id]);
      const view = async () => {
        const inventory = (await api(a, "GET", "/api/v1/inventory")).body as { id: number }[];
        return checkItemInvariant({ db: await rows(), expected: items, rooms: [{ label: "A's room", roomId, objects: A.objects() }], inventories: [{ userId: a.id, ids: inventory.map((i) => i.id) }] });
      };
      await until(async () => ((await view()).length === 0 ? true : undefined), "the room and the inventory to match the database").catch(async () => {
        throw new Error((await view()).join("; "));
      });
      const messages = await sql<{ message: string }>("select message from chat_messages where room_id = $1", [roomId]);
      const texts = messages.map((m) => m.message);
      expect(texts.filter((m) => m === "after the cut")).toHaveLength(1);
      expect(texts).not.toContain("during the cut");
      expect(texts).not.toContain("rest during the cut");
      expect(new Set(texts).size).toBe(texts.length);
      const acknowledged = A.received.slice(since).filter((m) => m.type === SERVER_MESSAGES.messageReceived).map((m) => m.payload.message as string);
      for (const text of acknowledged) expect(texts).toContain(text);
      // B's walking was never refused.
      expect(B.received.filter((m) => m.type === SERVER_MESSAGES.error)).toEqual([]);
      expect([A.closed, B.closed]).toEqual([false, false]);
      // No pooled connection was left checked out by the transactions the cut interrupted.
      const pool = await (t.app.orm.em.getConnection() as unknown as { getNativeClient(): Promise<Parameters<typeof checkedOut>[0]> }).getNativeClient();
      await until(async () => (checkedOut(pool) === 0 ? true : undefined), "every pooled connection back").catch(() => {
        throw new Error(`${checkedOut(pool)} pooled connection(s) leaked by the cut`);
      });
      await Promise.all([A, B, late].map((p) => p.leave()));
      probes.length = 0;
    } finally {
      clearInterval(walker);
    }
  }
});

describe("start-up while PostgreSQL is unreachable", () => {
  let proxy: CutProxy;
  let database: TestDatabase;
  beforeAll(async () => {
    const admin = new URL(POSTGRES_ADMIN_URL);
    proxy = await startCutProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    database = await createTestDatabase("postgresql");
  });
  afterAll(async () => {
    await proxy?.close();
    await database?.drop();
  });

  const start = (timeoutS: number, logs: string[]) => {
    if (database.config.kind !== "postgresql") throw new Error("needs PostgreSQL");
    const env = { NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", SECRET_KEY: randomBytes(32).toString("hex"), DATABASE_CONNECT_TIMEOUT_S: String(timeoutS) };
    const config = { ...resolveSecretKey(loadConfig(env)), database: { kind: "postgresql" as const, url: proxy.through(database.config.url) } };
    return startApp(config, { log: (line) => logs.push(line) });
  };

  it("waits with a log line per attempt, then starts once the database answers", async () => {
    await proxy.cut("refuse");
    const logs: string[] = [];
    const starting = start(60, logs);
    const attempts = () => logs.filter((l) => /database unreachable \(attempt \d+\)/.test(l)).length;
    await until(async () => (attempts() >= 2 ? true : undefined), "two logged attempts");
    await proxy.restore();
    const app = await starting;
    try {
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(logs.some((l) => /database reachable after \d+ attempts/.test(l))).toBe(true);
      // The line names the problem, never the connection string.
      expect(logs.filter((l) => l.includes("postgresql://"))).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);

  it("gives up after DATABASE_CONNECT_TIMEOUT_S with one clear error", async () => {
    await proxy.cut("refuse");
    const logs: string[] = [];
    await expect(start(1, logs)).rejects.toThrow(/database unreachable for 1 s \(DATABASE_CONNECT_TIMEOUT_S\): ECONNREFUSED/);
    expect(logs.filter((l) => /database unreachable \(attempt 1\)/.test(l))).toHaveLength(1);
    await proxy.restore();
  }, 30_000);

  it("rejects a bad DATABASE_CONNECT_TIMEOUT_S naming the variable", () => {
    expect(() => loadConfig({ DATABASE_CONNECT_TIMEOUT_S: "soon" })).toThrow(/DATABASE_CONNECT_TIMEOUT_S/);
  });
});
