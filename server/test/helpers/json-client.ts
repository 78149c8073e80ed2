// A client of the original JSON protocol (/api/v1/ws) for tests: frames in order, waits on events (never sleeps).
import WebSocket from "ws";
import type { TestApp } from "./app.ts";

export interface Frame {
  event: string;
  data: any;
}

export class JsonClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters = new Set<() => void>();
  readonly ws: WebSocket;
  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (raw) => {
      this.frames.push(JSON.parse(raw.toString()));
      for (const w of [...this.#waiters]) w();
    });
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }
  static async open(t: TestApp, query: string): Promise<JsonClient> {
    const ws = new WebSocket(`${t.url.replace("http", "ws")}/api/v1/ws${query}`);
    const client = new JsonClient(ws);
    await new Promise((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    return client;
  }
  send(event: string, data?: unknown): void {
    this.ws.send(JSON.stringify(data === undefined ? { event } : { event, data }));
  }
  mark(): number {
    return this.frames.length;
  }
  next(event: string, match: (data: any) => boolean = () => true, since = 0): Promise<any> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.frames.slice(since).find((f) => f.event === event && match(f.data));
        if (found) {
          this.#waiters.delete(check);
          clearTimeout(timer);
          resolve(found.data);
        }
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for ${event}; got ${JSON.stringify(this.frames.slice(-4))}`));
      }, 8000);
      this.#waiters.add(check);
      check();
    });
  }
}

