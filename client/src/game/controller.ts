// The game: the room's state drives the scene through state callbacks (never polling), the
// keyboard drives your predicted avatar, other players are interpolated. React creates one
// controller per game page and calls it (and its `placement` and `activity` systems); it never
// touches Pixi.
import type { UserOut } from "../../../shared/src/api.ts";
import { BLOCKING_TYPES, type ItemType } from "../../../shared/src/constants.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import type { ObjectState, PlayerState } from "../../../shared/src/state.ts";
import { language, t, typeName } from "../i18n/index.ts";
import type { LiveSession, RoomConnection } from "../net/room-connection.ts";
import type { GameStores } from "../state/game.ts";
import { RoomActivity, selectedOf } from "./activity.ts";
import type { GameContext } from "./context.ts";
import { InterpolationBuffer } from "./interpolation.ts";
import { Keyboard } from "./keyboard.ts";
import { PlacementSystem } from "./placement.ts";
import { Predictor, type World } from "./prediction.ts";
import { GameScene } from "./scene.ts";

export interface GameDeps {
  connection: RoomConnection;
  stores: GameStores;
  me: UserOut;
  roomId: number;
}

export class GameController {
  readonly scene = new GameScene();
  readonly placement: PlacementSystem;
  readonly activity: RoomActivity;
  readonly #ctx: GameContext;
  readonly #keyboard: Keyboard;
  readonly #remote = new Map<string, InterpolationBuffer>();
  readonly #disposers: (() => void)[] = [];
  #sessionDisposers: (() => void)[] = [];
  #session: LiveSession | null = null;
  #predictor: Predictor | null = null;
  #destroyed = false;

  constructor(deps: GameDeps) {
    this.#ctx = {
      ...deps,
      scene: this.scene,
      state: () => this.#session?.state ?? null,
      alive: () => !this.#destroyed,
    };
    this.placement = new PlacementSystem(this.#ctx);
    this.activity = new RoomActivity(this.#ctx);
    this.#keyboard = new Keyboard((e) => this.#onKey(e));
  }

  async mount(host: HTMLElement): Promise<void> {
    if (!(await this.scene.init(host)) || this.#destroyed) return;
    const { connection, stores } = this.#ctx;
    const words = () => this.scene.setWords(typeName, t("game.you"));
    words();
    this.#disposers.push(language.subscribe(words));
    this.#disposers.push(connection.status.subscribe(() => stores.connection.set(connection.status.get())));
    this.#disposers.push(connection.onSession((s) => this.#attach(s)));
    this.#disposers.push(...this.activity.listen());
    this.#bindPointer(this.scene.app.canvas);
    this.scene.app.ticker.add((ticker) => this.#frame(ticker.deltaMS));
    (globalThis as { __cafe?: unknown }).__cafe = this.#debugHook();
    stores.connection.set(connection.status.get());
    connection.start();
    void this.activity.refreshInventory();
    void this.activity.loadRoomInfo();
  }

  destroy(): void {
    this.#destroyed = true;
    for (const d of this.#sessionDisposers.splice(0)) d();
    for (const d of this.#disposers.splice(0)) d();
    this.#keyboard.dispose();
    this.#ctx.connection.close();
    this.scene.destroy();
    delete (globalThis as { __cafe?: unknown }).__cafe;
  }

  /** After the connection was lost for good, or the seat went to another tab: join again. */
  retryConnection(): void {
    this.#ctx.connection.retry();
  }

  // ---- a joined room ----
  #attach(s: LiveSession): void {
    for (const d of this.#sessionDisposers.splice(0)) d();
    this.#session = s;
    this.#remote.clear();
    this.#ctx.stores.roster.set(new Map());
    this.#predictor = null;
    this.scene.clear();
    const { callbacks: cb, state } = s;
    const size = () => {
      this.scene.setRoomSize({ width: state.width, height: state.height });
      this.#ctx.stores.room.set((r) => ({ id: this.#ctx.roomId, name: state.name, width: state.width, height: state.height, ownerId: r?.ownerId ?? null }));
    };
    const d = this.#sessionDisposers;
    d.push(cb.listen("width", size), cb.listen("height", size), cb.listen("name", size));
    d.push(cb.onAdd("players", (p, key) => this.#playerAdded(p, String(key))));
    d.push(cb.onRemove("players", (p, key) => this.#playerRemoved(String(key), p.user_id)));
    d.push(cb.onAdd("objects", (o) => this.#objectAdded(o)));
    d.push(cb.onRemove("objects", (o) => this.#objectRemoved(o)));
    void this.activity.loadChatHistory();
    void this.activity.refreshInventory();
  }

  #playerAdded(p: PlayerState, key: string): void {
    const s = this.#session!;
    const self = key === s.sessionId;
    this.scene.addPlayer(key, p, self);
    this.#ctx.stores.people.set((m) => new Map(m).set(p.user_id, p.username));
    const roster = () =>
      this.#ctx.stores.roster.set((m) => new Map(m).set(p.user_id, { user_id: p.user_id, username: p.username, display_name: p.display_name, color: p.color }));
    roster();
    // Profiles change live (PATCH /users/me): the list and the name tag follow.
    this.#sessionDisposers.push(s.callbacks.listen(p, "display_name", roster), s.callbacks.listen(p, "color", roster));
    if (self) {
      // Start numbering after the seat's last ack: a rejoin may take over a seat that has one.
      this.#predictor = new Predictor({ x: p.x, y: p.y }, p.ack);
      this.#sessionDisposers.push(s.callbacks.onChange(p, () => this.#predictor?.reconcile({ x: p.x, y: p.y, ack: p.ack }, this.#world())));
    } else {
      const buffer = new InterpolationBuffer({ x: p.x, y: p.y }, performance.now());
      this.#remote.set(key, buffer);
      this.#sessionDisposers.push(s.callbacks.onChange(p, () => buffer.push({ x: p.x, y: p.y }, performance.now())));
    }
  }

  #playerRemoved(key: string, userId: number): void {
    this.#ctx.stores.roster.set((m) => {
      const next = new Map(m);
      next.delete(userId);
      return next;
    });
    this.#remote.delete(key);
    this.scene.removePlayer(key);
  }

  #objectAdded(o: ObjectState): void {
    const { stores } = this.#ctx;
    const draw = () => {
      this.scene.upsertObject(o);
      if (stores.selected.get()?.id === o.id) stores.selected.set(selectedOf(o));
    };
    draw();
    this.#sessionDisposers.push(this.#session!.callbacks.onChange(o, draw));
    if (o.owner_id === this.#ctx.me.id) void this.activity.refreshInventory();
  }

  #objectRemoved(o: ObjectState): void {
    this.scene.removeObject(o.id);
    if (this.#ctx.stores.selected.get()?.id === o.id) this.#ctx.stores.selected.set(null);
    if (o.owner_id === this.#ctx.me.id) void this.activity.refreshInventory();
  }

  /** The room as the movement rules see it. */
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
    // While the connection is down you stand still: the server would not hear the moves.
    if (s && this.#predictor && this.#ctx.connection.connected) {
      const pos = this.#predictor.step(this.#keyboard.direction(), dtMs, this.#world());
      const update = this.#predictor.takeUpdate(now);
      if (update) this.#ctx.connection.move(update.x, update.y, update.seq);
      this.scene.movePlayer(s.sessionId, pos);
    }
    for (const [key, buffer] of this.#remote) this.scene.movePlayer(key, buffer.sample(now));
    this.placement.update();
    this.scene.update();
  }

  // ---- pointer and keys on the floor ----
  #bindPointer(canvas: HTMLCanvasElement): void {
    const move = (e: PointerEvent) => this.placement.pointerAt(e.clientX, e.clientY);
    const leave = () => this.placement.pointerLeft();
    const down = (e: PointerEvent) => {
      if (e.button !== 0) return;
      move(e);
      if (this.placement.active?.mode === "click") {
        if (this.placement.place()) this.placement.cancel();
      } else {
        this.activity.selectAt(this.scene.toWorld(e.clientX, e.clientY));
      }
    };
    const context = (e: MouseEvent) => {
      if (!this.placement.active) return;
      e.preventDefault();
      this.placement.cancel();
    };
    const listeners = { pointermove: move, pointerleave: leave, pointerdown: down, contextmenu: context } as const;
    for (const [type, fn] of Object.entries(listeners)) canvas.addEventListener(type, fn as EventListener);
    this.#disposers.push(() => {
      for (const [type, fn] of Object.entries(listeners)) canvas.removeEventListener(type, fn as EventListener);
    });
  }

  #onKey(e: KeyboardEvent): void {
    if (e.key === "Escape") {
      this.placement.cancel();
      this.activity.select(null);
    } else if (e.code === "KeyR" && this.placement.active) {
      this.placement.rotate();
    }
  }

  /** Read-only, for tests and debugging: what is drawn, your prediction, the connection. */
  #debugHook() {
    return Object.freeze({
      scene: () => this.scene.describe(),
      self: () => (this.#predictor ? { ...this.#predictor.position, pending: this.#predictor.pendingCount, corrections: this.#predictor.corrections } : null),
      toClient: (x: number, y: number) => this.scene.toClient({ x, y }),
      status: () => this.#ctx.connection.status.get().status,
    });
  }
}
