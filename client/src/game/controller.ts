// The game: the room's state drives the scene through state callbacks (never polling), the
// keyboard drives your predicted avatar, other players are interpolated. React creates one
// controller per game page and calls it (and its `placement` and `activity` systems); it never
// touches Pixi.
import type { UserOut } from "../../../shared/src/api.ts";
import { BLOCKING_TYPES, TILE_SIZE, type ItemType } from "../../../shared/src/constants.ts";
import { footprintTiles } from "../../../shared/src/sim/footprint.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import type { ObjectState, PlayerState } from "../../../shared/src/state.ts";
import { Avatar, defaultAvatar } from "../../../shared/src/appearance.ts";
import { specOf } from "../../../shared/src/catalog.ts";
import { CLIENT_MESSAGES, EMOTES, type Emote } from "../../../shared/src/protocol.ts";
import { facingOfSeat } from "./avatar.ts";
import { themeOf } from "./room-look.ts";
import { TapWalker } from "./tap-walk.ts";
import { language, t, typeName } from "../i18n/index.ts";
import type { LiveSession, RoomConnection } from "../net/room-connection.ts";
import type { GameStores } from "../state/game.ts";
import { RoomActivity, selectedOf } from "./activity.ts";
import type { GameContext } from "./context.ts";
import { InterpolationBuffer } from "./interpolation.ts";
import { directionOf, Keyboard } from "./keyboard.ts";
import { describeNearby, nearbyKey } from "./nearby.ts";
import { PlacementSystem } from "./placement.ts";
import { PREDICTED_SPEED, Predictor, type World } from "./prediction.ts";
import { GameScene } from "./scene.ts";
import { RTC } from "../../../shared/src/media.ts";

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
  readonly walker = new TapWalker();
  #attachedAt = 0;
  #nearbyAt = 0;
  #nearbyKey = "";

  constructor(deps: GameDeps) {
    this.#ctx = {
      ...deps,
      scene: this.scene,
      state: () => this.#session?.state ?? null,
      alive: () => !this.#destroyed,
    };
    this.placement = new PlacementSystem(this.#ctx);
    this.activity = new RoomActivity(this.#ctx);
    this.#keyboard = new Keyboard(
      (e) => this.#onKey(e),
      () => this.placement.active !== null,
    );
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
    this.#disposers.push(
      connection.on("emote", (e) => {
        this.scene.emote(e.user_id, e.emote);
        this.#announce(t("a11y.emote", { name: this.#ctx.stores.people.get().get(e.user_id) ?? `#${e.user_id}`, emote: t(`emote.${e.emote}`) }));
      }),
      // A refused move names its seq: the prediction falls back to the server's position.
      connection.on("error", (e) => {
        if (e.event === CLIENT_MESSAGES.updatePosition && e.seq !== undefined) this.#predictor?.refused(e.seq, this.#world());
      }),
    );
    const motion = globalThis.matchMedia?.("(prefers-reduced-motion: reduce)");
    if (motion) {
      const apply = () => this.scene.setReducedMotion(motion.matches);
      apply();
      motion.addEventListener("change", apply);
      this.#disposers.push(() => motion.removeEventListener("change", apply));
    }
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

  /** The room's proximity media range, followed live from the state (the owner may change it). */
  get talkRadius(): number {
    return this.#session?.state.talk_radius || RTC.defaultTalkRadius;
  }

  /** After the connection was lost for good, or the seat went to another tab: join again. */
  retryConnection(): void {
    this.#ctx.connection.retry();
  }

  // ---- a joined room ----
  #attach(s: LiveSession): void {
    for (const d of this.#sessionDisposers.splice(0)) d();
    this.#session = s;
    this.#attachedAt = performance.now();
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
    const theme = () => this.scene.setTheme(themeOf(state.floor, state.wall_color));
    d.push(cb.listen("floor", theme), cb.listen("wall_color", theme));
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
    // Fields copied one by one: a schema instance's fields are accessors, which a spread drops.
    const { user_id, username, display_name, x, y } = p;
    this.scene.addPlayer(key, { user_id, username, display_name, x, y, avatar: lookOf(p) }, self);
    this.#sessionDisposers.push(
      s.callbacks.listen(p, "avatar", () => this.scene.setAvatar(key, lookOf(p))),
      s.callbacks.listen(p, "sitting_on", (id) => this.#seat(key, id)),
    );
    this.#ctx.stores.people.set((m) => new Map(m).set(p.user_id, p.username));
    const roster = () =>
      this.#ctx.stores.roster.set((m) => new Map(m).set(p.user_id, { user_id: p.user_id, username: p.username, display_name: p.display_name, color: p.color, admin: p.admin }));
    roster();
    // Profiles change live (PATCH /users/me): the list and the name tag follow.
    this.#sessionDisposers.push(s.callbacks.listen(p, "display_name", roster), s.callbacks.listen(p, "color", roster));
    if (self) {
      this.#predictor = new Predictor({ x: p.x, y: p.y });
      this.#sessionDisposers.push(s.callbacks.onChange(p, () => this.#predictor?.confirm({ x: p.x, y: p.y }, this.#world())));
    } else {
      const buffer = new InterpolationBuffer({ x: p.x, y: p.y }, performance.now());
      this.#remote.set(key, buffer);
      this.#sessionDisposers.push(s.callbacks.onChange(p, () => buffer.push({ x: p.x, y: p.y }, performance.now())));
    }
  }

  /** Seated people face the way their seat does. */
  #seat(key: string, objectId: number): void {
    const seat = objectId ? this.#session?.state.objects.get(String(objectId)) : undefined;
    this.scene.setSeat(key, seat && specOf(seat.type).seat ? facingOfSeat(seat.rotation) : null);
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
    // Objects loaded with the room are not news; ones placed while you are here are.
    if (performance.now() - this.#attachedAt > 1500) {
      this.#announce(t("a11y.placed", { name: this.#ctx.stores.people.get().get(o.owner_id) ?? `#${o.owner_id}`, object: o.name }));
    }
  }

  #announce(text: string): void {
    this.#ctx.stores.announcement.set((a) => ({ id: (a?.id ?? 0) + 1, text }));
  }

  /** The "nearby" list, refreshed a few times a second while something changes. */
  #refreshNearby(now: number): void {
    if (now - this.#nearbyAt < 400 || !this.#predictor || !this.#session) return;
    this.#nearbyAt = now;
    const me = this.#predictor.position;
    const people = this.scene.people().filter((p) => !p.self).map((p) => ({ user_id: p.user_id, name: p.username, x: p.x, y: p.y }));
    const objects = [...this.#session.state.objects.values()].map((o) => ({ id: o.id, name: o.name, type: o.type, x: o.x, y: o.y }));
    const list = describeNearby(me, people, objects);
    const key = nearbyKey(list);
    if (key !== this.#nearbyKey) {
      this.#nearbyKey = key;
      this.#ctx.stores.nearby.set(list);
    }
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
    for (const o of state.objects.values()) if (BLOCKING_TYPES.has(o.type as ItemType)) blockers.push(...footprintTiles(o));
    return { room: { width: state.width, height: state.height }, blockers };
  }

  // ---- per frame ----
  #frame(dtMs: number): void {
    const now = performance.now();
    const s = this.#session;
    // While the connection is down you stand still: the server would not hear the moves.
    if (s && this.#predictor && this.#ctx.connection.connected) {
      const keys = this.#keyboard.direction();
      if (keys.x || keys.y) this.walker.cancel();
      const toward = keys.x || keys.y ? null : this.walker.direction(this.#predictor.position);
      // A walk's last step is shortened so it stops on the waypoint instead of overshooting it.
      const dt = toward ? Math.min(dtMs, (Math.hypot(toward.x, toward.y) / PREDICTED_SPEED) * 1000 + 1) : dtMs;
      const pos = this.#predictor.step(toward ?? keys, dt, this.#world());
      const update = this.#predictor.takeUpdate(now);
      if (update) this.#ctx.connection.move(update.x, update.y, update.seq);
      this.scene.movePlayer(s.sessionId, pos);
    }
    for (const [key, buffer] of this.#remote) this.scene.movePlayer(key, buffer.sample(now));
    this.placement.update();
    this.#refreshNearby(now);
    this.scene.update();
  }

  // ---- pointer and keys on the floor ----
  #bindPointer(canvas: HTMLCanvasElement): void {
    // Two fingers on the canvas pinch-zoom; one finger taps (walk, select, place).
    const touches = new Map<number, Point>();
    let pinch = 0;
    const spread = () => {
      const [a, b] = [...touches.values()];
      return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
    };
    const move = (e: PointerEvent) => {
      if (touches.has(e.pointerId)) {
        touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
        const now = spread();
        // Applied in 5 % steps: the zoom is kept to whole percents, so tiny steps would be lost.
        if (pinch && now && Math.abs(now / pinch - 1) >= 0.05) {
          this.scene.zoomBy(now / pinch);
          pinch = now;
        } else if (!pinch) {
          pinch = now;
        }
        if (now) return;
      }
      this.placement.pointerAt(e.clientX, e.clientY);
    };
    const leave = () => this.placement.pointerLeft();
    const lift = (e: PointerEvent) => {
      touches.delete(e.pointerId);
      pinch = 0;
    };
    const down = (e: PointerEvent) => {
      if (e.pointerType === "touch") touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (touches.size > 1) return void (pinch = spread());
      if (e.button !== 0) return;
      move(e);
      if (this.placement.active?.mode === "click") {
        if (this.placement.place()) this.placement.cancel();
      } else {
        const at = this.scene.toWorld(e.clientX, e.clientY);
        this.activity.selectAt(at);
        // A tap on the floor, a rug or a seat walks there (onto a seat: you sit down).
        const hit = this.scene.objectAt(at);
        const type = hit === null ? null : this.#session?.state.objects.get(String(hit))?.type;
        if (!type || specOf(type).seat || specOf(type).underlay) this.walkTo(at);
      }
    };
    const context = (e: MouseEvent) => {
      if (!this.placement.active) return;
      e.preventDefault();
      this.placement.cancel();
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      this.scene.zoomBy(e.deltaY < 0 ? 1.1 : 1 / 1.1);
    };
    const listeners = { pointermove: move, pointerleave: leave, pointerdown: down, pointerup: lift, pointercancel: lift, contextmenu: context, wheel } as const;
    for (const [type, fn] of Object.entries(listeners)) canvas.addEventListener(type, fn as EventListener);
    this.#disposers.push(() => {
      for (const [type, fn] of Object.entries(listeners)) canvas.removeEventListener(type, fn as EventListener);
    });
  }

  /** Walks to a room point along a path around furniture; false when there is no way there. */
  walkTo(at: Point): boolean {
    if (!this.#predictor) return false;
    return this.walker.walkTo(this.#predictor.position, at, this.#world());
  }

  /** Walks to stand beside a person (from the nearby list). */
  walkToPerson(userId: number): boolean {
    const p = this.scene.people().find((v) => v.user_id === userId);
    if (!p || !this.#predictor) return false;
    const me = this.#predictor.position;
    const d = Math.hypot(p.x - me.x, p.y - me.y) || 1;
    // Stop a tile short, on your side of them.
    return this.walkTo({ x: p.x - ((p.x - me.x) / d) * TILE_SIZE, y: p.y - ((p.y - me.y) / d) * TILE_SIZE });
  }

  emote(emote: Emote): void {
    this.#ctx.connection.emote(emote);
  }

  #onKey(e: KeyboardEvent): void {
    const digit = /^Digit([1-9])$/.exec(e.code);
    const step = directionOf(e.code);
    if (step && this.placement.active && this.#predictor) {
      this.placement.nudge(step, this.#predictor.position);
      this.placement.update();
      this.#announceCursor();
    } else if (e.key === "Enter" && this.placement.active) {
      e.preventDefault();
      if (this.placement.place()) this.placement.cancel();
    } else if (digit && !this.placement.active) {
      const emote = EMOTES[Number(digit[1]) - 1];
      if (emote) this.emote(emote);
    } else if (e.key === "+" || e.key === "=") {
      this.scene.zoomBy(1.25);
    } else if (e.key === "-" || e.key === "_") {
      this.scene.zoomBy(0.8);
    } else if (e.key === "Escape") {
      this.placement.cancel();
      this.activity.select(null);
    } else if (e.code === "KeyR" && this.placement.active) {
      this.placement.rotate();
      this.placement.update();
      this.#announceCursor();
    }
  }

  /** Where the keyboard's placement cursor is, and whether the piece may go there. */
  #announceCursor(): void {
    const ghost = this.scene.ghost;
    const placing = this.placement.active;
    if (!ghost || !placing) return;
    const col = Math.floor(ghost.x / TILE_SIZE) + 1;
    const row = Math.floor(ghost.y / TILE_SIZE) + 1;
    this.#announce(t("a11y.cursor", { object: placing.item.name, col: String(col), row: String(row), verdict: t(ghost.ok ? "a11y.free" : "a11y.blocked") }));
  }

  /** Read-only, for tests and debugging: what is drawn, your prediction, the connection. */
  #debugHook() {
    return Object.freeze({
      scene: () => this.scene.describe(),
      sceneApp: () => this.scene.app,
      self: () => (this.#predictor ? { ...this.#predictor.position, pending: this.#predictor.pendingCount, corrections: this.#predictor.corrections } : null),
      toClient: (x: number, y: number) => this.scene.toClient({ x, y }),
      status: () => this.#ctx.connection.status.get().status,
      walk: () => this.walker.waypoints,
      talkRadius: () => this.talkRadius,
    });
  }
}

/** The avatar in the state, validated; a malformed one (never sent by the server) draws the default. */
function lookOf(p: PlayerState): Avatar {
  const parsed = Avatar.safeParse(p.avatar?.toJSON?.() ?? p.avatar);
  return parsed.success ? parsed.data : defaultAvatar(p.user_id);
}
