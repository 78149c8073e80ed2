// The Pixi scene: floor, objects, players, bubbles, the placement ghost, and the camera. It draws
// what it is told and knows nothing of the network; React mounts it once.
import { Application, Container, Graphics, Text } from "pixi.js";
import { TILE_SIZE, type ItemType } from "../../../shared/src/constants.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import type { RoomSize } from "../../../shared/src/sim/placement.ts";
import { cameraFor, type Camera } from "./camera.ts";
import { COLORS, colorOf, createBubble, createPlayerView, drawTile, label, type PlayerView } from "./visuals.ts";

export interface ObjectLook {
  id: number;
  type: string;
  name: string;
  x: number;
  y: number;
  rotation: number;
}

interface ObjectView {
  root: Container;
  tile: Graphics;
  caption: Text | null;
  look: ObjectLook;
}

interface Effect {
  node: Container;
  until: number;
  rise: number;
}

const BUBBLE_MS = 5000;
/** Types whose tile gets a caption under it (chair and wall read by colour alone). */
const CAPTIONED = new Set(["table", "plant", "tool"]);

export class GameScene {
  readonly app = new Application();
  readonly #world = new Container();
  readonly #floor = new Graphics();
  readonly #objectLayer = new Container();
  readonly #playerLayer = new Container();
  readonly #overlay = new Container();
  readonly #ghost = new Container();
  readonly #ghostTile = new Graphics();
  readonly #selection = new Graphics();
  readonly #players = new Map<string, PlayerView & { pos: Point; self: boolean; userId: number; username: string; displayName: string }>();
  readonly #objects = new Map<number, ObjectView>();
  readonly #effects: Effect[] = [];
  #room: RoomSize = { width: 800, height: 600 };
  #selfKey: string | null = null;
  #selectedId: number | null = null;
  #ghostState: { x: number; y: number; ok: boolean; type: string } | null = null;
  #captionFor: (type: string) => string = (t) => t;
  #youWord = "you";
  #destroyed = false;
  #dirty = true;
  #lastCamera = "";
  #ghostRotation = 0;
  #finding: { userId: number; ring: Graphics; until: number } | null = null;
  /** Text keeps its size on screen when the room is drawn smaller. */
  #textScale = 1;

  /** Creates the renderer inside `host`. Resolves false if the scene was destroyed meanwhile. */
  async init(host: HTMLElement): Promise<boolean> {
    await this.app.init({
      resizeTo: host,
      background: COLORS.background,
      antialias: true,
      autoDensity: true,
      resolution: globalThis.devicePixelRatio || 1,
    });
    if (this.#destroyed) {
      this.app.destroy(true, { children: true });
      return false;
    }
    this.app.canvas.dataset["testid"] = "game-canvas";
    host.appendChild(this.app.canvas);
    this.#ghost.addChild(this.#ghostTile);
    this.#ghost.visible = false;
    this.#world.addChild(this.#floor, this.#objectLayer, this.#selection, this.#playerLayer, this.#ghost, this.#overlay);
    this.app.stage.addChild(this.#world);
    // Draw only when something changed (update() decides): an idle room costs no GPU or battery.
    this.app.ticker.remove(this.app.render, this.app);
    this.setRoomSize(this.#room);
    return true;
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    // init() may still be running: it destroys the app itself when it finishes.
    if (this.app.renderer) this.app.destroy(true, { children: true });
  }

  get rendererName(): string {
    return this.app.renderer?.name ?? "none";
  }

  /** Words drawn on the canvas, in the current language. */
  setWords(captionFor: (type: string) => string, youWord: string): void {
    this.#captionFor = captionFor;
    this.#youWord = youWord;
    for (const view of this.#objects.values()) if (view.caption) view.caption.text = captionFor(view.look.type);
    const self = this.#selfKey ? this.#players.get(this.#selfKey) : undefined;
    if (self) self.name.text = `${self.displayName} (${youWord})`;
    this.#dirty = true;
  }

  // ---- the room ----
  setRoomSize(room: RoomSize): void {
    this.#dirty = true;
    this.#room = { ...room };
    const g = this.#floor.clear();
    g.rect(0, 0, room.width, room.height).fill({ color: COLORS.floor });
    for (let x = TILE_SIZE; x < room.width; x += TILE_SIZE) g.moveTo(x, 0).lineTo(x, room.height);
    for (let y = TILE_SIZE; y < room.height; y += TILE_SIZE) g.moveTo(0, y).lineTo(room.width, y);
    g.stroke({ width: 1, color: COLORS.floorGrid, alpha: 0.6 });
    g.rect(0, 0, room.width, room.height).stroke({ width: 4, color: COLORS.floorEdge });
  }

  clear(): void {
    for (const key of [...this.#players.keys()]) this.removePlayer(key);
    for (const id of [...this.#objects.keys()]) this.removeObject(id);
    this.#selfKey = null;
  }

  // ---- players ----
  addPlayer(key: string, p: { user_id: number; username: string; display_name: string; x: number; y: number }, self: boolean): void {
    this.#dirty = true;
    this.removePlayer(key);
    const displayName = p.display_name || p.username;
    const view = createPlayerView(displayName, self, this.#youWord);
    view.root.position.set(p.x, p.y);
    view.root.label = self ? "player-self" : `player-${p.user_id}`;
    view.name.scale.set(this.#textScale);
    this.#playerLayer.addChild(view.root);
    this.#players.set(key, { ...view, pos: { x: p.x, y: p.y }, self, userId: p.user_id, username: p.username, displayName });
    if (self) this.#selfKey = key;
  }

  movePlayer(key: string, p: Point): void {
    const view = this.#players.get(key);
    if (!view || (view.pos.x === p.x && view.pos.y === p.y)) return;
    this.#dirty = true;
    view.pos = { x: p.x, y: p.y };
    view.root.position.set(p.x, p.y);
  }

  removePlayer(key: string): void {
    const view = this.#players.get(key);
    if (!view) return;
    this.#dirty = true;
    view.root.destroy({ children: true });
    this.#players.delete(key);
    if (this.#selfKey === key) this.#selfKey = null;
  }

  /** Shows `message` over the player with `userId` for a few seconds. */
  say(userId: number, message: string): void {
    for (const view of this.#players.values()) {
      if (view.userId !== userId) continue;
      view.bubble?.destroy({ children: true });
      view.bubble = createBubble(message);
      view.bubble.scale.set(this.#textScale);
      view.bubbleUntil = performance.now() + BUBBLE_MS;
      view.root.addChild(view.bubble);
      this.#dirty = true;
    }
  }

  // ---- objects ----
  upsertObject(o: ObjectLook): void {
    this.#dirty = true;
    let view = this.#objects.get(o.id);
    if (!view) {
      const root = new Container();
      root.label = `object-${o.id}`;
      const tile = new Graphics();
      root.addChild(tile);
      let caption: Text | null = null;
      if (CAPTIONED.has(o.type)) {
        caption = label(this.#captionFor(o.type), { fontSize: 10, fill: 0xfff3c4, stroke: { color: 0x3b2a1a, width: 3 } });
        caption.y = TILE_SIZE / 2 + 1;
        caption.scale.set(this.#textScale);
        root.addChild(caption);
      }
      view = { root, tile, caption, look: o };
      this.#objectLayer.addChild(root);
      this.#objects.set(o.id, view);
    }
    // Copy the fields: `o` may be a live schema instance.
    view.look = { id: o.id, type: o.type, name: o.name, x: o.x, y: o.y, rotation: o.rotation };
    drawTile(view.tile, o.type, o.rotation);
    view.root.position.set(o.x, o.y);
    if (this.#selectedId === o.id) this.#drawSelection();
  }

  removeObject(id: number): void {
    const view = this.#objects.get(id);
    if (!view) return;
    this.#dirty = true;
    view.root.destroy({ children: true });
    this.#objects.delete(id);
    if (this.#selectedId === id) this.select(null);
  }

  /** The topmost object whose tile contains the world point `p`. */
  objectAt(p: Point): number | null {
    const half = TILE_SIZE / 2;
    const hits = [...this.#objects.values()].filter((v) => Math.abs(v.look.x - p.x) <= half && Math.abs(v.look.y - p.y) <= half);
    return hits.length ? hits[hits.length - 1]!.look.id : null;
  }

  select(id: number | null): void {
    this.#dirty = true;
    this.#selectedId = id;
    this.#drawSelection();
  }

  #drawSelection(): void {
    const g = this.#selection.clear();
    const view = this.#selectedId === null ? undefined : this.#objects.get(this.#selectedId);
    if (!view) return;
    const half = TILE_SIZE / 2 + 3;
    g.rect(view.look.x - half, view.look.y - half, half * 2, half * 2).stroke({ width: 2, color: COLORS.selected });
  }

  /** A short rising text over an object (a tool's result). */
  flash(objectId: number, text: string): void {
    this.#dirty = true;
    const view = this.#objects.get(objectId);
    if (!view) return;
    const node = label(text, { fontSize: 12, fill: 0xffffff, wordWrap: true, wordWrapWidth: 220 });
    node.scale.set(this.#textScale);
    node.position.set(view.look.x, view.look.y - TILE_SIZE);
    const ring = new Graphics().rect(-20, -20, 40, 40).stroke({ width: 3, color: COLORS.selected });
    ring.position.set(view.look.x, view.look.y);
    this.#overlay.addChild(node, ring);
    const until = performance.now() + 2500;
    this.#effects.push({ node, until, rise: 0.02 }, { node: ring, until: performance.now() + 600, rise: 0 });
  }

  // ---- placement ghost ----
  showGhost(type: ItemType, rotation: number, at: Point, ok: boolean): void {
    const g = this.#ghostState;
    if (this.#ghost.visible && g && g.x === at.x && g.y === at.y && g.ok === ok && g.type === type && this.#ghostRotation === rotation) return;
    this.#ghostRotation = rotation;
    this.#dirty = true;
    drawTile(this.#ghostTile, type, rotation, 0.6);
    this.#ghostTile.rect(-TILE_SIZE / 2, -TILE_SIZE / 2, TILE_SIZE, TILE_SIZE).fill({ color: ok ? COLORS.ghostOk : COLORS.ghostBad, alpha: ok ? 0.15 : 0.55 });
    this.#ghostTile.rect(-TILE_SIZE / 2 - 2, -TILE_SIZE / 2 - 2, TILE_SIZE + 4, TILE_SIZE + 4).stroke({ width: 3, color: ok ? COLORS.ghostOk : COLORS.ghostBad });
    this.#ghost.position.set(at.x, at.y);
    this.#ghost.visible = true;
    this.#ghostState = { x: at.x, y: at.y, ok, type };
  }

  hideGhost(): void {
    if (this.#ghost.visible) this.#dirty = true;
    this.#ghost.visible = false;
    this.#ghostState = null;
  }

  /** "Find" in the people panel: the camera centres on them and a ring marks them for a while. */
  find(userId: number, ms = 4000): boolean {
    const view = [...this.#players.values()].find((v) => v.userId === userId);
    if (!view) return false;
    this.#finding?.ring.destroy();
    const ring = new Graphics().circle(0, 0, 22).stroke({ width: 4, color: 0xffb300 });
    ring.label = `found-${userId}`;
    view.root.addChildAt(ring, 0);
    this.#finding = { userId, ring, until: performance.now() + ms };
    this.#dirty = true;
    return true;
  }

  #foundFocus(): Point | null {
    const f = this.#finding;
    if (!f) return null;
    const view = [...this.#players.values()].find((v) => v.userId === f.userId);
    if (view && performance.now() < f.until) return view.pos;
    if (!f.ring.destroyed) f.ring.destroy();
    this.#finding = null;
    this.#dirty = true;
    return null;
  }

  // ---- camera ----
  #camera(): Camera {
    const focus = this.#foundFocus() ?? ((this.#selfKey && this.#players.get(this.#selfKey)?.pos) || { x: this.#room.width / 2, y: this.#room.height / 2 });
    return cameraFor(this.app.screen, this.#room, focus);
  }

  /** Per frame: camera, bubble and effect timers, draw order; renders if anything changed. */
  update(): void {
    const cam = this.#camera();
    // A resized canvas is blank until drawn again, so the view's size counts too.
    const camera = `${cam.scale}:${cam.x}:${cam.y}:${this.app.screen.width}x${this.app.screen.height}`;
    if (camera !== this.#lastCamera) {
      this.#lastCamera = camera;
      this.#dirty = true;
      this.#world.scale.set(cam.scale);
      this.#setTextScale(1 / cam.scale);
      this.#world.position.set(cam.x, cam.y);
    }
    const now = performance.now();
    for (const view of this.#players.values()) {
      if (view.bubble && now > view.bubbleUntil) {
        view.bubble.destroy({ children: true });
        view.bubble = null;
        this.#dirty = true;
      } else if (view.bubble && view.bubbleUntil - now < 400) {
        view.bubble.alpha = (view.bubbleUntil - now) / 400;
        this.#dirty = true;
      }
    }
    if (this.#effects.length) this.#dirty = true;
    for (let i = this.#effects.length - 1; i >= 0; i--) {
      const e = this.#effects[i]!;
      if (now > e.until) {
        e.node.destroy();
        this.#effects.splice(i, 1);
      } else {
        e.node.y -= e.rise * 16;
        e.node.alpha = Math.min(1, (e.until - now) / 500);
      }
    }
    if (!this.#dirty) return;
    // Lower players are drawn over higher ones; your own avatar always on top.
    this.#playerLayer.children.sort((a, b) => (a.label === "player-self" ? 1 : b.label === "player-self" ? -1 : a.y - b.y));
    this.app.render();
    this.#dirty = false;
  }

  #setTextScale(k: number): void {
    if (k === this.#textScale) return;
    this.#textScale = k;
    for (const v of this.#players.values()) {
      v.name.scale.set(k);
      v.bubble?.scale.set(k);
    }
    for (const v of this.#objects.values()) v.caption?.scale.set(k);
  }

  /** Converts a point on the page (client pixels) to room coordinates. */
  toWorld(clientX: number, clientY: number): Point {
    const rect = this.app.canvas.getBoundingClientRect();
    const cam = this.#camera();
    return { x: (clientX - rect.left - cam.x) / cam.scale, y: (clientY - rect.top - cam.y) / cam.scale };
  }

  /** Converts room coordinates to a point on the page (client pixels). */
  toClient(p: Point): Point {
    const rect = this.app.canvas.getBoundingClientRect();
    const cam = this.#camera();
    return { x: rect.left + cam.x + p.x * cam.scale, y: rect.top + cam.y + p.y * cam.scale };
  }

  /** True when the page point is over the canvas. */
  containsClient(clientX: number, clientY: number): boolean {
    const r = this.app.canvas.getBoundingClientRect();
    return clientX >= r.left && clientX < r.right && clientY >= r.top && clientY < r.bottom;
  }

  /** A read-only description of what is drawn, for tests and debugging. */
  describe() {
    return {
      renderer: this.rendererName,
      room: { ...this.#room },
      players: [...this.#players.entries()].map(([key, v]) => ({
        key,
        user_id: v.userId,
        username: v.username,
        self: v.self,
        x: v.pos.x,
        y: v.pos.y,
        bubble: v.bubble ? true : false,
      })),
      objects: [...this.#objects.values()].map((v) => ({ ...v.look, color: `#${colorOf(v.look.type).toString(16).padStart(6, "0")}` })),
      ghost: this.#ghostState,
      selected: this.#selectedId,
      found: this.#finding && !this.#finding.ring.destroyed ? this.#finding.userId : null,
    };
  }
}
