// What a live room does about a database outage, kept out of the room's rules: joins refused with
// a 503 the client can tell apart from a bad token, and the room's objects brought back in line
// with the database once it answers again.
import { ServerError } from "@colyseus/core";
import type { ItemOut } from "../../../shared/src/api.ts";
import { roomObjectOf, sameRoomObject } from "../../../shared/src/placed-object.ts";
import type { ObjectState } from "../../../shared/src/state.ts";
import { isUnavailable } from "../services/outage.ts";

/** Rethrows `err`, as a 503 `unavailable` join refusal when it is an outage. */
export function unavailableJoin(err: unknown): never {
  if (isUnavailable(err)) throw new ServerError(503, "unavailable: the database is unavailable right now; try again in a few seconds");
  throw err;
}

/**
 * Makes `objects` show exactly `truth` (the database's objects of the room): `put` adds or updates
 * one; objects the database no longer has in the room are deleted. Returns what changed.
 */
export function resyncObjects(
  objects: Map<string, ObjectState>,
  truth: ItemOut[],
  put: (o: ItemOut) => void,
): { placed: ItemOut[]; removed: number[] } {
  const keep = new Set(truth.map((o) => String(o.id)));
  const removed: number[] = [];
  for (const key of [...objects.keys()]) {
    if (keep.has(key)) continue;
    objects.delete(key);
    removed.push(Number(key));
  }
  const placed: ItemOut[] = [];
  for (const o of truth) {
    const shown = objects.get(String(o.id));
    if (shown && sameRoomObject(shown, roomObjectOf(o))) continue;
    put(o);
    placed.push(o);
  }
  return { placed, removed };
}
