// Avatars drawn from their parts (body, skin, hair, colours, accessory), facing one of four
// directions, in an idle, walking (two frames) or sitting pose. Each (look, direction, pose) is
// drawn once into a shared atlas and shared by every sprite with that look: never redrawn per frame.
import { Container, Graphics, Rectangle, RenderTexture, Sprite, Texture, type Renderer } from "pixi.js";

export interface AvatarFrame {
  texture: Texture;
  /** Where the feet are within the texture, as a sprite anchor. */
  anchor: { x: number; y: number };
}
import { avatarKey, SKIN_COLORS, type Avatar } from "../../../shared/src/appearance.ts";

export type Facing = "down" | "up" | "left" | "right";
export type Pose = "idle" | "walk1" | "walk2" | "sit";

const hex = (c: string) => Number.parseInt(c.slice(1), 16);
const shade = (c: number, k: number) => {
  const ch = (s: number) => Math.max(0, Math.min(255, Math.round(((c >> s) & 0xff) * k)));
  return (ch(16) << 16) | (ch(8) << 8) | ch(0);
};

/** The facing for a movement (the larger axis wins); null when standing still. */
export function facingOf(dx: number, dy: number): Facing | null {
  if (dx === 0 && dy === 0) return null;
  return Math.abs(dx) > Math.abs(dy) ? (dx > 0 ? "right" : "left") : dy > 0 ? "down" : "up";
}

/** A seat turned by `rotation` faces away from its backrest (drawn along the top at 0°). */
export function facingOfSeat(rotation: number): Facing {
  return ({ 0: "down", 90: "left", 180: "up", 270: "right" } as Record<number, Facing>)[rotation] ?? "down";
}

/** Draws one avatar with its feet at (0, 0), about 26 px wide and 40 px tall. */
export function drawAvatar(g: Graphics, a: Avatar, facing: Facing, pose: Pose): Graphics {
  const skin = hex(SKIN_COLORS[a.skin]);
  const outfit = hex(a.outfit_color);
  const hair = hex(a.hair_color);
  const width = a.body === "slim" ? 8 : a.body === "broad" ? 12 : 10;
  const sit = pose === "sit";
  const lift = sit ? 6 : 0;
  // Legs: apart in a stride while walking, together standing, forward sitting.
  const stride = pose === "walk1" ? 3 : pose === "walk2" ? -3 : 0;
  const legs = shade(outfit, 0.55);
  if (sit) {
    g.roundRect(-7, -8, 5, 7, 2).fill(legs).roundRect(2, -8, 5, 7, 2).fill(legs);
  } else if (facing === "left" || facing === "right") {
    g.roundRect(-3 + stride, -10, 5, 10, 2).fill(legs).roundRect(-2 - stride, -10, 5, 10, 2).fill(shade(legs, 0.8));
  } else {
    g.roundRect(-6, -10 - Math.max(0, stride), 5, 10 + Math.max(0, stride), 2).fill(legs);
    g.roundRect(1, -10 - Math.max(0, -stride), 5, 10 + Math.max(0, -stride), 2).fill(legs);
  }
  // Torso and arms.
  const top = -26 + lift;
  g.roundRect(-width, top, width * 2, 18, 6).fill(outfit).stroke({ width: 1, color: shade(outfit, 0.6) });
  if (facing !== "left") g.roundRect(-width - 3, top + 2, 4, 12, 2).fill(shade(outfit, 0.8));
  if (facing !== "right") g.roundRect(width - 1, top + 2, 4, 12, 2).fill(shade(outfit, 0.8));
  if (a.accessory === "scarf") g.roundRect(-width + 1, top - 1, width * 2 - 2, 5, 2).fill(0xd32f2f);
  // Head.
  const hy = top - 8;
  g.circle(0, hy, 9).fill(skin).stroke({ width: 1, color: shade(skin, 0.7) });
  drawHair(g, a.hair, hair, hy, facing);
  if (facing !== "up") drawFace(g, hy, facing, a.accessory);
  if (a.accessory === "hat") g.roundRect(-10, hy - 11, 20, 4, 2).fill(0x37474f).roundRect(-7, hy - 16, 14, 7, 3).fill(0x455a64);
  // Stroked arcs start with moveTo, or the path would join them to the last shape with a line.
  if (a.accessory === "headphones") g.moveTo(-10, hy).arc(0, hy, 10, Math.PI, 0).stroke({ width: 2, color: 0x212121 }).circle(-9, hy + 1, 3).fill(0x212121).circle(9, hy + 1, 3).fill(0x212121);
  return g;
}

function drawHair(g: Graphics, style: Avatar["hair"], color: number, hy: number, facing: Facing): void {
  const back = facing === "up";
  switch (style) {
    case "none":
      return;
    case "short":
      g.arc(0, hy, 9.5, Math.PI * 1.05, Math.PI * 1.95).fill(color);
      if (back) g.circle(0, hy, 9).fill(color);
      return;
    case "long":
      g.arc(0, hy, 10, Math.PI, 0).fill(color).rect(-10, hy, 4, 12).fill(color).rect(6, hy, 4, 12).fill(color);
      if (back) g.roundRect(-10, hy - 4, 20, 16, 4).fill(color);
      return;
    case "curly":
      for (const [x, y] of [[-7, -5], [0, -8], [7, -5], [-9, 1], [9, 1]] as const) g.circle(x, hy + y, 4).fill(color);
      if (back) g.circle(0, hy, 8).fill(color);
      return;
    case "bun":
      g.arc(0, hy, 9.5, Math.PI * 1.05, Math.PI * 1.95).fill(color).circle(0, hy - 11, 4.5).fill(color);
      if (back) g.circle(0, hy, 9).fill(color);
      return;
    case "mohawk":
      g.roundRect(-2.5, hy - 14, 5, 10, 2).fill(color);
      return;
  }
}

function drawFace(g: Graphics, hy: number, facing: Facing, accessory: Avatar["accessory"]): void {
  const eyes = facing === "down" ? [-3.5, 3.5] : facing === "left" ? [-5] : [5];
  for (const x of eyes) g.circle(x, hy + 1, 1.4).fill(0x1b1b1b);
  if (accessory === "glasses") for (const x of eyes) g.circle(x, hy + 1, 3).stroke({ width: 1.2, color: 0x212121 });
  if (facing === "down") g.moveTo(2.5 * Math.cos(0.2), hy + 4 + 2.5 * Math.sin(0.2)).arc(0, hy + 4, 2.5, 0.2, Math.PI - 0.2).stroke({ width: 1, color: 0x6d3b2a });
}

/** Every frame fits a cell, feet at FEET: arms out to ±16 px, hat or bun up to 51 px above the feet. */
const CELL = { width: 36, height: 58 };
const FEET = { x: 18, y: 54 };
/** An atlas page, in logical pixels, drawn at the scene's texture resolution (camera.ts textureResolution). */
const PAGE = 512;
const CELLS_ACROSS = Math.floor(PAGE / CELL.width);
const CELLS_PER_PAGE = CELLS_ACROSS * Math.floor(PAGE / CELL.height);

/**
 * The texture cache: one frame per look, direction and pose, shared by every sprite, each drawn
 * once into a cell of a few shared atlas pages. Sharing pages is what keeps drawing cheap: a walk
 * cycle swaps a sprite between frames of the same page, which Pixi updates in place, where a
 * texture of its own per frame made it rebuild the whole scene's batches on every step.
 */
export class AvatarTextures {
  readonly #renderer: Renderer;
  readonly #cache = new Map<string, AvatarFrame>();
  readonly #pages: RenderTexture[] = [];
  #used = CELLS_PER_PAGE;
  #resolution: number;

  constructor(renderer: Renderer, resolution: number) {
    this.#renderer = renderer;
    this.#resolution = resolution;
  }

  get resolution(): number {
    return this.#resolution;
  }

  /**
   * Draws every frame again at `resolution` (the zoom crossed a tier): the old frames are
   * destroyed, so every sprite must pick its frame again before the next render.
   */
  setResolution(resolution: number): void {
    if (resolution === this.#resolution) return;
    this.destroy();
    this.#resolution = resolution;
  }

  get size(): number {
    return this.#cache.size;
  }

  get pages(): number {
    return this.#pages.length;
  }

  get(a: Avatar, facing: Facing, pose: Pose): AvatarFrame {
    const key = `${avatarKey(a)}|${facing}|${pose}`;
    let frame = this.#cache.get(key);
    if (!frame) {
      frame = this.#draw(drawAvatar(new Graphics(), a, facing, pose));
      this.#cache.set(key, frame);
    }
    return frame;
  }

  #draw(g: Graphics): AvatarFrame {
    // Antialiased on its own first (an atlas page cannot be multisampled), then copied 1:1.
    const drawn = this.#renderer.generateTexture({
      target: g,
      resolution: this.#resolution,
      antialias: true,
      frame: new Rectangle(-FEET.x, -FEET.y, CELL.width, CELL.height),
    });
    g.destroy();
    const { page, x, y } = this.#cell();
    const copy = new Sprite(drawn);
    copy.position.set(x, y);
    this.#renderer.render({ container: copy, target: page, clear: false });
    copy.destroy();
    drawn.destroy(true);
    const texture = new Texture({ source: page.source, frame: new Rectangle(x, y, CELL.width, CELL.height) });
    return { texture, anchor: { x: FEET.x / CELL.width, y: FEET.y / CELL.height } };
  }

  #cell(): { page: RenderTexture; x: number; y: number } {
    if (this.#used >= CELLS_PER_PAGE) {
      const page = RenderTexture.create({ width: PAGE, height: PAGE, resolution: this.#resolution });
      this.#renderer.render({ container: new Container(), target: page, clear: true, clearColor: [0, 0, 0, 0] });
      this.#pages.push(page);
      this.#used = 0;
    }
    const i = this.#used++;
    return { page: this.#pages[this.#pages.length - 1]!, x: (i % CELLS_ACROSS) * CELL.width, y: Math.floor(i / CELLS_ACROSS) * CELL.height };
  }

  destroy(): void {
    for (const f of this.#cache.values()) f.texture.destroy(false);
    this.#cache.clear();
    for (const page of this.#pages.splice(0)) page.destroy(true);
    this.#used = CELLS_PER_PAGE;
  }
}
