// The embedded database's folder (DATA_DIR) full or read-only. Each case mounts its own small
// tmpfs under /tmp (mounting needs root, as in CI's container): a full disk makes durable commands
// answer `unavailable` with a log line naming the folder, the process keeps serving, and it recovers
// once space returns; a DATA_DIR it cannot write stops the start with one line naming it.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startApp, type CafeApp } from "../src/app.ts";
import { loadConfig, resolveSecretKey } from "../src/config/index.ts";
import { CLIENT_MESSAGES, SERVER_MESSAGES } from "../../shared/src/protocol.ts";
import { FAST_HASH } from "./helpers/app.ts";
import { Probe } from "./helpers/probe.ts";

const root = `/tmp/cafe-disk-${process.pid}-${randomBytes(3).toString("hex")}`;

function mountTmpfs(dir: string, options: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function unmount(dir: string): void {
  try {
    // Lazy: the embedded database may still hold a file open for a moment after closing.
    execFileSync("umount", ["-l", dir], { stdio: "ignore" });
  } catch {
    // not mounted
  }
  rmSync(dir, { recursive: true, force: true });
}

const canMount = mountTmpfs(path.join(root, "probe"), "size=1m");
unmount(path.join(root, "probe"));
if (!canMount) console.warn("outage-disk: cannot mount a tmpfs here (needs root); the DATA_DIR cases are skipped, not passed");
const itMounted = canMount ? it : it.skip;

function config(dataDir: string) {
  const env = { NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", SECRET_KEY: randomBytes(32).toString("hex"), DATA_DIR: dataDir };
  return resolveSecretKey(loadConfig(env));
}

async function json(app: CafeApp, method: string, url: string, body?: unknown, token?: string) {
  const res = await fetch(app.url + url, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => undefined)) as any };
}

describe("DATA_DIR full or read-only (PGlite)", () => {
  afterAll(() => unmount(root));

  itMounted("refuses to start on a read-only DATA_DIR, naming the folder", async () => {
    const dir = path.join(root, "readonly");
    expect(mountTmpfs(dir, "size=1m,ro")).toBe(true);
    try {
      await expect(startApp(config(dir))).rejects.toThrow(new RegExp(`DATA_DIR is not writable: cannot write ${dir}/pgdata \\(\\w+\\)`));
    } finally {
      unmount(dir);
    }
  });

  describe("a full disk", () => {
    const dir = path.join(root, "full");
    const filler = path.join(dir, "filler");
    let app: CafeApp;
    const logs: string[] = [];
    beforeAll(async () => {
      if (!canMount) return;
      // PGlite's initialised cluster takes about 46 MB.
      expect(mountTmpfs(dir, "size=120m")).toBe(true);
      app = await startApp(config(dir), { hashParams: FAST_HASH, log: (line) => logs.push(line) });
    }, 60_000);
    afterAll(async () => {
      await app?.close();
      unmount(dir);
    });

    itMounted("answers unavailable while full, logs the folder, and recovers when space returns", async () => {
      const reg = await json(app, "POST", "/api/v1/auth/register", { username: "disk_user", email: "disk@example.test", password: "correct horse battery" });
      const token = reg.body.access_token as string;
      const roomId = (await json(app, "POST", "/api/v1/rooms", { name: "Disk" }, token)).body.id as number;
      const probe = await Probe.join(app.url, token, { room_id: roomId });
      try {
        fillDisk(filler);
        // Keep writing chat until the table needs a new page that no longer fits.
        let answer: { ok: boolean; payload: any } | undefined;
        for (let i = 0; i < 2000 && (answer === undefined || answer.ok); i++) {
          const rest = await json(app, "POST", "/api/v1/chat", { room_id: roomId, message: `${i} ${"x".repeat(480)}` }, token);
          if (rest.status === 201) continue;
          expect([rest.status, rest.body.code, rest.headers.get("retry-after")]).toEqual([503, "unavailable", "5"]);
          const mark = probe.mark();
          probe.send(CLIENT_MESSAGES.sendMessage, { message: "while full" });
          answer = await probe.answer(mark, CLIENT_MESSAGES.sendMessage, (m) => m.type === SERVER_MESSAGES.messageReceived);
        }
        expect(answer).toMatchObject({ ok: false, payload: { code: "unavailable" } });
        expect(logs.some((l) => l.includes(`embedded database in ${dir}/pgdata unavailable`) && /No space left on device/.test(l))).toBe(true);
        expect((await json(app, "GET", "/healthz")).status).toBe(200);

        rmSync(filler);
        const mark = probe.mark();
        probe.send(CLIENT_MESSAGES.sendMessage, { message: "space is back" });
        expect(await probe.answer(mark, CLIENT_MESSAGES.sendMessage, (m) => m.type === SERVER_MESSAGES.messageReceived)).toMatchObject({ ok: true });
        expect((await json(app, "POST", "/api/v1/inventory", { type: "chair" }, token)).status).toBe(201);
        expect(probe.closed).toBe(false);
      } finally {
        rmSync(filler, { force: true });
        await probe.leave();
      }
    }, 60_000);
  });
});

/** Writes a file until the tmpfs has no space left. */
function fillDisk(file: string): void {
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < 1000; i++) {
    try {
      writeFileSync(file, chunk, { flag: "a" });
    } catch (err) {
      if ((err as { code?: string }).code === "ENOSPC") return;
      throw err;
    }
  }
  throw new Error("the disk never filled up");
}
