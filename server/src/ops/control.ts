// The embedded database lives inside the server process, so a backup of a running server is taken
// by that process: it listens on a Unix socket beside its data (mode 0600: only the account that
// owns DATA_DIR may ask) and answers a backup request with a snapshot of the database.
import { createHash } from "node:crypto";
import { chmodSync, existsSync, unlinkSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** Unix socket paths are limited to about 107 bytes; a long DATA_DIR gets one in the temp folder. */
export function controlSocketPath(dataDir: string): string {
  const inside = path.join(dataDir, "control.sock");
  if (inside.length < 100) return inside;
  return path.join(tmpdir(), `cafe-${createHash("sha256").update(dataDir).digest("hex").slice(0, 16)}.sock`);
}

/** The reply: one JSON header line, then `bytes` bytes of snapshot. */
export interface ControlHeader {
  ok: boolean;
  bytes?: number;
  error?: string;
}

export class ControlServer {
  readonly #server: net.Server;
  readonly #path: string;

  private constructor(server: net.Server, socketPath: string) {
    this.#server = server;
    this.#path = socketPath;
  }

  /** Starts listening; `snapshot` makes one backup (it must be consistent on its own). */
  static async start(dataDir: string, snapshot: () => Promise<Uint8Array>, log: (line: string) => void): Promise<ControlServer> {
    const socketPath = controlSocketPath(dataDir);
    if (existsSync(socketPath)) unlinkSync(socketPath); // left by a process that did not stop cleanly
    const server = net.createServer((socket) => {
      socket.once("data", (chunk) => {
        if (chunk.toString("utf8").trim() !== "backup") return void socket.end(header({ ok: false, error: "unknown command" }));
        snapshot()
          .then((data) => socket.end(Buffer.concat([header({ ok: true, bytes: data.byteLength }), data])))
          .catch((err: unknown) => {
            log(`backup failed: ${err instanceof Error ? err.message : String(err)}`);
            socket.end(header({ ok: false, error: "the server could not make the backup; see its log" }));
          });
      });
      socket.on("error", () => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(socketPath, () => resolve()));
    chmodSync(socketPath, 0o600);
    return new ControlServer(server, socketPath);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    if (existsSync(this.#path)) unlinkSync(this.#path);
  }
}

function header(h: ControlHeader): Buffer {
  return Buffer.from(JSON.stringify(h) + "\n");
}

/**
 * Asks the server running on DATA_DIR for a backup. Resolves with the snapshot, or null when no
 * server is running there (no socket, or nobody listening).
 */
export function requestBackup(dataDir: string): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(controlSocketPath(dataDir));
    const chunks: Buffer[] = [];
    socket.on("connect", () => socket.write("backup\n"));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT" || err.code === "ECONNREFUSED") resolve(null);
      else reject(err);
    });
    socket.on("end", () => {
      const all = Buffer.concat(chunks);
      const newline = all.indexOf(10);
      const h = JSON.parse(all.subarray(0, newline).toString("utf8")) as ControlHeader;
      if (!h.ok) return reject(new Error(h.error ?? "backup refused"));
      const data = all.subarray(newline + 1);
      if (data.byteLength !== h.bytes) return reject(new Error(`backup truncated: ${data.byteLength} of ${h.bytes} bytes`));
      resolve(data);
    });
  });
}
