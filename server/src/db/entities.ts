// The durable model. Relations map to plain ids (mapToPk) so services and serializers work with
// numbers, while the schema still gets real foreign keys and indexes.
import { defineEntity, p } from "@mikro-orm/core";

export const UserSchema = defineEntity({
  name: "User",
  tableName: "users",
  properties: {
    id: p.integer().primary().autoincrement(),
    username: p.string().length(32),
    email: p.string().length(254),
    passwordHash: p.string().length(255).hidden().lazy(),
    displayName: p.string().length(64),
    avatarColor: p.string().length(7),
    createdAt: p.datetime().onCreate(() => new Date()),
    // Moderation: a banned account's tokens stop working; a muted one cannot chat until then.
    bannedAt: p.datetime().nullable(),
    mutedUntil: p.datetime().nullable(),
  },
  uniques: [
    // Case-insensitive identities: "Alice" and "alice" are one account.
    { name: "users_username_lower_unique", expression: 'create unique index "users_username_lower_unique" on "users" (lower("username"))' },
    { name: "users_email_lower_unique", expression: 'create unique index "users_email_lower_unique" on "users" (lower("email"))' },
  ],
});
export class User extends UserSchema.class {}
UserSchema.setClass(User);

export const RoomSchema = defineEntity({
  name: "Room",
  tableName: "rooms",
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(100),
    description: p.text(),
    owner: () => p.manyToOne(User).mapToPk().deleteRule("cascade").index("rooms_owner_idx"),
    width: p.integer(),
    height: p.integer(),
    maxUsers: p.integer(),
    /** Proximity voice/video range in pixels (RTC.defaultTalkRadius for rooms made before it existed). */
    talkRadius: p.integer().default(160),
    isPrivate: p.boolean(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: "rooms_name_lower_idx", expression: 'create index "rooms_name_lower_idx" on "rooms" (lower("name"))' }],
});
export class Room extends RoomSchema.class {}
RoomSchema.setClass(Room);

/**
 * One row per item, always in exactly one place: its owner's inventory (room null, no position)
 * or placed in a room (room, x, y and rotation all set). The check constraint enforces it.
 */
export const ItemSchema = defineEntity({
  name: "Item",
  tableName: "items",
  properties: {
    id: p.integer().primary().autoincrement(),
    type: p.string().length(16),
    name: p.string().length(64),
    owner: () => p.manyToOne(User).mapToPk().deleteRule("cascade"),
    room: () => p.manyToOne(Room).mapToPk().nullable().deleteRule("restrict"),
    x: p.integer().nullable(),
    y: p.integer().nullable(),
    rotation: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [
    { name: "items_owner_room_idx", properties: ["owner", "room"] },
    { name: "items_room_idx", properties: ["room"] },
  ],
  checks: [
    { name: "items_type_check", expression: "type in ('chair', 'wall', 'table', 'plant', 'tool', 'private_area')" },
    {
      name: "items_one_place_check",
      expression:
        "(room_id is null and x is null and y is null and rotation is null) or " +
        "(room_id is not null and x is not null and y is not null and rotation in (0, 90, 180, 270))",
    },
  ],
});
export class Item extends ItemSchema.class {}
ItemSchema.setClass(Item);

export const ChatMessageSchema = defineEntity({
  name: "ChatMessage",
  tableName: "chat_messages",
  properties: {
    id: p.integer().primary().autoincrement(),
    room: () => p.manyToOne(Room).mapToPk().deleteRule("cascade"),
    user: () => p.manyToOne(User).mapToPk().deleteRule("cascade").index("chat_messages_user_idx"),
    // Kept with the message: history pages need no join, and usernames never change.
    username: p.string().length(32),
    message: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: "chat_messages_room_id_idx", properties: ["room", "id"] }],
});
export class ChatMessage extends ChatMessageSchema.class {}
ChatMessageSchema.setClass(ChatMessage);

export const ToolLogSchema = defineEntity({
  name: "ToolLog",
  tableName: "tool_logs",
  properties: {
    id: p.integer().primary().autoincrement(),
    room: () => p.manyToOne(Room).mapToPk().deleteRule("cascade"),
    user: () => p.manyToOne(User).mapToPk().deleteRule("cascade").index("tool_logs_user_idx"),
    // No foreign key: the log outlives a discarded target item.
    targetObjectId: p.integer(),
    action: p.string().length(16),
    result: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: "tool_logs_room_id_idx", properties: ["room", "id"] }],
});
export class ToolLog extends ToolLogSchema.class {}
ToolLogSchema.setClass(ToolLog);

/**
 * A user's stay in a room. Rows with no leftAt are the room's present users; `processId`
 * lets a restarted or surviving process close the rows of a process that died.
 */
export const RoomVisitSchema = defineEntity({
  name: "RoomVisit",
  tableName: "room_visits",
  properties: {
    id: p.integer().primary().autoincrement(),
    room: () => p.manyToOne(Room).mapToPk().deleteRule("cascade"),
    user: () => p.manyToOne(User).mapToPk().deleteRule("cascade").index("room_visits_user_idx"),
    x: p.integer(),
    y: p.integer(),
    processId: p.string().length(64),
    joinedAt: p.datetime().onCreate(() => new Date()),
    leftAt: p.datetime().nullable(),
  },
  indexes: [
    { name: "room_visits_room_joined_idx", properties: ["room", "joinedAt"] },
    { name: "room_visits_open_idx", expression: 'create index "room_visits_open_idx" on "room_visits" ("room_id") where "left_at" is null' },
  ],
});
export class RoomVisit extends RoomVisitSchema.class {}
RoomVisitSchema.setClass(RoomVisit);

/**
 * What an admin did, for the audit trail. Plain ids without foreign keys: the record outlives
 * the rooms, objects and accounts it is about.
 */
export const ModerationActionSchema = defineEntity({
  name: "ModerationAction",
  tableName: "moderation_actions",
  properties: {
    id: p.integer().primary().autoincrement(),
    adminId: p.integer(),
    adminUsername: p.string().length(32),
    action: p.string().length(16),
    targetUserId: p.integer().nullable(),
    roomId: p.integer().nullable(),
    objectId: p.integer().nullable(),
    minutes: p.integer().nullable(),
    reason: p.string().length(500).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: "moderation_actions_target_idx", properties: ["targetUserId"] }],
});
export class ModerationAction extends ModerationActionSchema.class {}
ModerationActionSchema.setClass(ModerationAction);

export const ENTITIES = [UserSchema, RoomSchema, ItemSchema, ChatMessageSchema, ToolLogSchema, RoomVisitSchema, ModerationActionSchema];
