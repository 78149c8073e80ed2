// Configuration, rate limiting, password hashing and migrations, without HTTP.
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ConfigError, loadConfig, resolveSecretKey } from "../src/config/index.ts";
import { createOrm, migrate, pendingMigrations, type Orm } from "../src/db/orm.ts";
import { RateLimiter } from "../src/limits/rate-limiter.ts";
import { hashPassword, OWASP_SCRYPT, verifyPassword } from "../src/services/passwords.ts";
import { startTestApp } from "./helpers/app.ts";
import { createTestDatabase, DB_KINDS, type TestDatabase } from "./helpers/db.ts";

describe("configuration", () => {
  const fails = (env: Record<string, string>, variable: string) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(variable);
    expect(message).not.toContain("\n");
  };

  it("has the contract's defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8000, host: "0.0.0.0", algorithm: "HS256", accessTokenExpireMinutes: 30, debug: false, redisUrl: undefined });
    expect(c.database).toEqual({ kind: "pglite", dataDir: path.resolve("./data/pgdata") });
    expect(loadConfig({ DATABASE_URL: "postgresql://u@h:5432/db" }).database).toEqual({ kind: "postgresql", url: "postgresql://u@h:5432/db" });
    expect([...loadConfig({ ADMIN_USERNAMES: " Alice, bob ,," }).adminUsernames]).toEqual(["alice", "bob"]);
  });

  it("stops on each bad variable with one line naming it", () => {
    fails({ PORT: "eighty" }, "PORT");
    fails({ PORT: "70000" }, "PORT");
    fails({ ALGORITHM: "RS256" }, "ALGORITHM");
    fails({ ALGORITHM: "none" }, "ALGORITHM");
    fails({ DATABASE_URL: "mysql://x" }, "DATABASE_URL");
    fails({ REDIS_URL: "localhost:6379" }, "REDIS_URL");
    fails({ ACCESS_TOKEN_EXPIRE_MINUTES: "0" }, "ACCESS_TOKEN_EXPIRE_MINUTES");
    fails({ DEBUG: "perhaps" }, "DEBUG");
    fails({ NODE_ENV: "staging" }, "NODE_ENV");
  });

  it("requires a SECRET_KEY of at least 32 bytes in production", () => {
    fails({ NODE_ENV: "production" }, "SECRET_KEY");
    fails({ NODE_ENV: "production", SECRET_KEY: "short" }, "SECRET_KEY");
    expect(loadConfig({ NODE_ENV: "production", SECRET_KEY: "k".repeat(32) }).secretKey).toBe("k".repeat(32));
  });

  it("generates a development secret once and keeps it in DATA_DIR", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cafe-config-"));
    const first = resolveSecretKey(loadConfig({ DATA_DIR: dir }));
    const second = resolveSecretKey(loadConfig({ DATA_DIR: dir }));
    expect(Buffer.byteLength(first.secretKey)).toBeGreaterThanOrEqual(32);
    expect(second.secretKey).toBe(first.secretKey);
    const file = path.join(dir, "secret_key");
    expect(readFileSync(file, "utf8").trim()).toBe(first.secretKey);
    expect(statSync(file).mode & 0o077).toBe(0);
  });
});

describe("rate limiter", () => {
  it("blocks a key past its limit until the window ends, per key", () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ max: 2, windowMs: 10_000 }, () => now);
    expect(limiter.retryAfter("a")).toBe(0);
    limiter.hit("a");
    limiter.hit("a");
    expect(limiter.retryAfter("a")).toBe(10);
    expect(limiter.retryAfter("b")).toBe(0);
    now += 9_500;
    expect(limiter.retryAfter("a")).toBe(1);
    now += 500;
    expect(limiter.retryAfter("a")).toBe(0);
    limiter.hit("a");
    limiter.reset("a");
    expect(limiter.retryAfter("a")).toBe(0);
  });
});

describe("password hashing", () => {
  it("uses OWASP's scrypt cost by default, with a per-hash salt", async () => {
    expect(OWASP_SCRYPT).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    const [a, b] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(a.startsWith("scrypt$131072$8$1$")).toBe(true);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password", a)).toBe(true);
    expect(await verifyPassword("same passwore", a)).toBe(false);
    expect(await verifyPassword("x", "bcrypt$whatever")).toBe(false);
  });

  it("stores OWASP-cost hashes when the server runs with its defaults", async () => {
    const t = await startTestApp("pglite", { hashParams: OWASP_SCRYPT });
    try {
      const user = await t.register();
      const rows = await t.app.orm.em.fork().getConnection().execute("select password_hash from users where id = ?", [user.id]);
      expect(String(rows[0]!.password_hash)).toMatch(/^scrypt\$131072\$8\$1\$/);
      expect((await t.api("POST", "/api/v1/auth/login", { body: { username: user.username, password: "correct horse battery" } })).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe.each(DB_KINDS)("migrations on %s", (kind) => {
  let db: TestDatabase;
  let orm: Orm;
  beforeAll(async () => {
    db = await createTestDatabase(kind, { empty: true });
    orm = await createOrm(db.config);
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  it("applies once, then running again is a no-op", async () => {
    expect((await pendingMigrations(orm)).length).toBeGreaterThan(0);
    expect((await migrate(orm)).length).toBeGreaterThan(0);
    expect(await pendingMigrations(orm)).toEqual([]);
    expect(await migrate(orm)).toEqual([]);
    const tables = await orm.em.fork().getConnection().execute(
      "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    expect(tables.map((r) => String(r["table_name"]))).toEqual(
      expect.arrayContaining(["chat_messages", "items", "room_visits", "rooms", "tool_logs", "users"]),
    );
  });

  it("enforces that an item is in exactly one place", async () => {
    const em = orm.em.fork();
    await em.execute("insert into users (username, email, password_hash, display_name, avatar_color, created_at) values ('u1','u1@x.io','h','u1','#000000', now())");
    await expect(
      em.execute("insert into items (type, name, owner_id, room_id, x, y, rotation, created_at) values ('chair','c',1,null,10,10,0, now())"),
    ).rejects.toThrow();
    await expect(
      em.execute("insert into items (type, name, owner_id, created_at) values ('throne','s',1, now())"),
    ).rejects.toThrow();
  });
});
