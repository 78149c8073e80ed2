// Remembered places: coming back to a room puts you where you left, after a rejoin and after a
// server restart, unless the spot is now blocked (then the nearest free spot) or you ask for x, y.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PLAYER_RADIUS, TILE_SIZE } from "../../shared/src/constants.ts";
import { startApp, type CafeApp } from "../src/app.ts";
import { loadConfig, resolveSecretKey, type DatabaseConfig } from "../src/config/index.ts";
import { ADMIN_USERNAME, FAST_HASH } from "./helpers/app.ts";
import { createTestDatabase, DB_KINDS, type TestDatabase } from "./helpers/db.ts";
import { join, leaveAll, playerOf, type Player } from "./helpers/sdk.ts";

describe.each(DB_KINDS)("remembered places on %s", (kind) => {
  const secret = randomBytes(32).toString("hex");
  let db: TestDatabase;
  let dataDir: string | undefined;
  let database: DatabaseConfig;
  let app: CafeApp;
  let token: string;
  let userId: number;
  let roomId: number;

  const boot = () =>
    startApp(
      {
        ...resolveSecretKey(loadConfig({ NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", SECRET_KEY: secret, ADMIN_USERNAMES: ADMIN_USERNAME })),
        database,
      },
      { hashParams: FAST_HASH, log: () => {} },
    );
  const api = async (method: string, route: string, body?: unknown, auth = token) => {
    const res = await fetch(`${app.url}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${auth}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.json().catch(() => undefined) };
  };
  const enter = async (options: Record<string, unknown> = {}): Promise<{ p: Player; at: { x: number; y: number } }> => {
    const p = await join({ url: app.url } as never, { id: userId, username: "walker", token }, { room_id: roomId, ...options });
    await p.until((s) => playerOf(s, userId) !== undefined, "own seat");
    const me = playerOf(p.room.state, userId);
    return { p, at: { x: me.x, y: me.y } };
  };
  /** Walks in small steps (each within walking speed) and waits until the server has it. */
  const walkTo = async (p: Player, to: { x: number; y: number }) => {
    let me = playerOf(p.room.state, userId);
    while (me.x !== to.x || me.y !== to.y) {
      const step = { x: me.x + Math.sign(to.x - me.x) * Math.min(10, Math.abs(to.x - me.x)), y: me.y + Math.sign(to.y - me.y) * Math.min(10, Math.abs(to.y - me.y)) };
      p.send("update_position", step);
      await p.until((s) => playerOf(s, userId).x === step.x && playerOf(s, userId).y === step.y, `at ${step.x},${step.y}`);
      me = playerOf(p.room.state, userId);
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    if (kind === "pglite") {
      dataDir = mkdtempSync(path.join(tmpdir(), "cafe-remember-"));
      database = { kind: "pglite", dataDir: path.join(dataDir, "db") };
    } else database = db.config;
    app = await boot();
    const reg = await fetch(`${app.url}/api/v1/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "walker", email: "walker@example.test", password: "correct horse battery" }),
    }).then((r) => r.json());
    [token, userId] = [reg.access_token, reg.user.id];
    roomId = (await api("POST", "/rooms", { name: "Memory" })).body.id;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("puts a returning user where they left, unless they ask for a spot", async () => {
    const first = await enter();
    expect(first.at).toEqual({ x: 400, y: 300 });
    await walkTo(first.p, { x: 460, y: 260 });
    await leaveAll([first.p]);
    const back = await enter();
    expect(back.at).toEqual({ x: 460, y: 260 });
    await leaveAll([back.p]);
    const asked = await enter({ x: 150, y: 150 });
    expect(asked.at).toEqual({ x: 150, y: 150 });
    await walkTo(asked.p, { x: 180, y: 170 });
    await leaveAll([asked.p]);
  });

  it("remembers across a server restart, and steps aside when the spot is now blocked", async () => {
    const seated = await enter();
    expect(seated.at).toEqual({ x: 180, y: 170 });
    await walkTo(seated.p, { x: 230, y: 200 });
    seated.p.room.reconnection.enabled = false; // this test comes back itself, after the restart
    const closed = seated.p.left;
    await app.close(); // the seat is still open: shutdown saves its last position
    await closed;
    app = await boot();
    const back = await enter();
    expect(back.at).toEqual({ x: 230, y: 200 });
    await leaveAll([back.p]);

    const wall = (await api("POST", "/inventory", { type: "wall" })).body;
    expect((await api("PATCH", `/rooms/${roomId}`, { build_policy: "owner" })).status).toBe(200);
    await app.services.items.place({ id: userId, username: "walker", isAdmin: false }, wall.id, roomId, { x: 230, y: 200, rotation: 0 });
    const aside = await enter();
    // The nearest spot where the avatar's circle clears the wall's tile.
    const clearance = TILE_SIZE / 2 + PLAYER_RADIUS;
    expect(Math.max(Math.abs(aside.at.x - 230), Math.abs(aside.at.y - 200))).toBeGreaterThanOrEqual(clearance);
    expect(Math.hypot(aside.at.x - 230, aside.at.y - 200)).toBeLessThan(clearance * 2);
    await leaveAll([aside.p]);
  }, 60_000);
});
