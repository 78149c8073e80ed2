// The game's systems: the room's state drives the scene, the keyboard drives your predicted
// avatar, other players are interpolated, and placement goes from the inventory to the room.
// React creates one controller per game page and calls its methods; it never touches Pixi.
import type { ItemOut, UserOut } from "../../../shared/src/api.ts";
import { BLOCKING_TYPES, TILE_SIZE, type ItemType, type Rotation, type ToolAction } from "../../../shared/src/constants.ts";
import type { ErrorPayload, MessageReceivedPayload, ToolUsedPayload } from "../../../shared/src/protocol.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import { checkPlacement, type PlacedTile, type PlacementError } from "../../../shared/src/sim/placement.ts";
import type { ObjectState, PlayerState } from "../../../shared/src/state.ts";
import { errorText, language, t, typeName, type StringKey } from "../i18n/index.ts";
import { api, ApiError } from "../net/api.ts";
import type { LiveSession, RoomConnection } from "../net/room-connection.ts";
import type { GameStores, Placing } from "../state/game.ts";
import { toast } from "../state/toasts.ts";
import { InterpolationBuffer } from "./interpolation.ts";
import { Keyboard } from "./keyboard.ts";
import { Predictor, type World } from "./prediction.ts";
import { GameScene } from "./scene.ts";

export interface GameDeps {
  connection: RoomConnection;
  stores: GameStores;
  me: UserOut;
  roomId: number;
}

/** Tiles snap to the floor grid: centres at 16, 48, 80… (outside the room stays outside). */
export function snapToGrid(p: Point): Point {
  const snap = (v: number) => Math.floor(v / TILE_SIZE) * TILE_SIZE + TILE_SIZE / 2;
  return { x: snap(p.x), y: snap(p.y) };
}

export class GameController {
  readonly scene = new GameScene();
  readonly #deps: GameDeps;
  readonly #keyboard: Keyboard;
  readonly #remote = new Map<string, InterpolationBuffer>();
  readonly #disposers: (() => void)[] = [];
  #session: LiveSession | null = null;
  #predictor: Predictor | null = null;
  #pointer: Point | null = null;
  #sessionDisposers: (() => void)[] = [];
  #destroyed = false;

  constructor(deps: GameDeps) {
    this.#deps = deps;
    this.#keyboard = new Keyboard((e) => this.#onKey(e));
  }

  async mount(host: HTMLElement): Promise<void> {
    if (!(await this.scene.init(host)) || this.#destroyed) return;
    const { connection, stores } = this.#deps;
    const words = () => this.scene.setWords(typeName, t("game.you"));
    words();
    this.#disposers.push(language.subscribe(words));
    this.#disposers.push(connection.status.subscribe(() => stores.connection.set(connection.status.get())));
    this.#disposers.push(connection.onSession((s) => this.#attach(s)));
    this.#disposers.push(connection.on("chat", (m) => this.#chat(m)));
    this.#disposers.push(connection.on("error", (e) => this.#serverError(e)));
    this.#disposers.push(connection.on("toolUsed", (u) => this.#toolUsed(u)));
    this.#disposers.push(connection.on("userJoined", (u) => this.#system("chat.joined", { name: u.username })));
    this.#disposers.push(connection.on("userLeft", (u) => this.#system("chat.leftRoom", { name: this.#nameOf(u.user_id) })));
    this.#bindPointer(this.scene.app.canvas);
    this.scene.app.ticker.add((ticker) => this.#frame(ticker.deltaMS));
    (globalThis as { __cafe?: unknown }).__cafe = this.#debugHook();
    stores.connection.set(connection.status.get());
    connection.start();
    void this.refreshInventory();
    void this.#loadRoomInfo();
  }

  destroy(): void {
    this.#destroyed = true;
    for (const d of this.#sessionDisposers.splice(0)) d();
    for (const d of this.#disposers.splice(0)) d();
    this.#keyboard.dispose();
    this.#deps.connection.close();
    this.scene.destroy();
    delete (globalThis as { __cafe?: unknown }).__cafe;
  }

  /** After the connection was lost for good, or the seat went to another tab: join again. */
  retryConnection(): void {
    this.#deps.connection.retry();
  }

  // ---- a joined room: state callbacks (never polling) ----
  #attach(s: LiveSession): void {
    for (const d of this.#sessionDisposers.splice(0)) d();
    this.#session = s;
    this.#remote.clear();
    this.#predictor = null;
    this.scene.clear();
    const { callbacks: cb, state } = s;
    const { stores } = this.#deps;
    const size = () => {
      this.scene.setRoomSize({ width: state.width, height: state.height });
      stores.room.set((r) => ({ id: this.#deps.roomId, name: state.name, width: state.width, height: state.height, ownerId: r?.ownerId ?? null }));
    };
    const d = this.#sessionDisposers;
    d.push(cb.listen("width", size), cb.listen("height", size), cb.listen("name", size));
    d.push(cb.onAdd("players", (p, key) => this.#playerAdded(p, String(key))));
    d.push(cb.onRemove("players", (_p, key) => this.#playerRemoved(String(key))));
    d.push(cb.onAdd("objects", (o) => this.#objectAdded(o)));
    d.push(cb.onRemove("objects", (o) => this.#objectRemoved(o)));
    void this.#loadChatHistory();
    void this.refreshInventory();
  }

  #playerAdded(p: PlayerState, key: string): void {
    const s = this.#session!;
    const self = key === s.sessionId;
    this.scene.addPlayer(key, p, self);
    this.#deps.stores.people.set((m) => new Map(m).set(p.user_id, p.username));
    if (self) {
      this.#predictor = new Predictor({ x: p.x, y: p.y }, p.ack);
      this.#sessionDisposers.push(
        s.callbacks.onChange(p, () => {
          this.#predictor?.reconcile({ x: p.x, y: p.y, ack: p.ack }, this.#world());
        }),
      );
    } else {
      const buffer = new InterpolationBuffer({ x: p.x, y: p.y }, performance.now());
      this.#remote.set(key, buffer);
      this.#sessionDisposers.push(s.callbacks.onChange(p, () => buffer.push({ x: p.x, y: p.y }, performance.now())));
    }
  }

  #playerRemoved(key: string): void {
    this.#remote.delete(key);
    this.scene.removePlayer(key);
  }

  #objectAdded(o: ObjectState): void {
    const draw = () => {
      this.scene.upsertObject(o);
      const selected = this.#deps.stores.selected.get();
      if (selected?.id === o.id) this.#deps.stores.selected.set(this.#selectedOf(o));
    };
    draw();
    this.#sessionDisposers.push(this.#session!.callbacks.onChange(o, draw));
    if (o.owner_id === this.#deps.me.id) void this.refreshInventory();
  }

  #objectRemoved(o: ObjectState): void {
    this.scene.removeObject(o.id);
    if (this.#deps.stores.selected.get()?.id === o.id) this.#deps.stores.selected.set(null);
    if (o.owner_id === this.#deps.me.id) void this.refreshInventory();
  }

  #selectedOf(o: ObjectState) {
    return { id: o.id, type: o.type as ItemType, name: o.name, owner_id: o.owner_id, x: o.x, y: o.y, rotation: o.rotation };
  }

  /** The room as the movement and placement rules see it. */
  #world(): World {
    const state = this.#session?.state;
    if (!state) return { room: { width: 0, height: 0 }, blockers: [] };
    const blockers: Point[] = [];
    for (const o of state.objects.values()) if (BLOCKING_TYPES.has(o.type as ItemType)) blockers.push({ x: o.x, y: o.y });
    return { room: { width: state.width, height: state.height }, blockers };
  }

  // ---- per frame ----
  #frame(dtMs: number): void {
    const now = performance.now();
    const s = this.#session;
    if (s && this.#predictor && this.#deps.connection.connected) {
      const pos = this.#predictor.step(this.#keyboard.direction(), dtMs, this.#world());
      const update = this.#predictor.takeUpdate(now);
      if (update) this.#deps.connection.move(update.x, update.y, update.seq);
      this.scene.movePlayer(s.sessionId, pos);
    }
    for (const [key, buffer] of this.#remote) this.scene.movePlayer(key, buffer.sample(now));
    if (this.#deps.stores.placing.get()) this.#updateGhost();
    this.scene.update();
  }

  // ---- placing: "Place" then click, or drag from the inventory and release ----
  startPlacing(item: ItemOut, mode: Placing["mode"]): void {
    this.#deps.stores.selected.set(null);
    this.scene.select(null);
    this.#deps.stores.placing.set({ item, rotation: 0, mode });
  }

  cancelPlacing(): void {
    this.#deps.stores.placing.set(null);
    this.scene.hideGhost();
  }

  rotatePlacing(): void {
    this.#deps.stores.placing.set((p) => (p ? { ...p, rotation: ((p.rotation + 90) % 360) as Rotation } : p));
  }

  /** Pointer position during a drag from the inventory (page coordinates). */
  dragTo(clientX: number, clientY: number): void {
    this.#pointer = this.scene.containsClient(clientX, clientY) ? this.scene.toWorld(clientX, clientY) : null;
  }

  /** The end of a drag: placed if released over a free spot of the floor. */
  dragEnd(clientX: number, clientY: number): void {
    this.dragTo(clientX, clientY);
    if (this.#pointer) this.#tryPlace();
    this.cancelPlacing();
  }

  #candidate(): { at: Point; problem: PlacementError | null } | null {
    const placing = this.#deps.stores.placing.get();
    const state = this.#session?.state;
    if (!placing || !state || !this.#pointer) return null;
    const room = { width: state.width, height: state.height };
    const at = snapToGrid(this.#pointer);
    const others: PlacedTile[] = [...state.objects.values()].map((o) => ({ id: o.id, type: o.type as ItemType, x: o.x, y: o.y }));
    const players = this.scene.describe().players.map((p) => ({ x: p.x, y: p.y }));
    return { at, problem: checkPlacement({ type: placing.item.type, ...at }, room, others, players) };
  }

  #updateGhost(): void {
    const placing = this.#deps.stores.placing.get();
    const c = this.#candidate();
    if (!placing || !c) return this.scene.hideGhost();
    this.scene.showGhost(placing.item.type, placing.rotation, c.at, c.problem === null);
  }

  #tryPlace(): boolean {
    const placing = this.#deps.stores.placing.get();
    const c = this.#candidate();
    if (!placing || !c) return false;
    if (c.problem) {
      toast(`${t("game.cannotPlace")} ${errorText({ code: c.problem, message: "" })}`);
      return false;
    }
    if (!this.#deps.connection.place(placing.item.id, c.at.x, c.at.y, placing.rotation)) {
      toast(t("game.status.reconnecting"));
      return false;
    }
    // It leaves the inventory now; the room's state brings the placed object.
    this.#deps.stores.inventory.set((items) => items?.filter((i) => i.id !== placing.item.id) ?? items);
    return true;
  }

  #bindPointer(canvas: HTMLCanvasElement): void {
    const move = (e: PointerEvent) => {
      this.#pointer = this.scene.toWorld(e.clientX, e.clientY);
    };
    const leave = () => {
      this.#pointer = null;
      this.scene.hideGhost();
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0) return;
      move(e);
      const placing = this.#deps.stores.placing.get();
      if (placing?.mode === "click") {
        if (this.#tryPlace()) this.cancelPlacing();
        return;
      }
      this.selectAt(this.#pointer!);
    };
    const context = (e: MouseEvent) => {
      if (this.#deps.stores.placing.get()) {
        e.preventDefault();
        this.cancelPlacing();
      }
    };
    canvas.addEventListener("pointermove", move);
    canvas.addEventListener("pointerleave", leave);
    canvas.addEventListener("pointerdown", down);
    canvas.addEventListener("contextmenu", context);
    this.#disposers.push(() => {
      canvas.removeEventListener("pointermove", move);
      canvas.removeEventListener("pointerleave", leave);
      canvas.removeEventListener("pointerdown", down);
      canvas.removeEventListener("contextmenu", context);
    });
  }

  #onKey(e: KeyboardEvent): void {
    if (e.key === "Escape") {
      this.cancelPlacing();
      this.select(null);
    } else if (e.code === "KeyR" && this.#deps.stores.placing.get()) {
      this.rotatePlacing();
    }
  }

  // ---- objects: select, rotate, pick up, tools ----
  selectAt(p: Point): void {
    this.select(this.scene.objectAt(p));
  }

  select(id: number | null): void {
    const o = id === null ? undefined : this.#session?.state.objects.get(String(id));
    this.scene.select(o ? o.id : null);
    this.#deps.stores.selected.set(o ? this.#selectedOf(o) : null);
  }

  async rotate(id: number): Promise<void> {
    const o = this.#session?.state.objects.get(String(id));
    if (!o) return;
    await this.#rest(() => api.moveObject(id, { rotation: ((o.rotation + 90) % 360) as Rotation }));
  }

  async pickUp(id: number): Promise<void> {
    if (await this.#rest(() => api.pickUp(id))) void this.refreshInventory();
  }

  useTool(id: number, action: ToolAction): void {
    if (!this.#deps.connection.useTool(id, action)) toast(t("game.status.reconnecting"));
  }

  // ---- inventory ----
  async refreshInventory(): Promise<void> {
    const items = await this.#rest(() => api.inventory());
    if (items && !this.#destroyed) this.#deps.stores.inventory.set(items);
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
  say(text: string): boolean {
    const message = text.trim();
    if (!message) return false;
    if (!this.#deps.connection.say(message)) {
      toast(t("game.status.reconnecting"));
      return false;
    }
    return true;
  }

  #chat(m: MessageReceivedPayload): void {
    this.#deps.stores.chat.set((lines) =>
      lines.some((l) => l.message?.id === m.id) ? lines : [...lines.slice(-199), { key: `m${m.id}`, kind: "chat", message: m }],
    );
    this.#deps.stores.people.set((map) => new Map(map).set(m.user_id, m.username));
    this.scene.say(m.user_id, m.message);
  }

  async #loadChatHistory(): Promise<void> {
    const history = await this.#rest(() => api.chatHistory(this.#deps.roomId));
    if (!history || this.#destroyed) return;
    this.#deps.stores.chat.set((lines) => {
      const ids = lines.flatMap((l) => (l.message ? [l.message.id] : []));
      const firstLive = Math.min(...ids);
      const missing = history.filter((m) => !ids.includes(m.id)).map((m) => ({ key: `m${m.id}`, kind: "chat" as const, message: m }));
      // Older than what is shown goes on top; what was missed while disconnected goes below.
      return [...missing.filter((l) => l.message.id < firstLive), ...lines, ...missing.filter((l) => l.message.id > firstLive)];
    });
  }

  #system(key: StringKey, params: Record<string, string>): void {
    const text = t(key, params);
    this.#deps.stores.chat.set((lines) => [...lines.slice(-199), { key: `s${performance.now()}-${Math.random()}`, kind: "system", text }]);
  }

  #toolUsed(u: ToolUsedPayload): void {
    this.scene.flash(u.target_object_id, u.result);
    this.#system("chat.toolUsed", { name: this.#nameOf(u.user_id), action: u.action, result: u.result });
  }

  #nameOf(userId: number): string {
    return this.#deps.stores.people.get().get(userId) ?? `#${userId}`;
  }

  #serverError(e: ErrorPayload): void {
    toast(errorText(e));
    if (e.event === "place_object") void this.refreshInventory();
  }

  async #loadRoomInfo(): Promise<void> {
    const room = await this.#rest(() => api.getRoom(this.#deps.roomId), true);
    if (!room || this.#destroyed) return;
    this.#deps.stores.room.set((r) => ({ id: room.id, name: r?.name ?? room.name, width: r?.width ?? room.width, height: r?.height ?? room.height, ownerId: room.owner_id }));
  }

  /** Runs a REST call; failures become toasts. */
  async #rest<T>(call: () => Promise<T>, quiet = false): Promise<T | undefined> {
    try {
      return await call();
    } catch (err) {
      if (!quiet && !this.#destroyed && err instanceof ApiError && err.status !== 401) {
        toast(err.code === "network" ? t("error.network") : errorText(err));
      }
      return undefined;
    }
  }

  #debugHook() {
    return Object.freeze({
      scene: () => this.scene.describe(),
      self: () => (this.#predictor ? { ...this.#predictor.position, pending: this.#predictor.pendingCount, corrections: this.#predictor.corrections } : null),
      toClient: (x: number, y: number) => this.scene.toClient({ x, y }),
      status: () => this.#deps.connection.status.get().status,
    });
  }
}
