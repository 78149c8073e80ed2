// Random and malformed payloads for every client message type, and the server's expected verdict
// on each (from the same shared schemas the room validates with).
import { CLIENT_MESSAGES, PAYLOADS, type ClientMessage } from "../../../shared/src/protocol.ts";

export type Rand = () => number;

/** A well-formed payload of each type, which the fuzzer then breaks. */
const BASE: Record<ClientMessage, Record<string, unknown>> = {
  [CLIENT_MESSAGES.updatePosition]: { x: 100, y: 100, seq: 1 },
  [CLIENT_MESSAGES.sendMessage]: { message: "hello" },
  [CLIENT_MESSAGES.placeObject]: { inventory_item_id: 1, x: 100, y: 100, rotation: 0 },
  [CLIENT_MESSAGES.useTool]: { target_object_id: 1, action: "inspect" },
  [CLIENT_MESSAGES.getInventory]: {},
  [CLIENT_MESSAGES.getRoomState]: {},
  [CLIENT_MESSAGES.leaveRoom]: {},
  [CLIENT_MESSAGES.emote]: { emote: "wave" },
  [CLIENT_MESSAGES.rtcMedia]: { audio: true, video: false, screen: false },
  [CLIENT_MESSAGES.rtcSignal]: { to_user_id: 1, kind: "offer", data: { type: "offer", sdp: "v=0" } },
};

const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const ODD_STRINGS = ["", " ", "\u0000", "__proto__", "constructor", "NaN", "1e309", "-1", "０", "🙂".repeat(3), "<script>", "'; drop table items; --"];
const ODD_NUMBERS = [0, -0, -1, 1.5, 0.0001, 65535, 65536, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), 1e308, Number.MIN_VALUE, NaN, Infinity, -Infinity];

export function randomString(rand: Rand): string {
  const r = rand();
  if (r < 0.4) return pick(rand, ODD_STRINGS);
  // Long strings stay under the transport's 4 KiB frame limit, so the answer is an error, not a close.
  const length = r < 0.8 ? Math.floor(rand() * 20) : 400 + Math.floor(rand() * 900);
  let s = "";
  for (let i = 0; i < length; i++) s += String.fromCharCode(rand() < 0.9 ? 32 + Math.floor(rand() * 95) : Math.floor(rand() * 0xd7ff));
  return s;
}

/** A random key; never "__proto__", which would set the object's prototype instead of a key. */
function randomKey(rand: Rand): string {
  const key = rand() < 0.5 ? randomString(rand).slice(0, 12) : pick(rand, ["x", "y", "seq", "message", "action", "rotation"]);
  return key === "__proto__" ? "proto" : key;
}

export function randomValue(rand: Rand, depth = 0): unknown {
  const r = rand();
  if (r < 0.08) return null;
  if (r < 0.12) return undefined;
  if (r < 0.18) return rand() < 0.5;
  if (r < 0.38) return rand() < 0.6 ? pick(rand, ODD_NUMBERS) : Math.floor((rand() - 0.5) * 10_000);
  if (r < 0.6) return randomString(rand);
  // Byte arrays as numbers: a typed array made in jest's VM realm confuses msgpackr's realm checks.
  if (r < 0.65) return Array.from({ length: Math.floor(rand() * 16) }, () => Math.floor(rand() * 256));
  if (depth > 2) return 0;
  if (r < 0.8) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 4); i > 0; i--) out[randomKey(rand)] = randomValue(rand, depth + 1) ?? null;
  return out;
}

/** A broken variant of the type's well-formed payload, or something else entirely. */
function mutate(type: ClientMessage, rand: Rand): unknown {
  const base: Record<string, unknown> = { ...BASE[type] };
  const keys = Object.keys(base);
  const r = rand();
  if (r < 0.25 || keys.length === 0) return randomValue(rand);
  const key = pick(rand, keys);
  if (r < 0.45) delete base[key];
  else if (r < 0.55) base[randomKey(rand) || "extra"] = randomValue(rand) ?? null;
  else base[key] = randomValue(rand) ?? null;
  if (rand() < 0.3) base[pick(rand, keys)] = randomValue(rand) ?? null;
  return base;
}

/**
 * Whether the room's schema accepts the payload, as the room checks it (a missing payload counts
 * as `{}`). Nested values are never `undefined`, so msgpack carries them unchanged.
 */
export function verdict(type: ClientMessage, payload: unknown): boolean {
  return PAYLOADS[type].safeParse(payload ?? {}).success;
}

/**
 * A payload for `type`, invalid most of the time: valid ones (about `validShare`) still exercise
 * the handlers (moves, refused placements, chat), but a valid leave_room ends the connection.
 */
export function fuzzPayload(type: ClientMessage, rand: Rand, validShare = 0.02): { payload: unknown; valid: boolean } {
  for (;;) {
    const payload = mutate(type, rand);
    // Frames over the transport's limit (MAX_MESSAGE_BYTES) are closed (1009) before the room sees them: keep under it.
    if (Buffer.byteLength(JSON.stringify(payload ?? null)) > 3000) continue;
    const valid = verdict(type, payload);
    if (!valid || rand() < validShare) return { payload, valid };
  }
}
