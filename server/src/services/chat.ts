// Chat: stored first, then published to the live room (which tells its clients).
import type { ChatMessageOut } from "../../../shared/src/api.ts";
import { ChatMessage, RoomVisit, User } from "../db/entities.ts";
import type { Orm } from "../db/orm.ts";
import type { Viewer } from "./access.ts";
import { notFound } from "./errors.ts";
import { assertNotMuted } from "./sanctions.ts";
import { postInOneStatement } from "./chat-write.ts";
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
    // Whispers are shown only to their two people (and admins).
    const visible = viewer.isAdmin ? {} : { $or: [{ toUserId: null }, { user: viewer.id }, { toUserId: viewer.id }] };
    const room = { room: query.room_id, ...visible };
    const where = query.before !== undefined ? { ...room, id: { $lt: query.before } } : room;
    const [messages, total] = await Promise.all([
      em.find(ChatMessage, where, { orderBy: { id: "desc" }, limit: query.limit }),
      em.count(ChatMessage, room),
    ]);
    return { items: messages.reverse().map(toChatOut), total };
  }

  /**
   * `message` is already trimmed and within limits (validated by the caller's schema). With
   * `toUserId` it is a whisper, and that user must be in the room now.
   */
  async post(viewer: Viewer, roomId: number, message: string, toUserId?: number): Promise<ChatMessageOut> {
    this.#events.assertReady();
    const em = this.#orm.em.fork();
    const row = { room: roomId, user: viewer.id, username: viewer.username, message, toUserId: toUserId ?? null, createdAt: new Date() };
    // The usual case in one round trip; a refusal takes the careful path below, which names it.
    const id = await postInOneStatement(em, { viewer, roomId, message, toUserId: row.toUserId, createdAt: row.createdAt });
    if (id !== null) return this.#published(roomId, toChatOut({ ...row, id } as ChatMessage));
    await this.#rooms.findVisible(em, viewer, roomId);
    if (toUserId !== undefined && !(await em.count(RoomVisit, { room: roomId, user: toUserId, leftAt: null }))) {
      throw notFound("User in this room");
    }
    const { mutedUntil } = (await em.findOne(User, { id: viewer.id }, { fields: ["mutedUntil"] })) ?? {};
    await assertNotMuted(em, roomId, viewer.id, mutedUntil);
    // Allowed after all (a mute ended, the recipient arrived): one INSERT … RETURNING.
    return this.#published(roomId, toChatOut({ ...row, id: Number(await em.insert(ChatMessage, row)) } as ChatMessage));
  }

  async #published(roomId: number, out: ChatMessageOut): Promise<ChatMessageOut> {
    await this.#events.publish(roomId, { type: "chat", message: out });
    return out;
  }
}
