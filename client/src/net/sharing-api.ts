// REST calls of rooms people own and share: members, invites, room moderation, profiles.
import type { RoomOut, UserOut } from "../../../shared/src/api.ts";
import type { ModerationActionOut } from "../../../shared/src/moderation.ts";
import type { InviteRole, RoomRole } from "../../../shared/src/rights.ts";
import type { InviteOut, MemberOut, RoomBanOut } from "../../../shared/src/room-sharing.ts";
import { call } from "./api.ts";

export const sharing = {
  members: (roomId: number) => call<MemberOut[]>("GET", `/rooms/${roomId}/members`, { query: { limit: 200 } }),
  setRole: (roomId: number, userId: number, role: RoomRole) => call<MemberOut>("PUT", `/rooms/${roomId}/members/${userId}`, { body: { role } }),
  removeMember: (roomId: number, userId: number) => call<void>("DELETE", `/rooms/${roomId}/members/${userId}`),

  invites: (roomId: number) => call<InviteOut[]>("GET", `/rooms/${roomId}/invites`, { query: { limit: 200 } }),
  createInvite: (roomId: number, input: { role: InviteRole; max_uses?: number; expires_minutes?: number }) =>
    call<InviteOut>("POST", `/rooms/${roomId}/invites`, { body: input }),
  revokeInvite: (roomId: number, code: string) => call<void>("DELETE", `/rooms/${roomId}/invites/${encodeURIComponent(code)}`),
  acceptInvite: (code: string) => call<{ room: RoomOut; role: RoomRole | "owner" }>("POST", `/invites/${encodeURIComponent(code)}/accept`),

  kick: (roomId: number, userId: number) => call<ModerationActionOut>("POST", `/rooms/${roomId}/kick`, { body: { user_id: userId } }),
  mute: (roomId: number, userId: number, minutes: number) =>
    call<ModerationActionOut>("POST", `/rooms/${roomId}/mute`, { body: { user_id: userId, minutes } }),
  ban: (roomId: number, userId: number, minutes?: number) =>
    call<ModerationActionOut>("POST", `/rooms/${roomId}/ban`, { body: { user_id: userId, ...(minutes ? { minutes } : {}) } }),
  bans: (roomId: number) => call<RoomBanOut[]>("GET", `/rooms/${roomId}/bans`, { query: { limit: 200 } }),
  unban: (roomId: number, userId: number) => call<void>("DELETE", `/rooms/${roomId}/bans/${userId}`),

  updateMe: (patch: { display_name?: string; avatar_color?: string }) => call<UserOut>("PATCH", "/users/me", { body: patch }),
};
