// The `cafe` room: one live Colyseus room per stored room. Handlers are short: validate the
// payload, call a pure rule or a service, then change state. Durable changes (chat, objects)
// reach the state through the RoomEventBus after their commit, whether they came from this room
// or from REST, so both take one path.
import { CloseCode, ServerError, type Client } from "@colyseus/core";
import type { ItemOut, UserOut } from "../../../shared/src/api.ts";
import type { Avatar } from "../../../shared/src/appearance.ts";
import { BLOCKING_TYPES, SEAT_TYPES, type ItemType } from "../../../shared/src/catalog.ts";
import { ROOM } from "../../../shared/src/constants.ts";
import { footprintTiles } from "../../../shared/src/sim/footprint.ts";
import { StateView } from "@colyseus/schema";
import type { ErrorCode } from "../../../shared/src/errors.ts";
import {
  CLIENT_MESSAGES,
  CLOSE_CODES,
  JoinOptions,
  PAYLOADS,
  SERVER_MESSAGES,
  type ClientMessage,
  type EmotePayload,
  type ErrorPayload,
  type MessageReceivedPayload,
  type Payload,
  type RoomStatePayload,
} from "../../../shared/src/protocol.ts";
import { FAST_PAYLOADS } from "../../../shared/src/fast-payloads.ts";
import { AvatarState, CafeState, HallState, ObjectState, OWNER_VIEW_TAG, PlayerState } from "../../../shared/src/state.ts";
import { isHall, VIEW_REFRESH_MS } from "../../../shared/src/interest.ts";
import { Interest } from "./interest.ts";
import { chairUnder, checkPath, findFreeSpot, playerInsideRoom, SpeedWindow } from "../../../shared/src/sim/movement.ts";
import { findSpawnPoint } from "../../../shared/src/sim/spawn.ts";
import { joinRefusal } from "../../../shared/src/join-refusal.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import type { Viewer } from "../services/access.ts";
import { AppError } from "../services/errors.ts";
import { isUnavailable, OutageLog } from "../services/outage.ts";
import type { RemovalReason, RoomEvent } from "../services/events.ts";
import type { Services } from "../services/index.ts";
import { RateLimiter } from "../http/rate-limit.ts";
import { ObservedRoom, type Observability } from "./observed-room.ts";
import { resyncObjects, unavailableJoin } from "./outage-recovery.ts";
import { MediaHub } from "./media.ts";
import { RTC } from "../../../shared/src/media.ts";
import { privateAreaAt } from "../../../shared/src/sim/proximity.ts";

export interface CafeRoomDeps extends Observability {
  services: Services;
  /** Seconds a dropped client keeps its seat. */
  reconnectSeconds?: number;
  /** Names the database in outage log lines. */
  database?: string;
  /** False while Redis (scale-out) is unreachable: joins are refused with 503 rather than hang. */
  redisReady?: () => boolean;
}

interface Seat {
  viewer: Viewer;
  client: Client;
  player: PlayerState;
  visitId: number;
  speed: SpeedWindow;
  flushed: Point;
  /** The seat's durable commands, run one after another in the order they arrived. */
  work: Promise<void>;
  queued: number;
}

type CafeClient = Client<{ auth: Viewer }>;
/** Blocking tiles and seat tiles (a seat's tiles carry its id), expanded from the footprints. */
interface Layout {
  blockers: Point[];
  chairs: (Point & { id: number })[];
}
type Handler<M extends ClientMessage> = (this: CafeRoomBase, seat: Seat, payload: Payload<M>) => unknown;

const POSITION_FLUSH_MS = 2000;
const CHAT_LIMIT = { max: 5, windowMs: 5000 };
/** Durable commands one seat may have waiting for the database before more are refused. */
const MAX_QUEUED_COMMANDS = 32;
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
  override state = new CafeState();
  override maxMessagesPerSecond = 40;
  override autoDispose = true;

  roomId_ = 0;
  #maxUsers: number = ROOM.defaultMaxUsers;
  readonly #seats = new Map<number, Seat>();
  readonly #chat = new RateLimiter(CHAT_LIMIT);
  readonly #emotes = new RateLimiter(CHAT_LIMIT);
  #layoutCache: Layout | undefined;
  /** Sessions whose socket broke the WebSocket protocol; the transport closes them (1009, 1002…). */
  readonly #protocolBreakers = new Set<string>();
  #unsubscribe: (() => void) | undefined;
  /** Handlers still awaiting the database; disposal waits for them (SIGTERM drains writes). */
  #inFlight = 0;
  #idle: (() => void) | undefined;
  /** A durable command failed on an outage: its outcome is unknown, so objects are reloaded once the database answers. */
  #stale = false;
  /** Bumped by every durable event, so a reload that raced one is retried. */
  #eventCount = 0;
  #outages: OutageLog | undefined;
  #talkRadius: number = RTC.defaultTalkRadius;
  /** Proximity voice/video: which seats may signal each other (see media.ts). */
  readonly #media = new MediaHub({
    positionOf: (userId) => this.#seats.get(userId)?.player,
    areaAt: (point) => privateAreaAt(point, this.state.objects.values()),
    talkRadius: () => this.#talkRadius,
    send: (userId: number, type: string, payload: unknown) => {
      const seat = this.#seats.get(userId);
      if (seat) this.sendTo(seat.client, type, payload);
    },
  });
  /** Set in a hall: who sees whom. */
  #interest: Interest | undefined;

  // ---- lifecycle ----
  override async onCreate(options: unknown): Promise<void> {
    const parsed = JoinOptions.safeParse(options);
    if (!parsed.success) throw new ServerError(400, joinRefusal("invalid_payload", "room_id must be a positive integer"));
    const snapshot = await this.deps.services.rooms.liveSnapshot(parsed.data.room_id).catch(unavailableJoin);
    if (!snapshot) throw new ServerError(404, joinRefusal("not_found", "Room not found"));
    const { room, objects } = snapshot;
    this.roomId_ = room.id;
    this.setLogContext({ room_id: room.id });
    this.#maxUsers = room.maxUsers;
    if (isHall(room.maxUsers)) this.#becomeHall();
    this.#talkRadius = room.talkRadius;
    Object.assign(this.state, { room_id: room.id, name: room.name, width: room.width, height: room.height, floor: room.themeFloor, wall_color: room.wallColor });
    for (const object of objects) this.#putObject(object);
    this.#unsubscribe = await this.deps.services.events.subscribe(room.id, (event) => this.#onEvent(event));
    this.clock.setInterval(() => void this.#flushPositions().then(() => this.#resync()), POSITION_FLUSH_MS);
    this.clock.setInterval(() => this.#media.tick(), RTC.recomputeMs);
    this.log.info("room created");
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
    const viewer = client.auth!;
    this.#watchProtocolErrors(client);
    const parsed = JoinOptions.safeParse(options);
    const asked = parsed.success && parsed.data.x !== undefined && parsed.data.y !== undefined ? parsed.data : undefined;
    // Without a wanted spot, people come back where they left (checked below like any spot).
    const wanted = asked ?? (this.#seats.has(viewer.id) ? undefined : await this.deps.services.visits.lastPosition(this.roomId_, viewer.id)) ?? {};
    // From here to the reservation nothing awaits, so two joins cannot both pass the capacity check.
    const previous = this.#seats.get(viewer.id);
    if (previous) return this.#takeOver(previous, client);
    if (this.#seats.size >= this.#maxUsers) throw new ServerError(409, joinRefusal("room_full", `Room is full (${this.#maxUsers} users)`));
    const spot = this.#spawnPoint(wanted);
    if (!spot) throw new ServerError(409, joinRefusal("conflict", "No free spot in the room"));
    const player = new PlayerState({ user_id: viewer.id, username: viewer.username, display_name: viewer.username, color: "#000000", sitting_on: 0, ack: 0, ...spot });
    const seat: Seat = { viewer, client, player, visitId: 0, speed: new SpeedWindow(), flushed: spot, work: Promise.resolve(), queued: 0 };
    this.#seats.set(viewer.id, seat);
    try {
      const profile = await this.deps.services.accounts.getProfile(viewer, viewer.id);
      player.display_name = profile.display_name;
      player.color = profile.avatar_color;
      player.avatar = new AvatarState(profile.avatar);
      player.sitting_on = this.#chairAt(spot);
      seat.visitId = await this.deps.services.visits.open(this.roomId_, viewer.id, spot.x, spot.y);
    } catch (err) {
      this.#seats.delete(viewer.id);
      unavailableJoin(err);
    }
    this.state.players.set(client.sessionId, player);
    this.#showOwnFields(client, player);
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
    this.#showOwnFields(client, seat.player);
    this.#close(old, CLOSE_CODES.seatTakenOver, "Seat taken over by a newer connection");
  }

  /** The owner's connection sees its player's owner-only fields (`ack`); nobody else does. */
  #showOwnFields(client: CafeClient, player: PlayerState): void {
    client.view = new StateView();
    client.view.add(player, OWNER_VIEW_TAG);
    if (this.#interest) {
      // In a hall the player itself is filtered too: show it, then whoever is near, at once.
      client.view.add(player);
      this.#refreshViews();
    }
  }

  override async onDrop(client: CafeClient, code?: number): Promise<void> {
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
    if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
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

  // ---- messages: each payload schema sits next to its handler ----
  // Durable commands ("queued") wait for the seat's earlier ones, so a script may place an item and
  // use a tool on it without waiting for replies; moves never wait for the database.
  override messages = {
    [CLIENT_MESSAGES.updatePosition]: this.#on(CLIENT_MESSAGES.updatePosition, "now", function (seat, p) {
      this.#move(seat, p);
    }),
    [CLIENT_MESSAGES.sendMessage]: this.#on(CLIENT_MESSAGES.sendMessage, "queued", async function (seat, p) {
      const wait = this.#chat.retryAfter(String(seat.viewer.id));
      if (wait) return this.#fail(seat.client, "rate_limited", `Too many messages; wait ${wait} s`, CLIENT_MESSAGES.sendMessage);
      this.#chat.hit(String(seat.viewer.id));
      await this.deps.services.chat.post(seat.viewer, this.roomId_, p.message, p.to_user_id);
    }),
    [CLIENT_MESSAGES.placeObject]: this.#on(CLIENT_MESSAGES.placeObject, "queued", async function (seat, p) {
      const at = { x: p.x, y: p.y, rotation: p.rotation };
      await this.deps.services.items.place(seat.viewer, p.inventory_item_id, this.roomId_, at, this.#playerPositions());
    }),
    [CLIENT_MESSAGES.useTool]: this.#on(CLIENT_MESSAGES.useTool, "queued", async function (seat, p) {
      const used = await this.deps.services.tools.use(seat.viewer, this.roomId_, p, this.#playerPositions());
      this.broadcast(SERVER_MESSAGES.toolUsed, used);
    }),
    [CLIENT_MESSAGES.getInventory]: this.#on(CLIENT_MESSAGES.getInventory, "queued", async function (seat) {
      const page = await this.deps.services.items.inventory(seat.viewer, { limit: 500, offset: 0 });
      this.sendTo(seat.client, SERVER_MESSAGES.inventory, { items: page.items });
    }),
    [CLIENT_MESSAGES.getRoomState]: this.#on(CLIENT_MESSAGES.getRoomState, "now", function (seat) {
      this.sendTo(seat.client, SERVER_MESSAGES.roomState, this.snapshot());
    }),
    [CLIENT_MESSAGES.emote]: this.#on(CLIENT_MESSAGES.emote, "now", function (seat, p) {
      const wait = this.#emotes.retryAfter(String(seat.viewer.id));
      if (wait) return this.#fail(seat.client, "rate_limited", `Too many emotes; wait ${wait} s`, CLIENT_MESSAGES.emote);
      this.#emotes.hit(String(seat.viewer.id));
      this.broadcast(SERVER_MESSAGES.emote, { user_id: seat.viewer.id, emote: p.emote } satisfies EmotePayload);
    }),
    [CLIENT_MESSAGES.leaveRoom]: this.#on(CLIENT_MESSAGES.leaveRoom, "now", function (seat) {
      this.#close(seat.client, CloseCode.CONSENTED, "Left the room");
    }),
    [CLIENT_MESSAGES.rtcMedia]: this.#on(CLIENT_MESSAGES.rtcMedia, "now", function (seat, p) {
      this.#media.setMedia(seat.viewer.id, p);
    }),
    [CLIENT_MESSAGES.rtcSignal]: this.#on(CLIENT_MESSAGES.rtcSignal, "now", function (seat, p) {
      this.#media.relay(seat.viewer.id, p);
    }),
    _: (client: CafeClient, type: string | number) => {
      // One label for every unknown type: clients must not grow the metric's label set.
      this.deps.metrics?.messageIn("_unknown");
      this.#fail(client, "unknown_message", `Unknown message "${String(type).slice(0, 64)}"`, String(type).slice(0, 64));
    },
  };

  /**
   * Validates the payload with its schema, finds the sender's seat, runs the handler now or after
   * the seat's earlier durable commands, and turns failures into `error`.
   */
  #on<M extends ClientMessage>(type: M, order: "now" | "queued", handler: Handler<M>) {
    return (client: CafeClient, payload: unknown): Promise<void> | void => {
      this.deps.metrics?.messageIn(type);
      const seat = this.#seatOf(client);
      if (!seat) return;
      const data = this.#parse(type, payload ?? {});
      if (data === undefined) return this.#refuse(client, type, payload ?? {});
      if (order === "now") {
        // Immediate handlers are synchronous (moves above all): no promise per message.
        try {
          handler.call(this, seat, data);
        } catch (err) {
          this.#report(seat, type, err);
        }
        return;
      }
      if (seat.queued >= MAX_QUEUED_COMMANDS) return this.#fail(client, "rate_limited", "Too many commands waiting; slow down", type);
      // Counted from arrival, so a disposal (SIGTERM) also waits for commands still queued.
      this.#inFlight++;
      seat.queued++;
      seat.work = seat.work.then(() => this.#runQueued(seat, type, () => handler.call(this, seat, data)));
      return seat.work;
    };
  }

  /** The payload as its schema outputs it, or undefined when invalid; the hot messages skip zod. */
  #parse<M extends ClientMessage>(type: M, payload: unknown): Payload<M> | undefined {
    const fast = FAST_PAYLOADS[type] as ((input: unknown) => Payload<M> | undefined) | undefined;
    if (fast) return fast(payload);
    const parsed = PAYLOADS[type].safeParse(payload);
    return parsed.success ? (parsed.data as Payload<M>) : undefined;
  }

  /** An invalid payload: zod names what is wrong with it. */
  #refuse(client: CafeClient, type: ClientMessage, payload: unknown): void {
    const issue = PAYLOADS[type].safeParse(payload).error?.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    this.#fail(client, "invalid_payload", `${where}${issue?.message ?? "invalid payload"}`, type);
  }

  /** Runs a durable command; never rejects. */
  async #runQueued(seat: Seat, type: ClientMessage, run: () => unknown): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.#report(seat, type, err);
    } finally {
      seat.queued--;
      this.#settled();
    }
  }

  /** Turns a handler's failure into `error` to the seat's current connection. */
  #report(seat: Seat, type: ClientMessage, err: unknown): void {
    if (isUnavailable(err)) {
      // The write may or may not have committed: reload the room's objects once the database is back.
      this.#stale = true;
      // A refusal of our own (Redis down, or a change saved but not published) says which; it is logged where it is made.
      if (err instanceof AppError) return this.#fail(seat.client, err.code, String(err.detail), type);
      this.#outage(type, err);
      return this.#fail(seat.client, "unavailable", "The database is unavailable right now; try again in a few seconds", type);
    }
    if (err instanceof AppError) return this.#fail(seat.client, err.code, String(err.detail), type);
    const id = crypto.randomUUID();
    this.log.error({ err, error_id: id, event: type }, `internal error ${id}`);
    this.#fail(seat.client, "internal", `Internal error (id ${id})`, type);
  }

  #outage(where: string, err: unknown): void {
    this.#outages ??= new OutageLog((line, fields) => this.log.warn(fields, line), this.deps.database);
    this.#outages.report(where, err);
  }

  #settled(): void {
    if (--this.#inFlight === 0) this.#idle?.();
  }

  #fail(client: Client, code: ErrorCode, message: string, event?: string): void {
    const payload: ErrorPayload = { code, message, ...(event ? { event } : {}) };
    this.sendTo(client, SERVER_MESSAGES.error, payload);
  }

  #seatOf(client: Client): Seat | undefined {
    const player = this.state.players.get(client.sessionId);
    const seat = player ? this.#seats.get(player.user_id) : undefined;
    return seat && seat.client.sessionId === client.sessionId ? seat : undefined;
  }

  // ---- movement ----
  #move(seat: Seat, p: Payload<typeof CLIENT_MESSAGES.updatePosition>): void {
    const { player } = seat;
    if (p.seq !== undefined) player.ack = p.seq;
    const to = { x: p.x, y: p.y };
    const distance = Math.hypot(to.x - player.x, to.y - player.y);
    if (distance === 0) return;
    const now = this.clock.currentTime;
    const problem =
      checkPath(player, to, this.state, this.#blockers()) ?? (distance > seat.speed.allowance(now) ? "too_fast" : null);
    if (problem) {
      // The authoritative position stays; the state patch corrects the client.
      this.deps.metrics?.rejectedMove(problem);
      return this.#fail(seat.client, problem, MOVE_MESSAGES[problem], CLIENT_MESSAGES.updatePosition);
    }
    seat.speed.record(now, distance);
    player.x = to.x;
    player.y = to.y;
    player.sitting_on = this.#chairAt(to);
    this.#media.markDirty();
  }

  /**
   * Blocking tiles and seat tiles, expanded from the footprints once per change of the objects
   * (placed, moved, turned or removed) rather than on every move.
   */
  #layout(): Layout {
    if (this.#layoutCache) return this.#layoutCache;
    const layout: Layout = { blockers: [], chairs: [] };
    for (const o of this.state.objects.values()) {
      if (BLOCKING_TYPES.has(o.type as ItemType)) layout.blockers.push(...footprintTiles(o));
      else if (SEAT_TYPES.has(o.type as ItemType)) for (const tile of footprintTiles(o)) layout.chairs.push({ ...tile, id: o.id });
    }
    return (this.#layoutCache = layout);
  }

  #blockers(): Point[] {
    return this.#layout().blockers;
  }

  #chairAt(p: Point): number {
    return chairUnder(p, this.#layout().chairs);
  }

  #spawnPoint(wanted: { x?: number | undefined; y?: number | undefined }): Point | null {
    const start = { x: wanted.x ?? this.state.width / 2, y: wanted.y ?? this.state.height / 2 };
    return findSpawnPoint(start, this.state, this.#blockers(), this.#playerPositions());
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

  /** After an outage, the room's objects are reloaded from the database (the truth) once it answers. */
  async #resync(): Promise<void> {
    if (!this.#stale) return;
    const events = this.#eventCount;
    try {
      const snapshot = await this.deps.services.rooms.liveSnapshot(this.roomId_);
      if (!snapshot || events !== this.#eventCount) return; // deleted (its event closes us), or raced an event: next tick
      this.#stale = false;
      const changed = resyncObjects(this.state.objects, snapshot.objects, (o) => this.#putObject(o));
      if (!changed.placed.length && !changed.removed.length) return;
      this.log.info({ placed: changed.placed.length, removed: changed.removed.length }, "objects reloaded after an outage");
      this.#layoutCache = undefined;
      this.#refreshSitting();
      for (const object of changed.placed) this.broadcast(SERVER_MESSAGES.objectPlaced, { object });
      for (const object_id of changed.removed) this.broadcast(SERVER_MESSAGES.objectRemoved, { object_id });
    } catch (err) {
      if (!isUnavailable(err)) this.log.error({ err }, "reloading objects failed");
    }
  }

  // ---- durable changes, from this room or from REST ----
  #onEvent(event: RoomEvent): void {
    this.#eventCount++;
    this.#media.markDirty(); // furniture (private areas) or the room's size may have changed
    switch (event.type) {
      case "chat":
        return this.#deliverChat(event.message);
      case "object_placed":
        this.#putObject(event.object);
        this.#refreshSitting();
        return this.broadcast(SERVER_MESSAGES.objectPlaced, { object: event.object });
      case "object_updated":
        this.#putObject(event.object);
        this.#refreshSitting();
        return this.broadcast(SERVER_MESSAGES.objectUpdated, { object: event.object });
      case "object_removed":
        this.state.objects.delete(String(event.objectId));
        this.#layoutCache = undefined;
        this.#refreshSitting();
        return this.broadcast(SERVER_MESSAGES.objectRemoved, { object_id: event.objectId });
      case "room_updated":
        Object.assign(this.state, { name: event.room.name, width: event.room.width, height: event.room.height });
        Object.assign(this.state, { floor: event.room.theme.floor, wall_color: event.room.theme.wall_color });
        this.#maxUsers = event.room.max_users;
        this.#talkRadius = event.room.talk_radius;
        return this.#bringPlayersInside();
      case "profile_updated":
        return this.#restyle(event.user);
      case "user_removed":
        return this.#removeUser(event.userId, event.reason, event.scope === "room");
      case "room_deleted":
        for (const seat of this.#seats.values()) this.#close(seat.client, CLOSE_CODES.roomDeleted, "The room was deleted");
        return void this.disconnect(CLOSE_CODES.roomDeleted);
    }
  }

  /** To everyone, or a whisper only to its sender and its target. */
  #deliverChat(message: MessageReceivedPayload): void {
    if (message.to_user_id === undefined) return this.broadcast(SERVER_MESSAGES.messageReceived, message);
    for (const userId of new Set([message.user_id, message.to_user_id])) {
      const seat = this.#seats.get(userId);
      if (seat) this.sendTo(seat.client, SERVER_MESSAGES.messageReceived, message);
    }
  }

  /** A person changed their profile: their avatar changes live in the room. */
  #restyle(user: UserOut): void {
    const player = this.#seats.get(user.id)?.player;
    if (!player) return;
    Object.assign(player, { display_name: user.display_name, color: user.avatar_color });
    // Replaced whole, so a client's one listener on `avatar` sees every change.
    player.avatar = new AvatarState(user.avatar);
  }

  /** A moderator's kick or ban, or the account's deletion: tell the user why, then close their seat for good. */
  #removeUser(userId: number, reason: RemovalReason, byRoom: boolean): void {
    const seat = this.#seats.get(userId);
    if (!seat) return;
    this.#media.drop(userId); // torn down before the close reaches anyone
    const who = byRoom ? "The room's moderators" : "An admin";
    if (reason === "deleted") {
      this.#fail(seat.client, "unauthorized", "This account was deleted");
      this.#close(seat.client, CLOSE_CODES.accountDeleted, "Account deleted");
    } else if (reason === "banned") {
      this.#fail(seat.client, "banned", byRoom ? "You are banned from this room" : "This account is banned");
      this.#close(seat.client, CLOSE_CODES.banned, byRoom ? "Banned from this room" : "Account banned");
    } else {
      this.#fail(seat.client, "forbidden", `${who} removed you from this room`);
      this.#close(seat.client, CLOSE_CODES.kicked, `Removed by ${byRoom ? "the room's moderators" : "an admin"}`);
    }
  }

  #putObject(o: ItemOut): void {
    const fields = { id: o.id, type: o.type, name: o.name, owner_id: o.owner_id, x: o.x ?? 0, y: o.y ?? 0, rotation: o.rotation ?? 0 };
    const existing = this.state.objects.get(String(o.id));
    if (existing) Object.assign(existing, fields);
    else this.state.objects.set(String(o.id), new ObjectState(fields));
    this.#layoutCache = undefined;
  }

  /** After the room shrinks, players left outside are moved to the nearest free spot inside. */
  #bringPlayersInside(): void {
    for (const p of this.state.players.values()) {
      if (playerInsideRoom(p, this.state)) continue;
      const spot = findFreeSpot(p, this.state, this.#blockers());
      if (spot) Object.assign(p, spot, { sitting_on: this.#chairAt(spot) });
    }
  }

  #refreshSitting(): void {
    for (const p of this.state.players.values()) p.sitting_on = this.#chairAt(p);
  }

  /** A plain JSON snapshot of the state (`room_state`). */
  snapshot(): RoomStatePayload {
    const players: RoomStatePayload["players"] = {};
    for (const [key, p] of this.state.players) {
      players[key] = { user_id: p.user_id, username: p.username, display_name: p.display_name, color: p.color, x: p.x, y: p.y, sitting_on: p.sitting_on || null, avatar: p.avatar.toJSON() as Avatar };
    }
    const objects: RoomStatePayload["objects"] = {};
    for (const [key, o] of this.state.objects) {
      objects[key] = { id: o.id, type: o.type, name: o.name, owner_id: o.owner_id, x: o.x, y: o.y, rotation: o.rotation };
    }
    const { room_id, name, width, height, floor, wall_color } = this.state;
    return { room_id, name, width, height, floor, wall_color, players, objects };
  }
}

const MOVE_MESSAGES = {
  out_of_bounds: "That position is outside the room",
  blocked: "Something blocks the way",
  too_fast: "Faster than walking speed",
} as const;

async function authenticate(deps: CafeRoomDeps, token: string | undefined): Promise<Viewer> {
  if (!token) throw new ServerError(401, joinRefusal("unauthorized", "Not authenticated"));
  try {
    return await deps.services.accounts.authenticate(token);
  } catch (err) {
    if (isUnavailable(err)) unavailableJoin(err);
    // A banned account is refused with 403 and the contract's code in the message.
    if (err instanceof AppError && err.code === "banned") throw new ServerError(403, joinRefusal("banned", String(err.detail)));
    throw new ServerError(401, joinRefusal("unauthorized", err instanceof AppError ? String(err.detail) : "Invalid token"));
  }
}

/** The room class for one app: the composition root hands it its services. */
export function createCafeRoom(deps: CafeRoomDeps) {
  return class CafeRoom extends CafeRoomBase {
    protected override deps = deps;

    /** Runs before a seat is reserved: a bad token or a hidden room never creates a room. */
    static override async onAuth(token: string, options: unknown): Promise<Viewer> {
      if (deps.redisReady && !deps.redisReady()) throw new ServerError(503, "unavailable: Redis is unavailable right now; try again in a few seconds");
      const viewer = await authenticate(deps, token);
      const parsed = JoinOptions.safeParse(options);
      if (!parsed.success) throw new ServerError(400, joinRefusal("invalid_payload", "room_id must be a positive integer"));
      try {
        await deps.services.rooms.assertJoinable(viewer, parsed.data.room_id);
      } catch (err) {
        if (isUnavailable(err)) unavailableJoin(err);
        if (err instanceof AppError && err.code === "banned") throw new ServerError(403, joinRefusal("banned", String(err.detail)));
        throw new ServerError(404, joinRefusal("not_found", "Room not found"));
      }
      return viewer;
    }
  };
}
