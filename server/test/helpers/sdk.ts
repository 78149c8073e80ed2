// Real @colyseus/sdk clients for room tests, with waits on messages and state (never sleeps).
import { Client, type Room } from "@colyseus/sdk";
import { ROOM_TYPE } from "../../../shared/src/protocol.ts";
import type { TestApp, TestUser } from "./app.ts";

export interface Received {
  type: string;
  payload: any;
}

export interface Player {
  room: Room;
  user: TestUser;
  received: Received[];
  /** Resolves with the first message of `type` (after `since`, an index into received) matching `match`. */
  next(type: string, match?: (payload: any) => boolean, since?: number): Promise<any>;
  /** Resolves once `check(state)` is true, checked after every patch. */
  until(check: (state: any) => boolean, what?: string): Promise<void>;
  send(type: string, payload?: unknown): void;
  left: Promise<number>;
  mark(): number;
}

const TIMEOUT_MS = 8000;

export async function join(t: TestApp, user: TestUser, options: Record<string, unknown>): Promise<Player> {
  const client = new Client(t.url);
  client.auth.token = user.token;
  const room = await client.joinOrCreate(ROOM_TYPE, options);
  return wrap(room, user);
}

export function wrap(room: Room, user: TestUser): Player {
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  room.onMessage("*", (type, payload) => {
    received.push({ type: String(type), payload });
    notify();
  });
  room.onStateChange(() => notify());
  const left = new Promise<number>((resolve) => room.onLeave((code) => resolve(code)));

  function wait<T>(probe: () => T | undefined, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found !== undefined) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; received ${JSON.stringify(received.slice(-5))}`));
      }, TIMEOUT_MS);
      waiters.add(check);
      check();
    });
  }

  return {
    room,
    user,
    received,
    mark: () => received.length,
    next: (type, match = () => true, since = 0) =>
      wait(() => received.slice(since).find((m) => m.type === type && match(m.payload))?.payload, `message ${type}`),
    until: (check, what = "state") => wait(() => (room.state && check(room.state) ? true : undefined), what).then(() => undefined),
    send: (type, payload = {}) => room.send(type, payload),
    left,
  };
}

export function playerOf(state: any, userId: number): any {
  if (!state?.players) return undefined;
  for (const p of state.players.values()) if (p.user_id === userId) return p;
  return undefined;
}

/** Leaves, without waiting forever on a connection that is already gone. */
export async function leaveAll(players: Player[]): Promise<void> {
  await Promise.all(
    players.map((p) => Promise.race([p.room.leave().catch(() => undefined), new Promise((r) => setTimeout(r, 2000))])),
  );
}
