// Hand-written parsers for the payloads on the hot path (a move per player ten times a second),
// each exactly equivalent to its zod schema in protocol.ts: same inputs accepted, same output.
// shared/test/fast-payloads.test.ts runs both on the same fuzzed inputs to keep them so. A
// payload a fast parser refuses goes through zod anyway, for zod's error message.
import { CLIENT_MESSAGES, type ClientMessage, type Payload } from "./protocol.ts";

type Parser<M extends ClientMessage> = (input: unknown) => Payload<M> | undefined;

const MAX_SEQ = 0xffffffff;

/** `PAYLOADS.update_position`: `{x, y}` finite numbers rounded to pixels, `seq` an optional uint32. */
export function parseUpdatePosition(input: unknown): Payload<typeof CLIENT_MESSAGES.updatePosition> | undefined {
  // zod's z.object takes any non-array object and reads its keys, inherited ones included.
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  const { x, y } = input as { x?: unknown; y?: unknown };
  if (typeof x !== "number" || !Number.isFinite(x) || typeof y !== "number" || !Number.isFinite(y)) return undefined;
  if (!("seq" in input)) return { x: Math.round(x), y: Math.round(y) };
  const seq = (input as { seq?: unknown }).seq;
  // z.number().int() is a safe integer; an optional key present with `undefined` stays in the output.
  if (seq !== undefined && (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0 || seq > MAX_SEQ)) return undefined;
  return { x: Math.round(x), y: Math.round(y), seq };
}

/** The messages that have a fast parser; the others are parsed by their zod schema only. */
export const FAST_PAYLOADS: { readonly [M in ClientMessage]?: Parser<M> } = {
  [CLIENT_MESSAGES.updatePosition]: parseUpdatePosition,
};
