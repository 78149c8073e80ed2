// Items: one row each, in exactly one place — an owner's inventory or a room. Every move between
// the two is a single conditional update, so concurrent or replayed requests apply once.
import { LockMode } from "@mikro-orm/core";
import type { ItemOut } from "../../../shared/src/api.ts";
import { CATALOG } from "../../../shared/src/catalog.ts";
import { unplaced } from "../../../shared/src/placed-object.ts";
import { MAX_ITEMS_PER_USER, type ItemType, type Rotation } from "../../../shared/src/constants.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import { checkPlacement, PLACEMENT_MESSAGES, type PlacedTile } from "../../../shared/src/sim/placement.ts";
import { Item, Room, RoomVisit, User } from "../db/entities.ts";
import type { Em, Orm } from "../db/orm.ts";
import { assertCan, assertCanChangeObject, assertCanSeeRoom, type Viewer } from "./access.ts";
import { AppError, conflict, notFound } from "./errors.ts";
import type { RoomEventBus } from "./events.ts";
import { pickUpInOneStatement, placeInOneStatement, takeBackSql, type Written } from "./placement-write.ts";
import type { Page, RoomService } from "./rooms.ts";
import { toItemOut } from "./serializers.ts";
import { inUnitOfWork, unitOrAutocommit, type UnitOfWork } from "./unit-of-work.ts";


export interface Placement {
  x: number;
  y: number;
  rotation: Rotation;
}

export class ItemService {
  readonly #orm: Orm;
  readonly #rooms: RoomService;
  readonly #events: RoomEventBus;
  /** Test-only (Config.unguardedPlacement): place without the exactly-once guard. */
  readonly #unguarded: boolean;

  constructor(orm: Orm, rooms: RoomService, events: RoomEventBus, options: { unguarded?: boolean } = {}) {
    this.#orm = orm;
    this.#rooms = rooms;
    this.#events = events;
    this.#unguarded = options.unguarded ?? false;
  }

  async inventory(viewer: Viewer, page: { limit: number; offset: number }): Promise<Page<ItemOut>> {
    const [items, total] = await this.#orm.em
      .fork()
      .findAndCount(Item, { owner: viewer.id, room: null }, { orderBy: { id: "asc" }, limit: page.limit, offset: page.offset });
    return { items: items.map(toItemOut), total };
  }

  async grant(viewer: Viewer, input: { type: ItemType; name?: string | undefined }): Promise<ItemOut> {
    return this.#orm.em.fork().transactional(async (em) => {
      // Locking the owner serialises their grants, so concurrent ones cannot pass the cap together.
      await em.findOne(User, { id: viewer.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ["id"] });
      if ((await em.count(Item, { owner: viewer.id })) >= MAX_ITEMS_PER_USER) {
        throw conflict(`You already have ${MAX_ITEMS_PER_USER} items; discard some first`);
      }
      const item = em.create(Item, { type: input.type, name: input.name ?? CATALOG[input.type].defaultName, owner: viewer.id });
      await em.flush();
      return toItemOut(item);
    });
  }

  async discard(viewer: Viewer, itemId: number): Promise<void> {
    const em = this.#orm.em.fork();
    const deleted = await em.nativeDelete(Item, { id: itemId, owner: viewer.id, room: null });
    if (deleted === 1) return;
    const item = await em.findOne(Item, { id: itemId, owner: viewer.id });
    if (item) throw new AppError(409, "already_placed", `Item ${itemId} is placed in room ${item.room}; pick it up first`);
    throw notFound("Item");
  }

  async listObjects(viewer: Viewer, query: { room_id?: number | undefined; limit: number; offset: number }): Promise<Page<ItemOut>> {
    const em = this.#orm.em.fork();
    const where = query.room_id !== undefined
      ? (await this.#rooms.findVisible(em, viewer, query.room_id), { room: query.room_id })
      : { owner: viewer.id, room: { $ne: null } };
    const [items, total] = await em.findAndCount(Item, where, { orderBy: { id: "asc" }, limit: query.limit, offset: query.offset });
    return { items: items.map(toItemOut), total };
  }

  async getObject(viewer: Viewer, objectId: number, uow?: UnitOfWork): Promise<ItemOut> {
    const em = uow?.em ?? this.#orm.em.fork();
    const item = await em.findOne(Item, { id: objectId, room: { $ne: null } });
    if (!item) throw notFound("Object");
    await this.#visibleRoomOf(em, viewer, item);
    return toItemOut(item);
  }

  async #visibleRoomOf(em: Em, viewer: Viewer, item: Item, lock = false): Promise<Room> {
    const room = await em.findOne(Room, { id: item.room! }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    try {
      return await assertCanSeeRoom(em, viewer, room);
    } catch {
      throw notFound("Object");
    }
  }

  /**
   * Moves or rotates a placed object, under the same placement rules as placing it. In the
   * caller's unit of work when given one (the room hears of it once that commits).
   */
  async moveObject(viewer: Viewer, objectId: number, patch: Partial<Placement>, players?: Point[], uow?: UnitOfWork): Promise<ItemOut> {
    this.#events.assertReady();
    return inUnitOfWork(this.#orm, uow, async ({ em, afterCommit }) => {
      const item = await em.findOne(Item, { id: objectId, room: { $ne: null } });
      if (!item) throw notFound("Object");
      // Locking the room serialises placements in it, so two moves cannot both pass the overlap check.
      const room = await this.#visibleRoomOf(em, viewer, item, true);
      await assertCanChangeObject(em, viewer, item.owner, room, "move");
      const rotation = patch.rotation ?? ((item.rotation ?? 0) as Rotation);
      const target = { id: item.id, type: item.type as ItemType, x: patch.x ?? item.x!, y: patch.y ?? item.y!, rotation };
      await this.#assertPlaceable(em, room, target, players);
      // Conditional on the item still being in the room: a pickup does not lock the room, and may
      // have taken it back since it was read.
      const [moved] = await em.execute<{ version: number }[]>(
        "update items set x = ?, y = ?, rotation = ?, version = version + 1 where id = ? and room_id = ? returning version",
        [target.x, target.y, target.rotation, item.id, room.id],
      );
      if (!moved) throw notFound("Object");
      const out = toItemOut({ ...item, x: target.x, y: target.y, rotation: target.rotation } as Item);
      afterCommit(() => this.#events.publish(room.id, { type: "object_updated", object: out, version: Number(moved.version) }));
      return out;
    });
  }

  /** Takes a placed object back into its owner's inventory (in the caller's unit of work when given one). */
  async removeObject(viewer: Viewer, objectId: number, outer?: UnitOfWork): Promise<ItemOut> {
    this.#events.assertReady();
    // Its one write is a single conditional update (on either path): it needs no transaction of its own.
    const { uow, done } = unitOrAutocommit(this.#orm, outer);
    const out = await this.#pickUp(viewer, objectId, uow);
    await done();
    return out;
  }

  async #pickUp(viewer: Viewer, objectId: number, { em, afterCommit }: UnitOfWork): Promise<ItemOut> {
    const picked = await pickUpInOneStatement(em, viewer, objectId);
    if (picked) {
      afterCommit(() => this.#events.publish(picked.roomId, { type: "object_removed", objectId, version: picked.version }));
      return picked.item;
    }
    // Refused, or not placed: the careful path says which.
    const item = await em.findOne(Item, { id: objectId, room: { $ne: null } });
    if (!item) throw notFound("Object");
    const room = await this.#visibleRoomOf(em, viewer, item);
    await assertCanChangeObject(em, viewer, item.owner, room, "pickup");
    const [taken] = await em.execute<{ version: number }[]>(
      `update items set ${takeBackSql()} where id = ? and room_id = ? returning version`,
      [item.id, room.id],
    );
    if (!taken) throw notFound("Object"); // someone else took it back first
    afterCommit(() => this.#events.publish(room.id, { type: "object_removed", objectId: item.id, version: Number(taken.version) }));
    return unplaced(toItemOut(item));
  }

  /**
   * Places an item from the viewer's inventory into a room, exactly once: the conditional update
   * only matches while the item is still unplaced and owned by the viewer.
   */
  async place(viewer: Viewer, itemId: number, roomId: number, at: Placement, players?: Point[]): Promise<ItemOut> {
    this.#events.assertReady();
    const placed = (await this.#placeFast(viewer, itemId, roomId, at)) ?? (await this.#placeCarefully(viewer, itemId, roomId, at, players));
    await this.#events.publish(roomId, { type: "object_placed", object: placed.item, version: placed.version });
    return placed.item;
  }

  /**
   * One round trip, the common case: an item that blocks nothing needs no look at the others or at
   * the people. Null when a rule refused or the item is not a candidate; the careful path then decides.
   */
  #placeFast(viewer: Viewer, itemId: number, roomId: number, at: Placement): Promise<Written<ItemOut> | null> {
    return placeInOneStatement(this.#orm.em.fork(), { viewer, itemId, roomId, at, guarded: !this.#unguarded });
  }

  /** The placement as one transaction that locks the room and reads what each rule needs. */
  async #placeCarefully(viewer: Viewer, itemId: number, roomId: number, at: Placement, players?: Point[]): Promise<Written<ItemOut>> {
    return this.#orm.em.fork().transactional(async (em) => {
      const room = await em.findOne(Room, { id: roomId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      await assertCanSeeRoom(em, viewer, room);
      await assertCan(em, viewer, room!, "build");
      const item = await em.findOne(Item, { id: itemId, owner: viewer.id });
      if (!item) throw new AppError(404, "not_in_inventory", `Item ${itemId} is not in your inventory`);
      const placed = item.room !== null && item.room !== undefined;
      if (placed && !this.#unguarded) throw new AppError(409, "already_placed", `Item ${itemId} is already placed`);
      await this.#assertPlaceable(em, room!, { id: item.id, type: item.type as ItemType, x: at.x, y: at.y, rotation: at.rotation }, players);
      const guard = this.#unguarded ? "" : "and room_id is null";
      const [written] = await em.execute<{ version: number }[]>(
        `update items set room_id = ?, x = ?, y = ?, rotation = ?, version = version + 1 where id = ? and owner_id = ? ${guard} returning version`,
        [roomId, at.x, at.y, at.rotation, itemId, viewer.id],
      );
      if (!written) throw new AppError(409, "already_placed", `Item ${itemId} is already placed`);
      return { item: toItemOut({ ...item, room: roomId, ...at } as Item), version: Number(written.version) };
    });
  }

  async #assertPlaceable(em: Em, room: Room, target: PlacedTile, players?: Point[]): Promise<void> {
    const others = await em.find(Item, { room: room.id }, { fields: ["id", "type", "x", "y", "rotation"] });
    const people = players ?? (await em.find(RoomVisit, { room: room.id, leftAt: null }, { fields: ["x", "y"] }));
    const problem = checkPlacement(
      target,
      room,
      others.map((o) => ({ id: o.id, type: o.type as ItemType, x: o.x!, y: o.y!, rotation: o.rotation ?? 0 })),
      people,
    );
    if (problem) throw new AppError(problem === "out_of_bounds" ? 400 : 409, problem, PLACEMENT_MESSAGES[problem]);
  }
}
