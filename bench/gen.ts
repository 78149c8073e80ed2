// The load generator, run pinned to its own core and driven over IPC by bench/run.ts. It holds
// real clients (the Colyseus SDK for Cafe and the plain Colyseus room, `ws` for the naive JSON
// server) that walk at 10 Hz, and measures input→echo latency and bytes on the wire per client.
// Decoding the state is what saturates a generator core, not sending moves: so only one SDK client
// in SAMPLE_EVERY decodes it and measures latency; the others ("light") count the bytes of each
// state patch and drop it undecoded, passing every other frame (errors, messages) to the SDK.
import { Client, type Room } from "@colyseus/sdk";
import { WebSocket } from "ws";
import { percentile } from "./lib.ts";

export type Target = "cafe" | "plain" | "naive";
export interface Seat {
  token?: string;
  room: number;
  /** The room's size when walkers should start anywhere in it (a hall); else near the top-left 800 × 600. */
  area?: { width: number; height: number };
}

/** Where a walker starts: its 40 px square must fit inside the room. */
function originIn(seat: Seat): { x: number; y: number } {
  const { width, height } = seat.area ?? { width: 800, height: 600 };
  return { x: 60 + Math.floor(Math.random() * (width - 120)), y: 60 + Math.floor(Math.random() * (height - 120)) };
}

/** One SDK walker in this many decodes the state and measures latency. */
export const SAMPLE_EVERY = Number(process.env["BENCH_SAMPLE_EVERY"] ?? 10);
/** Colyseus's frame code for a state patch (Protocol.ROOM_STATE_PATCH), in the low 5 bits of the first byte. */
const ROOM_STATE_PATCH = 15;
const PROTOCOL_CODE_MASK = 31;

const STEP = 10; // px per move: 100 px/s at 10 Hz, half the walking speed
const SQUARE = [[1, 0], [0, 1], [-1, 0], [0, -1]] as const;

interface Walker {
  move(): void;
  close(): Promise<void>;
}

/** `moves`: sent by latency-measuring walkers; `sent`: by every walker (the load actually offered). */
const counters = { latencies: [] as number[], moves: 0, sent: 0, rejected: 0, down: 0, up: 0 };
const walkers: Walker[] = [];
let sdkWalkers = 0;

/** A position on a 40 px square walked clockwise: every step is a short, valid move. */
function pathAt(origin: { x: number; y: number }, step: number): { x: number; y: number } {
  let { x, y } = origin;
  for (let i = 0; i < step % 16; i++) {
    const [dx, dy] = SQUARE[Math.floor(i / 4)]!;
    x += dx * STEP;
    y += dy * STEP;
  }
  return { x, y };
}

/**
 * Counts bytes on an SDK room's socket (the transport's WebSocket) with `onFrame`; a light client
 * drops state patches undecoded and passes every other frame (errors, messages) to the SDK.
 */
export function meter(room: Room, light: boolean, onFrame: (bytes: number) => void = (n) => (counters.down += n)): void {
  const ws = (room.connection as any).transport.ws;
  const onmessage = ws.onmessage;
  ws.onmessage = (e: MessageEvent) => {
    const data = e.data as ArrayBuffer;
    onFrame(data.byteLength ?? 0);
    if (light && (new Uint8Array(data, 0, 1)[0]! & PROTOCOL_CODE_MASK) === ROOM_STATE_PATCH) return;
    onmessage(e);
  };
  const send = ws.send.bind(ws);
  ws.send = (d: ArrayBufferView | ArrayBuffer) => {
    counters.up += d.byteLength;
    send(d);
  };
}

async function sdkWalker(target: "cafe" | "plain", url: string, seat: Seat, sample: boolean): Promise<Walker> {
  const origin = originIn(seat);
  const client = new Client(url);
  if (seat.token) client.auth.token = seat.token;
  const room: Room<any> =
    target === "cafe" ? await client.joinOrCreate("cafe", { room_id: seat.room, ...origin }) : await client.joinOrCreate("plain", { room: `r${seat.room}`, ...origin });
  room.reconnection.enabled = false;
  meter(room, !sample);
  /** Moves in flight: when sent, and where to. */
  const sent = new Map<number, { at: number; x: number; y: number }>();
  let seq = 0;
  let acked = 0;
  let last = { x: -1, y: -1 };
  room.onMessage("*", (type) => {
    if (type === "error") counters.rejected++;
  });
  room.onStateChange((state: any) => {
    const me = state.players?.get(room.sessionId);
    if (!me) return;
    const now = performance.now();
    // Plain Colyseus echoes the seq in its `ack` field; Cafe sends no ack: it takes a move by setting
    // exactly the position sent, so the earliest move in flight to that spot is the echo (the
    // square path repeats a spot only every 1.6 s), and every move sent before it was taken too.
    let upTo: number | undefined;
    if (target === "plain") {
      if (me.ack !== acked) upTo = acked = me.ack;
    } else if (me.x !== last.x || me.y !== last.y) {
      last = { x: me.x, y: me.y };
      for (const [s, m] of sent) if (m.x === me.x && m.y === me.y) (upTo ??= s);
    }
    if (upTo === undefined) return;
    for (const [s, m] of sent) {
      if (s > upTo) continue;
      counters.latencies.push(now - m.at);
      sent.delete(s);
    }
  });
  return {
    move() {
      seq++;
      const p = pathAt(origin, seq);
      counters.sent++;
      // Only a sampled walker sees its echo: `echoed` compares echoes with the moves it sent.
      if (sample) {
        sent.set(seq, { at: performance.now(), ...p });
        counters.moves++;
      }
      room.send("update_position", { ...p, seq });
    },
    close: () => room.leave().then(() => undefined, () => undefined),
  };
}

async function naiveWalker(url: string, seat: Seat): Promise<Walker> {
  const origin = { x: 60 + Math.floor(Math.random() * 680), y: 60 + Math.floor(Math.random() * 480) };
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/?room=${seat.room}`, { perMessageDeflate: false });
  let me = -1;
  const sent = new Map<number, number>();
  await new Promise<void>((resolve, reject) => {
    ws.once("error", reject);
    ws.on("message", (raw: Buffer) => {
      counters.down += raw.length;
      const frame = JSON.parse(raw.toString());
      if (frame.event === "room_state") {
        me = frame.data.user_id;
        resolve();
      } else if (frame.event === "position_updated" && frame.data.user_id === me) {
        const at = sent.get(frame.data.seq);
        if (at !== undefined) {
          counters.latencies.push(performance.now() - at);
          sent.delete(frame.data.seq);
        }
      }
    });
  });
  let seq = 0;
  return {
    move() {
      seq++;
      const out = JSON.stringify({ event: "update_position", data: { ...pathAt(origin, seq), seq } });
      sent.set(seq, performance.now());
      counters.moves++;
      counters.sent++;
      counters.up += Buffer.byteLength(out);
      ws.send(out);
    },
    close: async () => ws.close(),
  };
}

// One timer spreads the 10 Hz moves of all walkers evenly over each 100 ms.
let tick = 0;
setInterval(() => {
  const slot = tick++ % 10;
  for (let i = slot; i < walkers.length; i += 10) walkers[i]!.move();
}, 10).unref();

async function addWalkers(target: Target, url: string, seats: Seat[]): Promise<{ connected: number; failed: number; error?: string }> {
  let failed = 0;
  let error: string | undefined;
  // Join in small waves: the ramp measures walking, the join storm measures joining.
  for (let i = 0; i < seats.length; i += 20) {
    const wave = await Promise.allSettled(seats.slice(i, i + 20).map((s) => (target === "naive" ? naiveWalker(url, s) : sdkWalker(target, url, s, sdkWalkers++ % SAMPLE_EVERY === 0))));
    for (const r of wave) {
      if (r.status === "fulfilled") walkers.push(r.value);
      else {
        failed++;
        error ??= String(r.reason?.message ?? r.reason);
      }
    }
  }
  return { connected: walkers.length, failed, ...(error ? { error } : {}) };
}

function measure(): Record<string, number> {
  const sorted = counters.latencies.sort((a, b) => a - b);
  const result = {
    clients: walkers.length,
    moves: counters.moves,
    sent: counters.sent,
    echoes: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    rejected: counters.rejected,
    down: counters.down,
    up: counters.up,
  };
  Object.assign(counters, { latencies: [], moves: 0, sent: 0, rejected: 0, down: 0, up: 0 });
  return result;
}

async function closeAll(): Promise<void> {
  await Promise.all(walkers.splice(0).map((w) => w.close()));
}

/** 200 (or n) clients join one room at the same moment. */
async function joinStorm(url: string, roomId: number, tokens: string[]) {
  let maxSeen = 0;
  const rooms: Room[] = [];
  const started = performance.now();
  const results = await Promise.allSettled(
    tokens.map(async (token, k) => {
      const client = new Client(url);
      client.auth.token = token;
      const t0 = performance.now();
      const room = await client.joinOrCreate("cafe", { room_id: roomId });
      const ms = performance.now() - t0;
      room.reconnection.enabled = false;
      rooms.push(room);
      // As in the walkers' runs, one client in SAMPLE_EVERY decodes every patch (and reports the
      // largest room it saw); the rest decoded their first full state to join and drop the patches.
      // With all 100 decoding, the generator's core decoded 100 × every patch of the storm.
      const sample = k % SAMPLE_EVERY === 0;
      meter(room, !sample);
      if (sample) room.onStateChange((s: any) => (maxSeen = Math.max(maxSeen, s.players?.size ?? 0)));
      // As a real client does: a message without a handler makes the SDK write a warning, and
      // 100 clients × 100 user_joined warnings kept the generator's core busy (19 % of its profile).
      room.onMessage("*", () => undefined);
      return ms;
    }),
  );
  const times = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])).sort((a, b) => a - b);
  const codes: Record<string, number> = {};
  for (const r of results) if (r.status === "rejected") codes[String(r.reason?.code ?? r.reason?.message)] = (codes[String(r.reason?.code ?? r.reason?.message)] ?? 0) + 1;
  // Let the last patches arrive before reading the largest player count any client saw.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const out = { attempted: tokens.length, joined: times.length, refused: codes, p50: percentile(times, 0.5), p99: percentile(times, 0.99), wallMs: performance.now() - started, maxPlayersSeen: maxSeen };
  await Promise.all(rooms.map((r) => r.leave().catch(() => undefined)));
  return out;
}

/** One chat message per client per this many ms: the room allows 5 per 5 s per user. */
const CHAT_PACE_MS = 1100;

/** Durable operations as fast as the server answers: chat (send → own echo) or place + pickup. */
async function durable(kind: "chat" | "place", url: string, seats: (Seat & { items?: number[] })[], ms: number) {
  const latencies: number[] = [];
  /** Placements and pickups apart too: the limits are about placing. */
  const places: number[] = [];
  const pickups: number[] = [];
  let done = 0;
  let errors = 0;
  const closes: number[] = [];
  /** The first command of each client, apart: it meets cold connections and code paths. */
  const firsts: number[] = [];
  // Everyone joins before anyone sends: a command sent while the other clients were still joining
  // measured the join storm (first chats 47–96 ms median, up to 120 ms; later ones at most 37 ms).
  const rooms: Room<any>[] = await Promise.all(
    seats.map(async (seat, k) => {
      const client = new Client(url);
      client.auth.token = seat.token!;
      return client.joinOrCreate("cafe", { room_id: seat.room, x: 20 + (k % 30) * 25, y: 20 });
    }),
  );
  const until = performance.now() + ms;
  await Promise.all(
    seats.map(async (seat, k) => {
      const room = rooms[k]!;
      room.reconnection.enabled = false;
      // A closed room answers nothing more: the loop ends, and the close is reported.
      let closed = false;
      let leaving = false;
      room.onLeave((code) => {
        closed = true;
        if (!leaving) closes.push(code);
        pending?.done(false);
      });
      // The answer to the one request in flight: its success broadcast, or an error for its event.
      let pending: { event: string; ok: (type: string, payload: any) => boolean; done: (ok: boolean) => void } | undefined;
      room.onMessage("*", (type, payload: any) => {
        if (!pending) return;
        if (type === "error" && payload?.event === pending.event) {
          errors++;
          pending.done(false);
        } else if (pending.ok(String(type), payload)) pending.done(true);
      });
      // The room closes a client that sends over 40 messages a second (4002): at most one per 30 ms.
      let lastSend = 0;
      const ask = async (event: string, payload: unknown, ok: (type: string, payload: any) => boolean) => {
        if (closed) return false;
        const wait = lastSend + 30 - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        lastSend = performance.now();
        return new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => finish(false), 10_000);
          const finish = (result: boolean) => {
            clearTimeout(timer);
            pending = undefined;
            resolve(result);
          };
          pending = { event, ok, done: finish };
          room.send(event, payload);
        });
      };
      // Twenty people chatting once a second do not all press Enter in the same millisecond: each
      // client starts at its own offset within the pace, rather than in lockstep after the joins.
      if (kind === "chat") await new Promise((resolve) => setTimeout(resolve, (k * CHAT_PACE_MS) / seats.length));
      for (let i = 0; performance.now() < until && !closed; i++) {
        const t0 = performance.now();
        if (kind === "chat") {
          const text = `k${k} hello ${i}`;
          if (await ask("send_message", { message: text }, (type, p) => type === "message_received" && p.message === text)) {
            latencies.push(performance.now() - t0);
            if (i === 0) firsts.push(performance.now() - t0);
            done++;
          }
          // The room allows 5 messages per 5 s per user: pace to it, so this measures the database, not the limiter.
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, CHAT_PACE_MS - (performance.now() - t0))));
        } else {
          const item = seat.items![i % seat.items!.length]!;
          const at = { inventory_item_id: item, x: 100 + (k % 20) * 30, y: 100 + Math.floor(k / 20) * 40, rotation: 0 };
          if (await ask("place_object", at, (type, p) => type === "object_placed" && p.object?.id === item)) {
            latencies.push(performance.now() - t0);
            places.push(performance.now() - t0);
            if (i === 0) firsts.push(performance.now() - t0);
            done++;
          }
          const t1 = performance.now();
          if (await ask("use_tool", { target_object_id: item, action: "pickup" }, (type, p) => type === "tool_used" && p.target_object_id === item)) (latencies.push(performance.now() - t1), pickups.push(performance.now() - t1), done++);
        }
      }
      leaving = true;
      if (!closed) await room.leave().catch(() => undefined);
    }),
  );
  for (const list of [latencies, places, pickups]) list.sort((a, b) => a - b);
  const split = kind === "place" ? { placeP50: percentile(places, 0.5), placeP99: percentile(places, 0.99), pickupP50: percentile(pickups, 0.5), pickupP99: percentile(pickups, 0.99) } : {};
  return { operations: done, perSecond: Math.round((done / ms) * 1000), errors, closed: closes.length, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), firstMax: Math.max(0, ...firsts), ...split };
}

process.on("message", async (m: any) => {
  try {
    let result: unknown;
    if (m.cmd === "walkers") result = await addWalkers(m.target, m.url, m.seats);
    else if (m.cmd === "measure") result = measure();
    else if (m.cmd === "close") result = await closeAll();
    else if (m.cmd === "join_storm") result = await joinStorm(m.url, m.roomId, m.tokens);
    else if (m.cmd === "durable") result = await durable(m.kind, m.url, m.seats, m.ms);
    else throw new Error(`unknown command ${m.cmd}`);
    process.send!({ id: m.id, result });
  } catch (err) {
    process.send!({ id: m.id, error: err instanceof Error ? err.message : String(err) });
  }
});
process.on("disconnect", () => process.exit(0));
console.error("generator ready");
