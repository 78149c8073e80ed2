// The original FastAPI JSON WebSocket protocol at /api/v1/ws?token=JWT.
// Each JSON socket becomes an ordinary participant of the `cafe` room through an in-process
// @colyseus/sdk client: every rule (bounds, walls, speed, exactly-once placement, permissions,
// rate limits) is the room's. The gateway only translates frames in both directions.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Client, CloseCode, type Room } from "@colyseus/sdk";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { z } from "zod";
import { CLIENT_MESSAGES, CLOSE_CODES, ROOM_TYPE, SERVER_MESSAGES, type ClientMessage, type ErrorPayload } from "../../../shared/src/protocol.ts";
import { MALFORMED, type ErrorCode } from "../../../shared/src/errors.ts";
import { parseJoinRefusal } from "../../../shared/src/join-refusal.ts";
import type { SlowLane } from "../limits/slow-lane.ts";
import { SOCKET_OPTIONS } from "../limits/sockets.ts";

export const GATEWAY_PATH = "/api/v1/ws";
const JOIN_ROOM = "join_room";

const Frame = z.object({ event: z.string().min(1).max(64), data: z.record(z.string(), z.unknown()).optional() });
const JoinRoom = z.object({
  room_id: z.coerce.number().int().positive().max(2_147_483_647),
  x: z.number().finite().optional(),
  y: z.number().finite().optional(),
});
const ROOM_EVENTS = new Set<string>(Object.values(CLIENT_MESSAGES));

interface PlayerView {
  user_id: number;
  x: number;
  y: number;
}

/** Who a token names, or why it is refused (the refusal's text becomes the close reason). */
export type TokenCheck = { ok: true; user: { id: number; username: string } } | { ok: false; reason: string };

export interface GatewayDeps {
  /** Checks a token's signature and expiry; handed in by the composition root. */
  authenticate: (token: string) => TokenCheck;
  /** Where this process's own Colyseus endpoint answers (the gateway is its client). */
  selfUrl: () => string;
  /** Where sockets that sent malformed frames wait (shared with the rooms). */
  slowLane: SlowLane;
}

export class JsonGateway {
  readonly #wss = new WebSocketServer({ noServer: true, ...SOCKET_OPTIONS });
  readonly #deps: GatewayDeps;

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
  }

  static matches(req: IncomingMessage): boolean {
    return new URL(req.url ?? "/", "http://x").pathname === GATEWAY_PATH;
  }

  /**
   * Takes over an HTTP upgrade for GATEWAY_PATH. A token that is not a valid, unexpired JWT closes
   * the socket at once (4401). The account behind it (still there, not banned) is checked by the
   * room's onAuth at each join_room, as for SDK clients: one database check per join, not two.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const token = new URL(req.url ?? "/", "http://x").searchParams.get("token");
      if (!token) return ws.close(CLOSE_CODES.unauthorized, "Missing token");
      const checked = this.#deps.authenticate(token);
      if (!checked.ok) return ws.close(CLOSE_CODES.unauthorized, checked.reason);
      new GatewaySession(ws, token, this.#deps.selfUrl(), this.#deps.slowLane);
    });
  }

  close(): void {
    for (const ws of this.#wss.clients) ws.close(CLOSE_CODES.serverRestarting, "Server restarting");
    this.#wss.close();
  }
}

/** Reasons for seat-ending closes whose close frame carried none. */
const CLOSE_REASONS: Record<number, string> = {
  [CLOSE_CODES.seatTakenOver]: "Seat taken over by a newer connection",
  [CLOSE_CODES.messageTooBig]: "Message too big",
  [CLOSE_CODES.flooding]: "Too many messages",
  [CLOSE_CODES.roomDeleted]: "The room was deleted",
  [CLOSE_CODES.kicked]: "Removed by an admin",
  [CLOSE_CODES.banned]: "Account banned",
  [CLOSE_CODES.accountDeleted]: "Account deleted",
  [CLOSE_CODES.serverRestarting]: "Server restarting",
};
/** Close codes an endpoint may send (RFC 6455 §7.4); 1005/1006 only describe a broken connection. */
const sendable = (code: number) => (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999);
/**
 * Frames waiting for an earlier one (a join in progress) before the socket counts as flooding. The
 * room's own per-second limit applies to what gets through.
 */
const MAX_QUEUED_FRAMES = 64;

/**
 * One JSON socket and, once it has joined, its seat in one room. Frames are handled one at a time,
 * in order, as the original server did: a move sent right after `join_room` applies in that room.
 */
class GatewaySession {
  readonly #ws: WebSocket;
  readonly #client: Client;
  #room: Room | undefined;
  /** The joined room's id (known before its first state patch arrives). */
  #roomId = 0;
  /** Frames not handled yet: they wait while a join or a leave is in progress. */
  readonly #waiting: [RawData, boolean][] = [];
  #busy = false;
  readonly #lane: SlowLane;
  readonly #sent = new Map<string, PlayerView>();

  constructor(ws: WebSocket, token: string, selfUrl: string, lane: SlowLane) {
    this.#ws = ws;
    this.#lane = lane;
    this.#client = new Client(selfUrl);
    this.#client.auth.token = token;
    ws.on("message", (raw, isBinary) => lane.run(this, () => this.#enqueue(raw, isBinary)));
    ws.on("close", () => {
      lane.forget(this);
      void this.#leave();
    });
    ws.on("error", () => ws.terminate());
  }

  #enqueue(raw: RawData, isBinary: boolean): void {
    if (this.#waiting.length >= MAX_QUEUED_FRAMES) return this.#ws.close(CLOSE_CODES.flooding, "Too many frames");
    this.#waiting.push([raw, isBinary]);
    this.#pump();
  }

  /** Handles waiting frames in order, synchronously; a join or a leave holds the rest until it ends. */
  #pump(): void {
    while (!this.#busy && this.#waiting.length > 0) {
      if (this.#ws.readyState !== this.#ws.OPEN) {
        this.#waiting.length = 0;
        return;
      }
      const [raw, isBinary] = this.#waiting.shift()!;
      let pending: Promise<void> | undefined;
      try {
        pending = this.#onFrame(raw, isBinary);
      } catch {
        // Not expected (a frame's problems are answered as errors); the socket's next frames still run.
        this.#error("internal", "Could not handle the frame");
        continue;
      }
      if (!pending) continue;
      this.#busy = true;
      const next = () => {
        this.#busy = false;
        this.#pump();
      };
      void pending.then(next, next);
    }
  }

  #send(event: string, data: unknown): void {
    if (this.#ws.readyState === this.#ws.OPEN) this.#ws.send(JSON.stringify({ event, data }));
  }

  #error(code: ErrorCode, message: string, event?: string): undefined {
    const payload: ErrorPayload = { code, message, ...(event ? { event } : {}) };
    this.#send(SERVER_MESSAGES.error, payload);
    if (MALFORMED.has(code)) this.#lane.hold(this, this.#ws);
    return undefined;
  }

  /** Handles one frame; returns a promise only for a join or a leave, which later frames wait for. */
  #onFrame(raw: RawData, isBinary: boolean): Promise<void> | undefined {
    let frame: z.infer<typeof Frame>;
    try {
      const parsed = Frame.safeParse(isBinary ? undefined : JSON.parse(raw.toString()));
      if (!parsed.success) return this.#error("invalid_payload", 'Frames are JSON objects {"event": string, "data": object}');
      frame = parsed.data;
    } catch {
      return this.#error("invalid_payload", "Frame is not valid JSON");
    }
    const { event } = frame;
    const data = { ...frame.data };
    if (event === JOIN_ROOM) return this.#join(data);
    if (!ROOM_EVENTS.has(event)) return this.#error("unknown_message", `Unknown event "${event}"`, event);
    if (!this.#room) return this.#error("invalid_payload", "Join a room first (join_room)", event);
    if (event === CLIENT_MESSAGES.leaveRoom) return this.#leave();
    // The original clients may repeat the room id in each frame; it must name the joined room.
    if ("room_id" in data) {
      if (Number(data["room_id"]) !== this.#roomId) return this.#error("invalid_payload", "room_id is not the joined room", event);
      delete data["room_id"];
    }
    this.#room.send(event as ClientMessage, data);
    return undefined;
  }

  async #join(data: Record<string, unknown>): Promise<void> {
    const parsed = JoinRoom.safeParse(data);
    if (!parsed.success) return this.#error("invalid_payload", parsed.error.issues[0]?.message ?? "Invalid join_room", JOIN_ROOM);
    try {
      await this.#leave();
      const room = await this.#client.joinOrCreate(ROOM_TYPE, parsed.data);
      if (this.#ws.readyState !== this.#ws.OPEN) return void room.leave();
      this.#room = room;
      this.#roomId = parsed.data.room_id;
      this.#sent.clear();
      room.onMessage("*", (type, payload) => {
        if (type === SERVER_MESSAGES.roomState) this.#rememberPositions();
        // The room refused a frame this socket sent: the socket waits in the slow lane too.
        if (type === SERVER_MESSAGES.error && MALFORMED.has((payload as Partial<ErrorPayload> | undefined)?.code ?? "")) this.#lane.hold(this, this.#ws);
        this.#send(String(type), payload);
      });
      room.onStateChange(() => this.#publishPositions());
      room.onLeave((code, reason) => {
        if (this.#room !== room) return;
        this.#room = undefined;
        // The seat ended without a leave_room: the JSON socket ends with the same code, as an SDK
        // connection would (a kick, a ban, a takeover, a deleted room, a restart…).
        if (code === CloseCode.CONSENTED) return;
        const forwarded = sendable(code) ? code : 1011;
        this.#ws.close(forwarded, reason || CLOSE_REASONS[forwarded] || "The room closed the connection");
      });
      room.send(CLIENT_MESSAGES.getRoomState, {});
    } catch (err) {
      const refused = joinError(err);
      this.#error(refused.code, refused.message, JOIN_ROOM);
    }
  }

  async #leave(): Promise<void> {
    const room = this.#room;
    this.#room = undefined;
    if (room) await room.leave(true).catch(() => undefined);
  }

  #players(): Iterable<[string, PlayerView]> {
    const players = (this.#room?.state as { players?: Map<string, PlayerView> } | undefined)?.players;
    return players ? players.entries() : [];
  }

  #rememberPositions(): void {
    for (const [key, p] of this.#players()) this.#sent.set(key, { user_id: p.user_id, x: p.x, y: p.y });
  }

  /** position_updated for every player whose authoritative position changed in the last patch. */
  #publishPositions(): void {
    const seen = new Set<string>();
    for (const [key, p] of this.#players()) {
      seen.add(key);
      const last = this.#sent.get(key);
      if (last && last.x === p.x && last.y === p.y) continue;
      this.#sent.set(key, { user_id: p.user_id, x: p.x, y: p.y });
      if (last) this.#send(SERVER_MESSAGES.positionUpdated, { user_id: p.user_id, x: p.x, y: p.y });
    }
    for (const key of this.#sent.keys()) if (!seen.has(key)) this.#sent.delete(key);
  }
}

/** The room's own machine code and text (see join-refusal.ts); never guessed from the status. */
function joinError(err: unknown): { code: ErrorCode; message: string } {
  const message = err instanceof Error && err.message ? err.message : "Could not join the room";
  return parseJoinRefusal(message) ?? { code: "internal", message };
}
