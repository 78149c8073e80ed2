// The live room over @colyseus/sdk: joining, the connection status, messages in and out.
//
// Reconnection: the SDK (0.18) reconnects by itself after an abnormal close (1005/1006/1001/4010):
// `onDrop` → it retries with the reconnection token → `onReconnect`, or `onLeave(4003)` when the
// server no longer holds the seat (it keeps it 20 s). The SDK also refuses to reconnect a room
// joined less than 5 s ago. In those cases, and when the server went down, this class joins the
// room afresh with a backoff; the game gets a new state through `onSession`.
import { Callbacks, Client, CloseCode, type Room } from "@colyseus/sdk";
import type { ItemOut } from "../../../shared/src/api.ts";
import type { Rotation, ToolAction } from "../../../shared/src/constants.ts";
import {
  CLIENT_MESSAGES,
  CLOSE_CODES,
  ROOM_TYPE,
  SERVER_MESSAGES,
  type Emote,
  type EmotePayload,
  type ErrorPayload,
  type InventoryPayload,
  type MessageReceivedPayload,
  type ToolUsedPayload,
  type UserJoinedPayload,
  type UserLeftPayload,
} from "../../../shared/src/protocol.ts";
import { CafeState } from "../../../shared/src/state.ts";
import { createStore, type Store } from "../state/store.ts";
import { parseJoinRefusal } from "../../../shared/src/join-refusal.ts";

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "lost" | "left";
export type LeaveReason = "seatTakenOver" | "roomDeleted" | "notFound" | "full" | "unauthorized" | "consented" | "kicked" | "banned";

export interface ConnectionState {
  status: ConnectionStatus;
  /** Why the room was left for good (status "left"). */
  reason?: LeaveReason;
  /** The server's words, when it gave some. */
  detail?: string;
}

export type CafeRoom = Room<unknown, CafeState>;
export type StateCallbacks = ReturnType<typeof Callbacks.get<CafeState>>;

/** One joined room instance; a fresh join after a lost connection makes a new one. */
export interface LiveSession {
  room: CafeRoom;
  state: CafeState;
  sessionId: string;
  callbacks: StateCallbacks;
}

export interface ServerEvents {
  chat: MessageReceivedPayload;
  toolUsed: ToolUsedPayload;
  error: ErrorPayload;
  inventory: InventoryPayload;
  userJoined: UserJoinedPayload;
  userLeft: UserLeftPayload;
  emote: EmotePayload;
}

type Listener<T> = (payload: T) => void;

const REJOIN_DELAYS_MS = [500, 1000, 2000, 3000, 5000, 5000, 5000, 10000];

export class RoomConnection {
  readonly status: Store<ConnectionState> = createStore<ConnectionState>({ status: "connecting" });
  readonly #client: Client;
  readonly #roomId: number;
  readonly #listeners = new Map<keyof ServerEvents, Set<Listener<never>>>();
  readonly #sessionListeners = new Set<(s: LiveSession) => void>();
  #session: LiveSession | null = null;
  #closed = false;
  #rejoinAttempt = 0;
  #rejoinTimer: ReturnType<typeof setTimeout> | undefined;
  #onUnauthorized: () => void;

  constructor(options: { endpoint: string; token: string; roomId: number; onUnauthorized: () => void }) {
    this.#client = new Client(options.endpoint);
    this.#client.auth.token = options.token;
    this.#roomId = options.roomId;
    this.#onUnauthorized = options.onUnauthorized;
  }

  get session(): LiveSession | null {
    return this.#session;
  }

  /** Joins the room; later (re)joins are announced through onSession too. */
  start(): void {
    void this.#join();
  }

  /** Manual retry after the connection was lost for good. */
  retry(): void {
    this.#rejoinAttempt = 0;
    clearTimeout(this.#rejoinTimer);
    this.status.set({ status: "connecting" });
    void this.#join();
  }

  onSession(listener: (s: LiveSession) => void): () => void {
    this.#sessionListeners.add(listener);
    if (this.#session) listener(this.#session);
    return () => this.#sessionListeners.delete(listener);
  }

  on<K extends keyof ServerEvents>(type: K, listener: Listener<ServerEvents[K]>): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  #emit<K extends keyof ServerEvents>(type: K, payload: ServerEvents[K]): void {
    for (const l of [...(this.#listeners.get(type) ?? [])]) (l as Listener<ServerEvents[K]>)(payload);
  }

  get connected(): boolean {
    return this.status.get().status === "connected" && !!this.#session;
  }

  // ---- client → server ----
  move(x: number, y: number, seq: number): void {
    if (this.connected) this.#session!.room.send(CLIENT_MESSAGES.updatePosition, { x, y, seq });
  }

  /** With `toUserId`, a whisper to that user only. */
  say(message: string, toUserId?: number): boolean {
    if (!this.connected) return false;
    this.#session!.room.send(CLIENT_MESSAGES.sendMessage, toUserId ? { message, to_user_id: toUserId } : { message });
    return true;
  }

  emote(emote: Emote): boolean {
    if (!this.connected) return false;
    this.#session!.room.send(CLIENT_MESSAGES.emote, { emote });
    return true;
  }

  place(inventoryItemId: number, x: number, y: number, rotation: Rotation): boolean {
    if (!this.connected) return false;
    this.#session!.room.send(CLIENT_MESSAGES.placeObject, { inventory_item_id: inventoryItemId, x, y, rotation });
    return true;
  }

  useTool(targetObjectId: number, action: ToolAction, extra: { x?: number; y?: number; rotation?: Rotation } = {}): boolean {
    if (!this.connected) return false;
    this.#session!.room.send(CLIENT_MESSAGES.useTool, { target_object_id: targetObjectId, action, ...extra });
    return true;
  }

  /** Leaves for good (the page is closing or the user went back to the room list). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#rejoinTimer);
    const room = this.#session?.room;
    this.#session = null;
    this.#sessionListeners.clear();
    this.#listeners.clear();
    if (room) void room.leave(true).catch(() => undefined);
  }

  // ---- joining and staying joined ----
  async #join(): Promise<void> {
    if (this.#closed) return;
    let room: CafeRoom;
    try {
      room = (await this.#client.joinOrCreate(ROOM_TYPE, { room_id: this.#roomId }, CafeState)) as CafeRoom;
    } catch (err) {
      return this.#joinFailed(err as { code?: number; message?: string });
    }
    if (this.#closed) {
      void room.leave(true).catch(() => undefined);
      return;
    }
    this.#rejoinAttempt = 0;
    this.#wire(room);
    this.#session = { room, state: room.state, sessionId: room.sessionId, callbacks: Callbacks.get(room) };
    this.status.set({ status: "connected" });
    for (const l of [...this.#sessionListeners]) l(this.#session);
  }

  #joinFailed(err: { code?: number; message?: string }): void {
    if (this.#closed) return;
    // The room's refusals start with their machine code ("room_full: …"); people read the rest.
    const detail = err.message ? (parseJoinRefusal(err.message)?.message ?? err.message) : undefined;
    switch (err.code) {
      case 401:
        this.status.set({ status: "left", reason: "unauthorized", ...(detail ? { detail } : {}) });
        return this.#onUnauthorized();
      case 400:
      case 404:
        return this.status.set({ status: "left", reason: "notFound", ...(detail ? { detail } : {}) });
      case 409:
        return this.status.set({ status: "left", reason: "full", ...(detail ? { detail } : {}) });
      case 403:
        return this.status.set({ status: "left", reason: "banned", ...(detail ? { detail } : {}) });
      default:
        return this.#scheduleRejoin();
    }
  }

  #scheduleRejoin(): void {
    if (this.#closed) return;
    const delay = REJOIN_DELAYS_MS[this.#rejoinAttempt];
    if (delay === undefined) return this.status.set({ status: "lost" });
    this.#rejoinAttempt++;
    this.status.set({ status: "reconnecting" });
    this.#rejoinTimer = setTimeout(() => void this.#join(), delay);
  }

  #wire(room: CafeRoom): void {
    room.onMessage(SERVER_MESSAGES.messageReceived, (p: MessageReceivedPayload) => this.#emit("chat", p));
    room.onMessage(SERVER_MESSAGES.toolUsed, (p: ToolUsedPayload) => this.#emit("toolUsed", p));
    room.onMessage(SERVER_MESSAGES.error, (p: ErrorPayload) => this.#emit("error", p));
    room.onMessage(SERVER_MESSAGES.inventory, (p: InventoryPayload) => this.#emit("inventory", p));
    room.onMessage(SERVER_MESSAGES.userJoined, (p: UserJoinedPayload) => this.#emit("userJoined", p));
    room.onMessage(SERVER_MESSAGES.userLeft, (p: UserLeftPayload) => this.#emit("userLeft", p));
    room.onMessage(SERVER_MESSAGES.emote, (p: EmotePayload) => this.#emit("emote", p));
    // Placement and removal also arrive through the state, which is what the scene draws.
    for (const ignored of [SERVER_MESSAGES.objectPlaced, SERVER_MESSAGES.objectRemoved, SERVER_MESSAGES.objectUpdated]) {
      room.onMessage(ignored, () => undefined);
    }
    room.onDrop(() => {
      if (this.#session?.room === room) this.status.set({ status: "reconnecting" });
    });
    room.onReconnect(() => {
      if (this.#session?.room === room) this.status.set({ status: "connected" });
    });
    room.onLeave((code, reason) => this.#left(room, code, reason));
  }

  #left(room: CafeRoom, code: number, reason: string | undefined): void {
    if (this.#closed || this.#session?.room !== room) return;
    this.#session = null;
    const detail = reason ? { detail: reason } : {};
    if (code === CloseCode.CONSENTED) return this.status.set({ status: "left", reason: "consented", ...detail });
    if (code === CLOSE_CODES.roomDeleted) return this.status.set({ status: "left", reason: "roomDeleted", ...detail });
    if (code === CLOSE_CODES.kicked) return this.status.set({ status: "left", reason: "kicked", ...detail });
    if (code === CLOSE_CODES.banned) return this.status.set({ status: "left", reason: "banned", ...detail });
    // 4001 is both the contract's "seat taken over" and Colyseus's SERVER_SHUTDOWN; only the
    // former says so in its reason. Rejoining after a takeover would fight the other tab.
    if (code === CLOSE_CODES.seatTakenOver && /taken over/i.test(reason ?? "")) {
      return this.status.set({ status: "left", reason: "seatTakenOver", ...detail });
    }
    this.#scheduleRejoin();
  }
}

export type { ItemOut };
