// Moderation by a room's owner, its moderators and admins: kick, mute, ban in that room only.
// Rows are the truth (room_sanctions); live effects reach the room through the RoomEventBus, on
// whichever process hosts it; every action lands in the moderation audit log with the room id.
import type { ModerationActionOut } from "../../../shared/src/moderation.ts";
import type { RoomBanOut } from "../../../shared/src/room-sharing.ts";
import { canActOn } from "../../../shared/src/rights.ts";
import { ModerationAction, RoomSanction, RoomVisit, User } from "../db/entities.ts";
import type { Em, Orm } from "../db/orm.ts";
import { assertCan, type Viewer } from "./access.ts";
import { forbidden, notFound } from "./errors.ts";
import type { RoomEventBus } from "./events.ts";
import type { MemberService, Subject } from "./members.ts";
import type { ModerationService } from "./moderation.ts";
import type { Page } from "./rooms.ts";
import type { SanctionKind } from "./sanctions.ts";
import { inUnitOfWork } from "./unit-of-work.ts";

export class RoomModerationService {
  readonly #orm: Orm;
  readonly #events: RoomEventBus;
  readonly #members: MemberService;
  readonly #audit: ModerationService;

  constructor(orm: Orm, events: RoomEventBus, members: MemberService, audit: ModerationService) {
    this.#orm = orm;
    this.#events = events;
    this.#members = members;
    this.#audit = audit;
  }

  /** Closes the user's seat (4005); they may join again. 404 unless they are in the room now. */
  async kick(viewer: Viewer, roomId: number, userId: number): Promise<ModerationActionOut> {
    this.#events.assertReady();
    const em = this.#orm.em.fork();
    await this.#target(em, viewer, roomId, userId);
    if (!(await em.count(RoomVisit, { room: roomId, user: userId, leftAt: null }))) throw notFound("User in this room");
    await this.#events.publish(roomId, { type: "user_removed", userId, reason: "kicked", scope: "room" });
    return this.#audit.record(viewer, "kick", { targetUserId: userId, roomId });
  }

  // A sanction and its audit entry are one unit of work: neither is written without the other.
  async mute(viewer: Viewer, roomId: number, userId: number, minutes: number): Promise<ModerationActionOut> {
    return inUnitOfWork(this.#orm, undefined, async (uow) => {
      await this.#target(uow.em, viewer, roomId, userId);
      await this.#sanction(uow.em, viewer, roomId, userId, "mute", minutes);
      return this.#audit.record(viewer, "mute", { targetUserId: userId, roomId, minutes }, uow);
    });
  }

  /** Closes the user's seat (4006); joining answers 403 `banned` until the ban ends or is lifted. */
  async ban(viewer: Viewer, roomId: number, userId: number, minutes?: number): Promise<ModerationActionOut> {
    this.#events.assertReady();
    return inUnitOfWork(this.#orm, undefined, async (uow) => {
      await this.#target(uow.em, viewer, roomId, userId);
      await this.#sanction(uow.em, viewer, roomId, userId, "ban", minutes);
      uow.afterCommit(() => this.#events.publish(roomId, { type: "user_removed", userId, reason: "banned", scope: "room" }));
      return this.#audit.record(viewer, "ban", { targetUserId: userId, roomId, ...(minutes ? { minutes } : {}) }, uow);
    });
  }

  async lift(viewer: Viewer, roomId: number, userId: number, kind: SanctionKind): Promise<void> {
    await inUnitOfWork(this.#orm, undefined, async (uow) => {
      await this.#target(uow.em, viewer, roomId, userId);
      const deleted = await uow.em.nativeDelete(RoomSanction, { room: roomId, user: userId, kind });
      if (!deleted) throw notFound(kind === "ban" ? "Ban" : "Mute");
      await this.#audit.record(viewer, kind === "ban" ? "unban" : "unmute", { targetUserId: userId, roomId }, uow);
    });
  }

  /** Bans in force, newest first. */
  async bans(viewer: Viewer, roomId: number, page: { limit: number; offset: number }): Promise<Page<RoomBanOut>> {
    const em = this.#orm.em.fork();
    await this.#moderator(em, viewer, roomId);
    const [rows, total] = await em.findAndCount(
      RoomSanction,
      { room: roomId, kind: "ban", $or: [{ until: null }, { until: { $gt: new Date() } }] },
      { orderBy: { id: "desc" }, limit: page.limit, offset: page.offset },
    );
    const users = await em.find(User, { id: { $in: rows.map((r) => r.user) } }, { fields: ["id", "username"] });
    const names = new Map(users.map((u) => [u.id, u.username]));
    return {
      items: rows.map((r) => ({
        user_id: r.user,
        username: names.get(r.user) ?? "",
        until: r.until ? r.until.toISOString() : null,
        created_at: r.createdAt.toISOString(),
      })),
      total,
    };
  }

  async log(viewer: Viewer, roomId: number, page: { limit: number; offset: number }): Promise<Page<ModerationActionOut>> {
    const em = this.#orm.em.fork();
    await this.#moderator(em, viewer, roomId);
    return this.#audit.roomLog(roomId, page);
  }

  async #moderator(em: Em, viewer: Viewer, roomId: number) {
    const ctx = await this.#members.context(em, viewer, roomId);
    await assertCan(em, viewer, ctx.room, "moderate");
    return ctx;
  }

  /** Nobody acts on the owner or an admin, and a moderator not on another moderator. */
  async #target(em: Em, viewer: Viewer, roomId: number, userId: number): Promise<Subject> {
    const { room, standing } = await this.#moderator(em, viewer, roomId);
    const target = await this.#members.subject(em, room, userId);
    if (!canActOn(standing, target.standing)) throw forbidden("You may not act on this person in this room");
    return target;
  }

  async #sanction(em: Em, viewer: Viewer, roomId: number, userId: number, kind: SanctionKind, minutes?: number): Promise<void> {
    const until = minutes ? new Date(Date.now() + minutes * 60_000) : null;
    await em
      .createQueryBuilder(RoomSanction)
      .insert({ room: roomId, user: userId, kind, until, byUserId: viewer.id, createdAt: new Date() })
      .onConflict(["room", "user", "kind"])
      .merge(["until", "byUserId", "createdAt"])
      .execute();
  }
}
