// REST payload and response schemas, defined once: the server validates requests with them,
// the OpenAPI document is generated from them, and the client types its calls with them.
import { RTC } from "./media.ts";
import { z } from "zod";
import {
  CHAT,
  ITEM_NAME_MAX,
  ITEM_TYPES,
  MAX_ID,
  PAGINATION,
  ROOM,
  ROTATIONS,
  USER,
} from "./constants.ts";
import { BUILD_POLICIES } from "./rights.ts";
import { Avatar, RoomTheme } from "./appearance.ts";

// The item (an object placed or in an inventory) is declared with the placed-object schema.
export { ItemOut } from "./placed-object.ts";

export const Id = z.coerce.number().int().positive().max(MAX_ID);
/** A position in pixels; fractional values are rounded to the nearest pixel. */
const Coordinate = z.number().finite().transform(Math.round);
export const RotationSchema = z.literal(ROTATIONS, { error: "rotation must be 0, 90, 180 or 270" });
/** Booleans in query strings: `1`, `true`, `yes` → true; `0`, `false`, `no`, empty → false. */
const QueryFlag = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");

export const Username = z
  .string()
  .min(USER.usernameMin)
  .max(USER.usernameMax)
  .regex(USER.usernamePattern, "letters, digits, '_', '-' and '.' only");
export const Password = z.string().min(USER.passwordMin).max(USER.passwordMax);

// ---- requests ----
export const RegisterBody = z.object({
  username: Username,
  email: z.email().max(USER.emailMax),
  password: Password,
});
export const LoginBody = z.object({
  username: z.string().min(1).max(USER.usernameMax * 4),
  password: z.string().min(1).max(USER.passwordMax),
});
export const UpdateProfileBody = z.object({
  display_name: z.string().trim().min(1).max(USER.displayNameMax).optional(),
  avatar_color: z.string().regex(USER.avatarColorPattern, "a colour like #3a7bd5").optional(),
  /** Any subset of the avatar's parts; the others keep their current value. */
  avatar: Avatar.partial().strict().optional(),
});

export const Pagination = z.object({
  limit: z.coerce.number().int().min(1).max(PAGINATION.maxLimit).default(PAGINATION.defaultLimit),
  offset: z.coerce.number().int().min(0).max(MAX_ID).default(0),
});
export const IdParams = z.object({ id: Id });

export const RoomListQuery = Pagination.extend({ q: z.string().trim().max(ROOM.nameMax).optional() });
const RoomSize = z.number().int().min(ROOM.minSize).max(ROOM.maxSize);
const MaxUsers = z.number().int().min(ROOM.minUsers).max(ROOM.maxUsers);
const TalkRadius = z.number().int().min(RTC.minTalkRadius).max(RTC.maxTalkRadius);
export const CreateRoomBody = z.object({
  name: z.string().trim().min(1).max(ROOM.nameMax),
  description: z.string().max(ROOM.descriptionMax).default(""),
  width: RoomSize.default(ROOM.defaultWidth),
  height: RoomSize.default(ROOM.defaultHeight),
  max_users: MaxUsers.default(ROOM.defaultMaxUsers),
  talk_radius: TalkRadius.default(RTC.defaultTalkRadius),
  is_private: z.boolean().default(false),
  build_policy: z.enum(BUILD_POLICIES).default("builders").describe("who may build: owner, builders (with owner, moderators, admins) or everyone"),
  theme: RoomTheme.partial().strict().optional(),
});
export const UpdateRoomBody = z.object({
  name: z.string().trim().min(1).max(ROOM.nameMax).optional(),
  description: z.string().max(ROOM.descriptionMax).optional(),
  width: RoomSize.optional(),
  height: RoomSize.optional(),
  max_users: MaxUsers.optional(),
  talk_radius: TalkRadius.optional(),
  is_private: z.boolean().optional(),
  build_policy: z.enum(BUILD_POLICIES).optional(),
  theme: RoomTheme.partial().strict().optional(),
});

export const RoomUsersQuery = Pagination.extend({ room_id: Id, history: QueryFlag.default(false) });

export const GrantItemBody = z.object({
  type: z.enum(ITEM_TYPES),
  name: z.string().trim().min(1).max(ITEM_NAME_MAX).optional(),
});
export const ObjectListQuery = Pagination.extend({ room_id: Id.optional() });
export const MoveObjectBody = z.object({
  x: Coordinate.optional(),
  y: Coordinate.optional(),
  rotation: RotationSchema.optional(),
});

export const ChatHistoryQuery = z.object({
  room_id: Id,
  before: Id.optional(),
  limit: z.coerce.number().int().min(1).max(PAGINATION.maxLimit).default(PAGINATION.defaultLimit),
});
export const ChatText = z
  .string()
  .trim()
  .min(CHAT.minLength, `1 to ${CHAT.maxLength} characters`)
  .max(CHAT.maxLength, `1 to ${CHAT.maxLength} characters`);
export const PostChatBody = z.object({ room_id: Id, message: ChatText, to_user_id: Id.optional().describe("whisper to this user in the room") });

export const ToolLogQuery = z.object({
  room_id: Id.optional(),
  user_id: Id.optional(),
  limit: z.coerce.number().int().min(1).max(PAGINATION.maxLimit).default(PAGINATION.defaultLimit),
  offset: z.coerce.number().int().min(0).max(MAX_ID).default(0),
});

// ---- responses ----
const Timestamp = z.string().describe("ISO 8601 date-time");
export const UserOut = z.object({
  id: z.number().int(),
  username: z.string(),
  email: z.string().nullable().describe("only shown to the user themself and to admins"),
  display_name: z.string(),
  avatar_color: z.string(),
  avatar: Avatar,
  created_at: Timestamp,
});
export const AuthOut = z.object({
  access_token: z.string(),
  token_type: z.literal("bearer"),
  user: UserOut,
});
export const RoomOut = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  owner_id: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  max_users: z.number().int(),
  /** Proximity voice/video range in pixels. */
  talk_radius: z.number().int(),
  is_private: z.boolean(),
  build_policy: z.enum(BUILD_POLICIES),
  theme: RoomTheme,
  online: z.number().int(),
  created_at: Timestamp,
});
export const ChatMessageOut = z.object({
  id: z.number().int(),
  room_id: z.number().int(),
  user_id: z.number().int(),
  username: z.string(),
  message: z.string(),
  to_user_id: z.number().int().optional().describe("only on a whisper: the one user it went to"),
  created_at: Timestamp,
});
export const ToolLogOut = z.object({
  id: z.number().int(),
  room_id: z.number().int(),
  user_id: z.number().int(),
  target_object_id: z.number().int(),
  action: z.string(),
  result: z.string(),
  created_at: Timestamp,
});
export const RoomUserOut = z.object({
  user_id: z.number().int(),
  username: z.string(),
  display_name: z.string(),
  x: z.number().int(),
  y: z.number().int(),
  joined_at: Timestamp,
  left_at: Timestamp.nullable().optional().describe("only with ?history=1"),
});
export const ErrorOut = z.object({
  detail: z.union([
    z.string(),
    z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() })),
  ]),
  code: z.string(),
});
export const HealthOut = z.object({ status: z.string() });

export type UserOut = z.infer<typeof UserOut>;
export type AuthOut = z.infer<typeof AuthOut>;
export type RoomOut = z.infer<typeof RoomOut>;
export type ChatMessageOut = z.infer<typeof ChatMessageOut>;
export type ToolLogOut = z.infer<typeof ToolLogOut>;
export type RoomUserOut = z.infer<typeof RoomUserOut>;
export type ErrorOut = z.infer<typeof ErrorOut>;
