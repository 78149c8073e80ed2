// Backup while serving, restore into a fresh database, start on it: every row committed before the
// backup began is there, and each item is in exactly one place. Embedded (the running server makes
// the snapshot) and PostgreSQL (pg_dump / pg_restore).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { DatabaseConfig } from "../src/config/index.ts";
import type { Orm } from "../src/db/orm.ts";
import { backup, OpsError, restore } from "../src/ops/backup.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { createTestDatabase, DB_KINDS, type TestDatabase } from "./helpers/db.ts";
import { join, leaveAll, type Player } from "./helpers/sdk.ts";

const rows = async (orm: Orm, query: string) => orm.em.fork().getConnection().execute(query);

/** Places chairs and chats in a loop until stopped, each step confirmed by the room. */
function busy(t: TestApp, player: Player, roomId: number, row: number) {
  let stop = false;
  let placed = 0;
  const done = (async () => {
    for (let i = 0; !stop; i++) {
      const item = await t.api("POST", "/api/v1/inventory", { token: player.user.token, body: { type: "chair" } });
      player.send("place_object", { inventory_item_id: item.body.id, x: 16 + (i % 24) * 32, y: 16 + row * 32 + Math.floor(i / 24) * 64, rotation: 0 });
      await player.until((s) => s.objects.get(String(item.body.id)) !== undefined, `chair ${item.body.id}`);
      placed++;
      // Chat over REST: the room's own chat is rate limited per user, REST answers after the commit.
      const sent = await t.api("POST", "/api/v1/chat", { token: player.user.token, body: { room_id: roomId, message: `message ${i}` } });
      if (sent.status !== 201) throw new Error(`chat: ${sent.status} ${sent.text}`);
    }
  })();
  return { placed: () => placed, stop: async () => ((stop = true), await done) };
}

describe.each(DB_KINDS)("backup and restore on %s", (kind) => {
  let dir: string;
  let source: TestApp;
  let restored: TestApp | undefined;
  let targetDb: TestDatabase | undefined;
  let sourceDb: DatabaseConfig;
  const players: Player[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "cafe-backup-"));
    const embedded = { kind: "pglite", dataDir: path.join(dir, "a", "pgdata") } as const;
    source = await startTestApp(kind, { ...(kind === "pglite" ? { database: embedded } : {}), env: { DATA_DIR: path.join(dir, "a") } });
    sourceDb = source.app.config.database;
  }, 120_000);
  afterAll(async () => {
    await leaveAll(players);
    await source.close();
    await restored?.close();
    await targetDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("backs up while clients place items and chat; the restore starts and holds everything committed before", async () => {
    const alice: TestUser = await source.register("alice");
    const bob: TestUser = await source.register("bob");
    const roomId = (await source.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "Busy", width: 800, height: 600, build_policy: "everyone" } })).body.id;
    for (const [u, x] of [[alice, 100], [bob, 700]] as const) players.push(await join(source, u, { room_id: roomId, x, y: 560 }));
    const loops = [busy(source, players[0]!, roomId, 0), busy(source, players[1]!, roomId, 1)];
    await players[0]!.until((s) => s.objects.size >= 6, "some objects placed");

    const items = await rows(source.app.orm, "select id, owner_id, room_id, x, y from items order by id");
    const chat = await rows(source.app.orm, "select id, user_id, message from chat_messages order by id");
    const file = path.join(dir, kind === "pglite" ? "cafe.tar.gz" : "cafe.dump");
    const made = await backup(sourceDb, path.join(dir, "a"), file);
    expect(made.via).toBe(kind === "pglite" ? "server" : "pg_dump");
    const placedWhileBackingUp = loops.map((l) => l.placed());
    // The clients kept being served during the backup.
    await players[0]!.until((s) => s.objects.size > items.length + 2, "more objects after the backup");
    for (const l of loops) await l.stop();
    expect(placedWhileBackingUp.every((n) => n > 0)).toBe(true);

    let target: DatabaseConfig;
    if (kind === "pglite") {
      target = { kind: "pglite", dataDir: path.join(dir, "b", "pgdata") };
      await expect(restore(sourceDb, path.join(dir, "a"), file, true)).rejects.toThrow(/running on .*stop it before restoring/);
    } else {
      targetDb = await createTestDatabase("postgresql");
      target = targetDb.config;
    }
    await restore(target, path.join(dir, "b"), file, false);
    await expect(restore(target, path.join(dir, "b"), file, false)).rejects.toThrow(OpsError);

    restored = await startTestApp(kind, { database: target, env: { DATA_DIR: path.join(dir, "b") } });
    const after = await rows(restored.app.orm, "select id, owner_id, room_id, x, y from items order by id");
    const afterChat = await rows(restored.app.orm, "select id, user_id, message from chat_messages order by id");
    const byId = new Map(after.map((r: any) => [r.id, r]));
    for (const item of items) expect(byId.get(item["id"])).toEqual(item);
    const chatById = new Map(afterChat.map((r: any) => [r.id, r]));
    for (const message of chat) expect(chatById.get(message["id"])).toEqual(message);
    // Each item in exactly one place: an inventory (no room, no position) or a room at a position.
    const misplaced = await rows(restored.app.orm, "select id from items where (room_id is null) <> (x is null) or (room_id is null) <> (y is null)");
    expect(misplaced).toEqual([]);
    // It serves: the restored password works, and the room loads its placed objects.
    const login = await restored.api("POST", "/api/v1/auth/login", { body: { username: alice.username, password: "correct horse battery" } });
    expect(login.status).toBe(200);
    const placedRows = after.filter((r: any) => r.room_id === roomId).length;
    const again = await join(restored, { ...alice, token: login.body.access_token }, { room_id: roomId, x: 100, y: 560 });
    players.push(again);
    await again.until((s) => s.objects?.size === placedRows, `${placedRows} objects in the restored room`);
  });
});
