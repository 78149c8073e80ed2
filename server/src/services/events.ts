// Durable changes made outside a live room (REST) are published here after their commit, so the
// live Colyseus room for that stored room can update its state. It rides on Colyseus's Presence
// pub/sub: in-process with LocalPresence, across processes with RedisPresence.
import type { Presence } from "@colyseus/core";
import type { ChatMessageOut, ItemOut, RoomOut } from "../../../shared/src/api.ts";

export type RoomEvent =
  | { type: "chat"; message: ChatMessageOut }
  | { type: "object_placed"; object: ItemOut }
  | { type: "object_updated"; object: ItemOut }
  | { type: "object_removed"; objectId: number }
  | { type: "room_updated"; room: RoomOut }
  | { type: "room_deleted" };

export type RoomEventListener = (event: RoomEvent) => void;

const topic = (roomId: number) => `cafe:room:${roomId}:events`;

export class RoomEventBus {
  readonly #presence: Presence;

  constructor(presence: Presence) {
    this.#presence = presence;
  }

  async publish(roomId: number, event: RoomEvent): Promise<void> {
    await this.#presence.publish(topic(roomId), event);
  }

  /** Returns the function that unsubscribes. */
  async subscribe(roomId: number, listener: RoomEventListener): Promise<() => void> {
    const callback = (event: RoomEvent) => listener(event);
    await this.#presence.subscribe(topic(roomId), callback);
    return () => {
      this.#presence.unsubscribe(topic(roomId), callback);
    };
  }
}
