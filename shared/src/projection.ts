// How a durable change to a stored room (a RoomEvent, published by the services after its commit)
// changes the live room's synced state. A pure step: it changes the state it is given and returns
// what the room must then do outside the state (messages, closes, media teardown), in order, so the
// rule is tested without a server and the room only performs the effects.
import { roomObjectOf } from "./placed-object.ts";
import type { ItemOut, UserOut } from "./api.ts";
import {
  CLOSE_CODES,
  SERVER_MESSAGES,
  type ErrorPayload,
  type MessageReceivedPayload,
  type ObjectPlacedPayload,
  type ObjectRemovedPayload,
} from "./protocol.ts";
import type { RemovalReason, RoomEvent } from "./room-events.ts";
import { AvatarState, ObjectState, type CafeState, type PlayerState } from "./state.ts";
import type { RoomLayout } from "./sim/layout.ts";
import { findFreeSpot, playerInsideRoom } from "./sim/movement.ts";

/** What the projection reads and changes of one live room. */
export interface ProjectedRoom {
  /** The synced state (a hall's HallState has the same fields). */
  state: CafeState;
  /** Blocking and seat tiles of `state.objects`; invalidated here whenever the objects change. */
  layout: RoomLayout;
  /** The room's settings that are not synced to clients. */
  settings: RoomSettings;
  /** The player of a user who has a seat in the room (still joining, too); undefined otherwise. */
  playerOf(userId: number): PlayerState | undefined;
  /**
   * Each object's version (room-events.ts) as last applied or loaded; a removed object keeps its
   * entry. Two writers' events can cross between their commits and their publishes (a placement's
   * and a pickup's of the same item, say), so they are applied in version order (see `inOrder`).
   */
  versions: Map<number, number>;
  /** Object events that arrived before the one they follow, by object id (see `inOrder`). */
  held: Map<number, ObjectEvent[]>;
}

export type ObjectEvent = Extract<RoomEvent, { type: "object_placed" | "object_updated" | "object_removed" }>;

export interface RoomSettings {
  maxUsers: number;
}

/** A message the room sends, with its payload's type. */
export type Outgoing =
  | { message: typeof SERVER_MESSAGES.messageReceived; payload: MessageReceivedPayload }
  | { message: typeof SERVER_MESSAGES.objectPlaced | typeof SERVER_MESSAGES.objectUpdated; payload: ObjectPlacedPayload }
  | { message: typeof SERVER_MESSAGES.objectRemoved; payload: ObjectRemovedPayload }
  | { message: typeof SERVER_MESSAGES.error; payload: ErrorPayload };

/** What the room does after the state changed; performed in the order given. */
export type RoomEffect =
  | ({ kind: "broadcast" } & Outgoing)
  /** To the user's current connection, if they still have a seat. */
  | ({ kind: "send"; userId: number } & Outgoing)
  /** The user's proximity media is torn down (before any close reaches anyone). */
  | { kind: "drop_media"; userId: number }
  /** Ends the user's seat on purpose: no reconnection grace. */
  | { kind: "close"; userId: number; code: number; reason: string }
  /** Ends every seat, then the room itself. */
  | { kind: "close_room"; code: number; reason: string };

/** Applies `event` to the room's state and returns the effects the room must perform. */
export function project(room: ProjectedRoom, event: RoomEvent): RoomEffect[] {
  switch (event.type) {
    case "chat":
      return deliverChat(room, event.message);
    case "object_placed":
    case "object_updated":
    case "object_removed":
      return inOrder(room, event).flatMap((e) => applyObjectEvent(room, e));
    case "room_updated":
      Object.assign(room.state, { name: event.room.name, width: event.room.width, height: event.room.height });
      Object.assign(room.state, { floor: event.room.theme.floor, wall_color: event.room.theme.wall_color, talk_radius: event.room.talk_radius });
      room.settings.maxUsers = event.room.max_users;
      bringPlayersInside(room);
      return [];
    case "profile_updated":
      restyle(room, event.user);
      return [];
    case "user_removed":
      return removeUser(room, event.userId, event.reason, event.scope === "room");
    case "room_deleted":
      return [{ kind: "close_room", code: CLOSE_CODES.roomDeleted, reason: "The room was deleted" }];
  }
}

const objectIdOf = (e: ObjectEvent) => (e.type === "object_removed" ? e.objectId : e.object.id);

/**
 * The object events to apply now, in version order. Every write to an item bumps its version, and
 * while the item stands in a room every write publishes to that room: so a move or removal must
 * follow the room's version of the object by exactly one. One that comes early (its placement or
 * the move before it still on the way) is held until that arrives, and then both are applied, in
 * order: everyone sees object_placed then object_removed, and the placer gets its answer. A
 * placement starts afresh (the item may have been in other rooms meanwhile): any newer version.
 * An event no newer than the room's is a replay and is dropped. Held events that never find their
 * predecessor are the room's to give up on (it reloads its objects; cafe-room.ts).
 */
function inOrder(room: ProjectedRoom, event: ObjectEvent): ObjectEvent[] {
  const id = objectIdOf(event);
  const last = room.versions.get(id);
  if (last !== undefined && event.version <= last) return [];
  const follows = last !== undefined && event.version === last + 1 && room.state.objects.has(String(id));
  if (event.type !== "object_placed" && !follows) {
    room.held.set(id, [...(room.held.get(id) ?? []), event].sort((a, b) => a.version - b.version));
    return [];
  }
  const ready = [event];
  let version = event.version;
  const waiting = (room.held.get(id) ?? []).filter((e) => e.version > version);
  while (waiting[0]?.version === version + 1 && ready.at(-1)!.type !== "object_removed") {
    const next = waiting.shift()!;
    ready.push(next);
    version = next.version;
  }
  room.versions.set(id, version);
  if (waiting.length) room.held.set(id, waiting);
  else room.held.delete(id);
  return ready;
}

function applyObjectEvent(room: ProjectedRoom, event: ObjectEvent): RoomEffect[] {
  switch (event.type) {
    case "object_placed":
      putObject(room, event.object);
      refreshSitting(room);
      return [{ kind: "broadcast", message: SERVER_MESSAGES.objectPlaced, payload: { object: event.object } }];
    case "object_updated":
      putObject(room, event.object);
      refreshSitting(room);
      return [{ kind: "broadcast", message: SERVER_MESSAGES.objectUpdated, payload: { object: event.object } }];
    case "object_removed":
      room.state.objects.delete(String(event.objectId));
      room.layout.invalidate();
      refreshSitting(room);
      return [{ kind: "broadcast", message: SERVER_MESSAGES.objectRemoved, payload: { object_id: event.objectId } }];
  }
}

/** Shows an object as the database has it at `version` (a room's load, or its reload after an outage). */
export function loadObject(room: Pick<ProjectedRoom, "state" | "layout" | "versions">, o: ItemOut, version: number): void {
  room.versions.set(o.id, Math.max(version, room.versions.get(o.id) ?? version));
  putObject(room, o);
}

/** Shows a stored object in the state (added, or its fields updated in place). */
export function putObject(room: Pick<ProjectedRoom, "state" | "layout">, o: ItemOut): void {
  const fields = roomObjectOf(o);
  const existing = room.state.objects.get(String(o.id));
  if (existing) Object.assign(existing, fields);
  else room.state.objects.set(String(o.id), new ObjectState(fields));
  room.layout.invalidate();
}

/** Who sits on what, after the seats may have changed. */
export function refreshSitting(room: Pick<ProjectedRoom, "state" | "layout">): void {
  for (const p of room.state.players.values()) p.sitting_on = room.layout.chairAt(p);
}

/** To everyone, or a whisper only to its sender and its target. */
function deliverChat(room: ProjectedRoom, message: MessageReceivedPayload): RoomEffect[] {
  if (message.to_user_id === undefined) return [{ kind: "broadcast", message: SERVER_MESSAGES.messageReceived, payload: message }];
  return [...new Set([message.user_id, message.to_user_id])]
    .filter((userId) => room.playerOf(userId))
    .map((userId): RoomEffect => ({ kind: "send", userId, message: SERVER_MESSAGES.messageReceived, payload: message }));
}

/** A person changed their profile: their avatar changes live in the room. */
function restyle(room: ProjectedRoom, user: UserOut): void {
  const player = room.playerOf(user.id);
  if (!player) return;
  Object.assign(player, { display_name: user.display_name, color: user.avatar_color });
  // Replaced whole, so a client's one listener on `avatar` sees every change.
  player.avatar = new AvatarState(user.avatar);
}

/** A moderator's kick or ban, or the account's deletion: tell the user why, then close their seat for good. */
function removeUser(room: ProjectedRoom, userId: number, reason: RemovalReason, byRoom: boolean): RoomEffect[] {
  if (!room.playerOf(userId)) return [];
  const { code, message, close, why } = REMOVALS[reason](byRoom);
  return [
    { kind: "drop_media", userId },
    { kind: "send", userId, message: SERVER_MESSAGES.error, payload: { code, message } },
    { kind: "close", userId, code: close, reason: why },
  ];
}

const REMOVALS: Record<RemovalReason, (byRoom: boolean) => { code: ErrorPayload["code"]; message: string; close: number; why: string }> = {
  deleted: () => ({ code: "unauthorized", message: "This account was deleted", close: CLOSE_CODES.accountDeleted, why: "Account deleted" }),
  banned: (byRoom) => ({
    code: "banned",
    message: byRoom ? "You are banned from this room" : "This account is banned",
    close: CLOSE_CODES.banned,
    why: byRoom ? "Banned from this room" : "Account banned",
  }),
  kicked: (byRoom) => ({
    code: "forbidden",
    message: `${byRoom ? "The room's moderators" : "An admin"} removed you from this room`,
    close: CLOSE_CODES.kicked,
    why: `Removed by ${byRoom ? "the room's moderators" : "an admin"}`,
  }),
};

/** After the room shrinks, players left outside are moved to the nearest free spot inside. */
function bringPlayersInside(room: ProjectedRoom): void {
  for (const p of room.state.players.values()) {
    if (playerInsideRoom(p, room.state)) continue;
    const spot = findFreeSpot(p, room.state, room.layout.blockers());
    if (spot) Object.assign(p, spot, { sitting_on: room.layout.chairAt(spot) });
  }
}
