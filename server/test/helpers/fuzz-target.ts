// Where the fuzz test's server runs. In `npm test`, in the test's own process. For the soak
// (FUZZ_PINNED=1), in a process of its own pinned to core 0, while the attackers stay in the test's
// process, which the soak pins to core 1, and the walker walks from a process of its own on core 1
// (helpers/walker-process.ts): the walker's latency with and without attack then measures the
// server's extra work, not two loads fighting over the same cores or one event loop.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, openSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CpuWindow } from "../../../bench/lib.ts";
import { startTestApp } from "./app.ts";
import { createTestDatabase } from "./db.ts";
import { MANY_USERS } from "./invariant.ts";

export const SERVER_CORE = 0;
const PASSWORD = "fuzz password 1";
/** A token this close to its expiry is replaced before a join. */
const RENEW_BEFORE_MS = 60_000;

/** An account that logs in again when its token is about to expire, as a real client does. */
export class Account {
  /** Logins made to replace an expiring token, across all accounts (reported by the fuzz test). */
  static renewals = 0;
  readonly id: number;
  readonly username: string;
  token: string;
  readonly #url: string;

  constructor(url: string, id: number, username: string, token: string) {
    this.#url = url;
    this.id = id;
    this.username = username;
    this.token = token;
  }

  /** A token good for at least a minute more. */
  async fresh(): Promise<string> {
    if (expiresAt(this.token) - Date.now() > RENEW_BEFORE_MS) return this.token;
    const res = await post(this.#url, "/auth/login", { username: this.username, password: PASSWORD });
    if (res.status !== 200) throw new Error(`login ${this.username}: ${res.status} ${JSON.stringify(res.body)}`);
    this.token = res.body.access_token;
    Account.renewals++;
    return this.token;
  }
}

function expiresAt(token: string): number {
  const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as { exp?: number };
  return (payload.exp ?? 0) * 1000;
}

async function post(url: string, route: string, body: unknown, token?: string): Promise<{ status: number; body: any }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${url}/api/v1${route}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    } catch (err) {
      // Node's fetch may reuse a keep-alive socket the server is just closing ("fetch failed", the
      // request never reached it): a client-side race, retried as Probe.join does.
      if (attempt >= 3 || !String((err as Error).message).includes("fetch failed")) throw err;
    }
  }
}

export interface FuzzTarget {
  url: string;
  pinned: boolean;
  /** JSON log lines the server has written so far. */
  logLines(): number;
  /** Starts measuring; the returned function describes the server's CPU and each core's load since. */
  measure(): () => string;
  register(prefix: string): Promise<Account>;
  post(route: string, body: unknown, token: string): Promise<{ status: number; body: any }>;
  health(): Promise<number>;
  close(): Promise<void>;
}

let counter = 0;

function common(url: string): Pick<FuzzTarget, "register" | "post" | "health"> {
  return {
    async register(prefix) {
      const username = `${prefix}${process.pid % 1000}_${++counter}_${randomBytes(2).toString("hex")}`;
      const res = await post(url, "/auth/register", { username, email: `${username}@example.test`, password: PASSWORD });
      if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      return new Account(url, res.body.user.id, username, res.body.access_token);
    },
    post: (route, body, token) => post(url, route, body, token),
    health: async () => (await fetch(`${url}/healthz`)).status,
  };
}

export async function startFuzzTarget(pinned: boolean): Promise<FuzzTarget> {
  if (!pinned) {
    const t = await startTestApp("pglite", { authLimits: MANY_USERS });
    return { url: t.url, pinned, logLines: () => t.logs.length, measure: () => () => "in the test's process", ...common(t.url), close: () => t.close() };
  }
  return startPinned();
}

async function startPinned(): Promise<FuzzTarget> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cafe-fuzz-"));
  const env: Record<string, string> = { PATH: process.env["PATH"] ?? "", NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir, SECRET_KEY: randomBytes(32).toString("hex") };
  // FUZZ_DB=postgresql: a fresh database on the PostgreSQL server instead of the embedded one, whose
  // queries run in WebAssembly on the server's own event loop (a rejoin's queries block it).
  const db = process.env["FUZZ_DB"] === "postgresql" ? await createTestDatabase("postgresql") : undefined;
  if (db?.config.kind === "postgresql") env["DATABASE_URL"] = db.config.url;
  // Short-lived tokens make a short run prove what a long one meets after 30 minutes: rejoins renew them.
  const tokenMinutes = process.env["FUZZ_TOKEN_MINUTES"];
  if (tokenMinutes) env["ACCESS_TOKEN_EXPIRE_MINUTES"] = tokenMinutes;
  if (process.env["FUZZ_LOOP_DELAY"]) env["FUZZ_LOOP_DELAY"] = process.env["FUZZ_LOOP_DELAY"];
  if (process.env["FUZZ_HEAP_SAMPLE"]) env["FUZZ_HEAP_SAMPLE"] = process.env["FUZZ_HEAP_SAMPLE"];
  // taskset execs node, so the child's pid is the server's.
  // FUZZ_SERVER_PROFILE=<dir>: the server writes a CPU profile of the whole run there when it stops.
  const profile = process.env["FUZZ_SERVER_PROFILE"] ? [`--cpu-prof`, `--cpu-prof-dir=${process.env["FUZZ_SERVER_PROFILE"]}`] : [];
  // FUZZ_SERVER_NODE_FLAGS="--flag …": V8/Node flags for the server (garbage-collector experiments).
  profile.push(...(process.env["FUZZ_SERVER_NODE_FLAGS"]?.split(/\s+/).filter(Boolean) ?? []));
  // FUZZ_SERVER_STDOUT=<file>: the server's stdout (V8's --trace-gc… lines, say) goes there.
  const stdout = process.env["FUZZ_SERVER_STDOUT"] ? openSync(process.env["FUZZ_SERVER_STDOUT"], "w") : "ignore";
  const child = spawn("taskset", ["-c", String(SERVER_CORE), process.execPath, ...profile, "server/test/helpers/fuzz-server.ts"], { env, stdio: ["ignore", stdout, "pipe"] });
  let lines = 0;
  let head = "";
  let partial = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split("\n");
    partial = parts.pop()!;
    for (const line of parts) {
      if (line.startsWith("{")) lines++;
      if (line.startsWith("loop delay")) console.info(`server ${line}`);
      if (head.length < 20_000) head += line + "\n";
    }
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /Cafe listening on (http:\/\/\S+)/.exec(head);
      if (m) {
        clearInterval(timer);
        resolve(m[1]!);
      }
    }, 50);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`the fuzz server exited while starting: ${head.slice(-2000)}`));
    });
  });
  const pid = child.pid!;
  return {
    url,
    pinned: true,
    logLines: () => lines,
    measure() {
      const window = new CpuWindow([pid]);
      return () => {
        const { pids, cores, seconds } = window.end();
        return `server ${pids[0]} % of core ${SERVER_CORE} over ${seconds.toFixed(0)} s; cores busy ${cores.map((c, i) => `${i}: ${c} %`).join(", ")}`;
      };
    },
    ...common(url),
    async close() {
      child.kill("SIGTERM");
      const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(force);
      rmSync(dataDir, { recursive: true, force: true });
      await db?.drop();
    },
  };
}
