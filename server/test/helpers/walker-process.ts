// The fuzz soak's well-behaved walker in a process of its own. In the test's process its moves
// waited behind the 150 attackers' callbacks on one event loop, so its p99 measured the attackers'
// client, not the server (soak 2026-12-02: core 1 at 44–80 % while the server used 34–37 % of
// core 0). Here the kernel wakes it when its echo arrives. Started by `walkApart`; reports once
// told to stop, over IPC.
import { spawn } from "node:child_process";
import { walk } from "./fuzz-clients.ts";

type Walked = Awaited<ReturnType<ReturnType<typeof walk>["stop"]>>;

interface Start {
  url: string;
  token: string;
  userId: number;
  roomId: number;
}

/** `walk`, in a child process pinned to `core`; the same `stop()`. */
export function walkApart(start: Start, core: number): { stop(): Promise<Walked> } {
  const child = spawn("taskset", ["-c", String(core), process.execPath, "server/test/helpers/walker-process.ts"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const result = new Promise<Walked>((resolve, reject) => {
    child.once("message", (m) => resolve(m as Walked));
    void exited.then(() => reject(new Error("the walker's process exited without a result")));
  });
  // A walker that dies before stop() is reported by stop(), not as an unhandled rejection meanwhile.
  result.catch(() => undefined);
  child.send(start);
  return {
    async stop() {
      child.send("stop");
      try {
        return await result;
      } finally {
        await exited;
      }
    },
  };
}

// Run as a script: walk until told to stop, send the figures, exit.
if (process.argv[1]?.endsWith("walker-process.ts") && process.send) {
  process.once("message", (start: Start) => {
    const walker = walk(start.url, start.token, start.userId, start.roomId);
    process.once("message", async () => {
      const walked = await walker.stop();
      process.send!(walked, () => process.exit(0));
    });
  });
}
