// Every durable change to a stored room (chat, objects, the room itself, a moderator removing a
// user) is published here after its commit, whether a live room or REST made it, so the live
// Colyseus room for that stored room, on whichever process hosts it, updates its state through one
// path. It rides on Colyseus's Presence pub/sub: in-process with LocalPresence, across processes
// with RedisPresence.
//
// Redis may be down or stalled when a change is made. A service asks `assertReady()` before it
// writes, so a change made while Redis is known to be down is refused with nothing done; a publish
// that still fails or stalls after the commit (Redis dropped in between, or stopped answering
// without closing the connection) is bounded by a timeout and reported to the caller, who then
// knows the change was saved but live rooms may not show it.
import type { Presence } from "@colyseus/core";
import type { RoomEvent } from "../../../shared/src/room-events.ts";
import { AppError } from "./errors.ts";
import { isUnavailable, OutageLog, RETRY_AFTER_S, unavailable } from "./outage.ts";

// The event shapes live in shared/ beside the pure projection that applies them to a room's state.
export type { RemovalReason, RoomEvent } from "../../../shared/src/room-events.ts";

export type RoomEventListener = (event: RoomEvent) => void;

/** How long a publish may take before the caller is told Redis is unavailable. */
export const PUBLISH_TIMEOUT_MS = 1500;

export interface RoomEventBusOptions {
  /** Channels are not covered by Redis key prefixes: the prefix keeps deployments sharing a Redis apart. */
  prefix?: string;
  /** False while the pub/sub transport (Redis) is known to be unreachable. */
  ready?: () => boolean;
  publishTimeoutMs?: number;
  /** Where failed publishes are reported (folded: at most one line per 5 s). */
  log?: (line: string, fields: Record<string, unknown>) => void;
}

/** A publish that failed after its change was committed: the caller must not think it reached the rooms. */
export function undelivered(): AppError {
  return new AppError(
    503,
    "unavailable",
    "The change was saved, but Redis is unavailable, so live rooms may not show it until Redis is back",
    { "Retry-After": String(RETRY_AFTER_S) },
  );
}

class PublishTimeout extends Error {
  override name = "PublishTimeout";
}

export class RoomEventBus {
  readonly #presence: Presence;
  readonly #prefix: string;
  readonly #ready: () => boolean;
  readonly #timeoutMs: number;
  readonly #failures: OutageLog;

  constructor(presence: Presence, options: RoomEventBusOptions = {}) {
    this.#presence = presence;
    this.#prefix = options.prefix ?? "cafe:";
    this.#ready = options.ready ?? (() => true);
    this.#timeoutMs = options.publishTimeoutMs ?? PUBLISH_TIMEOUT_MS;
    this.#failures = new OutageLog(options.log ?? (() => {}), "Redis");
  }

  /** Called before a change that will publish: refuses it, with nothing done, while Redis is down. */
  assertReady(): void {
    if (!this.#ready()) throw unavailable("Redis");
  }

  /** Rejects with `undelivered()` when Redis is down, fails, or does not answer in time. */
  async publish(roomId: number, event: RoomEvent): Promise<void> {
    if (!this.#ready()) {
      this.#failures.report("publish after a saved change", new Error("not connected"));
      throw undelivered();
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PublishTimeout(`publish took over ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    try {
      // A stalled publish stays queued in ioredis and may still arrive later; the caller is told now.
      await Promise.race([this.#presence.publish(this.#topic(roomId), event), timeout]);
    } catch (err) {
      if (!(err instanceof PublishTimeout) && !isUnavailable(err)) throw err;
      this.#failures.report("publish after a saved change", err);
      throw undelivered();
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One change that several rooms must hear (a ban, a deleted account, a new avatar). Every room is
   * tried, at once, even when another fails: a loop of `publish` stopped at the first failure, and
   * the rooms after it never heard of the change (a banned user kept their other seats). Rejects
   * with `undelivered()` when any publish failed, after all were tried.
   */
  async publishEach(events: Iterable<readonly [roomId: number, event: RoomEvent]>): Promise<void> {
    const results = await Promise.allSettled([...events].map(([roomId, event]) => this.publish(roomId, event)));
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
  }

  /** Returns the function that unsubscribes. */
  async subscribe(roomId: number, listener: RoomEventListener): Promise<() => void> {
    const callback = (event: RoomEvent) => listener(event);
    const topic = this.#topic(roomId);
    await this.#presence.subscribe(topic, callback);
    return () => {
      // The listener is removed at once; only the channel's UNSUBSCRIBE can fail (Redis down), and
      // then nothing listens to what that channel still delivers.
      // (Colyseus's local presence answers synchronously, Redis's with a promise.)
      Promise.resolve(this.#presence.unsubscribe(topic, callback)).catch((err: unknown) => this.#failures.report("unsubscribe of a closed room", err));
    };
  }

  #topic(roomId: number): string {
    return `${this.#prefix}room:${roomId}:events`;
  }
}
