// The real server as a child process (`node server/src/index.ts`, as `npm start` runs it), so a
// test can kill -9 it and start it again over the same database.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const START_TIMEOUT_MS = 60_000;

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL, then wait for the process to be gone. */
  kill(): Promise<void>;
  /** Everything the process wrote to stderr (its log). */
  log(): string;
}

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cafe-crash-"));
  const child = spawn(process.execPath, ["server/src/index.ts"], {
    cwd: process.cwd(),
    env: { PATH: process.env["PATH"] ?? "", NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  let exit = "";
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exit = `code ${code}, signal ${signal}`;
      resolve();
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), START_TIMEOUT_MS);
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /Cafe listening on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`server exited while starting (${exit}): ${stderr}`));
    });
  });
  return {
    url,
    child,
    log: () => stderr,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
