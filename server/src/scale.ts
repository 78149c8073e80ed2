// One process, or several sharing rooms through Redis: Colyseus's presence (pub/sub, seat
// reservations) and matchmaking driver (room listing) are chosen here, once.
import { LocalDriver, LocalPresence, matchMaker, type IRoomCache, type MatchMakerDriver, type Presence } from "@colyseus/core";
import { CLOSE_CODES } from "../../shared/src/protocol.ts";
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import type { Redis } from "ioredis";

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

  constructor(url: string, presence: CafeRedisPresence) {
    super(url);
    this.#presence = presence;
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

/** ioredis reads options from the URL's query: every key gets the prefix. */
function withKeyPrefix(url: string, prefix: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("keyPrefix", prefix);
  return parsed.toString();
}

export function createScaleOut(redisUrl: string | undefined, prefix = "cafe:"): ScaleOut {
  if (!redisUrl) {
    return { presence: new LocalPresence(), driver: new LocalDriver(), mode: "single process", ready: () => true, restoreAfterReconnect: () => {} };
  }
  const url = withKeyPrefix(redisUrl, prefix);
  const presence = new CafeRedisPresence(url);
  return {
    presence,
    driver: new UniqueRoomDriver(url, presence),
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
