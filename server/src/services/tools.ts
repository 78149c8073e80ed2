// The tool-use log.
import type { ToolLogOut } from "../../../shared/src/api.ts";
import { Room, ToolLog } from "../db/entities.ts";
import type { Orm } from "../db/orm.ts";
import type { Viewer } from "./access.ts";
import type { Page, RoomService } from "./rooms.ts";
import { toToolLogOut } from "./serializers.ts";

export class ToolService {
  readonly #orm: Orm;
  readonly #rooms: RoomService;

  constructor(orm: Orm, rooms: RoomService) {
    this.#orm = orm;
    this.#rooms = rooms;
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
      const hidden = await em.find(Room, { isPrivate: true, owner: { $ne: viewer.id } }, { fields: ["id"] });
      if (hidden.length) where["room"] = { $nin: hidden.map((r) => r.id) };
    }
    if (query.user_id !== undefined) where["user"] = query.user_id;
    const [logs, total] = await em.findAndCount(ToolLog, where, { orderBy: { id: "desc" }, limit: query.limit, offset: query.offset });
    return { items: logs.map(toToolLogOut), total };
  }
}
