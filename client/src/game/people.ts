// The people in the scene: an avatar sprite per person in the depth-sorted layer, and their name
// tag, chat bubble and emote in a layer above everything, so tags are never hidden behind furniture.
import { Container, Graphics, Sprite, type Text } from "pixi.js";
import type { Avatar } from "../../../shared/src/appearance.ts";
import { defaultAvatar } from "../../../shared/src/appearance.ts";
import { PLAYER_RADIUS } from "../../../shared/src/constants.ts";
import { EMOTE_SHOW_MS, type Emote } from "../../../shared/src/protocol.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import { facingOf, type AvatarTextures, type Facing, type Pose } from "./avatar.ts";
import { EMOTE_SVG } from "./emote-icons.ts";
import { COLORS, createBubble, label } from "./visuals.ts";

export const BUBBLE_MS = 5000;
/** Feet are drawn this far below the player's centre (the circle the rules use). */
export const FEET_OFFSET = PLAYER_RADIUS;
const STEP_MS = 180;
const STOP_AFTER_MS = 150;


export interface Person {
  key: string;
  userId: number;
  username: string;
  displayName: string;
  self: boolean;
  pos: Point;
  avatar: Avatar;
  facing: Facing;
  /** The seat's facing while seated; null when standing. */
  seat: Facing | null;
  movedAt: number;
  pose: Pose;
  sprite: Sprite;
  /** On the floor at the feet, under every body: speaking and "find" rings hang here. */
  feet: Container;
  tag: Container;
  name: Text;
  bubble: Container | null;
  bubbleUntil: number;
  emote: Container | null;
  emoteUntil: number;
}

export interface PersonInit {
  user_id: number;
  username: string;
  display_name: string;
  x: number;
  y: number;
  avatar?: Avatar | undefined;
}

export function createPerson(key: string, p: PersonInit, self: boolean, youWord: string): Person {
  const displayName = p.display_name || p.username;
  const sprite = new Sprite();
  sprite.label = self ? "player-self" : `player-${p.user_id}`;
  const feet = new Container();
  const tag = new Container();
  const name = label(self ? `${displayName} (${youWord})` : displayName, self ? { fill: COLORS.selfRing } : {});
  name.y = FEET_OFFSET + 2;
  tag.addChild(name);
  return {
    key,
    userId: p.user_id,
    username: p.username,
    displayName,
    self,
    pos: { x: p.x, y: p.y },
    avatar: p.avatar?.body ? p.avatar : defaultAvatar(p.user_id),
    facing: "down",
    seat: null,
    movedAt: 0,
    pose: "idle",
    sprite,
    feet,
    tag,
    name,
    bubble: null,
    bubbleUntil: 0,
    emote: null,
    emoteUntil: 0,
  };
}

/** Moves a person; true when anything visible changed. */
export function movePerson(v: Person, p: Point, now: number): boolean {
  if (v.pos.x === p.x && v.pos.y === p.y) return false;
  v.facing = facingOf(p.x - v.pos.x, p.y - v.pos.y) ?? v.facing;
  v.pos = { x: p.x, y: p.y };
  v.movedAt = now;
  place(v);
  return true;
}

export function place(v: Person): void {
  v.sprite.position.set(v.pos.x, v.pos.y + FEET_OFFSET);
  v.feet.position.set(v.pos.x, v.pos.y + FEET_OFFSET);
  v.tag.position.set(v.pos.x, v.pos.y);
}

/** Picks the texture for the person's pose now; true when it changed. */
export function animate(v: Person, textures: AvatarTextures, now: number, reducedMotion: boolean): boolean {
  const walking = now - v.movedAt < STOP_AFTER_MS;
  const pose: Pose = v.seat ? "sit" : walking && !reducedMotion ? (Math.floor(now / STEP_MS) % 2 ? "walk1" : "walk2") : "idle";
  const facing = v.seat ?? v.facing;
  const frame = textures.get(v.avatar, facing, pose);
  if (v.sprite.texture === frame.texture) return false;
  v.pose = pose;
  v.sprite.texture = frame.texture;
  v.sprite.anchor.set(frame.anchor.x, frame.anchor.y);
  return true;
}

export function showBubble(v: Person, message: string, textScale: number, now: number): void {
  v.bubble?.destroy({ children: true });
  v.bubble = createBubble(message);
  v.bubble.scale.set(textScale);
  v.bubbleUntil = now + BUBBLE_MS;
  v.tag.addChild(v.bubble);
}

export function showEmote(v: Person, emote: Emote, textScale: number, now: number): void {
  v.emote?.destroy({ children: true });
  v.emote = new Container();
  const icon = new Graphics().svg(EMOTE_SVG[emote]);
  const bg = new Graphics().circle(12, 12, 15).fill({ color: 0xffffff, alpha: 0.92 }).stroke({ width: 1.5, color: 0x333333 });
  v.emote.addChild(bg, icon);
  v.emote.pivot.set(12, 24);
  v.emote.position.set(PLAYER_RADIUS + 8, -PLAYER_RADIUS - 16);
  v.emote.scale.set(textScale);
  v.emote.label = `emote-${emote}`;
  v.emoteUntil = now + EMOTE_SHOW_MS;
  v.tag.addChild(v.emote);
}

/** Expires bubbles and emotes; true when anything visible changed. */
export function expire(v: Person, now: number): boolean {
  let changed = false;
  if (v.bubble && now > v.bubbleUntil) {
    v.bubble.destroy({ children: true });
    v.bubble = null;
    changed = true;
  } else if (v.bubble && v.bubbleUntil - now < 400) {
    v.bubble.alpha = (v.bubbleUntil - now) / 400;
    changed = true;
  }
  if (v.emote && now > v.emoteUntil) {
    v.emote.destroy({ children: true });
    v.emote = null;
    changed = true;
  }
  return changed;
}

/**
 * Lifts bubbles that would cover one another: lowest speaker first, each bubble moved up until
 * its box clears the ones already laid out.
 */
export function layoutBubbles(people: Iterable<Person>): void {
  const withBubbles = [...people].filter((p) => p.bubble).sort((a, b) => b.pos.y - a.pos.y);
  const placed: { l: number; r: number; t: number; b: number }[] = [];
  for (const p of withBubbles) {
    const bubble = p.bubble!;
    bubble.y = -PLAYER_RADIUS - 4 - 22;
    const local = bubble.getLocalBounds();
    const s = bubble.scale.x;
    const box = () => ({
      l: p.pos.x + local.minX * s,
      r: p.pos.x + local.maxX * s,
      t: p.pos.y + bubble.y + local.minY * s,
      b: p.pos.y + bubble.y + local.maxY * s,
    });
    for (let guard = 0; guard < 20; guard++) {
      const me = box();
      const hit = placed.find((o) => me.l < o.r && o.l < me.r && me.t < o.b && o.t < me.b);
      if (!hit) break;
      bubble.y -= me.b - hit.t + 2;
    }
    placed.push(box());
  }
}
