// Invite links into a room: long random codes that make their user a member with a role.
// An expired, used-up or revoked code answers exactly like one that never existed.
import { randomBytes } from "node:crypto";
import { LockMode, raw } from "@mikro-orm/core";
import type { RoomOut } from "../../../shared/src/api.ts";
import { INVITE, type InviteOut } from "../../../shared/src/room-sharing.ts";
import type { InviteRole, RoomRole } from "../../../shared/src/rights.ts";
import { Room, RoomInvite, RoomInviteUse } from "../db/entities.ts";
import type { Orm } from "../db/orm.ts";
import { assertCan, roleIn, type Viewer } from "./access.ts";
import { notFound } from "./errors.ts";
import type { MemberService } from "./members.ts";
import { countOnline } from "./online.ts";
import type { Page, RoomService } from "./rooms.ts";
import { toRoomOut } from "./serializers.ts";

export interface AcceptOut {
  room: RoomOut;
  role: RoomRole | "owner";
}

export class InviteService {
  readonly #orm: Orm;
  readonly #rooms: RoomService;
  readonly #members: MemberService;

  constructor(orm: Orm, rooms: RoomService, members: MemberService) {
    this.#orm = orm;
    this.#rooms = rooms;
    this.#members = members;
  }

  async create(
    viewer: Viewer,
    roomId: number,
    input: { role: InviteRole; max_uses?: number | undefined; expires_minutes?: number | undefined },
  ): Promise<InviteOut> {
    const em = this.#orm.em.fork();
    const room = await this.#rooms.findVisible(em, viewer, roomId);
    await assertCan(em, viewer, room, "manage_invites");
    const invite = em.create(RoomInvite, {
      code: randomBytes(INVITE.codeBytes).toString("base64url"),
      room: room.id,
      role: input.role,
      uses: 0,
      maxUses: input.max_uses ?? null,
      expiresAt: input.expires_minutes ? new Date(Date.now() + input.expires_minutes * 60_000) : null,
      createdBy: viewer.id,
    });
    await em.flush();
    return toInviteOut(invite);
  }

  /** The room's invites that still work, newest first. */
  async list(viewer: Viewer, roomId: number, page: { limit: number; offset: number }): Promise<Page<InviteOut>> {
    const em = this.#orm.em.fork();
    const room = await this.#rooms.findVisible(em, viewer, roomId);
    await assertCan(em, viewer, room, "manage_invites");
    const [rows, total] = await em.findAndCount(RoomInvite, { room: roomId, ...usable() }, { orderBy: { id: "desc" }, limit: page.limit, offset: page.offset });
    return { items: rows.map(toInviteOut), total };
  }

  async revoke(viewer: Viewer, roomId: number, code: string): Promise<void> {
    const em = this.#orm.em.fork();
    const room = await this.#rooms.findVisible(em, viewer, roomId);
    await assertCan(em, viewer, room, "manage_invites");
    const changed = await em.nativeUpdate(RoomInvite, { room: roomId, code, revokedAt: null }, { revokedAt: new Date() });
    if (!changed) throw notFound("Invite");
  }

  /**
   * Makes the viewer a member with the invite's role (never lowering a role they have) and counts
   * one use, once per user: the invite row is locked, so concurrent accepts cannot pass max_uses.
   */
  async accept(viewer: Viewer, code: string): Promise<AcceptOut> {
    return this.#orm.em.fork().transactional(async (em) => {
      const invite = await em.findOne(RoomInvite, { code, ...usable() }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!invite) throw notFound("Invite");
      const room = await em.findOneOrFail(Room, { id: invite.room });
      const online = (await countOnline(em, [room.id])).get(room.id) ?? 0;
      if (room.owner === viewer.id) return { room: toRoomOut(room, online), role: "owner" as const };
      if (await em.count(RoomInviteUse, { invite: invite.id, user: viewer.id })) {
        return { room: toRoomOut(room, online), role: (await roleIn(em, room.id, viewer.id)) ?? (invite.role as RoomRole) };
      }
      em.create(RoomInviteUse, { invite: invite.id, user: viewer.id });
      invite.uses += 1;
      await em.flush();
      const role = await this.#members.grantAtLeast(em, room.id, viewer.id, invite.role as RoomRole);
      return { room: toRoomOut(room, online), role };
    });
  }
}

/** Not revoked, not expired, not used up. */
function usable() {
  return {
    revokedAt: null,
    $and: [
      { $or: [{ expiresAt: null }, { expiresAt: { $gt: new Date() } }] },
      { $or: [{ maxUses: null }, { uses: { $lt: raw("max_uses") } }] },
    ],
  };
}

function toInviteOut(row: RoomInvite): InviteOut {
  return {
    code: row.code,
    room_id: row.room,
    role: row.role as InviteRole,
    uses: row.uses,
    max_uses: row.maxUses ?? null,
    expires_at: row.expiresAt ? row.expiresAt.toISOString() : null,
    url: `/invite/${row.code}`,
  };
}
