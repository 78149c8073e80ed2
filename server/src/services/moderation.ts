// Admin moderation: kick, mute, ban, remove any object. Each action is stored (the audit log,
// readable by admins) and logged; its live effect reaches the rooms through the RoomEventBus,
// on whichever process hosts them.
import type { ModerationActionOut, ModerationActionType } from "../../../shared/src/moderation.ts";
import { ModerationAction, Room, RoomVisit, User } from "../db/entities.ts";
import type { Orm } from "../db/orm.ts";
import type { Viewer } from "./access.ts";
import { forbidden, notFound } from "./errors.ts";
import type { RoomEventBus } from "./events.ts";
import type { ItemService } from "./items.ts";
import type { Page } from "./rooms.ts";
import { inUnitOfWork, type UnitOfWork } from "./unit-of-work.ts";

interface Target {
  targetUserId?: number;
  roomId?: number;
  objectId?: number;
  minutes?: number;
  reason?: string | undefined;
}

export class ModerationService {
  readonly #orm: Orm;
  readonly #events: RoomEventBus;
  readonly #items: ItemService;
  readonly #isAdmin: (username: string) => boolean;
  readonly #log: (line: string) => void;

  constructor(orm: Orm, events: RoomEventBus, items: ItemService, isAdmin: (username: string) => boolean, log: (line: string) => void) {
    this.#orm = orm;
    this.#events = events;
    this.#items = items;
    this.#isAdmin = isAdmin;
    this.#log = log;
  }

  /** Closes the user's seat in the room; they may join again. 404 unless they are in it now. */
  async kick(admin: Viewer, roomId: number, userId: number, reason?: string): Promise<ModerationActionOut> {
    assertAdmin(admin);
    this.#events.assertReady();
    const em = this.#orm.em.fork();
    if (!(await em.count(Room, { id: roomId }))) throw notFound("Room");
    if (!(await em.count(RoomVisit, { room: roomId, user: userId, leftAt: null }))) throw notFound("User in this room");
    await this.#events.publish(roomId, { type: "user_removed", userId, reason: "kicked" });
    return this.#record(admin, "kick", { targetUserId: userId, roomId, reason });
  }

  async mute(admin: Viewer, userId: number, minutes: number, reason?: string): Promise<ModerationActionOut> {
    await this.#target(admin, userId);
    await this.#orm.em.fork().nativeUpdate(User, { id: userId }, { mutedUntil: new Date(Date.now() + minutes * 60_000) });
    return this.#record(admin, "mute", { targetUserId: userId, minutes, reason });
  }

  async unmute(admin: Viewer, userId: number, reason?: string): Promise<ModerationActionOut> {
    await this.#target(admin, userId);
    await this.#orm.em.fork().nativeUpdate(User, { id: userId }, { mutedUntil: null });
    return this.#record(admin, "unmute", { targetUserId: userId, reason });
  }

  /** The account's tokens stop working at once, and its live seats are closed. */
  async ban(admin: Viewer, userId: number, reason?: string): Promise<ModerationActionOut> {
    await this.#target(admin, userId);
    this.#events.assertReady();
    // The ban and its record commit together; then every room with a seat of theirs is told, each
    // tried even if another fails (a failure still reaches the admin as 503, with the ban recorded).
    return inUnitOfWork(this.#orm, undefined, async (uow) => {
      await uow.em.nativeUpdate(User, { id: userId, bannedAt: null }, { bannedAt: new Date() });
      const seats = await uow.em.find(RoomVisit, { user: userId, leftAt: null }, { fields: ["room"] });
      const rooms = [...new Set(seats.map((s) => s.room))];
      const out = await this.#record(admin, "ban", { targetUserId: userId, reason }, uow);
      // After the record's log line: a failed publish must not swallow it.
      uow.afterCommit(() => this.#events.publishEach(rooms.map((roomId) => [roomId, { type: "user_removed", userId, reason: "banned" }] as const)));
      return out;
    });
  }

  async unban(admin: Viewer, userId: number, reason?: string): Promise<ModerationActionOut> {
    await this.#target(admin, userId);
    await this.#orm.em.fork().nativeUpdate(User, { id: userId }, { bannedAt: null });
    return this.#record(admin, "unban", { targetUserId: userId, reason });
  }

  /**
   * Any placed object goes back to its owner's inventory (the live room drops it), with its audit
   * entry in the same transaction: no removal without its entry, no entry without the removal.
   */
  async removeObject(admin: Viewer, objectId: number, reason?: string): Promise<ModerationActionOut> {
    assertAdmin(admin);
    return inUnitOfWork(this.#orm, undefined, async (uow) => {
      const before = await this.#items.getObject(admin, objectId, uow);
      await this.#items.removeObject(admin, objectId, uow);
      return this.#record(admin, "remove_object", { targetUserId: before.owner_id, roomId: before.room_id ?? undefined, objectId, reason }, uow);
    });
  }

  async actions(admin: Viewer, query: { user_id?: number | undefined; limit: number; offset: number }): Promise<Page<ModerationActionOut>> {
    assertAdmin(admin);
    const where = query.user_id !== undefined ? { targetUserId: query.user_id } : {};
    const [rows, total] = await this.#orm.em
      .fork()
      .findAndCount(ModerationAction, where, { orderBy: { id: "desc" }, limit: query.limit, offset: query.offset });
    return { items: rows.map(toActionOut), total };
  }

  /** The target must exist, and admins are not muted or banned (by each other or themselves). */
  async #target(admin: Viewer, userId: number): Promise<void> {
    assertAdmin(admin);
    const user = await this.#orm.em.fork().findOne(User, { id: userId }, { fields: ["id", "username"] });
    if (!user) throw notFound("User");
    if (this.#isAdmin(user.username)) throw forbidden("Admins cannot be muted or banned");
  }

  /** The audit entries about one room, newest first (moderation by that room's people and by admins). */
  async roomLog(roomId: number, page: { limit: number; offset: number }): Promise<Page<ModerationActionOut>> {
    const [rows, total] = await this.#orm.em
      .fork()
      .findAndCount(ModerationAction, { roomId }, { orderBy: { id: "desc" }, limit: page.limit, offset: page.offset });
    return { items: rows.map(toActionOut), total };
  }

  /** Writes one audit entry (also for moderation by a room's owner or moderators) and logs it. */
  record(actor: Viewer, action: ModerationActionType, t: Target, uow?: UnitOfWork): Promise<ModerationActionOut> {
    return this.#record(actor, action, t, uow);
  }

  async #record(admin: Viewer, action: ModerationActionType, t: Target, uow?: UnitOfWork): Promise<ModerationActionOut> {
    const em = uow?.em ?? this.#orm.em.fork();
    const row = em.create(ModerationAction, {
      adminId: admin.id,
      adminUsername: admin.username,
      action,
      targetUserId: t.targetUserId ?? null,
      roomId: t.roomId ?? null,
      objectId: t.objectId ?? null,
      minutes: t.minutes ?? null,
      reason: t.reason ?? null,
    });
    await em.flush();
    const out = toActionOut(row);
    // The reason is free text from an admin: it stays in the database, not in the log line.
    const line = `moderation ${action} by ${admin.username} (id ${admin.id}): user=${out.target_user_id ?? "-"} room=${out.room_id ?? "-"} object=${out.object_id ?? "-"} minutes=${out.minutes ?? "-"} action_id=${out.id}`;
    if (uow) uow.afterCommit(() => this.#log(line));
    else this.#log(line);
    return out;
  }
}

function assertAdmin(viewer: Viewer): void {
  if (!viewer.isAdmin) throw forbidden("Only admins may moderate");
}

function toActionOut(row: ModerationAction): ModerationActionOut {
  return {
    id: row.id,
    admin_id: row.adminId,
    admin_username: row.adminUsername,
    action: row.action as ModerationActionType,
    target_user_id: row.targetUserId ?? null,
    room_id: row.roomId ?? null,
    object_id: row.objectId ?? null,
    minutes: row.minutes ?? null,
    reason: row.reason ?? null,
    created_at: row.createdAt.toISOString(),
  };
}
