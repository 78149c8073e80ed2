// Real `npm start` processes (the same server/src/index.ts) sharing one fresh PostgreSQL database
// and one Redis under a key prefix of their own, so concurrent test runs on that Redis never meet.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "@colyseus/sdk";
import { Redis } from "ioredis";
import { ROOM_TYPE } from "../../../shared/src/protocol.ts";
import { redisUrl } from "../gate/services.ts";
import { ADMIN_USERNAME } from "./app.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { wrap, type Player } from "./sdk.ts";

export const REDIS_URL = redisUrl(process.env);
const READY_LINE = /Cafe listening on/;
const START_TIMEOUT_MS = 30_000;

export interface Node {
  name: string;
  port: number;
  url: string;
  proc: ChildProcess;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface Cluster {
  db: TestDatabase;
  prefix: string;
  nodes: Node[];
  start(name: string): Promise<Node>;
  stop(): Promise<void>;
}

export interface CallResult {
  status: number;
  body: any;
  headers: Headers;
}

export async function call(base: string, method: string, route: string, o: { token?: string; body?: unknown } = {}): Promise<CallResult> {
  const headers: Record<string, string> = {};
  if (o.token) headers["authorization"] = `Bearer ${o.token}`;
  if (o.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(base + "/api/v1" + route, { method, headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startCluster(extraEnv: Record<string, string> = {}): Promise<Cluster> {
  const db = await createTestDatabase("postgresql");
  if (db.config.kind !== "postgresql") throw new Error("a cluster needs a PostgreSQL server");
  const prefix = `cafe-test-${process.pid}-${randomBytes(4).toString("hex")}:`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "cafe-cluster-"));
  const env: Record<string, string> = {
    PATH: process.env["PATH"] ?? "",
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DATABASE_URL: db.config.url,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    SECRET_KEY: randomBytes(32).toString("hex"),
    ADMIN_USERNAMES: ADMIN_USERNAME,
    ...extraEnv,
  };
  const nodes: Node[] = [];

  async function start(name: string): Promise<Node> {
    const port = await freePort();
    const proc = spawn(process.execPath, ["server/src/index.ts"], {
      // extraEnv may override PUBLIC_ADDRESS; an empty value means unset (as in .env files).
      env: { PUBLIC_ADDRESS: `127.0.0.1:${port}`, ...env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      proc.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const node: Node = { name, port, url: `http://127.0.0.1:${port}`, proc, output, exited };
    nodes.push(node);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start: ${output.join("")}`)), START_TIMEOUT_MS);
      const onData = (chunk: Buffer) => {
        output.push(chunk.toString());
        if (READY_LINE.test(chunk.toString())) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout!.on("data", onData);
      proc.stderr!.on("data", onData);
      void exited.then(({ code }) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} while starting: ${output.join("")}`));
      });
    });
    return node;
  }

  return {
    db,
    prefix,
    nodes,
    start,
    async stop() {
      for (const node of nodes) if (node.proc.exitCode === null && node.proc.signalCode === null) node.proc.kill("SIGKILL");
      await Promise.all(nodes.map((n) => n.exited));
      await db.drop();
      await deleteKeys(prefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Removes this run's keys only (never FLUSHALL: other runs share the Redis). */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

export interface ClusterPlayer extends Player {
  /** The port of the process that hosts the room (from the seat reservation's publicAddress). */
  hostPort: number;
}

/** Joins through `node`'s matchmaking; the SDK then connects to whichever process hosts the room. */
export async function joinVia(node: Node, user: { id: number; username: string; token: string }, options: Record<string, unknown>): Promise<ClusterPlayer> {
  let wsUrl = "";
  const client = new Client(node.url, {
    urlBuilder: (url) => {
      if (url.protocol.startsWith("ws")) wsUrl = url.href;
      return url.href;
    },
  });
  client.auth.token = user.token;
  const room = await client.joinOrCreate(ROOM_TYPE, options);
  // Tests decide when to come back; the SDK's own retries would only add noise after a kill.
  room.reconnection.enabled = false;
  return { ...wrap(room, user), hostPort: Number(new URL(wsUrl).port) };
}
