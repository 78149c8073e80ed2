// Chat: stored first, then published to the live room (which tells its clients).
import type { ChatMessageOut } from "../../../shared/src/api.ts";
import { ChatMessage, User } from "../db/entities.ts";
import type { Orm } from "../db/orm.ts";
import type { Viewer } from "./access.ts";
import { AppError } from "./errors.ts";
import type { RoomEventBus } from "./events.ts";
import type { Page, RoomService } from "./rooms.ts";
import { toChatOut } from "./serializers.ts";

export class ChatService {
  readonly #orm: Orm;
  readonly #rooms: RoomService;
  readonly #events: RoomEventBus;

  constructor(orm: Orm, rooms: RoomService, events: RoomEventBus) {
    this.#orm = orm;
    this.#rooms = rooms;
    this.#events = events;
  }

  /** The newest `limit` messages (older than `before`, if given), oldest first. */
  async history(viewer: Viewer, query: { room_id: number; before?: number | undefined; limit: number }): Promise<Page<ChatMessageOut>> {
    const em = this.#orm.em.fork();
    await this.#rooms.findVisible(em, viewer, query.room_id);
    const where = query.before !== undefined ? { room: query.room_id, id: { $lt: query.before } } : { room: query.room_id };
    const [messages, total] = await Promise.all([
      em.find(ChatMessage, where, { orderBy: { id: "desc" }, limit: query.limit }),
      em.count(ChatMessage, { room: query.room_id }),
    ]);
    return { items: messages.reverse().map(toChatOut), total };
  }

  /** `message` is already trimmed and within limits (validated by the caller's schema). */
  async post(viewer: Viewer, roomId: number, message: string): Promise<ChatMessageOut> {
    const em = this.#orm.em.fork();
    await this.#rooms.findVisible(em, viewer, roomId);
    const { mutedUntil } = (await em.findOne(User, { id: viewer.id }, { fields: ["mutedUntil"] })) ?? {};
    if (mutedUntil && mutedUntil > new Date()) {
      throw new AppError(403, "muted", `You are muted until ${mutedUntil.toISOString()}`);
    }
    // One INSERT … RETURNING rather than a unit of work's BEGIN/INSERT/COMMIT.
    const row = { room: roomId, user: viewer.id, username: viewer.username, message, createdAt: new Date() };
    const out = toChatOut({ ...row, id: Number(await em.insert(ChatMessage, row)) } as ChatMessage);
    await this.#events.publish(roomId, { type: "chat", message: out });
    return out;
  }
}
