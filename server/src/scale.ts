// One process, or several sharing rooms through Redis: Colyseus's presence (pub/sub, seat
// reservations) and matchmaking driver (room listing) are chosen here, once.
import { LocalDriver, LocalPresence, type MatchMakerDriver, type Presence } from "@colyseus/core";
import { RedisDriver } from "@colyseus/redis-driver";
import { RedisPresence } from "@colyseus/redis-presence";

export interface ScaleOut {
  presence: Presence;
  driver: MatchMakerDriver;
  mode: "single process" | "redis";
}

export function createScaleOut(redisUrl: string | undefined): ScaleOut {
  if (!redisUrl) return { presence: new LocalPresence(), driver: new LocalDriver(), mode: "single process" };
  return { presence: new RedisPresence(redisUrl), driver: new RedisDriver(redisUrl), mode: "redis" };
}
