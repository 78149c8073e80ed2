// What the game's React panels show, fed by the game controller (net + scene).
import type { ChatMessageOut, ItemOut } from "../../../shared/src/api.ts";
import type { Rotation } from "../../../shared/src/constants.ts";
import type { RoomObject } from "../../../shared/src/placed-object.ts";
import type { ConnectionState } from "../net/room-connection.ts";
import type { NearbyEntry } from "../game/nearby.ts";
import { createStore } from "./store.ts";

export interface ChatLine {
  key: string;
  kind: "chat" | "system";
  /** For chat lines. */
  message?: ChatMessageOut;
  text?: string;
}

export interface Placing {
  item: ItemOut;
  rotation: Rotation;
  /** "click": chosen with Place, placed by a click; "drag": dragged from the inventory. */
  mode: "click" | "drag";
}

/** The selected object, as the room holds it (shared/src/placed-object.ts). */
export type SelectedObject = RoomObject;

export interface RoomInfo {
  id: number;
  name: string;
  width: number;
  height: number;
  ownerId: number | null;
}

export interface RosterEntry {
  user_id: number;
  username: string;
  display_name: string;
  color: string;
  /** A server admin: a badge, and no moderation buttons for them. */
  admin: boolean;
}

export function createGameStores() {
  return {
    connection: createStore<ConnectionState>({ status: "connecting" }),
    room: createStore<RoomInfo | null>(null),
    chat: createStore<ChatLine[]>([]),
    inventory: createStore<ItemOut[] | null>(null),
    placing: createStore<Placing | null>(null),
    selected: createStore<SelectedObject | null>(null),
    /** user_id → username for everyone seen in the room (for object owners). */
    people: createStore<ReadonlyMap<number, string>>(new Map()),
    /** Who is in the room now, by user id (the people panel). */
    roster: createStore<ReadonlyMap<number, RosterEntry>>(new Map()),
    /** The person the chat box whispers to, if any. */
    whisperTo: createStore<RosterEntry | null>(null),
    /** Issue 13: the "nearby" text list, and the last announcement for screen readers. */
    nearby: createStore<NearbyEntry[]>([]),
    announcement: createStore<{ id: number; text: string } | null>(null),
  };
}

export type GameStores = ReturnType<typeof createGameStores>;
