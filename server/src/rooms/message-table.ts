// A room's message table: for every client message of the protocol, when it runs, how its payload
// is checked and what it does; and how the table becomes Colyseus's handlers. The table's type
// names every ClientMessage, so a message added to shared/src/protocol.ts does not compile until
// the room handles it.
import type { ErrorCode } from "../../../shared/src/errors.ts";
import { FAST_PAYLOADS } from "../../../shared/src/fast-payloads.ts";
import { PAYLOADS, type ClientMessage, type Payload } from "../../../shared/src/protocol.ts";
import type { SeatQueue } from "./seat-queue.ts";

/**
 * "now": runs at once, synchronously (moves above all: no promise per message). "queued": a
 * durable command, run after the seat's earlier ones (see seat-queue.ts).
 */
export type Order = "now" | "queued";

/** Why a payload was refused, as zod words it (`path: message`). */
export class Invalid {
  readonly problem: string;
  constructor(problem: string) {
    this.problem = problem;
  }
}

/** The payload as its schema outputs it, or why it is invalid. */
export type Validator<M extends ClientMessage> = (payload: unknown) => Payload<M> | Invalid;

export interface MessageSpec<M extends ClientMessage, Seat> {
  order: Order;
  validate: Validator<M>;
  // A method signature (bivariant), so any message's spec also reads as a MessageSpec<ClientMessage>:
  // the dispatcher pairs each spec with its own validator's output, never another message's.
  handle(seat: Seat, payload: Payload<M>): unknown;
}

export type MessageTable<Seat> = { [M in ClientMessage]: MessageSpec<M, Seat> };

/**
 * The message's schema from protocol.ts; the hot messages use their exact hand-written twin, and
 * zod only words their refusals. A refused payload is parsed once (a flood of them is mostly zod's
 * error objects: the fuzz soak's heap profile).
 */
export function payloadOf<M extends ClientMessage>(type: M): Validator<M> {
  const schema = PAYLOADS[type];
  const fast = FAST_PAYLOADS[type] as ((payload: unknown) => Payload<M> | undefined) | undefined;
  if (!fast) {
    return (payload) => {
      const parsed = schema.safeParse(payload);
      return parsed.success ? (parsed.data as Payload<M>) : new Invalid(problemOf(parsed.error.issues[0]));
    };
  }
  // The twin decides; zod only words why it refused.
  return (payload) => fast(payload) ?? new Invalid(problemOf(schema.safeParse(payload).error?.issues[0]));
}

function problemOf(issue: { path: PropertyKey[]; message: string } | undefined): string {
  const where = issue?.path.length ? `${issue.path.map(String).join(".")}: ` : "";
  return `${where}${issue?.message ?? "invalid payload"}`;
}

/** What running a table needs from its room. */
export interface TableHost<Seat extends object, C> {
  /** The sender's seat; undefined for a connection that holds none (taken over, leaving). */
  seatOf(client: C): Seat | undefined;
  queue: SeatQueue<Seat, ClientMessage>;
  /** `error` to one connection. */
  fail(client: C, code: ErrorCode, message: string, event: string): void;
  /** A handler threw or rejected: tell the seat. */
  report(seat: Seat, type: ClientMessage, err: unknown): void;
  /** Counts an incoming message (one label for every unknown type). */
  counted(type: string): void;
}

/** Colyseus's `messages` for the table, with `_` answering every type the protocol lacks. */
export function handlersOf<Seat extends object, C>(table: MessageTable<Seat>, host: TableHost<Seat, C>) {
  const handlers: Record<string, (client: C, payload: unknown) => Promise<void> | void> = {};
  for (const type of Object.keys(table) as ClientMessage[]) handlers[type] = handlerOf(type, table[type], host);
  return {
    ...handlers,
    _: (client: C, type: string | number) => {
      // Clients must not grow the metric's label set.
      host.counted("_unknown");
      const name = String(type).slice(0, 64);
      host.fail(client, "unknown_message", `Unknown message "${name}"`, name);
    },
  };
}

/**
 * Validates the payload, finds the sender's seat, runs the handler now or after the seat's
 * earlier durable commands, and turns failures into `error`.
 */
function handlerOf<Seat extends object, C>(type: ClientMessage, spec: MessageSpec<ClientMessage, Seat>, host: TableHost<Seat, C>) {
  return (client: C, payload: unknown): Promise<void> | void => {
    host.counted(type);
    const seat = host.seatOf(client);
    if (!seat) return;
    const data = spec.validate(payload ?? {});
    if (data instanceof Invalid) return host.fail(client, "invalid_payload", data.problem, type);
    if (spec.order === "queued") {
      const work = host.queue.push(seat, type, () => spec.handle(seat, data));
      if (!work) host.fail(client, "rate_limited", "Too many commands waiting; slow down", type);
      return work;
    }
    try {
      spec.handle(seat, data);
    } catch (err) {
      host.report(seat, type, err);
    }
  };
}
