// Stored rooms: listing with live online counts, creation, changes by owners and admins.
import type { z } from "zod";
import type { CreateRoomBody, ItemOut, RoomOut, UpdateRoomBody } from "../../../shared/src/api.ts";
import { DEFAULT_THEME } from "../../../shared/src/appearance.ts";
import { tileInsideRoom } from "../../../shared/src/sim/placement.ts";
import { Item, Room } from "../db/entities.ts";
import type { Em, Orm } from "../db/orm.ts";
import { assertCan, assertCanSeeRoom, memberRoomIds, type Viewer } from "./access.ts";
import { escapeLike } from "./accounts.ts";
import { conflict } from "./errors.ts";
import type { RoomEventBus } from "./events.ts";
import { countOnline } from "./online.ts";
import { takeBackSql } from "./placement-write.ts";
import { assertNotBanned } from "./sanctions.ts";
import { toItemOut, toRoomOut } from "./serializers.ts";

export interface Page<T> {
  items: T[];
  total: number;
}

export class RoomService {
  readonly #orm: Orm;
  readonly #events: RoomEventBus;

  constructor(orm: Orm, events: RoomEventBus) {
    this.#orm = orm;
    this.#events = events;
  }

  async list(viewer: Viewer, query: { q?: string | undefined; limit: number; offset: number }): Promise<Page<RoomOut>> {
    const em = this.#orm.em.fork();
    const where: Record<string, unknown>[] = [];
    if (!viewer.isAdmin) {
      const memberOf = await memberRoomIds(em, viewer.id);
      where.push({ $or: [{ isPrivate: false }, { owner: viewer.id }, ...(memberOf.length ? [{ id: { $in: memberOf } }] : [])] });
    }
    if (query.q) {
      const pattern = `%${escapeLike(query.q)}%`;
      where.push({ $or: [{ name: { $ilike: pattern } }, { description: { $ilike: pattern } }] });
    }
    const [rooms, total] = await em.findAndCount(Room, where.length ? { $and: where } : {}, {
      orderBy: { id: "asc" },
      limit: query.limit,
      offset: query.offset,
    });
    const online = await countOnline(em, rooms.map((r) => r.id));
    return { items: rooms.map((r) => toRoomOut(r, online.get(r.id) ?? 0)), total };
  }

  async create(viewer: Viewer, input: z.output<typeof CreateRoomBody>): Promise<RoomOut> {
    const em = this.#orm.em.fork();
    const room = newRoom(em, viewer.id, input);
    await em.flush();
    return toRoomOut(room, 0);
  }

  /** The room if the viewer may see it, else 404. Used by every service that takes a room id. */
  async findVisible(em: Em, viewer: Viewer, roomId: number): Promise<Room> {
    return assertCanSeeRoom(em, viewer, await em.findOne(Room, { id: roomId }));
  }

  /** Refuses a join: 404 when the room is hidden or gone, 403 `banned` while a room ban lasts. */
  async assertJoinable(viewer: Viewer, roomId: number): Promise<void> {
    const em = this.#orm.em.fork();
    // Only the access columns: onCreate loads the whole room (and its objects) once, when needed.
    const room = await em.findOne(Room, { id: roomId }, { fields: ["id", "owner", "isPrivate", "buildPolicy"] });
    await assertCanSeeRoom(em, viewer, room);
    await assertNotBanned(em, roomId, viewer.id);
  }

  /** The stored room alone (one query), for checks before a join. */
  async findById(roomId: number): Promise<Room | null> {
    return this.#orm.em.fork().findOne(Room, { id: roomId });
  }

  /**
   * What a live room loads when it starts (and reloads after an outage): the stored room, its placed
   * objects, and each object's version (see projection.ts `versions`).
   */
  async liveSnapshot(roomId: number): Promise<{ room: Room; objects: ItemOut[]; versions: Map<number, number> } | null> {
    const em = this.#orm.em.fork();
    const room = await em.findOne(Room, { id: roomId });
    if (!room) return null;
    const objects = await em.find(Item, { room: roomId }, { orderBy: { id: "asc" } });
    return { room, objects: objects.map(toItemOut), versions: new Map(objects.map((o) => [o.id, o.version])) };
  }

  async get(viewer: Viewer, roomId: number): Promise<RoomOut> {
    const em = this.#orm.em.fork();
    const room = await this.findVisible(em, viewer, roomId);
    return toRoomOut(room, (await countOnline(em, [room.id])).get(room.id) ?? 0);
  }

  async update(viewer: Viewer, roomId: number, patch: z.output<typeof UpdateRoomBody>): Promise<RoomOut> {
    this.#events.assertReady();
    const out = await this.#orm.em.fork().transactional(async (em) => {
      const room = await this.findVisible(em, viewer, roomId);
      await assertCan(em, viewer, room, "manage_room");
      const size = { width: patch.width ?? room.width, height: patch.height ?? room.height };
      if (size.width < room.width || size.height < room.height) {
        const placed = await em.find(Item, { room: room.id }, { fields: ["id", "type", "x", "y", "rotation"] });
        const outside = placed.filter((o) => !tileInsideRoom({ type: o.type, x: o.x!, y: o.y!, rotation: o.rotation ?? 0 }, size));
        if (outside.length) throw conflict(`${outside.length} placed object(s) would be outside the smaller room; move them first`);
      }
      if (patch.name !== undefined) room.name = patch.name;
      if (patch.description !== undefined) room.description = patch.description;
      if (patch.max_users !== undefined) room.maxUsers = patch.max_users;
      if (patch.theme?.floor !== undefined) room.themeFloor = patch.theme.floor;
      if (patch.theme?.wall_color !== undefined) room.wallColor = patch.theme.wall_color.toLowerCase();
      if (patch.talk_radius !== undefined) room.talkRadius = patch.talk_radius;
      if (patch.is_private !== undefined) room.isPrivate = patch.is_private;
      if (patch.build_policy !== undefined) room.buildPolicy = patch.build_policy;
      room.width = size.width;
      room.height = size.height;
      await em.flush();
      return toRoomOut(room, (await countOnline(em, [room.id])).get(room.id) ?? 0);
    });
    await this.#events.publish(roomId, { type: "room_updated", room: out });
    return out;
  }

  /** Deletes the room; its placed objects go back to their owners' inventories, never lost. */
  async delete(viewer: Viewer, roomId: number): Promise<void> {
    this.#events.assertReady();
    await this.#orm.em.fork().transactional(async (em) => {
      const room = await this.findVisible(em, viewer, roomId);
      await assertCan(em, viewer, room, "manage_room");
      await em.execute(`update items set ${takeBackSql()} where room_id = ?`, [room.id]);
      await em.nativeDelete(Room, { id: room.id });
    });
    await this.#events.publish(roomId, { type: "room_deleted" });
  }
}

/** A new room owned by `ownerId` (not yet flushed): the one place a room's fields are set from input. */
export function newRoom(em: Em, ownerId: number, input: z.output<typeof CreateRoomBody>): Room {
  return em.create(Room, {
    name: input.name,
    description: input.description,
    owner: ownerId,
    width: input.width,
    height: input.height,
    maxUsers: input.max_users,
    talkRadius: input.talk_radius,
    isPrivate: input.is_private,
    buildPolicy: input.build_policy,
    themeFloor: input.theme?.floor ?? DEFAULT_THEME.floor,
    wallColor: (input.theme?.wall_color ?? DEFAULT_THEME.wall_color).toLowerCase(),
  });
}
