// Tools: their use on placed objects, and the tool-use log.
import type { ToolLogOut } from "../../../shared/src/api.ts";
import { TOOL_TYPES } from "../../../shared/src/catalog.ts";
import type { Rotation, ToolAction } from "../../../shared/src/constants.ts";
import type { ToolUsedPayload } from "../../../shared/src/protocol.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import { Item, Room, ToolLog, User } from "../db/entities.ts";
import type { Orm } from "../db/orm.ts";
import { memberRoomIds, type Viewer } from "./access.ts";
import { AppError, notFound } from "./errors.ts";
import type { RoomEventBus } from "./events.ts";
import type { ItemService } from "./items.ts";
import type { Page, RoomService } from "./rooms.ts";
import { toToolLogOut } from "./serializers.ts";
import { inspectText, inspectWithTool, PICKUP_RESULT, pickUpWithTool } from "./tool-write.ts";
import { inUnitOfWork, type UnitOfWork } from "./unit-of-work.ts";

export interface ToolUse {
  target_object_id: number;
  action: ToolAction;
  x?: number | undefined;
  y?: number | undefined;
  rotation?: Rotation | undefined;
}

export class ToolService {
  readonly #orm: Orm;
  readonly #rooms: RoomService;
  readonly #items: ItemService;
  readonly #events: RoomEventBus;

  constructor(orm: Orm, rooms: RoomService, items: ItemService, events: RoomEventBus) {
    this.#orm = orm;
    this.#rooms = rooms;
    this.#items = items;
    this.#events = events;
  }

  /**
   * Uses a tool on a placed object in `roomId`. The caller needs a tool in their inventory;
   * move, rotate and pickup follow the same permissions and placement rules as REST. Each
   * successful use is logged in the same transaction as its change, and the log row is what the
   * room broadcasts. A pickup or an inspect is one statement when every rule says yes.
   */
  async use(viewer: Viewer, roomId: number, use: ToolUse, players: Point[]): Promise<ToolUsedPayload> {
    // Every use is told to the room (tool_used): refused before writing while Redis is down.
    this.#events.assertReady();
    const fast = await this.#useInOneStatement(viewer, roomId, use);
    if (fast) return fast;
    return inUnitOfWork(this.#orm, undefined, (uow) => this.#useCarefully(viewer, roomId, use, players, uow));
  }

  async #useInOneStatement(viewer: Viewer, roomId: number, use: ToolUse): Promise<ToolUsedPayload | null> {
    const em = this.#orm.em.fork();
    const used = (id: number, result: string): ToolUsedPayload => ({ id, user_id: viewer.id, target_object_id: use.target_object_id, action: use.action, result });
    if (use.action === "inspect") {
      const logged = await inspectWithTool(em, viewer, roomId, use.target_object_id);
      return logged && used(logged.id, logged.result);
    }
    if (use.action === "pickup") {
      const picked = await pickUpWithTool(em, viewer, roomId, use.target_object_id);
      if (picked === null) return null;
      await this.#events.publish(roomId, { type: "object_removed", objectId: use.target_object_id, version: picked.version });
      return used(picked.logId, PICKUP_RESULT);
    }
    return null;
  }

  /** The use as one transaction that reads what each rule needs, and says which rule refused. */
  async #useCarefully(viewer: Viewer, roomId: number, use: ToolUse, players: Point[], uow: UnitOfWork): Promise<ToolUsedPayload> {
    const { em } = uow;
    const tool = await em.findOne(Item, { owner: viewer.id, room: null, type: { $in: [...TOOL_TYPES] } }, { fields: ["id"] });
    if (!tool) throw new AppError(403, "no_tool", "You need a tool in your inventory to do that");
    const target = await em.findOne(Item, { id: use.target_object_id, room: roomId });
    if (!target) throw notFound("Object");
    let result: string;
    switch (use.action) {
      case "inspect": {
        const owner = await em.findOne(User, { id: target.owner }, { fields: ["username"] });
        result = inspectText(target, owner?.username);
        break;
      }
      case "move": {
        if (use.x === undefined || use.y === undefined) throw new AppError(422, "invalid_payload", "move needs x and y");
        const moved = await this.#items.moveObject(viewer, target.id, { x: use.x, y: use.y }, players, uow);
        result = `moved to (${moved.x}, ${moved.y})`;
        break;
      }
      case "rotate": {
        const rotation = use.rotation ?? ((((target.rotation ?? 0) + 90) % 360) as Rotation);
        await this.#items.moveObject(viewer, target.id, { rotation }, players, uow);
        result = `rotated to ${rotation}`;
        break;
      }
      case "pickup": {
        await this.#items.removeObject(viewer, target.id, uow);
        result = PICKUP_RESULT;
        break;
      }
    }
    // One INSERT … RETURNING, in the transaction of the change it logs.
    const logId = Number(await em.insert(ToolLog, { room: roomId, user: viewer.id, targetObjectId: target.id, action: use.action, result, createdAt: new Date() }));
    return { id: logId, user_id: viewer.id, target_object_id: target.id, action: use.action, result };
  }

  /** Newest first. Without room_id, only rooms the viewer may see are included. */
  async logs(
    viewer: Viewer,
    query: { room_id?: number | undefined; user_id?: number | undefined; limit: number; offset: number },
  ): Promise<Page<ToolLogOut>> {
    const em = this.#orm.em.fork();
    const where: Record<string, unknown> = {};
    if (query.room_id !== undefined) {
      await this.#rooms.findVisible(em, viewer, query.room_id);
      where["room"] = query.room_id;
    } else if (!viewer.isAdmin) {
      const memberOf = await memberRoomIds(em, viewer.id);
      const hidden = await em.find(Room, { isPrivate: true, owner: { $ne: viewer.id }, ...(memberOf.length ? { id: { $nin: memberOf } } : {}) }, { fields: ["id"] });
      if (hidden.length) where["room"] = { $nin: hidden.map((r) => r.id) };
    }
    if (query.user_id !== undefined) where["user"] = query.user_id;
    const [logs, total] = await em.findAndCount(ToolLog, where, { orderBy: { id: "desc" }, limit: query.limit, offset: query.offset });
    return { items: logs.map(toToolLogOut), total };
  }
}
