// The hand-written hot-path parsers must accept exactly what their zod schema accepts and return
// exactly what it returns: both run on the same fuzzed payloads, shaped like what msgpack decodes.
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { FAST_PAYLOADS, parseUpdatePosition } from "../src/fast-payloads.ts";
import { CLIENT_MESSAGES, PAYLOADS } from "../src/protocol.ts";

const RUNS = Number(process.env["FAST_PAYLOAD_RUNS"] ?? 5_000);

/** Anything a payload field could hold, weighted towards the edges of the number checks. */
const value = fc.oneof(
  fc.double(),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(0, -0, 0.5, -0.5, 1.5, 0xffffffff, 0xffffffff + 1, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, Infinity, -Infinity, NaN, 1e-300),
  fc.maxSafeInteger(),
  fc.constantFrom(undefined, null, true, "", "12", [], {}, [1, 2]),
  fc.bigInt(),
  fc.string(),
);

/** Payload-like inputs: objects with some of x, y, seq (and extra keys), plus whatever else. */
const payload = fc.oneof(
  { weight: 6, arbitrary: fc.record({ x: value, y: value, seq: value }, { requiredKeys: [] }) },
  { weight: 2, arbitrary: fc.record({ x: fc.double(), y: fc.double(), seq: fc.option(fc.maxSafeInteger(), { nil: undefined }) }, { requiredKeys: ["x", "y"] }) },
  { weight: 1, arbitrary: fc.tuple(fc.record({ x: value, y: value }), fc.dictionary(fc.string(), value)).map(([a, b]) => ({ ...b, ...a })) },
  { weight: 1, arbitrary: fc.anything() },
);

function zodResult(input: unknown): unknown {
  const r = PAYLOADS[CLIENT_MESSAGES.updatePosition].safeParse(input);
  return r.success ? r.data : undefined;
}

/** Compares outputs key by key (presence included), numbers with Object.is. */
const entries = (o: unknown) => (o === undefined ? undefined : Object.entries(o as object));

describe("fast payload parsers", () => {
  it("update_position: the hand-written parser and the zod schema agree on every fuzzed input", () => {
    let accepted = 0;
    fc.assert(
      fc.property(payload, (input) => {
        const fast = parseUpdatePosition(input);
        if (fast !== undefined) accepted++;
        expect(entries(fast)).toEqual(entries(zodResult(input)));
      }),
      { numRuns: RUNS, seed: Number(process.env["FAST_PAYLOAD_SEED"] ?? 14) },
    );
    // The fuzzer must reach both sides of the check, or agreement proves little.
    expect(accepted).toBeGreaterThan(RUNS / 20);
    expect(accepted).toBeLessThan(RUNS);
  });

  it("update_position: agrees on hand-picked edges (inherited keys, a present but undefined seq, rounding)", () => {
    const inherited = Object.assign(Object.create({ seq: 3 }), { x: 1, y: 2 });
    const nullProto = Object.assign(Object.create(null), { x: 1.5, y: -0.5, seq: 0 });
    const arrayWithKeys = Object.assign([1], { x: 1, y: 2 });
    for (const input of [inherited, nullProto, arrayWithKeys, { x: 1, y: 2, seq: undefined }, { x: -0.4, y: 0.5 }, new Date(), [1, 2], "x", null, { x: 1, y: 2, seq: 2 ** 32 }]) {
      expect(entries(parseUpdatePosition(input))).toEqual(entries(zodResult(input)));
    }
    expect(parseUpdatePosition({ x: 10.4, y: 20.6, seq: 7 })).toEqual({ x: 10, y: 21, seq: 7 });
  });

  it("has a fast parser only where the zod schema exists", () => {
    for (const type of Object.keys(FAST_PAYLOADS)) expect(PAYLOADS).toHaveProperty(type);
  });
});
