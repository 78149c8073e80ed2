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
import type { AccountService } from "../services/accounts.ts";
import { AppError } from "../services/errors.ts";

export const GATEWAY_PATH = "/api/v1/ws";
/** Frames above this size close the socket (1009), as for SDK clients. */
export const MAX_FRAME_BYTES = 4 * 1024;
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

const EARLY_FRAMES_MAX = 16;

export class JsonGateway {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  readonly #deps: GatewayDeps;

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
  }

  static matches(req: IncomingMessage): boolean {
    return new URL(req.url ?? "/", "http://x").pathname === GATEWAY_PATH;
  }

  /** Takes over an HTTP upgrade for GATEWAY_PATH. The token is checked before any frame is read. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      const token = new URL(req.url ?? "/", "http://x").searchParams.get("token");
      if (!token) return ws.close(CLOSE_CODES.unauthorized, "Missing token");
      // A client may send join_room right after `open`, before the token check resolves: keep
      // those frames (a few) and hand them to the session, so none is silently lost.
      const early: [RawData, boolean][] = [];
      const hold = (raw: RawData, isBinary: boolean) => void (early.length < EARLY_FRAMES_MAX && early.push([raw, isBinary]));
      ws.on("message", hold);
      this.#deps.accounts.authenticate(token).then(
        () => {
          ws.off("message", hold);
          new GatewaySession(ws, token, this.#deps.selfUrl()).replay(early);
        },
        (err) => ws.close(CLOSE_CODES.unauthorized, err instanceof AppError ? String(err.detail) : "Invalid token"),
      );
    });
  }

  close(): void {
    for (const ws of this.#wss.clients) ws.close(CLOSE_CODES.serverRestarting, "Server restarting");
    this.#wss.close();
  }
}

/** One JSON socket and, once it has joined, its seat in one room. */
class GatewaySession {
  readonly #ws: WebSocket;
  readonly #client: Client;
  #room: Room | undefined;
  #joining = false;
  readonly #sent = new Map<string, PlayerView>();

  constructor(ws: WebSocket, token: string, selfUrl: string) {
    this.#ws = ws;
    this.#client = new Client(selfUrl);
    this.#client.auth.token = token;
    ws.on("message", (raw, isBinary) => void this.#onFrame(raw, isBinary));
    ws.on("close", () => void this.#leave());
    ws.on("error", () => ws.terminate());
  }

  /** Frames that arrived before the session existed, in order. */
  replay(frames: [RawData, boolean][]): void {
    void frames.reduce((done, [raw, isBinary]) => done.then(() => this.#onFrame(raw, isBinary)), Promise.resolve());
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
      if (Number(data["room_id"]) !== this.#roomId()) return this.#error("invalid_payload", "room_id is not the joined room", event);
      delete data["room_id"];
    }
    this.#room.send(event as ClientMessage, data);
  }

  #roomId(): number | undefined {
    return this.#room ? Number((this.#room.state as { room_id?: number } | undefined)?.room_id) : undefined;
  }

  async #join(data: Record<string, unknown>): Promise<void> {
    const parsed = JoinRoom.safeParse(data);
    if (!parsed.success) return this.#error("invalid_payload", parsed.error.issues[0]?.message ?? "Invalid join_room", JOIN_ROOM);
    if (this.#joining) return this.#error("conflict", "Already joining a room", JOIN_ROOM);
    this.#joining = true;
    try {
      await this.#leave();
      const room = await this.#client.joinOrCreate(ROOM_TYPE, parsed.data);
      if (this.#ws.readyState !== this.#ws.OPEN) return void room.leave();
      this.#room = room;
      this.#sent.clear();
      room.onMessage("*", (type, payload) => {
        if (type === SERVER_MESSAGES.roomState) this.#rememberPositions();
        this.#send(String(type), payload);
      });
      room.onStateChange(() => this.#publishPositions());
      room.onLeave((code, reason) => {
        if (this.#room !== room) return;
        this.#room = undefined;
        // A seat taken over by a newer connection closes this socket too, as for SDK clients.
        if (code === CLOSE_CODES.seatTakenOver || code === CLOSE_CODES.roomDeleted) this.#ws.close(code, reason ?? "");
      });
      room.send(CLIENT_MESSAGES.getRoomState, {});
    } catch (err) {
      this.#error(joinErrorCode(err), joinErrorMessage(err), JOIN_ROOM);
    } finally {
      this.#joining = false;
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
