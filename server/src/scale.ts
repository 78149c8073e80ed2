// One process, or several sharing rooms through Redis: Colyseus's presence (pub/sub, seat
// reservations) and matchmaking driver (room listing) are chosen here, once.
import { LocalDriver, LocalPresence, type IRoomCache, type MatchMakerDriver, type Presence } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";
import type { Redis } from "ioredis";

export interface ScaleOut {
  presence: Presence;
  driver: MatchMakerDriver;
  mode: "single process" | "redis";
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
}

/** ioredis reads options from the URL's query: every key gets the prefix. */
function withKeyPrefix(url: string, prefix: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("keyPrefix", prefix);
  return parsed.toString();
}

export function createScaleOut(redisUrl: string | undefined, prefix = "cafe:"): ScaleOut {
  if (!redisUrl) return { presence: new LocalPresence(), driver: new LocalDriver(), mode: "single process" };
  const url = withKeyPrefix(redisUrl, prefix);
  const presence = new CafeRedisPresence(url);
  return { presence, driver: new UniqueRoomDriver(url, presence), mode: "redis" };
}
