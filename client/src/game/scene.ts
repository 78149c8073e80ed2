// The Pixi scene: floor, objects, players, bubbles, the placement ghost, and the camera. It draws
// what it is told and knows nothing of the network; React mounts it once.
import { Application, Container, Graphics, Text } from "pixi.js";
import { DEFAULT_THEME, type Avatar, type RoomTheme } from "../../../shared/src/appearance.ts";
import { specOf } from "../../../shared/src/catalog.ts";
import { TILE_SIZE, type ItemType } from "../../../shared/src/constants.ts";
import type { RoomObjectView } from "../../../shared/src/placed-object.ts";
import type { Emote } from "../../../shared/src/protocol.ts";
import { footprintRect } from "../../../shared/src/sim/footprint.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import type { RoomSize } from "../../../shared/src/sim/placement.ts";
import { AvatarTextures, type Facing } from "./avatar.ts";
import { cameraFor, clampZoom, overlaps, textureResolution, visibleRect, type Camera } from "./camera.ts";
import { colorOf, drawFurniture } from "./furniture.ts";
import { drawMiniMap, MINI_MAP_SIZE } from "./minimap.ts";
import { animate, createPerson, expire, layoutBubbles, movePerson, place, showBubble, showEmote, type Person, type PersonInit } from "./people.ts";
import { isSoftwareRenderer } from "./renderer-kind.ts";
import { drawRoom } from "./room-look.ts";
import { COLORS, drawFeetRing, label } from "./visuals.ts";

/** What the scene draws of a room object (shared/src/placed-object.ts): everything but its owner. */
export type ObjectLook = Omit<RoomObjectView, "owner_id">;

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

/** The corner map is redrawn at most this often (it is a rough overview; redrawing it every frame costs). */
const MINI_MAP_EVERY_MS = 250;
/** Room pixels beyond the view's edge still drawn: a person's name tag and body reach this far. */
const CULL_MARGIN = 96;
const devicePixelRatio = (): number => globalThis.devicePixelRatio || 1;
/** Types whose tile gets a caption under it (chair and wall read by colour alone). */
const CAPTIONED = new Set(["table", "plant", "tool"]);

export class GameScene {
  readonly app = new Application();
  readonly #world = new Container();
  readonly #floor = new Graphics();
  /** Rugs: flat on the floor, under everything else. */
  readonly #rugLayer = new Container();
  /** Rings at people's feet (speaking, "find"): over the floor and rugs, under every body. */
  readonly #feetLayer = new Container();
  /** Furniture and avatars together, sorted by where their feet are. */
  readonly #thingLayer = new Container();
  /** Name tags, bubbles and emotes: always on top. */
  readonly #tagLayer = new Container();
  readonly #overlay = new Container();
  readonly #miniMap = new Graphics();
  #textures: AvatarTextures | null = null;
  #theme: RoomTheme = DEFAULT_THEME;
  /** The zoom the person chose; null = fit the room automatically. */
  #zoom: number | null = null;
  #reducedMotion = false;
  #miniMapAt = 0;
  #miniMapCamera = "";
  readonly #ghost = new Container();
  readonly #ghostTile = new Graphics();
  readonly #selection = new Graphics();
  readonly #players = new Map<string, Person>();
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
  /** Avatars drawn with a speaking ring, by user id. */
  readonly #rings = new Map<number, Graphics>();
  /** Text keeps its size on screen when the room is drawn smaller. */
  #textScale = 1;
  #resized: ResizeObserver | null = null;
  #software = false;

  /** Creates the renderer inside `host`. Resolves false if the scene was destroyed meanwhile. */
  async init(host: HTMLElement): Promise<boolean> {
    this.#software = isSoftwareRenderer();
    await this.app.init({
      resizeTo: host,
      background: COLORS.background,
      // Software WebGL: the Canvas 2D renderer (renderer-kind.ts); a GPU: WebGL, antialiased.
      preference: this.#software ? "canvas" : "webgl",
      antialias: !this.#software,
      autoDensity: true,
      resolution: devicePixelRatio(),
      // Whole device pixels: a sprite between pixels is resampled, twice the cost of a copy on the
      // Canvas 2D renderer, and blurred on any.
      roundPixels: true,
    });
    if (this.#destroyed) {
      this.app.destroy(true, { children: true });
      return false;
    }
    this.app.canvas.dataset["testid"] = "game-canvas";
    host.appendChild(this.app.canvas);
    // Pixi's resizeTo follows the window only; the stage also changes size on its own (a phone's
    // panel sheet opening or closing), and the canvas must follow it.
    this.#resized = new ResizeObserver(() => this.app.queueResize());
    this.#resized.observe(host);
    this.#ghost.addChild(this.#ghostTile);
    this.#ghost.visible = false;
    this.#world.addChild(this.#floor, this.#rugLayer, this.#selection, this.#feetLayer, this.#thingLayer, this.#ghost, this.#tagLayer, this.#overlay);
    this.app.stage.addChild(this.#world, this.#miniMap);
    this.#textures = new AvatarTextures(this.app.renderer, textureResolution(1, devicePixelRatio()));
    // Draw only when something changed (update() decides): an idle room costs no GPU or battery.
    this.app.ticker.remove(this.app.render, this.app);
    this.setRoomSize(this.#room);
    return true;
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#resized?.disconnect();
    // init() may still be running: it destroys the app itself when it finishes.
    this.#textures?.destroy();
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
    drawRoom(this.#floor, this.#room, this.#theme);
  }

  setTheme(theme: RoomTheme): void {
    this.#theme = theme;
    this.setRoomSize(this.#room);
  }

  /** Stops the walk cycle and camera easing (prefers-reduced-motion). */
  setReducedMotion(on: boolean): void {
    this.#reducedMotion = on;
    this.#dirty = true;
  }

  /** Zooms by `factor` from the current scale, within 50–200 %. */
  zoomBy(factor: number): void {
    this.#zoom = clampZoom(this.#camera().scale * factor);
    this.#dirty = true;
  }

  get zoom(): number {
    return this.#camera().scale;
  }

  clear(): void {
    for (const key of [...this.#players.keys()]) this.removePlayer(key);
    for (const id of [...this.#objects.keys()]) this.removeObject(id);
    this.#selfKey = null;
  }

  // ---- players ----
  addPlayer(key: string, p: PersonInit, self: boolean): void {
    this.#dirty = true;
    this.removePlayer(key);
    const view = createPerson(key, p, self, this.#youWord);
    view.name.scale.set(this.#textScale);
    place(view);
    if (this.#textures) animate(view, this.#textures, performance.now(), this.#reducedMotion);
    this.#feetLayer.addChild(view.feet);
    this.#thingLayer.addChild(view.sprite);
    this.#tagLayer.addChild(view.tag);
    this.#players.set(key, view);
    if (self) this.#selfKey = key;
  }

  movePlayer(key: string, p: Point): void {
    const view = this.#players.get(key);
    if (view && movePerson(view, p, performance.now())) this.#dirty = true;
  }

  /** A new look for a person (changed live on their profile). */
  setAvatar(key: string, avatar: Avatar): void {
    const view = this.#players.get(key);
    if (!view) return;
    view.avatar = avatar;
    view.sprite.texture = view.sprite.texture; // re-picked in update()
    view.pose = "idle";
    view.movedAt = 0;
    if (this.#textures) animate(view, this.#textures, performance.now(), this.#reducedMotion);
    this.#dirty = true;
  }

  /** Seated people face the way their seat faces; null stands them up. */
  setSeat(key: string, facing: Facing | null): void {
    const view = this.#players.get(key);
    if (!view || view.seat === facing) return;
    view.seat = facing;
    this.#dirty = true;
  }

  removePlayer(key: string): void {
    const view = this.#players.get(key);
    if (!view) return;
    this.#dirty = true;
    view.sprite.destroy();
    view.feet.destroy({ children: true });
    view.tag.destroy({ children: true });
    this.#players.delete(key);
    if (this.#selfKey === key) this.#selfKey = null;
  }

  /** Rings the avatars of the people whose voice is heard right now (proximity media). */
  setSpeaking(userIds: readonly number[]): void {
    const wanted = new Set(userIds);
    for (const [id, ring] of this.#rings) {
      if (wanted.has(id) && !ring.destroyed) continue;
      if (!ring.destroyed) ring.destroy();
      this.#rings.delete(id);
      this.#dirty = true;
    }
    for (const view of this.#players.values()) {
      if (!wanted.has(view.userId) || this.#rings.has(view.userId)) continue;
      const ring = drawFeetRing(new Graphics());
      ring.label = `speaking-${view.userId}`;
      view.feet.addChild(ring);
      this.#rings.set(view.userId, ring);
      this.#dirty = true;
    }
  }

  /** Shows `message` over the player with `userId` for a few seconds. */
  say(userId: number, message: string): void {
    for (const view of this.#players.values()) {
      if (view.userId !== userId) continue;
      showBubble(view, message, this.#textScale, performance.now());
      this.#dirty = true;
    }
  }

  /** Shows an emote over the player with `userId` for EMOTE_SHOW_MS. */
  emote(userId: number, emote: Emote): void {
    for (const view of this.#players.values()) {
      if (view.userId !== userId) continue;
      showEmote(view, emote, this.#textScale, performance.now());
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
      (specOf(o.type).underlay ? this.#rugLayer : this.#thingLayer).addChild(root);
      this.#objects.set(o.id, view);
    }
    // Copy the fields: `o` may be a live schema instance.
    view.look = { id: o.id, type: o.type, name: o.name, x: o.x, y: o.y, rotation: o.rotation };
    drawFurniture(view.tile, o.type, o.rotation);
    this.#cacheTile(view.tile);
    view.root.position.set(o.x, o.y);
    // Sorted with the avatars by the bottom edge of its footprint.
    // Seats and rugs sort by their top edge, so whoever sits or stands on them is drawn on them.
    const r = footprintRect(view.look);
    view.root.zIndex = specOf(o.type).seat || specOf(o.type).underlay ? r.top : r.bottom;
    if (view.caption) view.caption.y = footprintRect({ ...view.look, x: 0, y: 0 }).bottom + 1;
    if (this.#selectedId === o.id) this.#drawSelection();
  }

  /**
   * A piece is drawn once into a texture of its own, at the zoom's texture resolution, and then
   * blitted: replaying its paths on every frame was most of a busy room's frame on Canvas 2D.
   */
  #cacheTile(tile: Graphics): void {
    const resolution = this.#textures?.resolution ?? textureResolution(1, devicePixelRatio());
    if (tile.isCachedAsTexture && tile.renderGroup?.textureOptions.resolution === resolution) {
      tile.updateCacheTexture();
      return;
    }
    if (tile.isCachedAsTexture) tile.cacheAsTexture(false);
    tile.cacheAsTexture({ resolution });
  }

  removeObject(id: number): void {
    const view = this.#objects.get(id);
    if (!view) return;
    this.#dirty = true;
    view.root.destroy({ children: true });
    this.#objects.delete(id);
    if (this.#selectedId === id) this.select(null);
  }

  /** The topmost object whose footprint contains the world point `p` (a rug only if nothing stands there). */
  objectAt(p: Point): number | null {
    const hits = [...this.#objects.values()].filter((v) => {
      const r = footprintRect(v.look);
      return p.x >= r.left && p.x <= r.right && p.y >= r.top && p.y <= r.bottom;
    });
    hits.sort((a, b) => Number(specOf(b.look.type).underlay) - Number(specOf(a.look.type).underlay));
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
    const r = footprintRect(view.look);
    g.rect(r.left - 3, r.top - 3, r.right - r.left + 6, r.bottom - r.top + 6).stroke({ width: 2, color: COLORS.selected });
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
    drawFurniture(this.#ghostTile, type, rotation, 0.6);
    // The whole footprint, unrotated here: the graphic's own rotation turns it with the drawing.
    const r = footprintRect({ type, x: 0, y: 0 });
    const [w, h] = [r.right - r.left, r.bottom - r.top];
    this.#ghostTile.rect(r.left, r.top, w, h).fill({ color: ok ? COLORS.ghostOk : COLORS.ghostBad, alpha: ok ? 0.15 : 0.55 });
    this.#ghostTile.rect(r.left - 2, r.top - 2, w + 4, h + 4).stroke({ width: 3, color: ok ? COLORS.ghostOk : COLORS.ghostBad });
    this.#ghost.position.set(at.x, at.y);
    this.#ghost.visible = true;
    this.#ghostState = { x: at.x, y: at.y, ok, type };
  }

  /** Where the placement ghost stands and whether the piece may go there; null when not placing. */
  get ghost(): { x: number; y: number; ok: boolean; type: string } | null {
    return this.#ghostState ? { ...this.#ghostState } : null;
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
    const ring = drawFeetRing(new Graphics(), 0xffb300, 4, 22);
    ring.label = `found-${userId}`;
    view.feet.addChild(ring);
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
    return cameraFor(this.app.screen, this.#room, focus, this.#zoom);
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
      this.#setTextureResolution(textureResolution(cam.scale, devicePixelRatio()));
    }
    const now = performance.now();
    for (const view of this.#players.values()) {
      if (expire(view, now)) this.#dirty = true;
      if (this.#textures && animate(view, this.#textures, now, this.#reducedMotion)) this.#dirty = true;
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
    this.#cull(cam);
    // Depth: whatever stands lower on the screen (feet or footprint bottom) is drawn in front.
    for (const v of this.#players.values()) v.sprite.zIndex = v.sprite.y;
    this.#thingLayer.sortChildren();
    layoutBubbles(this.#players.values());
    if (now - this.#miniMapAt > MINI_MAP_EVERY_MS || camera !== this.#miniMapCamera) this.#drawMiniMap(cam, now, camera);
    this.app.render();
    this.#dirty = false;
  }

  /**
   * Skips what lies outside the view: a renderer still pays a call for every object it is handed,
   * visible or not, and in a room larger than the window most of it is off screen. People keep a
   * margin for their name tag; a tag with a bubble or an emote (which may be lifted far above its
   * owner) is always drawn.
   */
  #cull(cam: Camera): void {
    const view = visibleRect(this.app.screen, cam, CULL_MARGIN);
    for (const v of this.#objects.values()) v.root.culled = !overlaps(view, footprintRect(v.look));
    for (const p of this.#players.values()) {
      const out = !overlaps(view, { left: p.pos.x, right: p.pos.x, top: p.pos.y, bottom: p.pos.y });
      p.sprite.culled = out;
      p.feet.culled = out;
      p.tag.culled = out && !p.bubble && !p.emote;
    }
  }

  /** The zoom crossed a tier: avatar frames and furniture are drawn again for one pixel per pixel. */
  #setTextureResolution(resolution: number): void {
    if (!this.#textures || this.#textures.resolution === resolution) return;
    this.#textures.setResolution(resolution);
    // Every sprite's frame was destroyed: pick them again now, before anything is drawn.
    for (const view of this.#players.values()) animate(view, this.#textures, performance.now(), this.#reducedMotion);
    for (const view of this.#objects.values()) this.#cacheTile(view.tile);
  }

  #setTextScale(k: number): void {
    if (k === this.#textScale) return;
    this.#textScale = k;
    for (const v of this.#players.values()) {
      v.name.scale.set(k);
      v.bubble?.scale.set(k);
      v.emote?.scale.set(k);
    }
    for (const v of this.#objects.values()) v.caption?.scale.set(k);
  }

  /** When the room does not fit the view, a corner map shows all of it and where the view is. */
  #drawMiniMap(cam: Camera, now: number, cameraKey: string): void {
    this.#miniMapAt = now;
    this.#miniMapCamera = cameraKey;
    const view = this.app.screen;
    const fits = this.#room.width * cam.scale <= view.width && this.#room.height * cam.scale <= view.height;
    this.#miniMap.visible = !fits;
    if (fits) return;
    const people = [...this.#players.values()].map((p) => ({ ...p.pos, self: p.self }));
    const things = [...this.#objects.values()].map((o) => ({ rect: footprintRect(o.look), color: colorOf(o.look.type) }));
    const size = Math.min(MINI_MAP_SIZE, Math.round(view.width / 3));
    const k = drawMiniMap(this.#miniMap, this.#room, cam, view, people, things, size);
    // Drawn into a texture 4 times a second and blitted on every frame between: the Canvas 2D
    // renderer replayed its hundreds of shapes (one per person and piece) on every frame.
    if (this.#miniMap.isCachedAsTexture) this.#miniMap.updateCacheTexture();
    else this.#miniMap.cacheAsTexture({ resolution: Math.max(1, globalThis.devicePixelRatio || 1) });
    // Bottom right: the emote bar holds the top left, and the map must not hide your own corner.
    this.#miniMap.position.set(view.width - this.#room.width * k - 10, view.height - this.#room.height * k - 10);
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

  /**
   * Where each person drawn stands: for the callers that run a few times a second or on every
   * pointer move (voice fading, the nearby list, the placement check). describe() walks every
   * layer's children for each person (depth, rings) and cost O(people × children) per call.
   */
  people(): { user_id: number; username: string; self: boolean; x: number; y: number }[] {
    const out = [];
    for (const v of this.#players.values()) out.push({ user_id: v.userId, username: v.username, self: v.self, x: v.pos.x, y: v.pos.y });
    return out;
  }

  /** The objects drawn, as the room describes them (type, position, rotation…). */
  objectLooks(): ObjectLook[] {
    return [...this.#objects.values()].map((v) => v.look);
  }

  /** A read-only description of what is drawn, for tests and debugging. */
  describe() {
    return {
      renderer: this.rendererName,
      software: this.#software,
      room: { ...this.#room },
      players: [...this.#players.entries()].map(([key, v]) => ({
        key,
        user_id: v.userId,
        username: v.username,
        self: v.self,
        x: v.pos.x,
        y: v.pos.y,
        bubble: v.bubble ? true : false,
        bubble_y: v.bubble ? v.bubble.y : null,
        emote: v.emote ? v.emote.label.replace("emote-", "") : null,
        avatar: v.avatar,
        facing: v.seat ?? v.facing,
        pose: v.pose,
        depth: this.#thingLayer.getChildIndex(v.sprite),
        drawn: !v.sprite.culled,
        speaking: this.#rings.has(v.userId),
      })),
      objects: [...this.#objects.values()].map((v) => ({
        ...v.look,
        color: `#${colorOf(v.look.type).toString(16).padStart(6, "0")}`,
        layer: v.root.parent === this.#rugLayer ? "floor" : "things",
        depth: v.root.parent?.getChildIndex(v.root) ?? -1,
        drawn: !v.root.culled,
      })),
      theme: { ...this.#theme },
      // Asked for before init() is done (the media view starts at once): no renderer, no camera yet.
      zoom: this.app.renderer ? this.#camera().scale : 1,
      miniMap: this.#miniMap.visible,
      avatarTextures: this.#textures?.size ?? 0,
      textureResolution: this.#textures?.resolution ?? 0,
      ghost: this.#ghostState,
      selected: this.#selectedId,
      found: this.#finding && !this.#finding.ring.destroyed ? this.#finding.userId : null,
      ...this.#describeRings(),
    };
  }

  /** Which layer each ring really hangs in, and the layers' drawing order (first = lowest). */
  #describeRings() {
    const layers = new Map<Container, string>([
      [this.#floor, "floor"],
      [this.#rugLayer, "rugs"],
      [this.#selection, "selection"],
      [this.#feetLayer, "feet"],
      [this.#thingLayer, "bodies"],
      [this.#ghost, "ghost"],
      [this.#tagLayer, "tags"],
      [this.#overlay, "overlay"],
    ]);
    const layerOf = (node: Container): string => {
      let n: Container | null = node;
      while (n && !layers.has(n)) n = n.parent;
      return n ? layers.get(n)! : "none";
    };
    const rings = [...this.#players.values()].flatMap((v) =>
      [...v.feet.children, ...v.tag.children]
        .filter((c) => /^(speaking|found)-/.test(c.label))
        .map((c) => ({ user_id: v.userId, kind: c.label.split("-")[0], layer: layerOf(c) })),
    );
    return { rings, layers: this.#world.children.map((c) => layers.get(c as Container) ?? "other") };
  }
}
