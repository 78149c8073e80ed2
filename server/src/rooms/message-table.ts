// The shape of a room's message table: for every client message of the protocol, when it runs,
// how its payload is checked and what it does. The table's type names every ClientMessage, so a
// message added to shared/src/protocol.ts does not compile until the room handles it.
import { FAST_PAYLOADS } from "../../../shared/src/fast-payloads.ts";
import { PAYLOADS, type ClientMessage, type Payload } from "../../../shared/src/protocol.ts";

/**
 * "now": runs at once, synchronously (moves above all: no promise per message). "queued": a
 * durable command, run after the seat's earlier ones (see seat-queue.ts).
 */
export type Order = "now" | "queued";

/** The payload as its schema outputs it, or undefined when it is invalid. */
export type Validator<M extends ClientMessage> = (payload: unknown) => Payload<M> | undefined;

export interface MessageSpec<M extends ClientMessage, Seat> {
  order: Order;
  validate: Validator<M>;
  // A method signature (bivariant), so any message's spec also reads as a MessageSpec<ClientMessage>:
  // the dispatcher pairs each spec with its own validator's output, never another message's.
  handle(seat: Seat, payload: Payload<M>): unknown;
}

export type MessageTable<Seat> = { [M in ClientMessage]: MessageSpec<M, Seat> };

/** The message's schema from protocol.ts; the hot messages use their exact hand-written twin. */
export function payloadOf<M extends ClientMessage>(type: M): Validator<M> {
  const fast = FAST_PAYLOADS[type] as Validator<M> | undefined;
  if (fast) return fast;
  return (payload) => {
    const parsed = PAYLOADS[type].safeParse(payload);
    return parsed.success ? (parsed.data as Payload<M>) : undefined;
  };
}

/** Why a payload is invalid, as zod words it (`path: message`). */
export function payloadProblem(type: ClientMessage, payload: unknown): string {
  const issue = PAYLOADS[type].safeParse(payload).error?.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  return `${where}${issue?.message ?? "invalid payload"}`;
}
