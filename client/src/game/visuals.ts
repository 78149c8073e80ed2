// Shared looks: the palette, text labels and chat bubbles (furniture: furniture.ts; avatars: avatar.ts).
import { Container, Graphics, Text, type TextStyleOptions } from "pixi.js";
import { PLAYER_RADIUS } from "../../../shared/src/constants.ts";

export const COLORS = {
  background: 0x2b211c,
  floor: 0x8b5a2b,
  floorGrid: 0x7a4e25,
  floorEdge: 0x4a2f16,
  player: 0x000000,
  selfRing: 0xffc53d,
  chair: 0xffffff,
  wall: 0x2f6fdf,
  other: 0xf5c518,
  tileEdge: 0x3b2a1a,
  ghostOk: 0x3ddc84,
  ghostBad: 0xff3b30,
  selected: 0x00e5ff,
  speaking: 0x3ddc84,
} as const;


/**
 * Text is drawn at the screen's own pixels: labels keep their size on screen at any zoom (the scene
 * scales them by 1 / zoom), so one texture pixel lands on one screen pixel, as the browser draws
 * text. At twice that, every tag was shrunk on every frame, which the Canvas 2D renderer pays for.
 */
const textResolution = (): number => Math.max(1, globalThis.devicePixelRatio || 1);

const FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans KR', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif";

export function label(text: string, style: Partial<TextStyleOptions> = {}): Text {
  const t = new Text({
    text,
    style: { fontFamily: FONT, fontSize: 12, fill: 0xffffff, stroke: { color: 0x000000, width: 3 }, fontWeight: "600", ...style },
    resolution: textResolution(),
  });
  t.anchor.set(0.5, 0);
  return t;
}

export function createBubble(message: string): Container {
  const box = new Container();
  const text = new Text({
    text: message,
    style: { fontFamily: FONT, fontSize: 13, fill: 0x1a1a1a, wordWrap: true, wordWrapWidth: 180, breakWords: true },
    resolution: textResolution(),
  });
  const padX = 8;
  const padY = 5;
  const w = Math.max(24, text.width + padX * 2);
  const h = text.height + padY * 2;
  const bg = new Graphics()
    .roundRect(-w / 2, -h - 8, w, h, 8)
    .fill({ color: 0xffffff })
    .stroke({ width: 1, color: 0x333333 })
    .poly([-6, -9, 6, -9, 0, -1])
    .fill({ color: 0xffffff });
  text.x = -w / 2 + padX;
  text.y = -h - 8 + padY;
  box.addChild(bg, text);
  box.y = -PLAYER_RADIUS - 4;
  return box;
}

/**
 * A ring on the floor around an avatar's feet (drawn at the feet, seen from above: flattened),
 * green while their microphone picks up speech.
 */
export function drawFeetRing(g: Graphics, color: number = COLORS.speaking, width = 3, r = PLAYER_RADIUS + 7): Graphics {
  return g.clear().ellipse(0, 0, r, r * 0.5).stroke({ width, color });
}
