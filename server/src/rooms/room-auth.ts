// Who may take a seat in a cafe room, and every refusal of a join. A refusal travels to the SDK as
// a Colyseus ServerError: an HTTP-like status, and the contract's machine code at the start of its
// message (shared/src/join-refusal.ts), so the JSON gateway and clients report the room's own code.
import { ServerError } from "@colyseus/core";
import { JoinOptions } from "../../../shared/src/protocol.ts";
import { joinRefusal } from "../../../shared/src/join-refusal.ts";
import type { z } from "zod";
import type { Viewer } from "../services/access.ts";
import type { JoinFacts } from "../services/joining.ts";
import { AppError } from "../services/errors.ts";
import type { Services } from "../services/index.ts";
import { isUnavailable } from "../services/outage.ts";
import { unavailableJoin } from "./outage-recovery.ts";
import { REDIS_UNAVAILABLE } from "../scale.ts";

export interface JoinGateDeps {
  services: Pick<Services, "accounts" | "rooms" | "joins">;
  /** False while Redis (scale-out) is unreachable: joins are refused with 503 rather than hang. */
  redisReady?: () => boolean;
}

/** Places held for joins on their way in to the rooms of this process (seat-gate.ts). */
export interface JoinHolds {
  hold(roomId: number, userId: number): void;
  release(roomId: number, userId: number): void;
}

/**
 * Runs before a seat is reserved: a bad token or a hidden room never creates a room. The usual join
 * asks the database once (services/joining.ts) and carries what the seat needs to onJoin; any
 * refusal takes the careful path below, which names it.
 */
export async function admit(deps: JoinGateDeps, token: string | undefined, options: unknown, holds: JoinHolds): Promise<Viewer & { joining?: JoinFacts }> {
  if (deps.redisReady && !deps.redisReady()) throw new ServerError(503, REDIS_UNAVAILABLE);
  const wanted = JoinOptions.safeParse(options);
  const userId = token && wanted.success ? deps.services.joins.userOf(token) : null;
  if (userId !== null && wanted.success) {
    const roomId = wanted.data.room_id;
    // A room full here refuses before the query (a storm's second hundred costs no more than
    // this); held again after it, as the room may have opened here meanwhile (the storm's first join).
    holds.hold(roomId, userId);
    try {
      const joining = await deps.services.joins.admit(userId, roomId).catch(unavailableJoin);
      if (joining) {
        holds.hold(roomId, userId);
        return { ...joining.viewer, joining };
      }
    } catch (err) {
      holds.release(roomId, userId);
      throw err;
    }
    holds.release(roomId, userId);
  }
  const viewer = await authenticate(deps, token);
  const { room_id } = joinOptions(options);
  try {
    await deps.services.rooms.assertJoinable(viewer, room_id);
  } catch (err) {
    if (isUnavailable(err)) unavailableJoin(err);
    if (err instanceof AppError && err.code === "banned") throw new ServerError(403, joinRefusal("banned", String(err.detail)));
    throw roomNotFound();
  }
  return viewer;
}

async function authenticate(deps: JoinGateDeps, token: string | undefined): Promise<Viewer> {
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

/** The join options, or a 400 refusal. */
export function joinOptions(options: unknown): z.output<typeof JoinOptions> {
  const parsed = JoinOptions.safeParse(options);
  if (!parsed.success) throw new ServerError(400, joinRefusal("invalid_payload", "room_id must be a positive integer"));
  return parsed.data;
}

export const roomNotFound = () => new ServerError(404, joinRefusal("not_found", "Room not found"));
export const roomFull = (maxUsers: number) => new ServerError(409, joinRefusal("room_full", `Room is full (${maxUsers} users)`));
export const noFreeSpot = () => new ServerError(409, joinRefusal("conflict", "No free spot in the room"));
