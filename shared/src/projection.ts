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
   * and a pickup's of the same item, say): an event no newer than what the room has is dropped.
   */
  versions: Map<number, number>;
}

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
      if (!isNewer(room, event.object.id, event.version)) return [];
      putObject(room, event.object);
      refreshSitting(room);
      return [{ kind: "broadcast", message: SERVER_MESSAGES.objectPlaced, payload: { object: event.object } }];
    case "object_updated":
      if (!isNewer(room, event.object.id, event.version)) return [];
      putObject(room, event.object);
      refreshSitting(room);
      return [{ kind: "broadcast", message: SERVER_MESSAGES.objectUpdated, payload: { object: event.object } }];
    case "object_removed":
      if (!isNewer(room, event.objectId, event.version)) return [];
      room.state.objects.delete(String(event.objectId));
      room.layout.invalidate();
      refreshSitting(room);
      return [{ kind: "broadcast", message: SERVER_MESSAGES.objectRemoved, payload: { object_id: event.objectId } }];
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

/** True, and remembered, when `version` is newer than the object's last applied or loaded one. */
function isNewer(room: Pick<ProjectedRoom, "versions">, objectId: number, version: number): boolean {
  const last = room.versions.get(objectId);
  if (last !== undefined && version <= last) return false;
  room.versions.set(objectId, version);
  return true;
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
