// The durable model. Relations map to plain ids (mapToPk) so services and serializers work with
// numbers, while the schema still gets real foreign keys and indexes.
import { defineEntity, p } from "@mikro-orm/core";
import type { Avatar } from "../../../shared/src/appearance.ts";
import { itemTypeCheckSql } from "../../../shared/src/catalog.ts";

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
    /** The chosen avatar parts; null until chosen (a default is derived from the id). */
    avatar: p.json<Avatar>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    // Moderation: a banned account's tokens stop working; a muted one cannot chat until then.
    bannedAt: p.datetime().nullable(),
    mutedUntil: p.datetime().nullable(),
    // Account deletion: the row stays as a tombstone (chat keeps its author id; the username stays
    // reserved for USERNAME_RESERVED_DAYS), with everything personal cleared.
    deletedAt: p.datetime().nullable(),
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
    /** Who may build here (shared/src/rights.ts): owner, builders or everyone. */
    buildPolicy: p.string().length(16).default("builders"),
    themeFloor: p.string().length(16).default("wood"),
    wallColor: p.string().length(7).default("#6d4c41"),
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
    /**
     * Bumped by every write that places, moves, rotates or takes back the item, and carried by the
     * room event it publishes: a live room applies an object's events in this order, not in the
     * order they arrive (two writers' events may cross between their commits and their publishes).
     */
    version: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [
    { name: "items_owner_room_idx", properties: ["owner", "room"] },
    { name: "items_room_idx", properties: ["room"] },
  ],
  checks: [
    { name: "items_type_check", expression: itemTypeCheckSql() },
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
    /** A whisper: only this user and the sender (and admins) see it. No foreign key: kept as written. */
    toUserId: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [
    { name: "chat_messages_room_id_idx", properties: ["room", "id"] },
    // Retention deletes the oldest rows in batches.
    { name: "chat_messages_created_idx", properties: ["createdAt"] },
  ],
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
  indexes: [
    { name: "tool_logs_room_id_idx", properties: ["room", "id"] },
    { name: "tool_logs_created_idx", properties: ["createdAt"] },
  ],
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
    user: () => p.manyToOne(User).mapToPk().deleteRule("cascade"),
    x: p.integer(),
    y: p.integer(),
    processId: p.string().length(64),
    joinedAt: p.datetime().onCreate(() => new Date()),
    leftAt: p.datetime().nullable(),
  },
  indexes: [
    { name: "room_visits_room_joined_idx", properties: ["room", "joinedAt"] },
    // A join reads where the person last stood in the room (their newest visit there): one index
    // step, not a scan of the room's whole history. It also serves every lookup by user.
    { name: "room_visits_user_room_idx", properties: ["user", "room", "id"] },
    { name: "room_visits_open_idx", expression: 'create index "room_visits_open_idx" on "room_visits" ("room_id") where "left_at" is null' },
    // Retention prunes closed visits by when they ended; open ones are never touched.
    { name: "room_visits_left_idx", expression: 'create index "room_visits_left_idx" on "room_visits" ("left_at") where "left_at" is not null' },
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

// ---- rooms people own and share: members, invites, room bans and mutes ----

/** A user's role in one room (shared/src/rights.ts); the owner is the room's owner_id, not a row. */
export const RoomMemberSchema = defineEntity({
  name: "RoomMember",
  tableName: "room_members",
  properties: {
    id: p.integer().primary().autoincrement(),
    room: () => p.manyToOne(Room).mapToPk().deleteRule("cascade"),
    user: () => p.manyToOne(User).mapToPk().deleteRule("cascade").index("room_members_user_idx"),
    role: p.string().length(16),
    addedAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ name: "room_members_room_user_unique", properties: ["room", "user"] }],
  checks: [{ name: "room_members_role_check", expression: "role in ('member', 'builder', 'moderator')" }],
});
export class RoomMember extends RoomMemberSchema.class {}
RoomMemberSchema.setClass(RoomMember);

/** An invite link. Revoked, expired or used-up invites stay for the record but never match. */
export const RoomInviteSchema = defineEntity({
  name: "RoomInvite",
  tableName: "room_invites",
  properties: {
    id: p.integer().primary().autoincrement(),
    code: p.string().length(64).unique("room_invites_code_unique"),
    room: () => p.manyToOne(Room).mapToPk().deleteRule("cascade").index("room_invites_room_idx"),
    role: p.string().length(16),
    uses: p.integer().default(0),
    maxUses: p.integer().nullable(),
    expiresAt: p.datetime().nullable(),
    createdBy: p.integer(),
    revokedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class RoomInvite extends RoomInviteSchema.class {}
RoomInviteSchema.setClass(RoomInvite);

/** Who accepted which invite: the unique pair makes a second accept by the same user count once. */
export const RoomInviteUseSchema = defineEntity({
  name: "RoomInviteUse",
  tableName: "room_invite_uses",
  properties: {
    id: p.integer().primary().autoincrement(),
    invite: () => p.manyToOne(RoomInvite).mapToPk().deleteRule("cascade"),
    user: () => p.manyToOne(User).mapToPk().deleteRule("cascade").index("room_invite_uses_user_idx"),
    usedAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ name: "room_invite_uses_invite_user_unique", properties: ["invite", "user"] }],
});
export class RoomInviteUse extends RoomInviteUseSchema.class {}
RoomInviteUseSchema.setClass(RoomInviteUse);

/** A room's ban or mute of one user; `until` null means until lifted. */
export const RoomSanctionSchema = defineEntity({
  name: "RoomSanction",
  tableName: "room_sanctions",
  properties: {
    id: p.integer().primary().autoincrement(),
    room: () => p.manyToOne(Room).mapToPk().deleteRule("cascade"),
    user: () => p.manyToOne(User).mapToPk().deleteRule("cascade").index("room_sanctions_user_idx"),
    kind: p.string().length(8),
    until: p.datetime().nullable(),
    byUserId: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ name: "room_sanctions_room_user_kind_unique", properties: ["room", "user", "kind"] }],
  checks: [{ name: "room_sanctions_kind_check", expression: "kind in ('ban', 'mute')" }],
});
export class RoomSanction extends RoomSanctionSchema.class {}
RoomSanctionSchema.setClass(RoomSanction);

export const ENTITIES = [
  UserSchema,
  RoomSchema,
  ItemSchema,
  ChatMessageSchema,
  ToolLogSchema,
  RoomVisitSchema,
  ModerationActionSchema,
  RoomMemberSchema,
  RoomInviteSchema,
  RoomInviteUseSchema,
  RoomSanctionSchema,
];
