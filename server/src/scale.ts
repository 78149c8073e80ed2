// One process, or several sharing rooms through Redis: Colyseus's presence (pub/sub, seat
// reservations) and matchmaking driver (room listing) are chosen here, once.
import { LocalDriver, LocalPresence, matchMaker, ServerError, type IRoomCache, type MatchMakerDriver, type Presence } from "@colyseus/core";
import { CLOSE_CODES } from "../../shared/src/protocol.ts";
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import { Redis } from "ioredis";

/** How a join, or anything else that needs Redis, is refused while it is unreachable (503). */
export const REDIS_UNAVAILABLE = "unavailable: Redis is unavailable right now; try again in a few seconds";

/**
 * A command issued while the connection is down waits for this many reconnection attempts (about
 * 0.5 s with ioredis's back-off), then fails: a join or a publish during an outage is refused
 * promptly instead of waiting ioredis's default 20 attempts (about 10 s).
 */
const MAX_RETRIES_PER_REQUEST = 3;

/** The errors ioredis fails a command with when the connection is down (not a Redis reply). */
export function isRedisConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === "MaxRetriesPerRequestError" || err.message === "Connection is closed." || /^connect ECONNREFUSED/.test(err.message);
}

export interface ScaleOut {
  presence: Presence;
  driver: MatchMakerDriver;
  mode: "single process" | "redis";
  /** False while Redis is unreachable: joins are then refused with 503 instead of hanging. */
  ready: () => boolean;
  /**
   * After Redis comes back (possibly empty, if it restarted without persistence), this process's
   * room listings and claims are written again, so joins find its rooms instead of creating twins.
   */
  restoreAfterReconnect(log: (line: string) => void): void;
}

// Atomically records a room listing unless a live listing already holds the same claim (room type
// + filter values, i.e. one stored room). A claim whose holder left `roomcaches` (disposed, or
// cleaned up after its process died) is stale and is taken over.
const CLAIM_SCRIPT = `
local holder = redis.call('HGET', KEYS[2], ARGV[1])
if holder and holder ~= ARGV[2] and redis.call('HEXISTS', KEYS[1], holder) == 1 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1`;
/** The hash RedisDriver keeps listings in (a constant of @colyseus/redis-driver). */
const ROOMCACHES_KEY = "roomcaches";
const CLAIMS_KEY = "room_claims";

/** RedisPresence that also runs the claim script on its command connection. */
class CafeRedisPresence extends RedisPresence {
  get ready(): boolean {
    return (this.pub as Redis).status === "ready" && (this.sub as Redis).status === "ready";
  }

  /** Calls `listener` each time the command connection is ready again after a drop. */
  onReconnect(listener: () => void): void {
    const pub = this.pub as Redis;
    let dropped = false;
    pub.on("close", () => (dropped = true));
    pub.on("ready", () => {
      if (!dropped) return;
      dropped = false;
      listener();
    });
  }

  async claim(claim: string, roomId: string, listing: string): Promise<boolean> {
    const won = await (this.pub as Redis).eval(CLAIM_SCRIPT, 2, ROOMCACHES_KEY, CLAIMS_KEY, claim, roomId, listing);
    return won === 1;
  }
}

/**
 * Colyseus's joinOrCreate only waits 0.5 s for a concurrent creation of the same filtered room to
 * be announced; ours loads from the database and may take longer, so two processes could each
 * create one. `insert` makes the listing unique per stored room: the loser's room is discarded and
 * its join retried (SeatReservationError), which then finds the winner.
 */
class UniqueRoomDriver extends RedisDriver {
  readonly #presence: CafeRedisPresence;

  constructor(client: Redis, presence: CafeRedisPresence) {
    super(client);
    this.#presence = presence;
    forgetFailedListingReads(this as unknown as ListingReads);
  }

  async insert(room: IRoomCache): Promise<boolean> {
    const filters = room.metadata && typeof room.metadata === "object" ? Object.entries(room.metadata as object) : [];
    if (filters.length === 0) return this.persist(room, true);
    const claim = `${room.name}:${filters.map(([key, value]) => `${key}=${String(value)}`).join("&")}`;
    return this.#presence.claim(claim, room.roomId, JSON.stringify(room));
  }

  /**
   * `create` is only used when Colyseus restores listings missing from Redis (after a restart, or
   * after a peer wrongly swept us): restore through the claim, and if another process created the
   * same stored room meanwhile, close ours with "come back" so its clients rejoin that one.
   */
  override async persist(room: IRoomCache, create = false): Promise<boolean> {
    if (!create) return super.persist(room, create);
    if (await this.insert(room)) return true;
    void matchMaker.getLocalRoomById(room.roomId)?.disconnect(CLOSE_CODES.serverRestarting);
    return false;
  }
}

/** RedisDriver's private read of every listing, shared by the joins that ask at the same time. */
interface ListingReads {
  getRooms(roomName?: string): Promise<IRoomCache[]>;
  _concurrentRoomCacheRequest?: Promise<unknown>;
  _roomCacheRequestByName: Record<string, Promise<IRoomCache[]> | undefined>;
}

/**
 * RedisDriver (0.18.3) shares one in-flight HGETALL between the joins asking at the same time and
 * forgets it only when it succeeds: one that fails (Redis went away mid-join) stays cached, and
 * every later join on this process fails with that same error, after Redis is back, for ever.
 * Forget a failed read too, so the next join asks Redis again.
 */
function forgetFailedListingReads(driver: ListingReads): void {
  const getRooms = driver.getRooms.bind(driver);
  driver.getRooms = (roomName) => {
    const request = getRooms(roomName);
    // The HGETALL this call shares (getRooms has just set it, or found it set).
    const read = driver._concurrentRoomCacheRequest;
    request.catch(() => {
      if (driver._roomCacheRequestByName[String(roomName)] === request) delete driver._roomCacheRequestByName[String(roomName)];
      if (driver._concurrentRoomCacheRequest === read) driver._concurrentRoomCacheRequest = undefined;
    });
    return request;
  };
}

/** ioredis reads options from the URL's query: every key gets the prefix. */
function withKeyPrefix(url: string, prefix: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("keyPrefix", prefix);
  return parsed.toString();
}

/** The matchmaker is one per process: whether the Redis of the latest scale-out is connected. */
let redisReady: () => boolean = () => true;
let refusing = false;

export function createScaleOut(redisUrl: string | undefined, prefix = "cafe:"): ScaleOut {
  if (!redisUrl) {
    // A later server in this process (tests start several) must not ask an earlier one's Redis.
    redisReady = () => true;
    return { presence: new LocalPresence(), driver: new LocalDriver(), mode: "single process", ready: () => true, restoreAfterReconnect: () => {} };
  }
  const url = withKeyPrefix(redisUrl, prefix);
  const connect = () => new Redis(url, { maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST });
  const presence = new CafeRedisPresence(connect());
  const listings = connect();
  // The presence's connections already log an outage (once per attempt); this one would print
  // ioredis's "Unhandled error event" for the same outage.
  listings.on("error", () => {});
  refuseJoinsWhileDown(() => presence.ready);
  return {
    presence,
    driver: new UniqueRoomDriver(listings, presence),
    mode: "redis",
    ready: () => presence.ready,
    restoreAfterReconnect(log) {
      presence.onReconnect(() => {
        log("Redis is back: restoring this process's room listings");
        matchMaker.restoreMissingRoomCaches().catch((err) => log(`restoring room listings failed: ${String(err)}`));
      });
    },
  };
}

/**
 * A join that passed the gate in room-auth.ts just before Redis went away fails inside Colyseus's
 * matchmaking (a listing query, a seat reservation) with ioredis's error, which Colyseus would
 * answer as 523 "unhandled": while Redis is down it is the same 503 as the gate's. The
 * matchmaker is one per process: wrapped once, asking the latest scale-out.
 */
function refuseJoinsWhileDown(ready: () => boolean): void {
  redisReady = ready;
  if (refusing) return;
  refusing = true;
  const controller = matchMaker.controller;
  const invoke = controller.invokeMethod.bind(controller);
  controller.invokeMethod = async (...args: Parameters<typeof invoke>) => {
    try {
      return await invoke(...args);
    } catch (err) {
      if (!redisReady()) throw new ServerError(503, REDIS_UNAVAILABLE);
      throw err;
    }
  };
}

/**
 * Colyseus issues some Redis commands without awaiting them (its room-count stats on a timer, IPC
 * publishes, unsubscribes). While Redis is down each one rejects with nobody listening, and Node's
 * default for an unhandled rejection is to end the process: every room on it would go down with
 * Redis. Such rejections are logged (at most one line per 10 s); any other unhandled rejection
 * still ends the process, as a bug should.
 */
export function surviveRedisRejections(log: (line: string) => void): void {
  let loggedAt = -Infinity;
  process.on("unhandledRejection", (reason) => {
    if (!isRedisConnectionError(reason)) throw reason;
    if (performance.now() - loggedAt < 10_000) return;
    loggedAt = performance.now();
    log(`a Redis command nobody waited for failed (Redis is unreachable): ${(reason as Error).message}`);
  });
}
