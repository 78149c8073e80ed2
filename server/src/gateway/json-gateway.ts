// The original FastAPI JSON WebSocket protocol at /api/v1/ws?token=JWT.
// Each JSON socket becomes an ordinary participant of the `cafe` room through an in-process
// @colyseus/sdk client: every rule (bounds, walls, speed, exactly-once placement, permissions,
// rate limits) is the room's. The gateway only translates frames in both directions.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Client, type Room } from "@colyseus/sdk";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { z } from "zod";
import { CLIENT_MESSAGES, CLOSE_CODES, ROOM_TYPE, SERVER_MESSAGES, type ClientMessage, type ErrorPayload } from "../../../shared/src/protocol.ts";
import type { ErrorCode } from "../../../shared/src/errors.ts";
import { MAX_MESSAGE_BYTES } from "../../../shared/src/constants.ts";
import type { AccountService } from "../services/accounts.ts";
import { AppError } from "../services/errors.ts";

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

export interface GatewayDeps {
  accounts: AccountService;
  /** Where this process's own Colyseus endpoint answers (the gateway is its client). */
  selfUrl: () => string;
}

export class JsonGateway {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  readonly #deps: GatewayDeps;

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
  }

  static matches(req: IncomingMessage): boolean {
    return new URL(req.url ?? "/", "http://x").pathname === GATEWAY_PATH;
  }

  /**
   * Takes over an HTTP upgrade for GATEWAY_PATH. Frames that arrive while the token is being checked
   * wait for it (scripts send `join_room` the moment the socket opens); none is read before.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const token = new URL(req.url ?? "/", "http://x").searchParams.get("token");
      if (!token) return ws.close(CLOSE_CODES.unauthorized, "Missing token");
      const authenticated = this.#deps.accounts.authenticate(token).then(
        () => true,
        (err) => {
          ws.close(CLOSE_CODES.unauthorized, err instanceof AppError ? String(err.detail) : "Invalid token");
          return false;
        },
      );
      new GatewaySession(ws, token, this.#deps.selfUrl(), authenticated);
    });
  }

  close(): void {
    for (const ws of this.#wss.clients) ws.close(CLOSE_CODES.serverRestarting, "Server restarting");
    this.#wss.close();
  }
}

/** Room leave codes that end the JSON socket too, with the same code, as they end an SDK connection. */
const CLOSING_LEAVE_CODES = new Set<number>([
  CLOSE_CODES.seatTakenOver,
  CLOSE_CODES.flooding,
  CLOSE_CODES.messageTooBig,
  CLOSE_CODES.roomDeleted,
  CLOSE_CODES.serverRestarting,
  CLOSE_CODES.accountDeleted,
]);
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
  #queue: Promise<unknown>;
  #queued = 0;
  readonly #sent = new Map<string, PlayerView>();

  constructor(ws: WebSocket, token: string, selfUrl: string, authenticated: Promise<boolean>) {
    this.#ws = ws;
    this.#client = new Client(selfUrl);
    this.#client.auth.token = token;
    this.#queue = authenticated;
    ws.on("message", (raw, isBinary) => this.#enqueue(raw, isBinary));
    ws.on("close", () => void this.#leave());
    ws.on("error", () => ws.terminate());
  }

  #enqueue(raw: RawData, isBinary: boolean): void {
    if (++this.#queued > MAX_QUEUED_FRAMES) return this.#ws.close(CLOSE_CODES.flooding, "Too many frames");
    this.#queue = this.#queue.then(async (ok) => {
      this.#queued--;
      if (ok === false || this.#ws.readyState !== this.#ws.OPEN) return false;
      await this.#onFrame(raw, isBinary);
      return true;
    });
  }

  #send(event: string, data: unknown): void {
    if (this.#ws.readyState === this.#ws.OPEN) this.#ws.send(JSON.stringify({ event, data }));
  }

  #error(code: ErrorCode, message: string, event?: string): void {
    const payload: ErrorPayload = { code, message, ...(event ? { event } : {}) };
    this.#send(SERVER_MESSAGES.error, payload);
  }

  async #onFrame(raw: RawData, isBinary: boolean): Promise<void> {
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
        this.#send(String(type), payload);
      });
      room.onStateChange(() => this.#publishPositions());
      room.onLeave((code, reason) => {
        if (this.#room !== room) return;
        this.#room = undefined;
        if (CLOSING_LEAVE_CODES.has(code)) this.#ws.close(code, reason ?? "");
      });
      room.send(CLIENT_MESSAGES.getRoomState, {});
    } catch (err) {
      this.#error(joinErrorCode(err), joinErrorMessage(err), JOIN_ROOM);
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

function joinErrorCode(err: unknown): ErrorCode {
  const code = (err as { code?: unknown }).code;
  if (code === 401) return "unauthorized";
  if (code === 403) return "forbidden";
  if (code === 404) return "not_found";
  if (code === 409 || code === 4001) return "room_full";
  return "invalid_payload";
}

function joinErrorMessage(err: unknown): string {
  return err instanceof Error && err.message ? err.message : "Could not join the room";
}
