// Per-room roles: who is a member, builder or moderator of a room, and who may change that.
import type { MemberOut } from "../../../shared/src/room-sharing.ts";
import { canActOn, canGrant, standingOf, strongerRole, type RoomRole, type Standing } from "../../../shared/src/rights.ts";
import { Room, RoomMember, User } from "../db/entities.ts";
import type { Em, Orm } from "../db/orm.ts";
import { assertCanSeeRoom, rightsRoom, roleIn, type Viewer } from "./access.ts";
import { forbidden, notFound } from "./errors.ts";
import type { Page } from "./rooms.ts";

/** Someone an action is about, with their standing in the room. */
export interface Subject {
  user: Pick<User, "id" | "username" | "displayName">;
  role: RoomRole | null;
  standing: Standing;
}

export class MemberService {
  readonly #orm: Orm;
  readonly #isAdmin: (username: string) => boolean;

  constructor(orm: Orm, isAdmin: (username: string) => boolean) {
    this.#orm = orm;
    this.#isAdmin = isAdmin;
  }

  /** The room (404 unless the viewer may see it) and the viewer's standing in it. */
  async context(em: Em, viewer: Viewer, roomId: number): Promise<{ room: Room; standing: Standing }> {
    const room = await assertCanSeeRoom(em, viewer, await em.findOne(Room, { id: roomId }));
    return { room, standing: standingOf(viewer, rightsRoom(room), await roleIn(em, room.id, viewer.id)) };
  }

  /** The target user (404 if there is none) and their standing in the room. */
  async subject(em: Em, room: Room, userId: number): Promise<Subject> {
    const user = await em.findOne(User, { id: userId }, { fields: ["id", "username", "displayName"] });
    if (!user) throw notFound("User");
    const role = await roleIn(em, room.id, user.id);
    return { user, role, standing: standingOf({ id: user.id, isAdmin: this.#isAdmin(user.username) }, rightsRoom(room), role) };
  }

  async list(viewer: Viewer, roomId: number, page: { limit: number; offset: number }): Promise<Page<MemberOut>> {
    const em = this.#orm.em.fork();
    await this.context(em, viewer, roomId);
    const [rows, total] = await em.findAndCount(RoomMember, { room: roomId }, { orderBy: { id: "asc" }, limit: page.limit, offset: page.offset });
    const users = await em.find(User, { id: { $in: rows.map((r) => r.user) } }, { fields: ["id", "username", "displayName"] });
    const byId = new Map(users.map((u) => [u.id, u]));
    return { items: rows.map((r) => toMemberOut(r, byId.get(r.user)!)), total };
  }

  /** Gives a role (owner or admin; moderators add or change members and builders only). */
  async put(viewer: Viewer, roomId: number, userId: number, role: RoomRole): Promise<MemberOut> {
    const em = this.#orm.em.fork();
    const { room, standing } = await this.context(em, viewer, roomId);
    const target = await this.subject(em, room, userId);
    const mayChange = target.role === null ? target.standing === "none" : canActOn(standing, target.standing);
    if (!canGrant(standing, role) || !mayChange) throw forbidden("You may not give this person that role in this room");
    const changed = await em.nativeUpdate(RoomMember, { room: roomId, user: userId }, { role });
    if (!changed) await this.#insert(em, roomId, userId, role, true);
    const row = await em.findOneOrFail(RoomMember, { room: roomId, user: userId }, { refresh: true });
    return toMemberOut(row, target.user);
  }

  /** Removes a role: same rights as giving it, or the member themself leaving. */
  async remove(viewer: Viewer, roomId: number, userId: number): Promise<void> {
    const em = this.#orm.em.fork();
    const { room, standing } = await this.context(em, viewer, roomId);
    const target = await this.subject(em, room, userId);
    if (!target.role) throw notFound("Member");
    const self = userId === viewer.id;
    if (!self && !(canGrant(standing, target.role) && canActOn(standing, target.standing))) {
      throw forbidden("You may not remove this member");
    }
    await em.nativeDelete(RoomMember, { room: roomId, user: userId });
  }

  /** Makes the user a member with `role`, or raises their role to it; never lowers it. */
  async grantAtLeast(em: Em, roomId: number, userId: number, role: RoomRole): Promise<RoomRole> {
    const current = await roleIn(em, roomId, userId);
    if (current === null) {
      await this.#insert(em, roomId, userId, role, false);
      return (await roleIn(em, roomId, userId)) ?? role;
    }
    const next = strongerRole(current, role);
    if (next !== current) await em.nativeUpdate(RoomMember, { room: roomId, user: userId }, { role: next });
    return next;
  }

  /** Inserts the row; if a concurrent insert of the pair came first, `overwrite` says whose role stays. */
  async #insert(em: Em, roomId: number, userId: number, role: RoomRole, overwrite: boolean): Promise<void> {
    const qb = em
      .createQueryBuilder(RoomMember)
      .insert({ room: roomId, user: userId, role, addedAt: new Date() })
      .onConflict(["room", "user"]);
    await (overwrite ? qb.merge(["role"]) : qb.ignore()).execute();
  }
}

function toMemberOut(row: RoomMember, user: Pick<User, "username" | "displayName">): MemberOut {
  return {
    user_id: row.user,
    username: user.username,
    display_name: user.displayName,
    role: row.role as RoomRole,
    added_at: row.addedAt.toISOString(),
  };
}
