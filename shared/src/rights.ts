// Who may do what in a room: one pure rule, used by the server (authority) and by the client (to
// hide or disable what a user may not do). Services look the facts up; this decides.

export const ROOM_ROLES = ["member", "builder", "moderator"] as const;
export type RoomRole = (typeof ROOM_ROLES)[number];

/** Roles an invite may grant: moderators are named by the owner, never by a link. */
export const INVITE_ROLES = ["member", "builder"] as const satisfies readonly RoomRole[];
export type InviteRole = (typeof INVITE_ROLES)[number];

export const BUILD_POLICIES = ["owner", "builders", "everyone"] as const;
export type BuildPolicy = (typeof BUILD_POLICIES)[number];
export const DEFAULT_BUILD_POLICY: BuildPolicy = "builders";

export const ROOM_ACTIONS = [
  /** List, read and join (matters only for private rooms). */
  "see",
  /** place_object; use_tool move/rotate/pickup; PATCH/DELETE /objects on objects of others. */
  "build",
  /** Kick, mute, ban, read the bans and the room's moderation log. */
  "moderate",
  /** Create, list and revoke invites. */
  "manage_invites",
  /** Change the room's settings, delete it, name moderators. */
  "manage_room",
] as const;
export type RoomAction = (typeof ROOM_ACTIONS)[number];

export interface RightsViewer {
  id: number;
  isAdmin: boolean;
}
export interface RightsRoom {
  owner_id: number;
  is_private: boolean;
  build_policy: BuildPolicy;
}

/** A person's standing in a room, strongest last. */
export type Standing = "none" | RoomRole | "owner" | "admin";
const RANK: Record<Standing, number> = { none: 0, member: 1, builder: 2, moderator: 3, owner: 4, admin: 5 };

export function standingOf(viewer: RightsViewer, room: Pick<RightsRoom, "owner_id">, role: RoomRole | null): Standing {
  if (viewer.isAdmin) return "admin";
  if (room.owner_id === viewer.id) return "owner";
  return role ?? "none";
}

export function atLeast(standing: Standing, wanted: Standing): boolean {
  return RANK[standing] >= RANK[wanted];
}

/** The rule: may this viewer, with this membership (`role`, null if none), do `action` in `room`? */
export function can(viewer: RightsViewer, room: RightsRoom, role: RoomRole | null, action: RoomAction): boolean {
  const s = standingOf(viewer, room, role);
  switch (action) {
    case "see":
      return !room.is_private || atLeast(s, "member");
    case "build":
      if (!can(viewer, room, role, "see")) return false;
      if (room.build_policy === "everyone") return true;
      return atLeast(s, room.build_policy === "owner" ? "owner" : "builder");
    case "moderate":
    case "manage_invites":
      return atLeast(s, "moderator");
    case "manage_room":
      return atLeast(s, "owner");
  }
}

/**
 * May `actor` act on `target` (kick, mute, ban, change or remove their role)? Nobody acts on the
 * owner or an admin, and a moderator not on another moderator: only a stronger standing may.
 */
export function canActOn(actor: Standing, target: Standing): boolean {
  if (target === "owner" || target === "admin") return false;
  return atLeast(actor, "moderator") && RANK[actor] > RANK[target];
}

/** May `actor` give `role` (moderators hand out member and builder only)? */
export function canGrant(actor: Standing, role: RoomRole): boolean {
  return role === "moderator" ? atLeast(actor, "owner") : atLeast(actor, "moderator");
}

/** Accepting an invite never lowers a role. */
export function strongerRole(current: RoomRole | null, offered: RoomRole): RoomRole {
  return current && RANK[current] >= RANK[offered] ? current : offered;
}

/**
 * May the viewer move (or rotate) or pick up an object owned by `objectOwner`? Building is needed,
 * and only builders and above change other people's objects (under `everyone`, people change their
 * own). Anyone may pick up their own object: it is their item.
 */
export function canChangeObject(
  viewer: RightsViewer,
  room: RightsRoom,
  role: RoomRole | null,
  objectOwner: number,
  change: "move" | "pickup",
): boolean {
  if (change === "pickup" && objectOwner === viewer.id) return true;
  if (!can(viewer, room, role, "build")) return false;
  return objectOwner === viewer.id || atLeast(standingOf(viewer, room, role), "builder");
}
