// The clients of the fuzz test: SDK fuzzers, JSON-gateway fuzzers and a well-behaved walker.
// Fuzzers pace themselves under the room's messages-per-second limit (a flood is closed by
// design), and check after each batch that every invalid message got its own `error`.
import { WebSocket } from "ws";
import { CLIENT_MESSAGES, CLOSE_CODES, SERVER_MESSAGES, type ClientMessage } from "../../../shared/src/protocol.ts";
import { fuzzPayload, randomString, randomValue, verdict, type Rand } from "./fuzz.ts";
import { Probe } from "./probe.ts";

/** Messages per batch, one batch per window: under the room's 40 messages per second. */
const BATCH = 30;
const WINDOW_MS = 1100;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const REFUSALS = new Set(["invalid_payload", "unknown_message"]);

export interface FuzzResult {
  sent: number;
  invalid: number;
  refused: number;
  /** Close codes seen, with counts (a valid leave_room closes with 4000). */
  closes: Record<string, number>;
  problems: string[];
}

export interface Planned {
  type: string;
  payload: unknown;
  valid: boolean;
}

export function planRoomMessages(types: readonly ClientMessage[], perType: number, rand: Rand): Planned[] {
  const out: Planned[] = [];
  for (const type of types) for (let i = 0; i < perType; i++) out.push({ type, ...fuzzPayload(type, rand) });
  // A few unknown message types too; their answer is `unknown_message`.
  for (let i = 0; i < perType / 20; i++) out.push({ type: `nope_${randomString(rand).slice(0, 10)}`, payload: randomValue(rand), valid: false });
  return out.sort(() => rand() - 0.5);
}

/**
 * One SDK connection working through its share of messages; rejoins after a close. `token` gives a
 * token valid for the rejoin: a long soak outlives the one it started with (30 minutes by default).
 */
export async function fuzzRoom(url: string, token: () => Promise<string>, roomId: number, plan: Planned[], rand: Rand, joined: Probe): Promise<FuzzResult> {
  const result: FuzzResult = { sent: 0, invalid: 0, refused: 0, closes: {}, problems: [] };
  const join = async () => Probe.join(url, await token(), { room_id: roomId, x: 30 + Math.floor(rand() * 700), y: 30 + Math.floor(rand() * 500) }, false);
  let p = joined;
  for (let i = 0; i < plan.length; ) {
    const started = Date.now();
    const since = p.mark();
    let expected = 0;
    let leaving = false;
    for (let n = 0; n < BATCH && i < plan.length && !leaving; n++) {
      const m = plan[i++]!;
      p.send(m.type, m.payload);
      result.sent++;
      if (!m.valid) expected++;
      leaving = m.valid && m.type === CLIENT_MESSAGES.leaveRoom;
    }
    result.invalid += expected;
    // Invalid payloads are refused before any await in the room, so all their errors precede the marker's.
    if (!leaving) p.send("fuzz_marker", {});
    const end = await p
      .next((m) => m.type === SERVER_MESSAGES.error && m.payload?.event === "fuzz_marker", since, "the marker's error")
      .then(() => p.received.length, () => p.received.length);
    const refused = p.received
      .slice(since, end)
      .filter((m) => m.type === SERVER_MESSAGES.error && REFUSALS.has(m.payload?.code) && m.payload?.event !== "fuzz_marker").length;
    result.refused += refused;
    if (p.closed) {
      const code = await p.left;
      result.closes[code] = (result.closes[code] ?? 0) + 1;
      // Closed mid-batch: the messages after the close were answered by the disconnect.
      if (refused > expected) result.problems.push(`batch at ${i}: ${refused} refusals for ${expected} invalid messages`);
      // A valid leave_room ends the session normally. Otherwise the only acceptable close is the room's
      // error close (4002): an undecodable message, or more than 40 messages in one second of the
      // room's clock, which a stalled event loop can produce even from a paced client.
      const normal = leaving ? [1000, 1005, 4000, CLOSE_CODES.flooding] : [CLOSE_CODES.flooding];
      if (!normal.includes(code)) result.problems.push(`closed with unexpected code ${code} (leave_room sent: ${leaving})`);
      p = await join();
    } else if (refused !== expected) {
      const batch = plan.slice(i - BATCH, i).map((m) => ({ type: m.type, valid: m.valid, payload: m.payload }));
      result.problems.push(`batch at ${i}: ${refused} refusals for ${expected} invalid messages: ${JSON.stringify(batch).slice(0, 3000)}`);
    }
    await pause(started + WINDOW_MS - Date.now());
  }
  await p.leave();
  return result;
}

// ---- the JSON gateway ----

export interface Frame {
  /** A function when the frame names a room: it gets the socket's room id. */
  raw: string | Buffer | ((roomId: number) => string);
  /** Whether the server must answer with a refusal (invalid_payload or unknown_message). */
  refused: boolean;
  type: string;
}

const jsonRoundTrip = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A frame for `type`: a broken frame, or a well-formed frame with a fuzzed payload. */
function gatewayFrame(type: ClientMessage, rand: Rand): Frame {
  const r = rand();
  if (r < 0.1) return { raw: `{"event": "${type}", "data": ${randomString(rand).slice(0, 30)}`, refused: true, type };
  if (r < 0.15) return { raw: Buffer.from(JSON.stringify({ event: type, data: {} })), refused: true, type }; // binary frame
  if (r < 0.3 || type === CLIENT_MESSAGES.leaveRoom) {
    // data that is not an object (a valid leave_room would end the session, so it gets only these)
    const data = [5, "text", true, -1.5][Math.floor(rand() * 4)];
    return { raw: JSON.stringify({ event: type, data }), refused: true, type };
  }
  const { payload } = fuzzPayload(type, rand);
  const data = jsonRoundTrip(payload);
  if (!isRecord(data)) return { raw: JSON.stringify({ event: type, data: data ?? 0 }), refused: true, type };
  delete data["room_id"];
  const refused = !verdict(type, data);
  // Old clients repeat the room id: the joined one is fine, another one is refused.
  if (rand() < 0.05) {
    const other = rand() < 0.5;
    return { raw: (roomId) => JSON.stringify({ event: type, data: { ...data, room_id: other ? roomId + 1000 : roomId } }), refused: other || refused, type };
  }
  return { raw: JSON.stringify({ event: type, data }), refused, type };
}

export function planGatewayFrames(types: readonly ClientMessage[], perType: number, rand: Rand): Frame[] {
  const out: Frame[] = [];
  for (const type of types) for (let i = 0; i < perType; i++) out.push(gatewayFrame(type, rand));
  for (let i = 0; i < perType / 20; i++) {
    out.push({ raw: JSON.stringify(randomValue(rand) ?? null), refused: true, type: "not_a_frame" });
    out.push({ raw: JSON.stringify({ event: `nope_${i}` }), refused: true, type: "unknown" });
  }
  return out.sort(() => rand() - 0.5);
}

/** One JSON socket: joins, then sends its frames in paced batches, counting refusals. */
export interface GatewaySocket {
  ws: WebSocket;
  roomId: number;
  events: { event: string; data: any }[];
}

/** Opens a JSON socket and joins the room; resolves once `room_state` arrived. */
export async function openGateway(url: string, token: string, roomId: number): Promise<GatewaySocket> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/api/v1/ws?token=${encodeURIComponent(token)}`);
  const events: { event: string; data: any }[] = [];
  const joined = new Promise<void>((resolve, reject) => {
    ws.on("message", (raw) => {
      const e = JSON.parse(raw.toString());
      events.push(e);
      if (e.event === SERVER_MESSAGES.roomState) resolve();
      if (e.event === SERVER_MESSAGES.error) reject(new Error(`join_room refused: ${JSON.stringify(e.data)}`));
    });
    ws.once("close", (code) => reject(new Error(`closed (${code}) before joining`)));
  });
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  ws.send(JSON.stringify({ event: "join_room", data: { room_id: roomId, x: 300, y: 300 } }));
  await joined;
  return { ws, roomId, events };
}

export async function fuzzGateway(socket: GatewaySocket, plan: Frame[]): Promise<FuzzResult> {
  const result: FuzzResult = { sent: 0, invalid: 0, refused: 0, closes: {}, problems: [] };
  const { ws, events } = socket;
  let wake: (() => void) | undefined;
  let closed: number | undefined;
  ws.on("message", () => wake?.());
  ws.on("close", (code) => {
    closed = code;
    wake?.();
  });
  const until = (check: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10_000);
      wake = () => {
        if (check() || closed !== undefined) {
          clearTimeout(timer);
          resolve();
        }
      };
      wake();
    });
  const refusals = () => events.filter((e) => e.event === SERVER_MESSAGES.error && REFUSALS.has(e.data?.code)).length;
  for (let i = 0; i < plan.length && closed === undefined; ) {
    const started = Date.now();
    let expected = refusals();
    for (let n = 0; n < BATCH && i < plan.length; n++) {
      const f = plan[i++]!;
      ws.send(typeof f.raw === "function" ? f.raw(socket.roomId) : f.raw);
      result.sent++;
      if (f.refused) {
        result.invalid++;
        expected++;
      }
    }
    // The marker goes through the room too, so its refusal arrives after every earlier one.
    ws.send(JSON.stringify({ event: CLIENT_MESSAGES.updatePosition, data: { x: "marker" } }));
    expected++;
    await until(() => refusals() >= expected, `${expected} refusals`).catch((err: Error) => result.problems.push(err.message));
    await pause(started + WINDOW_MS - Date.now());
  }
  const markers = Math.ceil(plan.length / BATCH);
  result.refused = refusals() - markers;
  if (closed !== undefined) result.problems.push(`the gateway closed the socket (${closed})`);
  else if (result.refused !== result.invalid) result.problems.push(`${result.refused} refusals for ${result.invalid} invalid frames`);
  ws.close();
  return result;
}

/** A well-behaved player walking at about 10 Hz; every move must come back as its authoritative position. */
export function walk(url: string, token: string, userId: number, roomId: number) {
  let stop = false;
  const latencies: number[] = [];
  const problems: string[] = [];
  const done = (async () => {
    const p = await Probe.join(url, token, { room_id: roomId, x: 200, y: 200 });
    for (let seq = 1; !stop; seq++) {
      const started = performance.now();
      const x = 200 + (seq % 2) * 10;
      p.send(CLIENT_MESSAGES.updatePosition, { x, y: 200, seq });
      const me = () => [...(p.room.state?.players?.values() ?? [])].find((pl: any) => pl.user_id === userId) as any;
      try {
        await p.wait(() => (me()?.x === x ? true : undefined), `move ${seq} echoed`);
        latencies.push(performance.now() - started);
      } catch (err) {
        problems.push((err as Error).message);
        break;
      }
      // 10 moves a second on average, at a random phase against the room's 50 ms patches: a fixed
      // 100 ms cadence locks onto them, and a run's p99 then depends on where it happened to lock.
      await pause(started + 75 + Math.random() * 50 - performance.now());
    }
    const errors = p.received.filter((m) => m.type === SERVER_MESSAGES.error);
    if (errors.length) problems.push(`the walker got errors: ${JSON.stringify(errors.slice(0, 3))}`);
    if (p.closed) problems.push("the walker was disconnected");
    await p.leave();
  })();
  return {
    async stop() {
      stop = true;
      await done;
      const sorted = [...latencies].sort((a, b) => a - b);
      const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
      return { moves: latencies.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: Math.round(sorted.at(-1) ?? NaN), problems };
    },
  };
}
