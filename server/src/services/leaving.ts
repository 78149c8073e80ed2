// Account deletion: by the user (with their password) or by an admin. One transaction removes
// everything the account owns; live rooms learn of it through the RoomEventBus after the commit.
// The users row stays as a tombstone: chat keeps its author id (shown as DELETED_USER_NAME), and the
// username stays reserved for USERNAME_RESERVED_DAYS before registration may take it again.
import { LockMode } from "@mikro-orm/core";
import { DELETED_USER_NAME, USERNAME_RESERVED_DAYS } from "../../../shared/src/leaving.ts";
import { ChatMessage, Item, ModerationAction, Room, RoomMember, RoomVisit, User } from "../db/entities.ts";
import type { Em, Orm } from "../db/orm.ts";
import type { Viewer } from "./access.ts";
import { forbidden, notFound } from "./errors.ts";
import type { RoomEventBus } from "./events.ts";
import { verifyPassword } from "./passwords.ts";
import { takeBackSql } from "./placement-write.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the live rooms must be told once the deletion is committed. */
interface Fallout {
  ownedRooms: number[];
  /** The account's objects that stood in other people's rooms. */
  removedObjects: { roomId: number; objectId: number; version: number }[];
  seatRooms: number[];
}

export class LeavingService {
  readonly #orm: Orm;
  readonly #events: RoomEventBus;
  readonly #isAdmin: (username: string) => boolean;
  readonly #log: (line: string) => void;

  constructor(orm: Orm, events: RoomEventBus, isAdmin: (username: string) => boolean, log: (line: string) => void) {
    this.#orm = orm;
    this.#events = events;
    this.#isAdmin = isAdmin;
    this.#log = log;
  }

  /** The caller deletes their own account; the password confirms it is really them. */
  async deleteSelf(viewer: Viewer, password: string): Promise<void> {
    const user = await this.#orm.em.fork().findOne(User, { id: viewer.id, deletedAt: null }, { populate: ["passwordHash"] });
    if (!user) throw notFound("User");
    if (!(await verifyPassword(password, user.passwordHash))) throw forbidden("The password is not correct");
    await this.#delete(viewer, viewer.id);
  }

  /** An admin deletes someone else's account (admins' accounts only by themselves). */
  async deleteByAdmin(admin: Viewer, userId: number): Promise<void> {
    if (!admin.isAdmin) throw forbidden("Only admins may delete other accounts");
    const user = await this.#orm.em.fork().findOne(User, { id: userId, deletedAt: null }, { fields: ["id", "username"] });
    if (!user) throw notFound("User");
    if (user.id !== admin.id && this.#isAdmin(user.username)) throw forbidden("Admins' accounts can only be deleted by themselves");
    await this.#delete(admin, userId);
  }

  async #delete(actor: Viewer, userId: number): Promise<void> {
    this.#events.assertReady();
    const fallout = await this.#orm.em.fork().transactional(async (em) => {
      // The lock makes a second, concurrent deletion wait, then find the tombstone and stop.
      const user = await em.findOne(User, { id: userId, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!user) throw notFound("User");
      const out = await removeBelongings(em, userId);
      await em.nativeUpdate(ChatMessage, { user: userId }, { username: DELETED_USER_NAME });
      user.deletedAt = new Date();
      user.email = `deleted-${userId}@deleted.invalid`;
      user.displayName = DELETED_USER_NAME;
      user.passwordHash = "deleted";
      user.mutedUntil = null;
      em.create(ModerationAction, {
        adminId: actor.id,
        adminUsername: actor.username,
        action: "delete_account",
        targetUserId: userId,
      });
      await em.flush();
      return out;
    });
    this.#log(`account ${userId} deleted by ${actor.username} (id ${actor.id}): rooms=${fallout.ownedRooms.length} objects_removed=${fallout.removedObjects.length}`);
    await this.#tellRooms(userId, fallout);
  }

  async #tellRooms(userId: number, fallout: Fallout): Promise<void> {
    await this.#events.publishEach([
      ...fallout.ownedRooms.map((roomId) => [roomId, { type: "room_deleted" }] as const),
      ...fallout.removedObjects.map(({ roomId, objectId, version }) => [roomId, { type: "object_removed", objectId, version }] as const),
      ...fallout.seatRooms.map((roomId) => [roomId, { type: "user_removed", userId, reason: "deleted" }] as const),
    ]);
  }
}

/**
 * Registration calls this when a username is taken by a deleted account: once the reservation is
 * over, the tombstone's username is changed to one no user can pick (`~` is not allowed), freeing
 * the name. Returns whether the name is free now.
 */
export async function releaseExpiredUsername(em: Em, holder: { id: number; deletedAt?: Date | null | undefined }): Promise<boolean> {
  if (!holder.deletedAt || Date.now() - holder.deletedAt.getTime() < USERNAME_RESERVED_DAYS * DAY_MS) return false;
  await em.nativeUpdate(User, { id: holder.id }, { username: `~deleted~${holder.id}` });
  return true;
}

/** Deletes the account's items and rooms the way a room delete does; returns what rooms must hear. */
async function removeBelongings(em: Em, userId: number): Promise<Fallout> {
  const ownedRooms = (await em.find(Room, { owner: userId }, { fields: ["id"] })).map((r) => r.id);
  const owned = new Set(ownedRooms);
  const seats = await em.find(RoomVisit, { user: userId, leftAt: null }, { fields: ["room"] });
  // The removal outranks every write the item had (its version + 1): no later write can exist.
  const deleted = await em.execute<{ id: number; room_id: number | null; version: number }[]>("delete from items where owner_id = ? returning id, room_id, version", [userId]);
  const removedObjects = deleted
    .filter((i) => i.room_id !== null && !owned.has(i.room_id))
    .map((i) => ({ roomId: i.room_id!, objectId: Number(i.id), version: Number(i.version) + 1 }));
  // Roles in other people's rooms end with the account (the row stays for 30 days, its rights do not).
  await em.nativeDelete(RoomMember, { user: userId });
  if (ownedRooms.length) {
    // Other people's objects in the account's rooms go back to their owners, as on a room delete.
    await em.execute(
      `update items set ${takeBackSql()} where room_id in (${ownedRooms.map(() => "?").join(", ")})`,
      ownedRooms,
    );
    await em.nativeDelete(Room, { id: { $in: ownedRooms } });
  }
  const seatRooms = [...new Set(seats.map((s) => s.room))].filter((id) => !owned.has(id));
  return { ownedRooms, removedObjects, seatRooms };
}
