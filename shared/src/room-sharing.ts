// REST payloads and responses of rooms people own and share: members, invites, room moderation.
// Defined once: the server validates with them, OpenAPI documents them, the client types with them.
import { z } from "zod";
import { Id } from "./api.ts";
import { MUTE_MINUTES } from "./moderation.ts";
import { INVITE_ROLES, ROOM_ROLES } from "./rights.ts";

export const INVITE = {
  /** Random bytes in a code (≥ 128 bits), sent as base64url. */
  codeBytes: 24,
  maxUses: 1000,
  maxExpiresMinutes: 30 * 24 * 60,
} as const;

const Timestamp = z.string().describe("ISO 8601 date-time");
const Code = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "an invite code");

export const MemberParams = z.object({ id: Id, user_id: Id });
export const InviteParams = z.object({ id: Id, code: Code });
export const CodeParams = z.object({ code: Code });

export const PutMemberBody = z.object({ role: z.enum(ROOM_ROLES) });
export const MemberOut = z.object({
  user_id: z.number().int(),
  username: z.string(),
  display_name: z.string(),
  role: z.enum(ROOM_ROLES),
  added_at: Timestamp,
});

export const CreateInviteBody = z.object({
  role: z.enum(INVITE_ROLES).default("member"),
  max_uses: z.number().int().min(1).max(INVITE.maxUses).optional().describe("unlimited when absent"),
  expires_minutes: z.number().int().min(1).max(INVITE.maxExpiresMinutes).optional().describe("never expires when absent"),
});
export const InviteOut = z.object({
  code: z.string(),
  room_id: z.number().int(),
  role: z.enum(INVITE_ROLES),
  uses: z.number().int(),
  max_uses: z.number().int().nullable(),
  expires_at: Timestamp.nullable(),
  url: z.string().describe("the client's page that accepts it: /invite/{code}"),
});

const Minutes = z.number().int().min(MUTE_MINUTES.min).max(MUTE_MINUTES.max);
export const RoomKickBody = z.object({ user_id: Id });
export const RoomMuteBody = z.object({ user_id: Id, minutes: Minutes });
export const RoomBanBody = z.object({ user_id: Id, minutes: Minutes.optional().describe("until lifted when absent") });
export const RoomBanOut = z.object({
  user_id: z.number().int(),
  username: z.string(),
  until: Timestamp.nullable(),
  created_at: Timestamp,
});

export type MemberOut = z.infer<typeof MemberOut>;
export type InviteOut = z.infer<typeof InviteOut>;
export type RoomBanOut = z.infer<typeof RoomBanOut>;
