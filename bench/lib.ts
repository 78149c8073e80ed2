// Process plumbing for the bench: pinned child processes, their CPU and memory from /proc, the
// load of each core, percentiles, and a request/answer channel over Node IPC.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface Pinned {
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the first match of `re` in stderr. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  request<T>(message: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node args` on one core (taskset), with an IPC channel. */
export function spawnPinned(core: number, args: string[], env: Record<string, string>): Pinned {
  const child = spawn("taskset", ["-c", String(core), process.execPath, ...args], {
    env: { PATH: process.env["PATH"] ?? "", ...env },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let nextId = 1;
  return {
    child,
    stderr: () => err,
    waitFor(re, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(err);
          if (m) {
            clearInterval(timer);
            clearTimeout(limit);
            resolve(m);
          }
        };
        const timer = setInterval(check, 50);
        const limit = setTimeout(() => {
          clearInterval(timer);
          reject(new Error(`no ${re} from ${args.join(" ")}: ${err.slice(-2000)}`));
        }, timeoutMs);
        void exited.then(() => {
          check();
          clearInterval(timer);
          clearTimeout(limit);
          reject(new Error(`${args.join(" ")} exited: ${err.slice(-2000)}`));
        });
      });
    },
    request<T>(message: Record<string, unknown>, timeoutMs = 300_000) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const limit = setTimeout(() => reject(new Error(`no answer to ${String(message["cmd"])}`)), timeoutMs);
        const onMessage = (m: any) => {
          if (m?.id !== id) return;
          child.off("message", onMessage);
          clearTimeout(limit);
          if (m.error) reject(new Error(m.error));
          else resolve(m.result as T);
        };
        child.on("message", onMessage);
        child.send({ ...message, id });
      });
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(force);
    },
  };
}

/** The real Node process under taskset (taskset execs, so the pid is the same). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime + stime
  } catch {
    return 0;
  }
}

export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** Busy and total jiffies of each core, from /proc/stat. */
export function coreTimes(): { busy: number; total: number }[] {
  const out = [];
  for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
    const m = /^cpu(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const v = m[2]!.trim().split(/\s+/).map(Number);
    const idle = v[3]! + v[4]!;
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    out.push({ busy: total - idle, total });
  }
  return out;
}

/** Measures CPU of given pids and the load of every core over an interval. */
export class CpuWindow {
  readonly #pids: number[];
  readonly #start: number[];
  readonly #cores = coreTimes();
  readonly #t0 = performance.now();

  constructor(pids: number[]) {
    this.#pids = pids;
    this.#start = pids.map(cpuSeconds);
  }

  /** Per pid: % of one core. Per core: % busy (everything, ours included). */
  end(): { pids: number[]; cores: number[]; seconds: number } {
    const seconds = (performance.now() - this.#t0) / 1000;
    const pids = this.#pids.map((pid, i) => Math.round(((cpuSeconds(pid) - this.#start[i]!) / seconds) * 100));
    const now = coreTimes();
    const cores = now.map((c, i) => Math.round(((c.busy - (this.#cores[i]?.busy ?? 0)) / Math.max(1, c.total - (this.#cores[i]?.total ?? 0))) * 100));
    return { pids, cores, seconds };
  }
}

export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
