// Retention: old visits, chat and tool logs are pruned in batches; open visits never; on both databases.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { loadConfig } from "../src/config/index.ts";
import { RETENTION_BATCH } from "../src/services/retention.ts";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";

describe("retention configuration", () => {
  it("defaults to 30 days of visits and keeps chat and tool logs; 0 or off keeps for ever; bad values stop the start", () => {
    expect(loadConfig({}).retention).toEqual({ visits: 30, chat: null, toolLogs: null });
    expect(loadConfig({ RETENTION_VISITS_DAYS: "0", RETENTION_CHAT_DAYS: "365", RETENTION_TOOL_LOGS_DAYS: "90" }).retention).toEqual({
      visits: null,
      chat: 365,
      toolLogs: 90,
    });
    expect(loadConfig({ RETENTION_VISITS_DAYS: "off" }).retention.visits).toBeNull();
    expect(() => loadConfig({ RETENTION_CHAT_DAYS: "a year" })).toThrow(/^Configuration error: RETENTION_CHAT_DAYS is invalid/);
    expect(() => loadConfig({ RETENTION_VISITS_DAYS: "-1" })).toThrow(/^Configuration error: RETENTION_VISITS_DAYS is invalid/);
    expect(() => loadConfig({ RETENTION_TOOL_LOGS_DAYS: "1.5" })).toThrow(/^Configuration error: RETENTION_TOOL_LOGS_DAYS is invalid/);
  });
});

describe.each(DB_KINDS)("retention on %s", (kind) => {
  let t: TestApp;
  const sql = (query: string, params: unknown[] = []) => t.app.orm.em.fork().getConnection().execute(query, params);
  const count = async (table: string, where = "true") => Number((await sql(`select count(*) as n from ${table} where ${where}`))[0]!["n"]);

  beforeAll(async () => {
    t = await startTestApp(kind, { env: { RETENTION_CHAT_DAYS: "365" } });
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it("prunes closed visits and chat past their days in batches, keeps open visits, recent rows and tool logs", async () => {
    const u = await t.register("walker");
    const roomId = (await t.api("POST", "/api/v1/rooms", { token: u.token, body: { name: "Old" } })).body.id;
    const old = RETENTION_BATCH * 2 + 17;
    const visit = `insert into room_visits (room_id, user_id, x, y, process_id, joined_at, left_at)
      select ?, ?, 100, 100, 'p', now() - make_interval(days => ?), %LEFT% from generate_series(1, ?)`;
    await sql(visit.replace("%LEFT%", "now() - interval '40 days'"), [roomId, u.id, 41, old]);
    await sql(visit.replace("%LEFT%", "now() - interval '10 days'"), [roomId, u.id, 11, 5]);
    // Present for 100 days and still there: never pruned.
    await sql(visit.replace("%LEFT%", "null"), [roomId, u.id, 100, 3]);
    const chat = `insert into chat_messages (room_id, user_id, username, message, created_at)
      select ?, ?, 'walker', 'hi', now() - make_interval(days => ?) from generate_series(1, ?)`;
    await sql(chat, [roomId, u.id, 400, 7]);
    await sql(chat, [roomId, u.id, 10, 2]);
    await sql(
      `insert into tool_logs (room_id, user_id, target_object_id, action, result, created_at)
       select ?, ?, 1, 'inspect', 'ok', now() - interval '1000 days' from generate_series(1, 4)`,
      [roomId, u.id],
    );

    expect(await t.app.services.retention.sweep()).toEqual({ visits: old, chat: 7, toolLogs: 0 });
    expect(await count("room_visits", "left_at is null")).toBe(3);
    expect(await count("room_visits", "left_at is not null")).toBe(5);
    expect(await count("chat_messages")).toBe(2);
    expect(await count("tool_logs")).toBe(4);
    expect(await t.app.services.retention.sweep()).toEqual({ visits: 0, chat: 0, toolLogs: 0 });
    // The kept chat still pages normally.
    expect((await t.api("GET", `/api/v1/chat?room_id=${roomId}`, { token: u.token })).body).toHaveLength(2);
  });
});
