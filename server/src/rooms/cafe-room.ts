// The `cafe` room: one live Colyseus room per stored room. It reads as its lifecycle and one
// message table; handlers are short: validate the payload, call a pure rule or a service, then
// change state. Durable changes (chat, objects) reach the state through the RoomEventBus after
// their commit, whether they came from this room or from REST, so both take one path: the pure
// projection in shared/src/projection.ts, whose effects the room performs.
import { CloseCode, type Client } from "@colyseus/core";
import { StateView } from "@colyseus/schema";
import { ROOM } from "../../../shared/src/constants.ts";
import { MALFORMED, type ErrorCode } from "../../../shared/src/errors.ts";
import { isHall, VIEW_REFRESH_MS } from "../../../shared/src/interest.ts";
import { RTC } from "../../../shared/src/media.ts";
import type { RoomEffect, RoomSettings } from "../../../shared/src/projection.ts";
import {
  CLIENT_MESSAGES,
  CLOSE_CODES,
  JoinOptions,
  SERVER_MESSAGES,
  type ClientMessage,
  type EmotePayload,
  type ErrorPayload,
  type Payload,
} from "../../../shared/src/protocol.ts";
import { snapshotOf } from "../../../shared/src/room-snapshot.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import { checkPath, SpeedWindow } from "../../../shared/src/sim/movement.ts";
import { privateAreaAt } from "../../../shared/src/sim/proximity.ts";
import { findSpawnPoint } from "../../../shared/src/sim/spawn.ts";
import { AvatarState, CafeState, HallState, PlayerState } from "../../../shared/src/state.ts";
import { RateLimiter } from "../limits/rate-limiter.ts";
import type { Flow, SlowLane } from "../limits/slow-lane.ts";
import type { Viewer } from "../services/access.ts";
import type { JoinFacts } from "../services/joining.ts";
import { AppError } from "../services/errors.ts";
import type { Services } from "../services/index.ts";
import { isUnavailable, OutageLog } from "../services/outage.ts";
import { Interest } from "./interest.ts";
import { MediaHub } from "./media.ts";
import { handlersOf, payloadOf, type MessageTable } from "./message-table.ts";
import { ObservedRoom, type Observability } from "./observed-room.ts";
import { LiveObjects } from "./live-objects.ts";
import { unavailableJoin } from "./outage-recovery.ts";
import { admit, joinOptions, noFreeSpot, roomFull, roomNotFound, type JoinGateDeps } from "./room-auth.ts";
import { SeatGate, type GatedRoom } from "./seat-gate.ts";
import { commandFailure, SeatQueue } from "./seat-queue.ts";

export interface CafeRoomDeps extends Observability, JoinGateDeps {
  services: Services;
  /** Seconds a dropped client keeps its seat. */
  reconnectSeconds?: number;
  /** Names the database in outage log lines. */
  database?: string;
  /** Where connections that sent malformed messages wait (shared by every room and the gateway). */
  slowLane: SlowLane;
}

interface Seat {
  viewer: Viewer;
  client: Client;
  player: PlayerState;
  visitId: number;
  speed: SpeedWindow;
  flushed: Point;
}

/** What onAuth found: the viewer, and (on the one-statement path) the facts the join needs. */
type Admitted = Viewer & { joining?: JoinFacts };
type CafeClient = Client<{ auth: Admitted }>;

const POSITION_FLUSH_MS = 2000;
/** More messages than this in a second (after the one that opens it) close a connection with 4002. */
const MESSAGES_PER_SECOND = 40;
const CHAT_LIMIT = { max: 5, windowMs: 5000 };
/**
 * Closes the server starts on purpose: the seat ends at once, without the reconnection grace a
 * dropped connection gets (leave_room is consented, as the SDK's own room.leave()).
 */
const DELIBERATE_CLOSES = new Set<number>([
  CloseCode.CONSENTED,
  CLOSE_CODES.seatTakenOver,
  CLOSE_CODES.flooding,
  CLOSE_CODES.roomDeleted,
  CLOSE_CODES.kicked,
  CLOSE_CODES.banned,
  CLOSE_CODES.accountDeleted,
]);

export abstract class CafeRoomBase extends ObservedRoom<{ state: CafeState; client: CafeClient }> {
  protected abstract override deps: CafeRoomDeps;
  /** The early capacity check its class's onAuth shares with every room of this process. */
  protected abstract gate: SeatGate;
  override state = new CafeState();
  /**
   * Colyseus would count messages as they are handled, and a message held in the slow lane would
   * count in a later second than it was sent: the room counts them as they arrive instead.
   */
  override maxMessagesPerSecond = Number.POSITIVE_INFINITY;
  override autoDispose = true;

  roomId_ = 0;
  readonly #settings: RoomSettings = { maxUsers: ROOM.defaultMaxUsers };
  readonly #seats = new Map<number, Seat>();
  readonly #chat = new RateLimiter(CHAT_LIMIT);
  readonly #emotes = new RateLimiter(CHAT_LIMIT);
  /** The room's objects as the database has them, changed by committed events (live-objects.ts). */
  readonly #objects = new LiveObjects({
    state: () => this.state,
    settings: this.#settings,
    playerOf: (userId) => this.#seats.get(userId)?.player,
    perform: (effect) => this.#perform(effect),
    broadcast: (type, payload) => this.broadcast(type, payload),
    reload: () => this.deps.services.rooms.liveSnapshot(this.roomId_),
    changed: () => this.#media.markDirty(), // private areas or the room's size may have changed
    setTimeout: (handler, ms) => this.clock.setTimeout(handler, ms),
    log: () => this.log,
  });
  readonly #layout = this.#objects.layout;
  /** Durable commands, in order per seat; disposal waits for them (SIGTERM drains writes). */
  readonly #queue = new SeatQueue<Seat, ClientMessage>((seat, type, err) => this.#report(seat, type, err));
  /** Sessions whose socket broke the WebSocket protocol; the transport closes them (1009, 1002…). */
  readonly #protocolBreakers = new Set<string>();
  /** Each connection's messages in its current second, counted as they arrive. */
  readonly #arrivals = new WeakMap<Client, { count: number; resetsAt: number }>();
  #unsubscribe: (() => void) | undefined;
  #outages: OutageLog | undefined;
  /** Proximity voice/video: which seats may signal each other (see media.ts). */
  readonly #media = new MediaHub({
    positionOf: (userId) => this.#seats.get(userId)?.player,
    areaAt: (point) => privateAreaAt(point, this.state.objects.values()),
    talkRadius: () => this.state.talk_radius,
    send: (userId: number, type: string, payload: unknown) => {
      const seat = this.#seats.get(userId);
      if (seat) this.sendTo(seat.client, type, payload);
    },
  });
  /** Set in a hall: who sees whom. */
  #interest: Interest | undefined;
  readonly #gated: GatedRoom = {
    maxUsers: () => this.#settings.maxUsers,
    seatCount: () => this.#seats.size,
    seated: (userId) => this.#seats.has(userId),
    holdMs: () => this.seatReservationTimeout * 1000,
  };

  // ---- lifecycle ----
  override async onCreate(options: unknown): Promise<void> {
    const snapshot = await this.deps.services.rooms.liveSnapshot(joinOptions(options).room_id).catch(unavailableJoin);
    if (!snapshot) throw roomNotFound();
    const { room } = snapshot;
    this.#readThroughSlowLane();
    this.roomId_ = room.id;
    this.setLogContext({ room_id: room.id });
    this.#settings.maxUsers = room.maxUsers;
    if (isHall(room.maxUsers)) this.#becomeHall();
    Object.assign(this.state, { room_id: room.id, name: room.name, width: room.width, height: room.height, floor: room.themeFloor, wall_color: room.wallColor, talk_radius: room.talkRadius });
    this.#objects.load(snapshot);
    this.#unsubscribe = await this.deps.services.events.subscribe(room.id, (event) => this.#objects.apply(event));
    this.clock.setInterval(() => void this.#flushPositions().then(() => this.#objects.resync()), POSITION_FLUSH_MS);
    this.clock.setInterval(() => this.#media.tick(), RTC.recomputeMs);
    this.gate.open(room.id, this.#gated);
    this.log.info("room created");
  }

  /**
   * Every arriving message passes the slow lane, which runs it at once unless its connection is
   * held for sending malformed ones (limits/slow-lane.ts). Colyseus has no hook for an arriving
   * message: the handler it binds to each socket at join is this instance's `_onMessage`.
   */
  #readThroughSlowLane(): void {
    const room = this as unknown as { _onMessage(client: Client, buffer: Uint8Array): void };
    const handle = room._onMessage.bind(this);
    const lane = this.deps.slowLane;
    room._onMessage = (client, buffer) => {
      if (this.#flooding(client)) return this.#close(client, CLOSE_CODES.flooding, "Too many messages");
      lane.run(client, () => handle(client, buffer));
    };
  }

  /** Counts an arriving message; true once a connection sends more than its second allows. */
  #flooding(client: Client): boolean {
    const now = performance.now();
    const second = this.#arrivals.get(client);
    if (!second || now >= second.resetsAt) {
      // As Colyseus counted: the message that opens a second is not counted in it.
      this.#arrivals.set(client, { count: 0, resetsAt: now + 1000 });
      return false;
    }
    return ++second.count > MESSAGES_PER_SECOND;
  }

  /** A hall sends each connection only the players near it (shared/src/interest.ts). */
  #becomeHall(): void {
    // Same wire layout as CafeState; only the players map is filtered per connection.
    this.state = new HallState() as unknown as CafeState;
    this.#interest = new Interest();
    this.clock.setInterval(() => this.#refreshViews(), VIEW_REFRESH_MS);
  }

  #refreshViews(): void {
    const watchers = [];
    for (const seat of this.#seats.values()) if (seat.client.view) watchers.push({ view: seat.client.view, player: seat.player });
    this.#interest?.refresh(watchers);
  }

  override async onJoin(client: CafeClient, options: unknown): Promise<void> {
    try {
      await this.#seat(client, options);
    } finally {
      // Seated (counted as such) or refused: the place onAuth held is no longer needed.
      this.gate.release(this.roomId_, client.auth!.id);
    }
  }

  async #seat(client: CafeClient, options: unknown): Promise<void> {
    const { joining, ...viewer } = client.auth!;
    this.#watchProtocolErrors(client);
    const parsed = JoinOptions.safeParse(options);
    const asked = parsed.success && parsed.data.x !== undefined && parsed.data.y !== undefined ? parsed.data : undefined;
    // Without a wanted spot, people come back where they left (checked below like any spot).
    const last = () => (joining ? joining.lastPosition : this.deps.services.visits.lastPosition(this.roomId_, viewer.id));
    const wanted = asked ?? (this.#seats.has(viewer.id) ? undefined : await last()) ?? {};
    // From here to the reservation nothing awaits, so two joins cannot both pass the capacity check.
    const previous = this.#seats.get(viewer.id);
    if (previous) return this.#takeOver(previous, client);
    if (this.#seats.size >= this.#settings.maxUsers) throw roomFull(this.#settings.maxUsers);
    const spot = this.#spawnPoint(wanted);
    if (!spot) throw noFreeSpot();
    const player = new PlayerState({ user_id: viewer.id, username: viewer.username, display_name: viewer.username, color: "#000000", sitting_on: 0, admin: viewer.isAdmin, ...spot });
    const seat: Seat = { viewer, client, player, visitId: 0, speed: new SpeedWindow(), flushed: spot };
    this.#seats.set(viewer.id, seat);
    try {
      const profile = joining?.profile ?? (await this.deps.services.accounts.getProfile(viewer, viewer.id));
      player.display_name = profile.display_name;
      player.color = profile.avatar_color;
      player.avatar = new AvatarState(profile.avatar);
      player.sitting_on = this.#layout.chairAt(spot);
      seat.visitId = await this.deps.services.visits.open(this.roomId_, viewer.id, spot.x, spot.y);
    } catch (err) {
      this.#seats.delete(viewer.id);
      unavailableJoin(err);
    }
    this.state.players.set(client.sessionId, player);
    this.#openView(client, player);
    this.log.info({ user_id: viewer.id, session_id: client.sessionId }, "join");
    this.broadcast(SERVER_MESSAGES.userJoined, { user_id: viewer.id, username: viewer.username, x: spot.x, y: spot.y }, { except: client });
  }

  /** A second connection of the same user takes the seat; the older one is closed with 4001. */
  #takeOver(seat: Seat, client: CafeClient): void {
    const old = seat.client;
    this.#media.drop(seat.viewer.id); // the new connection starts with media off
    this.state.players.delete(old.sessionId);
    seat.client = client;
    this.state.players.set(client.sessionId, seat.player);
    this.#openView(client, seat.player);
    this.#close(old, CLOSE_CODES.seatTakenOver, "Seat taken over by a newer connection");
  }

  /**
   * In a hall each connection has its own view: itself, then whoever is near, at once. Elsewhere
   * nobody has a view, so each patch is encoded once for the whole room (a per-connection view
   * costs an encode and a copy per client per patch).
   */
  #openView(client: CafeClient, player: PlayerState): void {
    if (!this.#interest) return;
    client.view = new StateView();
    client.view.add(player);
    this.#refreshViews();
  }

  override async onDrop(client: CafeClient, code?: number): Promise<void> {
    this.deps.slowLane.forget(client);
    const seat = this.#seatOf(client);
    // A dropped connection's peer connections are gone: media off until it says otherwise again.
    if (seat) this.#media.drop(seat.viewer.id);
    // A client closed on purpose (a leave, a kick, flooding…) or for breaking the WebSocket protocol
    // (an oversized message, say) gets no grace: onLeave frees the seat at once.
    if (!seat || (code !== undefined && DELIBERATE_CLOSES.has(code)) || this.#protocolBreakers.has(client.sessionId)) return;
    try {
      const back = await this.allowReconnection(client, this.deps.reconnectSeconds ?? 20);
      this.#watchProtocolErrors(back);
      if (seat.client === client) seat.client = back;
    } catch {
      // Not back in time: onLeave frees the seat.
    }
  }

  override async onLeave(client: CafeClient): Promise<void> {
    this.deps.slowLane.forget(client);
    this.#protocolBreakers.delete(client.sessionId);
    // Frees the view's id at once rather than when it is garbage-collected.
    client.view?.dispose();
    const seat = this.#seatOf(client);
    if (!seat) return; // the seat moved to a newer connection
    this.#seats.delete(seat.viewer.id);
    this.#media.drop(seat.viewer.id);
    this.state.players.delete(client.sessionId);
    this.broadcast(SERVER_MESSAGES.userLeft, { user_id: seat.viewer.id });
    this.log.info({ user_id: seat.viewer.id, session_id: client.sessionId }, "leave");
    await this.deps.services.visits.close(seat.visitId, seat.player);
  }

  /**
   * Ends a seat on purpose. Colyseus's kickClient runs onDrop/onLeave with `code` at once, rather
   * than when the peer answers the close (a plain client.leave() without a code counts as a drop).
   */
  #close(client: Client, code: number, reason: string): void {
    this.kickClient(client.sessionId, code, reason);
  }

  /** `ws` emits "error" on a socket only when its peer breaks the protocol, just before closing it. */
  #watchProtocolErrors(client: CafeClient): void {
    const socket = client.ref as { once?: (event: "error", listener: () => void) => void } | undefined;
    socket?.once?.("error", () => {
      if (this.#seatOf(client)) this.#protocolBreakers.add(client.sessionId);
    });
  }

  override async onDispose(): Promise<void> {
    this.gate.close(this.roomId_, this.#gated);
    await this.#queue.drained();
    this.#unsubscribe?.();
    await Promise.all([...this.#seats.values()].map((s) => this.deps.services.visits.close(s.visitId, s.player)));
    this.#seats.clear();
    this.log.info("room disposed");
  }

  /** Server stopping (SIGTERM): write the last positions, then close with a code that says "come back". */
  override onBeforeShutdown(): void {
    void this.#flushPositions()
      .catch((err) => this.log.error({ err }, "final position flush failed"))
      .then(() => this.disconnect(CLOSE_CODES.serverRestarting))
      .catch(() => undefined); // already disposing
  }

  // ---- the message table: each message's order and payload check next to its handler ----
  override messages = handlersOf<Seat, CafeClient>(this.#table(), {
    seatOf: (client) => this.#seatOf(client),
    queue: this.#queue,
    fail: (client, code, message, event) => this.#fail(client, code, message, event),
    report: (seat, type, err) => this.#report(seat, type, err),
    counted: (type) => this.deps.metrics?.messageIn(type),
  });

  #table(): MessageTable<Seat> {
    return {
      [CLIENT_MESSAGES.updatePosition]: {
        order: "now",
        validate: payloadOf(CLIENT_MESSAGES.updatePosition),
        handle: (seat, p) => this.#move(seat, p),
      },
      [CLIENT_MESSAGES.sendMessage]: {
        order: "queued",
        validate: payloadOf(CLIENT_MESSAGES.sendMessage),
        handle: async (seat, p) => {
          if (this.#throttled(seat, this.#chat, "messages", CLIENT_MESSAGES.sendMessage)) return;
          await this.deps.services.chat.post(seat.viewer, this.roomId_, p.message, p.to_user_id);
        },
      },
      [CLIENT_MESSAGES.placeObject]: {
        order: "queued",
        validate: payloadOf(CLIENT_MESSAGES.placeObject),
        handle: async (seat, p) => {
          const at = { x: p.x, y: p.y, rotation: p.rotation };
          await this.deps.services.items.place(seat.viewer, p.inventory_item_id, this.roomId_, at, this.#playerPositions());
        },
      },
      [CLIENT_MESSAGES.useTool]: {
        order: "queued",
        validate: payloadOf(CLIENT_MESSAGES.useTool),
        handle: async (seat, p) => {
          const used = await this.deps.services.tools.use(seat.viewer, this.roomId_, p, this.#playerPositions());
          this.broadcast(SERVER_MESSAGES.toolUsed, used);
        },
      },
      [CLIENT_MESSAGES.getInventory]: {
        order: "queued",
        validate: payloadOf(CLIENT_MESSAGES.getInventory),
        handle: async (seat) => {
          const page = await this.deps.services.items.inventory(seat.viewer, { limit: 500, offset: 0 });
          this.sendTo(seat.client, SERVER_MESSAGES.inventory, { items: page.items });
        },
      },
      [CLIENT_MESSAGES.getRoomState]: {
        order: "now",
        validate: payloadOf(CLIENT_MESSAGES.getRoomState),
        handle: (seat) => this.sendTo(seat.client, SERVER_MESSAGES.roomState, snapshotOf(this.state)),
      },
      [CLIENT_MESSAGES.emote]: {
        order: "now",
        validate: payloadOf(CLIENT_MESSAGES.emote),
        handle: (seat, p) => {
          if (this.#throttled(seat, this.#emotes, "emotes", CLIENT_MESSAGES.emote)) return;
          this.broadcast(SERVER_MESSAGES.emote, { user_id: seat.viewer.id, emote: p.emote } satisfies EmotePayload);
        },
      },
      [CLIENT_MESSAGES.leaveRoom]: {
        order: "now",
        validate: payloadOf(CLIENT_MESSAGES.leaveRoom),
        handle: (seat) => this.#close(seat.client, CloseCode.CONSENTED, "Left the room"),
      },
      [CLIENT_MESSAGES.rtcMedia]: {
        order: "now",
        validate: payloadOf(CLIENT_MESSAGES.rtcMedia),
        handle: (seat, p) => this.#media.setMedia(seat.viewer.id, p),
      },
      [CLIENT_MESSAGES.rtcSignal]: {
        order: "now",
        validate: payloadOf(CLIENT_MESSAGES.rtcSignal),
        handle: (seat, p) => this.#media.relay(seat.viewer.id, p),
      },
    };
  }

  /** True (and `error` sent) while the seat is over `limiter`'s rule; otherwise counts this one. */
  #throttled(seat: Seat, limiter: RateLimiter, what: string, type: ClientMessage): boolean {
    const key = String(seat.viewer.id);
    const wait = limiter.retryAfter(key);
    if (wait) this.#fail(seat.client, "rate_limited", `Too many ${what}; wait ${wait} s`, type);
    else limiter.hit(key);
    return wait > 0;
  }

  /** Turns a handler's failure into `error` to the seat's current connection. */
  #report(seat: Seat, type: ClientMessage, err: unknown): void {
    const failure = commandFailure(err);
    if (failure.kind === "outage") {
      // The write may or may not have committed: reload the room's objects once the database is back.
      this.#objects.markStale();
      // A refusal of our own (Redis down, or a change saved but not published) says which; it is logged where it is made.
      if (err instanceof AppError) return this.#fail(seat.client, err.code, String(err.detail), type);
      this.#outage(type, err);
    } else if (failure.kind === "bug") {
      this.log.error({ err, error_id: failure.errorId, event: type }, `internal error ${failure.errorId}`);
    }
    this.#fail(seat.client, failure.code, failure.message, type);
  }

  #outage(where: string, err: unknown): void {
    this.#outages ??= new OutageLog((line, fields) => this.log.warn(fields, line), this.deps.database);
    this.#outages.report(where, err);
  }

  #fail(client: Client, code: ErrorCode, message: string, event?: string, seq?: number): void {
    const payload: ErrorPayload = { code, message, ...(event ? { event } : {}), ...(seq !== undefined ? { seq } : {}) };
    this.sendTo(client, SERVER_MESSAGES.error, payload);
    if (MALFORMED.has(code)) this.deps.slowLane.hold(client, client.ref as unknown as Flow);
  }

  #seatOf(client: Client): Seat | undefined {
    const player = this.state.players.get(client.sessionId);
    const seat = player ? this.#seats.get(player.user_id) : undefined;
    return seat && seat.client.sessionId === client.sessionId ? seat : undefined;
  }

  // ---- movement ----
  #move(seat: Seat, p: Payload<typeof CLIENT_MESSAGES.updatePosition>): void {
    const { player } = seat;
    const to = { x: p.x, y: p.y };
    const distance = Math.hypot(to.x - player.x, to.y - player.y);
    if (distance === 0) return;
    const now = this.clock.currentTime;
    const problem =
      checkPath(player, to, this.state, this.#layout.blockers()) ?? (distance > seat.speed.allowance(now) ? "too_fast" : null);
    if (problem) {
      // The authoritative position stays; the state patch corrects the client.
      this.deps.metrics?.rejectedMove(problem);
      return this.#fail(seat.client, problem, MOVE_MESSAGES[problem], CLIENT_MESSAGES.updatePosition, p.seq);
    }
    seat.speed.record(now, distance);
    player.x = to.x;
    player.y = to.y;
    player.sitting_on = this.#layout.chairAt(to);
    this.#media.markDirty();
  }

  #spawnPoint(wanted: { x?: number | undefined; y?: number | undefined }): Point | null {
    const start = { x: wanted.x ?? this.state.width / 2, y: wanted.y ?? this.state.height / 2 };
    return findSpawnPoint(start, this.state, this.#layout.blockers(), this.#playerPositions());
  }

  #playerPositions(): Point[] {
    return [...this.state.players.values()].map((p) => ({ x: p.x, y: p.y }));
  }

  /** Writes moved positions; never rejects. A failed write is retried at the next tick. */
  async #flushPositions(): Promise<void> {
    const moved = [...this.#seats.values()].filter((s) => s.flushed.x !== s.player.x || s.flushed.y !== s.player.y);
    if (!moved.length) return;
    const before = new Map(moved.map((s) => [s, s.flushed]));
    for (const s of moved) s.flushed = { x: s.player.x, y: s.player.y };
    try {
      await this.deps.services.visits.flushPositions(moved.map((s) => ({ visitId: s.visitId, x: s.player.x, y: s.player.y })));
    } catch (err) {
      for (const [s, flushed] of before) s.flushed = flushed;
      if (isUnavailable(err)) this.#outage("position flush", err);
      else this.log.error({ err }, "position flush failed");
    }
  }

  // ---- durable changes, from this room or from REST: what the projection asks of the room ----
  #perform(effect: RoomEffect): void {
    // To the user's current connection: a takeover may have replaced the one they joined with.
    const client = "userId" in effect ? this.#seats.get(effect.userId)?.client : undefined;
    switch (effect.kind) {
      case "broadcast":
        return this.broadcast(effect.message, effect.payload);
      case "send":
        if (client) this.sendTo(client, effect.message, effect.payload);
        return;
      case "drop_media":
        return this.#media.drop(effect.userId);
      case "close":
        if (client) this.#close(client, effect.code, effect.reason);
        return;
      case "close_room":
        for (const seat of this.#seats.values()) this.#close(seat.client, effect.code, effect.reason);
        return void this.disconnect(effect.code);
    }
  }
}

const MOVE_MESSAGES = {
  out_of_bounds: "That position is outside the room",
  blocked: "Something blocks the way",
  too_fast: "Faster than walking speed",
} as const;

/** The room class for one app: the composition root hands it its services. */
export function createCafeRoom(deps: CafeRoomDeps) {
  const gate = new SeatGate();
  return class CafeRoom extends CafeRoomBase {
    protected override deps = deps;
    protected override gate = gate;

    static override async onAuth(token: string, options: unknown): Promise<Viewer & { joining?: JoinFacts }> {
      return admit(deps, token, options, gate);
    }
  };
}
