// Who may see and change what. The rule itself is pure and shared (shared/src/rights.ts); this
// file looks up the facts it needs (the caller's role in the room) and turns "no" into errors.
import { can, canChangeObject, type BuildPolicy, type RightsRoom, type RoomAction, type RoomRole } from "../../../shared/src/rights.ts";
import { Room, RoomMember } from "../db/entities.ts";
import type { Em } from "../db/orm.ts";
import { forbidden, notFound } from "./errors.ts";

/** The authenticated caller of a service method. */
export interface Viewer {
  id: number;
  username: string;
  isAdmin: boolean;
}

type RoomFacts = Pick<Room, "id" | "owner" | "isPrivate" | "buildPolicy">;

export function rightsRoom(room: RoomFacts): RightsRoom {
  return { owner_id: room.owner, is_private: room.isPrivate, build_policy: room.buildPolicy as BuildPolicy };
}

/** The viewer's role in the room, or null when they are not a member. */
export async function roleIn(em: Em, roomId: number, userId: number): Promise<RoomRole | null> {
  const row = await em.findOne(RoomMember, { room: roomId, user: userId }, { fields: ["role"] });
  return (row?.role as RoomRole | undefined) ?? null;
}

export async function allowed(em: Em, viewer: Viewer, room: RoomFacts, action: RoomAction): Promise<boolean> {
  return can(viewer, rightsRoom(room), await roleIn(em, room.id, viewer.id), action);
}

/** A private room is visible only to its owner, its members and admins; to anyone else it does not exist. */
export async function assertCanSeeRoom<R extends RoomFacts>(em: Em, viewer: Viewer, room: R | null): Promise<R> {
  if (!room || !(await allowed(em, viewer, room, "see"))) throw notFound("Room");
  return room;
}

/** 403 `forbidden` unless the viewer has the right (they can already see the room). */
export async function assertCan(em: Em, viewer: Viewer, room: RoomFacts, action: RoomAction): Promise<void> {
  if (!(await allowed(em, viewer, room, action))) throw forbidden(FORBIDDEN_TEXT[action]);
}

export async function assertCanChangeObject(em: Em, viewer: Viewer, objectOwner: number, room: RoomFacts, change: "move" | "pickup"): Promise<void> {
  const role = await roleIn(em, room.id, viewer.id);
  if (!canChangeObject(viewer, rightsRoom(room), role, objectOwner, change)) throw forbidden(FORBIDDEN_TEXT.build);
}

/** Ids of the private rooms the viewer may see because they are a member. */
export async function memberRoomIds(em: Em, userId: number): Promise<number[]> {
  return (await em.find(RoomMember, { user: userId }, { fields: ["room"] })).map((m) => m.room);
}

const FORBIDDEN_TEXT: Record<RoomAction, string> = {
  see: "You may not see this room",
  build: "You may not build in this room",
  moderate: "Only the room's owner, its moderators or an admin may do this",
  manage_invites: "Only the room's owner, its moderators or an admin may manage invites",
  manage_room: "Only the room's owner or an admin may do this",
};
