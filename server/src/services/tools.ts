// The tool-use log.
import type { ToolLogOut } from "../../../shared/src/api.ts";
import { TOOL_TYPES } from "../../../shared/src/catalog.ts";
import type { Rotation, ToolAction } from "../../../shared/src/constants.ts";
import type { ToolUsedPayload } from "../../../shared/src/protocol.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import { Item, Room, ToolLog, User } from "../db/entities.ts";
import type { Orm } from "../db/orm.ts";
import { memberRoomIds, type Viewer } from "./access.ts";
import { AppError, notFound } from "./errors.ts";
import type { ItemService } from "./items.ts";
import type { Page, RoomService } from "./rooms.ts";
import { toToolLogOut } from "./serializers.ts";

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

  constructor(orm: Orm, rooms: RoomService, items: ItemService) {
    this.#orm = orm;
    this.#rooms = rooms;
    this.#items = items;
  }

  /**
   * Uses a tool on a placed object in `roomId`. The caller needs a tool in their inventory;
   * move, rotate and pickup follow the same permissions and placement rules as REST. Each
   * successful use is logged, and the log row is what the room broadcasts.
   */
  async use(viewer: Viewer, roomId: number, use: ToolUse, players: Point[]): Promise<ToolUsedPayload> {
    const em = this.#orm.em.fork();
    const tool = await em.findOne(Item, { owner: viewer.id, room: null, type: { $in: [...TOOL_TYPES] } }, { fields: ["id"] });
    if (!tool) throw new AppError(403, "no_tool", "You need a tool in your inventory to do that");
    const target = await em.findOne(Item, { id: use.target_object_id, room: roomId });
    if (!target) throw notFound("Object");
    let result: string;
    switch (use.action) {
      case "inspect": {
        const owner = await em.findOne(User, { id: target.owner }, { fields: ["username"] });
        result = `${target.name} (${target.type}) of ${owner?.username ?? "?"} at (${target.x}, ${target.y}), rotation ${target.rotation}`;
        break;
      }
      case "move": {
        if (use.x === undefined || use.y === undefined) throw new AppError(422, "invalid_payload", "move needs x and y");
        const moved = await this.#items.moveObject(viewer, target.id, { x: use.x, y: use.y }, players);
        result = `moved to (${moved.x}, ${moved.y})`;
        break;
      }
      case "rotate": {
        const rotation = use.rotation ?? ((((target.rotation ?? 0) + 90) % 360) as Rotation);
        await this.#items.moveObject(viewer, target.id, { rotation }, players);
        result = `rotated to ${rotation}`;
        break;
      }
      case "pickup": {
        await this.#items.removeObject(viewer, target.id);
        result = "returned to its owner's inventory";
        break;
      }
    }
    // One INSERT … RETURNING rather than a unit of work's BEGIN/INSERT/COMMIT.
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
