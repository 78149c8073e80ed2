// How things look: colours per object type, the player avatar, tiles with an icon per type.
import { Container, Graphics, Text, type TextStyleOptions } from "pixi.js";
import { PLAYER_RADIUS, TILE_SIZE, type ItemType } from "../../../shared/src/constants.ts";
import { RTC } from "../../../shared/src/media.ts";
import { PRIVATE_AREA_TYPE } from "../../../shared/src/sim/proximity.ts";

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
  rug: 0x7b3fa0,
  rugEdge: 0xd9b3ff,
  speaking: 0x3ddc84,
} as const;

/** The colour a placed object of `type` is drawn with: chair white, wall blue, the rest yellow. */
export function colorOf(type: string): number {
  if (type === "chair") return COLORS.chair;
  if (type === "wall") return COLORS.wall;
  return COLORS.other;
}

const FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans KR', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif";

export function label(text: string, style: Partial<TextStyleOptions> = {}): Text {
  const t = new Text({
    text,
    style: { fontFamily: FONT, fontSize: 12, fill: 0xffffff, stroke: { color: 0x000000, width: 3 }, fontWeight: "600", ...style },
    resolution: Math.max(2, globalThis.devicePixelRatio ?? 1),
  });
  t.anchor.set(0.5, 0);
  return t;
}

export interface PlayerView {
  root: Container;
  name: Text;
  bubble: Container | null;
  bubbleUntil: number;
}

export function createPlayerView(name: string, self: boolean, youWord: string): PlayerView {
  const root = new Container();
  const body = new Graphics();
  if (self) body.circle(0, 0, PLAYER_RADIUS + 3).fill({ color: COLORS.selfRing });
  body.circle(0, 0, PLAYER_RADIUS).fill({ color: COLORS.player });
  // A small highlight so the black disc reads as a body on the brown floor.
  body.circle(-4, -4, 3).fill({ color: 0xffffff, alpha: 0.25 });
  root.addChild(body);
  const text = label(self ? `${name} (${youWord})` : name, self ? { fill: COLORS.selfRing } : {});
  text.y = PLAYER_RADIUS + 4;
  root.addChild(text);
  return { root, name: text, bubble: null, bubbleUntil: 0 };
}

export function createBubble(message: string): Container {
  const box = new Container();
  const text = new Text({
    text: message,
    style: { fontFamily: FONT, fontSize: 13, fill: 0x1a1a1a, wordWrap: true, wordWrapWidth: 180, breakWords: true },
    resolution: Math.max(2, globalThis.devicePixelRatio ?? 1),
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

/** A tile of `type`, centred on (0, 0), turned by `rotation` degrees, with a per-type icon. */
export function drawTile(g: Graphics, type: ItemType | string, rotation: number, alpha = 1): Graphics {
  const half = TILE_SIZE / 2;
  g.clear();
  if (type === PRIVATE_AREA_TYPE) return drawRug(g, alpha);
  g.rect(-half, -half, TILE_SIZE, TILE_SIZE).fill({ color: colorOf(type), alpha }).stroke({ width: 1.5, color: COLORS.tileEdge, alpha });
  drawIcon(g, type, alpha);
  g.rotation = (rotation * Math.PI) / 180;
  return g;
}

/** A private area: a rug as large as the area it makes private, so people see where it ends. */
function drawRug(g: Graphics, alpha: number): Graphics {
  const half = RTC.privateAreaSize / 2;
  g.rect(-half, -half, RTC.privateAreaSize, RTC.privateAreaSize).fill({ color: COLORS.rug, alpha: 0.55 * alpha }).stroke({ width: 3, color: COLORS.rugEdge, alpha });
  g.rect(-half + 8, -half + 8, RTC.privateAreaSize - 16, RTC.privateAreaSize - 16).stroke({ width: 1.5, color: COLORS.rugEdge, alpha: 0.7 * alpha });
  g.rotation = 0;
  return g;
}

/** The ring around an avatar whose microphone picks up speech. */
export function drawSpeakingRing(g: Graphics): Graphics {
  return g.clear().circle(0, 0, PLAYER_RADIUS + 7).stroke({ width: 3, color: COLORS.speaking });
}

function drawIcon(g: Graphics, type: string, alpha: number): void {
  const ink = { color: 0x3b2a1a, alpha };
  switch (type) {
    case "chair":
      // Seat and a backrest along the top edge (the rotation turns the backrest).
      g.rect(-9, -12, 18, 5).fill({ color: 0x9e9e9e, alpha });
      g.rect(-8, -5, 16, 12).stroke({ width: 2, color: 0x9e9e9e, alpha });
      break;
    case "wall":
      // Brick courses.
      for (const y of [-8, 0, 8]) g.moveTo(-15, y).lineTo(15, y).stroke({ width: 1, color: 0x1d4fa8, alpha });
      for (const [x, y] of [[-6, -12], [6, -4], [-6, 4], [6, 12]] as const) g.moveTo(x, y - 4).lineTo(x, y + 4).stroke({ width: 1, color: 0x1d4fa8, alpha });
      break;
    case "table":
      g.roundRect(-11, -8, 22, 12, 2).fill({ color: 0x8d6e63, alpha });
      g.rect(-10, 4, 3, 7).fill({ color: 0x5d4037, alpha });
      g.rect(7, 4, 3, 7).fill({ color: 0x5d4037, alpha });
      break;
    case "plant":
      g.rect(-6, 3, 12, 9).fill({ color: 0xa1662f, alpha });
      g.circle(0, -4, 7).fill({ color: 0x2e7d32, alpha });
      g.circle(-6, -1, 4).fill({ color: 0x388e3c, alpha });
      g.circle(6, -1, 4).fill({ color: 0x388e3c, alpha });
      break;
    case "tool":
      // A spanner: a handle and an open ring.
      g.moveTo(-9, 9).lineTo(4, -4).stroke({ width: 4, color: ink.color, alpha });
      g.circle(6, -6, 5).stroke({ width: 3, color: ink.color, alpha });
      break;
    default:
      g.circle(0, 0, 5).fill(ink);
  }
}
