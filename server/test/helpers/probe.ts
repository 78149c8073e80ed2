// A thin SDK-room wrapper for the reliability tests: it records every message and lets a test
// wait for the first one matching a predicate (several types at once), never sleeping.
import { Client, type Room } from "@colyseus/sdk";
import { ROOM_TYPE, SERVER_MESSAGES } from "../../../shared/src/protocol.ts";
import type { PlacedView } from "./invariant.ts";

export interface Received {
  type: string;
  payload: any;
}

/** How long a wait lasts before it fails; a soak at the lowest CPU priority on a busy machine sets more (PROBE_TIMEOUT_MS). */
const TIMEOUT_MS = Number(process.env["PROBE_TIMEOUT_MS"] ?? 10_000);

export class Probe {
  readonly received: Received[] = [];
  readonly left: Promise<number>;
  #closed = false;
  readonly #waiters = new Set<() => void>();

  readonly room: Room;

  constructor(room: Room) {
    this.room = room;
    room.onMessage("*", (type, payload) => {
      this.received.push({ type: String(type), payload });
      this.#notify();
    });
    room.onStateChange(() => this.#notify());
    this.left = new Promise((resolve) =>
      room.onLeave((code) => {
        this.#closed = true;
        this.#notify();
        resolve(code);
      }),
    );
  }

  /** `reconnect: false` for servers that are killed: the probe then just closes instead of retrying. */
  static async join(url: string, token: string, options: Record<string, unknown>, reconnect = true): Promise<Probe> {
    const client = new Client(url);
    client.auth.token = token;
    for (let attempt = 1; ; attempt++) {
      try {
        const room = await client.joinOrCreate(ROOM_TYPE, options);
        room.reconnection.enabled = reconnect;
        return new Probe(room);
      } catch (err) {
        // Node's fetch may reuse a keep-alive socket the server is closing ("fetch failed"): a
        // client-side transport race, retried; anything the server answered is not.
        if (attempt >= 3 || !String((err as Error).message).includes("fetch failed")) throw err;
      }
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  mark(): number {
    return this.received.length;
  }

  send(type: string, payload?: unknown): void {
    this.room.send(type, payload);
  }

  #notify(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** Resolves with the first value `probe` returns (checked on every message, patch and close). */
  wait<T>(probe: () => T | undefined, what: string, timeoutMs = TIMEOUT_MS): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found === undefined && this.#closed) {
          this.#waiters.delete(check);
          clearTimeout(timer);
          return reject(new Error(`connection closed while waiting for ${what}`));
        }
        if (found === undefined) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; last received ${JSON.stringify(this.received.slice(-3))}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  /** The first message since `since` that `match` accepts. */
  next(match: (m: Received) => boolean, since: number, what: string): Promise<Received> {
    return this.wait(() => {
      for (let i = since; i < this.received.length; i++) if (match(this.received[i]!)) return this.received[i];
      return undefined;
    }, what);
  }

  /** The answer to a command: `ok` if it succeeded, else the `error` the server sent for `event`. */
  async answer(since: number, event: string, ok: (m: Received) => boolean): Promise<{ ok: boolean; payload: any }> {
    const m = await this.next((m) => ok(m) || (m.type === SERVER_MESSAGES.error && m.payload?.event === event), since, `answer to ${event}`);
    return { ok: m.type !== SERVER_MESSAGES.error, payload: m.payload };
  }

  objects(): PlacedView[] {
    return objectsOf(this.room.state);
  }

  leave(): Promise<unknown> {
    return Promise.race([this.room.leave().catch(() => undefined), this.left]);
  }
}

/** Placed objects of a room state (client-side or server-side: both are schema maps). */
export function objectsOf(state: any): PlacedView[] {
  const out: PlacedView[] = [];
  if (!state?.objects) return out;
  for (const o of state.objects.values()) out.push({ id: o.id, x: o.x, y: o.y, rotation: o.rotation });
  return out;
}
