// Starting the servers under test (pinned to core 0, with the event-loop probe preloaded) and
// provisioning Cafe accounts, rooms and items over its REST API.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { spawnPinned, type Pinned } from "./lib.ts";

export const SERVER_CORE = 0;
export const GENERATOR_CORE = 1;
export const POSTGRES_URL = process.env["BENCH_DATABASE_URL"] ?? process.env["DATABASE_URL"] ?? "postgresql://postgres@127.0.0.1:5432/test";

export interface Running {
  proc: Pinned;
  url: string;
  pid: number;
}

async function pinnedServer(script: string, env: Record<string, string>, pattern: RegExp, nodeArgs: string[] = []): Promise<Running> {
  const proc = spawnPinned(SERVER_CORE, ["--import", "./bench/loop-probe.ts", ...nodeArgs, script], env);
  const m = await proc.waitFor(pattern, 180_000);
  return { proc, url: m[1]!, pid: proc.child.pid! };
}

/**
 * Node's flags in `npm start` (package.json), so the bench runs Cafe as shipped: e.g. the young
 * generation's size, which sets how much garbage the process holds between collections.
 */
export function startFlags(): string[] {
  const start = String(JSON.parse(readFileSync("package.json", "utf8")).scripts.start);
  return start.split(/\s+/).filter((word) => word.startsWith("--"));
}

/** `dataDir`: reuse one (a later start); by default each start gets a fresh, empty one. */
export function startCafe(databaseUrl: string | undefined, nodeArgs: string[] = [], dataDir?: string): Promise<Running> {
  const env: Record<string, string> = {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: "0",
    SECRET_KEY: randomBytes(48).toString("base64url"),
    DATA_DIR: dataDir ?? mkdtempSync(path.join(os.tmpdir(), "cafe-bench-")),
  };
  if (databaseUrl) env["DATABASE_URL"] = databaseUrl;
  return pinnedServer("bench/cafe-server.ts", env, /Cafe listening on (http:\/\/\S+)/, [...startFlags(), ...nodeArgs]);
}

export const startNaive = () => pinnedServer("bench/ref-naive.ts", {}, /naive listening on (http:\/\/\S+)/);
export const startPlain = () => pinnedServer("bench/ref-colyseus.ts", {}, /plain listening on (http:\/\/\S+)/);

/** A fresh PostgreSQL database for one run; `drop()` removes it. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `cafe_bench_${randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create database "${name}"`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists "${name}" with (force)`) };
}

/** A thin REST client for provisioning. */
export class Api {
  readonly #url: string;
  constructor(url: string) {
    this.#url = url;
  }

  async call(method: string, route: string, token: string | undefined, body?: unknown): Promise<any> {
    const res = await fetch(this.#url + "/api/v1" + route, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  }

  /** Registers `n` users, 20 at a time; returns their tokens. */
  async users(n: number, prefix = "b"): Promise<{ token: string; id: number }[]> {
    const out: { token: string; id: number }[] = [];
    const tag = randomBytes(2).toString("hex");
    for (let i = 0; i < n; i += 20) {
      const wave = await Promise.all(
        Array.from({ length: Math.min(20, n - i) }, (_, j) =>
          this.call("POST", "/auth/register", undefined, { username: `${prefix}${tag}_${i + j}`, email: `${prefix}${tag}_${i + j}@bench.test`, password: "bench password 1" }),
        ),
      );
      out.push(...wave.map((r) => ({ token: r.access_token as string, id: r.user.id as number })));
    }
    return out;
  }

  async room(token: string, name: string, maxUsers = 50, size?: { width: number; height: number }): Promise<number> {
    return (await this.call("POST", "/rooms", token, { name, max_users: maxUsers, build_policy: "everyone", ...size })).id;
  }
}
