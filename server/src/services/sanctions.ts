// A room's bans and mutes, as read by joins and chat. Written by RoomModerationService.
import { RoomSanction } from "../db/entities.ts";
import type { Em } from "../db/orm.ts";
import { AppError } from "./errors.ts";

export type SanctionKind = "ban" | "mute";

/** The sanction in force now, if any: `until` null means until lifted. */
export async function activeSanction(em: Em, roomId: number, userId: number, kind: SanctionKind): Promise<RoomSanction | null> {
  return em.findOne(RoomSanction, { room: roomId, user: userId, kind, $or: [{ until: null }, { until: { $gt: new Date() } }] });
}

export async function assertNotBanned(em: Em, roomId: number, userId: number): Promise<void> {
  const ban = await activeSanction(em, roomId, userId, "ban");
  if (ban) throw new AppError(403, "banned", ban.until ? `You are banned from this room until ${ban.until.toISOString()}` : "You are banned from this room");
}

/** `muted`, with the seconds left in the text and in Retry-After. */
export async function assertNotMuted(em: Em, roomId: number, userId: number, accountMutedUntil: Date | null | undefined): Promise<void> {
  const mute = await activeSanction(em, roomId, userId, "mute");
  const ends = [mute?.until, accountMutedUntil].filter((d): d is Date => !!d && d > new Date());
  if (!mute && !ends.length) return;
  const until = mute && !mute.until ? null : new Date(Math.max(...ends.map((d) => d.getTime())));
  const seconds = until ? Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)) : null;
  throw new AppError(
    403,
    "muted",
    seconds ? `You are muted for ${seconds} more seconds` : "You are muted in this room",
    seconds ? { "Retry-After": String(seconds) } : {},
  );
}
