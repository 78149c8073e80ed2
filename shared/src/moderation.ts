// The admin moderation API's payloads and responses (REST, under /api/v1/admin), defined once.
import { z } from "zod";
import { Id, Pagination } from "./api.ts";

export const MODERATION_ACTIONS = ["kick", "mute", "unmute", "ban", "unban", "remove_object", "delete_account"] as const;
export type ModerationActionType = (typeof MODERATION_ACTIONS)[number];

/** A mute lasts 1 minute to 30 days. */
export const MUTE_MINUTES = { min: 1, max: 30 * 24 * 60 } as const;
export const REASON_MAX = 500;

const Reason = z.string().trim().min(1).max(REASON_MAX).optional().describe("shown in the audit log");

export const KickBody = z.object({ user_id: Id, reason: Reason });
export const MuteBody = z.object({ minutes: z.number().int().min(MUTE_MINUTES.min).max(MUTE_MINUTES.max), reason: Reason });
export const ReasonBody = z.object({ reason: Reason });
export const ModerationLogQuery = Pagination.extend({ user_id: Id.optional() });

export const ModerationActionOut = z.object({
  id: z.number().int(),
  admin_id: z.number().int(),
  admin_username: z.string(),
  action: z.enum(MODERATION_ACTIONS),
  target_user_id: z.number().int().nullable(),
  room_id: z.number().int().nullable(),
  object_id: z.number().int().nullable(),
  minutes: z.number().int().nullable(),
  reason: z.string().nullable(),
  created_at: z.string().describe("ISO 8601 date-time"),
});
export type ModerationActionOut = z.infer<typeof ModerationActionOut>;
