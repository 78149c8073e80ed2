// A redis-server of the test's own, on a free port, that the test may kill and start again
// (the machine's Redis is shared by everyone and is never restarted). No persistence: a restart
// comes back empty, the harder case for the processes that use it.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface PrivateRedis {
  url: string;
  /** kill -9: every connection drops at once. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP: connections stay open but nothing is answered (a stalled or partitioned Redis). */
  pause(): void;
  /** SIGCONT: answers everything that waited. */
  resume(): void;
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

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  async function start(): Promise<void> {
    const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
    proc = child;
    exited = new Promise((resolve) => child.once("exit", () => resolve()));
    let out = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (/Ready to accept connections/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited: ${out}`));
      });
    });
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    async kill() {
      proc?.kill("SIGKILL");
      await exited;
    },
    pause: () => void proc?.kill("SIGSTOP"),
    resume: () => void proc?.kill("SIGCONT"),
  };
}
