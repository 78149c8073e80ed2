// Boots the real app (the same startApp as `npm start`) on a random port over a fresh database,
// and gives tests a small HTTP client for it.
import { randomBytes } from "node:crypto";
import { startApp, type CafeApp } from "../../src/app.ts";
import { loadConfig, resolveSecretKey, type DatabaseConfig } from "../../src/config/index.ts";
import type { AuthLimits } from "../../src/limits/rate-limiter.ts";
import type { ScryptParams } from "../../src/services/passwords.ts";
import { createTestDatabase, type DbKind } from "./db.ts";

export const ADMIN_USERNAME = "admin_ops";
/** Test suites hash with a light scrypt cost (one suite checks the OWASP default separately). */
export const FAST_HASH: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  form?: Record<string, string>;
  raw?: string;
  headers?: Record<string, string>;
}

export interface TestUser {
  id: number;
  username: string;
  token: string;
}

export interface TestApp {
  app: CafeApp;
  url: string;
  secret: string;
  logs: string[];
  /** The test database as the test reaches it (never through a proxy). */
  database: DatabaseConfig;
  api<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  register(prefix?: string): Promise<TestUser>;
  admin(): Promise<TestUser>;
  close(): Promise<void>;
}

export async function startTestApp(
  kind: DbKind,
  options: {
    env?: Record<string, string>;
    authLimits?: AuthLimits;
    hashParams?: ScryptParams;
    /** Rewrites the server's PostgreSQL URL (outage tests route it through a proxy they can cut). */
    routeDatabase?: (url: string) => string;
    /** A given database (e.g. an embedded one on disk) belongs to the test, which cleans it up. */
    database?: DatabaseConfig;
  } = {},
): Promise<TestApp> {
  const db = options.database ? { config: options.database, drop: async () => {} } : await createTestDatabase(kind);
  const database = db.config.kind === "postgresql" && options.routeDatabase ? { ...db.config, url: options.routeDatabase(db.config.url) } : db.config;
  const secret = randomBytes(32).toString("hex");
  const config = {
    ...resolveSecretKey(
      loadConfig({ NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", SECRET_KEY: secret, ADMIN_USERNAMES: ADMIN_USERNAME, ...options.env }),
    ),
    database,
  };
  const logs: string[] = [];
  let app: CafeApp;
  try {
    app = await startApp(config, {
      hashParams: options.hashParams ?? FAST_HASH,
      log: (line) => logs.push(line),
      ...(options.authLimits ? { authLimits: options.authLimits } : {}),
    });
  } catch (err) {
    await db.drop();
    throw err;
  }
  let counter = 0;
  let adminUser: TestUser | undefined;

  async function api<T>(method: string, path: string, o: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers["authorization"] = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(o.form).toString();
    } else if (o.raw !== undefined) {
      headers["content-type"] ??= "application/json";
      body = o.raw;
    } else if (o.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(o.body);
    }
    const res = await fetch(app.url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  async function registerAs(username: string): Promise<TestUser> {
    const res = await api<{ user: { id: number }; access_token: string }>("POST", "/api/v1/auth/register", {
      body: { username, email: `${username}@example.test`, password: "correct horse battery" },
    });
    if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${res.text}`);
    return { id: res.body.user.id, username, token: res.body.access_token };
  }

  return {
    app,
    url: app.url,
    secret,
    logs,
    database: db.config,
    api,
    register: (prefix = "user") => registerAs(`${prefix}${++counter}_${randomBytes(2).toString("hex")}`),
    admin: async () => (adminUser ??= await registerAs(ADMIN_USERNAME)),
    async close() {
      try {
        await app.close();
      } finally {
        await db.drop();
      }
    },
  };
}
