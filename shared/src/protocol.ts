// The realtime protocol: message names (one constant each), client payload schemas and server
// payload types. The Colyseus room, the JSON gateway and the client all import these.
import { z } from "zod";
import type { ChatMessageOut, ItemOut } from "./api.ts";
import { Id, RotationSchema } from "./api.ts";
import { CHAT, TOOL_ACTIONS } from "./constants.ts";
import type { ErrorCode } from "./errors.ts";
import type { Avatar } from "./appearance.ts";
import type { RoomObject } from "./placed-object.ts";
import { RtcMediaPayload, RtcSignalPayload } from "./media.ts";

export const ROOM_TYPE = "cafe";

/** The emotes a person may show (number keys 1–6 in the client, in this order). */
export const EMOTES = ["wave", "clap", "heart", "laugh", "coffee", "thumbs_up"] as const;
export type Emote = (typeof EMOTES)[number];
/** How long the client shows an emote over the avatar. */
export const EMOTE_SHOW_MS = 3000;

export const CLIENT_MESSAGES = {
  updatePosition: "update_position",
  sendMessage: "send_message",
  placeObject: "place_object",
  useTool: "use_tool",
  getInventory: "get_inventory",
  getRoomState: "get_room_state",
  leaveRoom: "leave_room",
  emote: "emote",
  rtcMedia: "rtc_media",
  rtcSignal: "rtc_signal",
} as const;
export type ClientMessage = (typeof CLIENT_MESSAGES)[keyof typeof CLIENT_MESSAGES];

export const SERVER_MESSAGES = {
  userJoined: "user_joined",
  userLeft: "user_left",
  messageReceived: "message_received",
  toolUsed: "tool_used",
  objectPlaced: "object_placed",
  objectRemoved: "object_removed",
  objectUpdated: "object_updated",
  inventory: "inventory",
  roomState: "room_state",
  error: "error",
  /** Only on the JSON protocol: positions otherwise travel in the state. */
  positionUpdated: "position_updated",
  /** `{user_id, emote}`: someone's emote, drawn over their avatar for EMOTE_SHOW_MS. */
  emote: "emote",
  /** Proximity media (see shared/src/media.ts). */
  rtcPeers: "rtc_peers",
  rtcSignal: "rtc_signal",
} as const;
export type ServerMessage = (typeof SERVER_MESSAGES)[keyof typeof SERVER_MESSAGES];

/**
 * WebSocket close codes Cafe uses, beside Colyseus's own (4000 consented, 4002 error, 4003
 * failed to reconnect, 4010 may try to reconnect). 4001 is the contract's, for a seat taken over.
 */
export const CLOSE_CODES = {
  /** The same user joined the room from another connection, which took the seat over. */
  seatTakenOver: 4001,
  /** A message over MAX_MESSAGE_BYTES (the WebSocket standard's "message too big"). */
  messageTooBig: 1009,
  /** Too many messages per second, or an undecodable message (Colyseus's WITH_ERROR). */
  flooding: 4002,
  /** The stored room was deleted. */
  roomDeleted: 4004,
  /** An admin removed the user from the room (they may join again). */
  kicked: 4005,
  /** An admin banned the account: its tokens no longer work. */
  banned: 4006,
  /** The account was deleted (by its owner or an admin): its tokens no longer work. */
  accountDeleted: 4007,
  /** The server is restarting: reconnect (Colyseus's MAY_TRY_RECONNECT; the SDK does so itself). */
  serverRestarting: 4010,
  /** The token was missing, invalid or expired (JSON protocol). */
  unauthorized: 4401,
} as const;

const Coordinate = z.number().finite().transform(Math.round);
export const Empty = z.object({}).strip();

export const JoinOptions = z.object({
  room_id: z.number().int().positive(),
  x: Coordinate.optional(),
  y: Coordinate.optional(),
});

export const PAYLOADS = {
  [CLIENT_MESSAGES.updatePosition]: z.object({
    x: Coordinate,
    y: Coordinate,
    /**
     * Optional input sequence number. An accepted move shows as the player's new position in the
     * state; a refused one is answered with an `error` that repeats this `seq`, so the client knows
     * which of its moves in flight the server did not take.
     */
    seq: z.number().int().min(0).max(0xffffffff).optional(),
  }),
  [CLIENT_MESSAGES.sendMessage]: z.object({
    message: z
      .string()
      .trim()
      .min(CHAT.minLength, `message must be 1 to ${CHAT.maxLength} characters`)
      .max(CHAT.maxLength, `message must be 1 to ${CHAT.maxLength} characters`),
    /** A whisper: only this user (who must be in the room) and the sender receive it. */
    to_user_id: Id.optional(),
  }),
  [CLIENT_MESSAGES.placeObject]: z.object({
    inventory_item_id: Id,
    x: Coordinate,
    y: Coordinate,
    rotation: RotationSchema.default(0),
  }),
  [CLIENT_MESSAGES.useTool]: z.object({
    target_object_id: Id,
    action: z.enum(TOOL_ACTIONS),
    x: Coordinate.optional(),
    y: Coordinate.optional(),
    rotation: RotationSchema.optional(),
  }),
  [CLIENT_MESSAGES.getInventory]: Empty,
  [CLIENT_MESSAGES.getRoomState]: Empty,
  [CLIENT_MESSAGES.leaveRoom]: Empty,
  [CLIENT_MESSAGES.emote]: z.object({ emote: z.enum(EMOTES) }),
  [CLIENT_MESSAGES.rtcMedia]: RtcMediaPayload,
  [CLIENT_MESSAGES.rtcSignal]: RtcSignalPayload,
} as const satisfies Record<ClientMessage, z.ZodType>;

export type Payload<M extends ClientMessage> = z.output<(typeof PAYLOADS)[M]>;

// ---- server → client payloads ----
export interface UserJoinedPayload {
  user_id: number;
  username: string;
  x: number;
  y: number;
}
export interface UserLeftPayload {
  user_id: number;
}
export type MessageReceivedPayload = ChatMessageOut;
export interface ToolUsedPayload {
  id: number;
  user_id: number;
  target_object_id: number;
  action: (typeof TOOL_ACTIONS)[number];
  result: string;
}
export interface ObjectPlacedPayload {
  object: ItemOut;
}
export interface ObjectRemovedPayload {
  object_id: number;
}
export interface InventoryPayload {
  items: ItemOut[];
}
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  event?: string;
  /** On a refused `update_position` that carried a `seq`: that seq. */
  seq?: number;
}
export interface EmotePayload {
  user_id: number;
  emote: Emote;
}
export interface PositionUpdatedPayload {
  user_id: number;
  x: number;
  y: number;
}
export interface PlayerSnapshot {
  user_id: number;
  username: string;
  display_name: string;
  color: string;
  x: number;
  y: number;
  sitting_on: number | null;
  avatar: Avatar;
  /** A server admin. */
  admin: boolean;
}
/** An object in room_state: the room's object schema (shared/src/placed-object.ts). */
export type ObjectSnapshot = RoomObject;
export interface RoomStatePayload {
  room_id: number;
  name: string;
  width: number;
  height: number;
  floor: string;
  wall_color: string;
  /** Proximity voice/video range in pixels, as in the synced state. */
  talk_radius: number;
  players: Record<string, PlayerSnapshot>;
  objects: Record<string, ObjectSnapshot>;
}
