// What people do in the room besides walking: the inventory, actions on objects, chat, tool
// results and the server's errors. REST and room messages go through net/; results land in the
// stores the panels read, and in the scene (bubbles, tool results).
import type { ItemType, Rotation, ToolAction } from "../../../shared/src/constants.ts";
import type { ErrorPayload, MessageReceivedPayload, ToolUsedPayload } from "../../../shared/src/protocol.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import { roomObjectOf } from "../../../shared/src/placed-object.ts";
import type { ObjectState } from "../../../shared/src/state.ts";
import { errorText, t, type StringKey } from "../i18n/index.ts";
import { api, ApiError } from "../net/api.ts";
import type { SelectedObject } from "../state/game.ts";
import { toast } from "../state/toasts.ts";
import type { GameContext } from "./context.ts";

const CHAT_KEPT = 200;

export function selectedOf(o: ObjectState): SelectedObject {
  return roomObjectOf(o);
}

export class RoomActivity {
  readonly #ctx: GameContext;

  constructor(ctx: GameContext) {
    this.#ctx = ctx;
  }

  /** Listens to the room's messages; returns the unsubscribers. */
  listen(): (() => void)[] {
    const { connection } = this.#ctx;
    return [
      connection.on("chat", (m) => this.#chat(m)),
      connection.on("error", (e) => this.#serverError(e)),
      connection.on("toolUsed", (u) => this.#toolUsed(u)),
      connection.on("userJoined", (u) => this.#system("chat.joined", { name: u.username })),
      connection.on("userLeft", (u) => this.#system("chat.leftRoom", { name: this.#nameOf(u.user_id) })),
    ];
  }

  // ---- objects: select, rotate, pick up, tools ----
  selectAt(p: Point): void {
    this.select(this.#ctx.scene.objectAt(p));
  }

  select(id: number | null): void {
    const o = id === null ? undefined : this.#ctx.state()?.objects.get(String(id));
    this.#ctx.scene.select(o ? o.id : null);
    this.#ctx.stores.selected.set(o ? selectedOf(o) : null);
  }

  async rotate(id: number): Promise<void> {
    const o = this.#ctx.state()?.objects.get(String(id));
    if (o) await this.#rest(() => api.moveObject(id, { rotation: ((o.rotation + 90) % 360) as Rotation }));
  }

  async pickUp(id: number): Promise<void> {
    if (await this.#rest(() => api.pickUp(id))) void this.refreshInventory();
  }

  useTool(id: number, action: ToolAction): void {
    if (!this.#ctx.connection.useTool(id, action)) toast(t("game.status.reconnecting"));
  }

  // ---- inventory ----
  async refreshInventory(): Promise<void> {
    const items = await this.#rest(() => api.inventory());
    if (items && this.#ctx.alive()) this.#ctx.stores.inventory.set(items);
  }

  async grant(type: ItemType): Promise<void> {
    const item = await this.#rest(() => api.grant(type));
    if (!item) return;
    toast(t("inventory.granted", { name: item.name }), "info");
    await this.refreshInventory();
  }

  async discard(id: number): Promise<void> {
    await this.#rest(() => api.discard(id));
    await this.refreshInventory();
  }

  // ---- chat ----
  /** Sends a chat message; false if there was nothing to send or no connection. */
  say(text: string, toUserId?: number): boolean {
    const message = text.trim();
    if (!message) return false;
    if (!this.#ctx.connection.say(message, toUserId)) {
      toast(t("game.status.reconnecting"));
      return false;
    }
    return true;
  }

  /** The room's recent messages, merged with what already arrived live. */
  async loadChatHistory(): Promise<void> {
    const history = await this.#rest(() => api.chatHistory(this.#ctx.roomId));
    if (!history || !this.#ctx.alive()) return;
    this.#ctx.stores.chat.set((lines) => {
      const ids = new Set(lines.flatMap((l) => (l.message ? [l.message.id] : [])));
      const firstLive = Math.min(...ids);
      const missing = history.filter((m) => !ids.has(m.id)).map((m) => ({ key: `m${m.id}`, kind: "chat" as const, message: m }));
      // Older than what is shown goes on top; what was missed while disconnected goes below.
      return [...missing.filter((l) => l.message.id < firstLive), ...lines, ...missing.filter((l) => l.message.id > firstLive)];
    });
  }

  #chat(m: MessageReceivedPayload): void {
    const { stores, scene } = this.#ctx;
    stores.chat.set((lines) =>
      lines.some((l) => l.message?.id === m.id) ? lines : [...lines.slice(1 - CHAT_KEPT), { key: `m${m.id}`, kind: "chat", message: m }],
    );
    stores.people.set((map) => new Map(map).set(m.user_id, m.username));
    scene.say(m.user_id, m.message);
  }

  #system(key: StringKey, params: Record<string, string>): void {
    const text = t(key, params);
    this.#ctx.stores.chat.set((lines) => [...lines.slice(1 - CHAT_KEPT), { key: `s${performance.now()}-${Math.random()}`, kind: "system", text }]);
  }

  #toolUsed(u: ToolUsedPayload): void {
    this.#ctx.scene.flash(u.target_object_id, u.result);
    this.#system("chat.toolUsed", { name: this.#nameOf(u.user_id), action: u.action, result: u.result });
  }

  #nameOf(userId: number): string {
    return this.#ctx.stores.people.get().get(userId) ?? `#${userId}`;
  }

  #serverError(e: ErrorPayload): void {
    // A signal racing a pair's teardown is refused by design; the media bar reports media trouble.
    if (e.event === "rtc_signal") return;
    toast(errorText(e));
    if (e.event === "place_object") void this.refreshInventory();
  }

  /** The stored room (for its owner, who may move anything in it). */
  async loadRoomInfo(): Promise<void> {
    const room = await this.#rest(() => api.getRoom(this.#ctx.roomId), true);
    if (!room || !this.#ctx.alive()) return;
    this.#ctx.stores.room.set((r) => ({
      id: room.id,
      name: r?.name ?? room.name,
      width: r?.width ?? room.width,
      height: r?.height ?? room.height,
      ownerId: room.owner_id,
    }));
  }

  /** Runs a REST call; failures become notes (a 401 has already logged out). */
  async #rest<T>(call: () => Promise<T>, quiet = false): Promise<T | undefined> {
    try {
      return await call();
    } catch (err) {
      if (!quiet && this.#ctx.alive() && err instanceof ApiError && err.status !== 401) {
        toast(err.code === "network" ? t("error.network") : errorText(err));
      }
      return undefined;
    }
  }
}
