// Who may see and change what. One place for the permission rules of the contract.
import type { Room } from "../db/entities.ts";
import { forbidden, notFound } from "./errors.ts";

/** The authenticated caller of a service method. */
export interface Viewer {
  id: number;
  username: string;
  isAdmin: boolean;
}

/** A private room is visible only to its owner and admins; to anyone else it does not exist. */
export function canSeeRoom(viewer: Viewer, room: Pick<Room, "owner" | "isPrivate">): boolean {
  return !room.isPrivate || viewer.isAdmin || room.owner === viewer.id;
}

export function assertCanSeeRoom<R extends Pick<Room, "owner" | "isPrivate">>(viewer: Viewer, room: R | null): R {
  if (!room || !canSeeRoom(viewer, room)) throw notFound("Room");
  return room;
}

export function assertOwnsRoom(viewer: Viewer, room: Pick<Room, "owner">): void {
  if (!viewer.isAdmin && room.owner !== viewer.id) throw forbidden("Only the room's owner or an admin may do this");
}

/** Objects may be changed by their owner, the owner of the room they stand in, or an admin. */
export function assertCanChangeObject(viewer: Viewer, objectOwner: number, room: Pick<Room, "owner">): void {
  if (!viewer.isAdmin && objectOwner !== viewer.id && room.owner !== viewer.id) {
    throw forbidden("Only the object's owner, the room's owner or an admin may change this object");
  }
}
