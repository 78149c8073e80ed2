// Every durable change to a stored room (chat, objects, the room itself, a moderator removing a
// user) is published here after its commit, whether a live room or REST made it, so the live
// Colyseus room for that stored room, on whichever process hosts it, updates its state through one
// path. It rides on Colyseus's Presence pub/sub: in-process with LocalPresence, across processes
// with RedisPresence.
import type { Presence } from "@colyseus/core";
import type { RoomEvent } from "../../../shared/src/room-events.ts";

// The event shapes live in shared/ beside the pure projection that applies them to a room's state.
export type { RemovalReason, RoomEvent } from "../../../shared/src/room-events.ts";

export type RoomEventListener = (event: RoomEvent) => void;

export class RoomEventBus {
  readonly #presence: Presence;
  readonly #prefix: string;

  /** Channels are not covered by Redis key prefixes: the prefix keeps deployments sharing a Redis apart. */
  constructor(presence: Presence, prefix = "cafe:") {
    this.#presence = presence;
    this.#prefix = prefix;
  }

  async publish(roomId: number, event: RoomEvent): Promise<void> {
    await this.#presence.publish(this.#topic(roomId), event);
  }

  /** Returns the function that unsubscribes. */
  async subscribe(roomId: number, listener: RoomEventListener): Promise<() => void> {
    const callback = (event: RoomEvent) => listener(event);
    const topic = this.#topic(roomId);
    await this.#presence.subscribe(topic, callback);
    return () => {
      this.#presence.unsubscribe(topic, callback);
    };
  }

  #topic(roomId: number): string {
    return `${this.#prefix}room:${roomId}:events`;
  }
}
