// Rooms that move between servers: export a room as a document, import one as a new room owned by
// the importer. An import is all-or-nothing: one transaction, checked entirely before anything is written.
import { LockMode } from "@mikro-orm/core";
import type { RoomOut } from "../../../shared/src/api.ts";
import type { Floor } from "../../../shared/src/appearance.ts";
import type { BuildPolicy } from "../../../shared/src/rights.ts";
import { MAX_ITEMS_PER_USER, type ItemType, type Rotation } from "../../../shared/src/constants.ts";
import { ROOM_EXPORT_FORMAT, ROOM_EXPORT_VERSION, type ExportedObject, type RoomExport } from "../../../shared/src/room-export.ts";
import { checkPlacement, PLACEMENT_MESSAGES, type PlacedTile } from "../../../shared/src/sim/placement.ts";
import { Item, User } from "../db/entities.ts";
import type { Orm } from "../db/orm.ts";
import { assertCan, type Viewer } from "./access.ts";
import { AppError, conflict } from "./errors.ts";
import { newRoom, type RoomService } from "./rooms.ts";
import { toRoomOut } from "./serializers.ts";

export class RoomTransferService {
  readonly #orm: Orm;
  readonly #rooms: RoomService;

  constructor(orm: Orm, rooms: RoomService) {
    this.#orm = orm;
    this.#rooms = rooms;
  }

  /** The room's fields and objects in placement order (by id), for its owner or an admin. */
  async export(viewer: Viewer, roomId: number): Promise<RoomExport> {
    const em = this.#orm.em.fork();
    const room = await this.#rooms.findVisible(em, viewer, roomId);
    await assertCan(em, viewer, room, "manage_room");
    const items = await em.find(Item, { room: room.id }, { orderBy: { id: "asc" } });
    return {
      format: ROOM_EXPORT_FORMAT,
      version: ROOM_EXPORT_VERSION,
      room: {
        name: room.name,
        description: room.description,
        width: room.width,
        height: room.height,
        max_users: room.maxUsers,
        is_private: room.isPrivate,
        talk_radius: room.talkRadius,
        build_policy: room.buildPolicy as BuildPolicy,
        theme: { floor: room.themeFloor as Floor, wall_color: room.wallColor },
      },
      objects: items.map((i): ExportedObject => ({ type: i.type as ItemType, name: i.name, x: i.x!, y: i.y!, rotation: i.rotation as Rotation })),
    };
  }

  async import(viewer: Viewer, doc: RoomExport): Promise<RoomOut> {
    assertPlaceable(doc);
    return this.#orm.em.fork().transactional(async (em) => {
      // Locking the owner serialises this with their grants, so the item limit holds (as in grant()).
      await em.findOne(User, { id: viewer.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, fields: ["id"] });
      const held = await em.count(Item, { owner: viewer.id });
      if (held + doc.objects.length > MAX_ITEMS_PER_USER) {
        throw conflict(`Importing ${doc.objects.length} objects would exceed your limit of ${MAX_ITEMS_PER_USER} items (you hold ${held})`);
      }
      const room = newRoom(em, viewer.id, doc.room);
      await em.flush();
      for (const o of doc.objects) em.create(Item, { ...o, owner: viewer.id, room: room.id });
      await em.flush();
      return toRoomOut(room, 0);
    });
  }
}

/** The objects must obey the placement rules among themselves, in order; 422 names the first breach. */
function assertPlaceable(doc: RoomExport): void {
  const placed: PlacedTile[] = [];
  for (const [index, o] of doc.objects.entries()) {
    const problem = checkPlacement({ id: -1 - index, type: o.type, x: o.x, y: o.y, rotation: o.rotation }, doc.room, placed, []);
    if (problem) {
      const msg = `${PLACEMENT_MESSAGES[problem]} (object ${index}: ${o.type} at ${o.x},${o.y})`;
      throw new AppError(422, problem, [{ loc: ["body", "objects", index], msg, type: problem }]);
    }
    placed.push({ id: -1 - index, type: o.type, x: o.x, y: o.y, rotation: o.rotation });
  }
}
