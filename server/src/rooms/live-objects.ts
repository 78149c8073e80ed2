// A live room's durable side: its objects as the database has them, loaded when the room is
// created, changed only by committed events (the pure projection in shared/src/projection.ts, in
// version order per object), and reloaded from the database when the room can no longer be sure:
// a durable command failed on an outage (it may or may not have committed), or an event waited too
// long for the one before it. The room performs the projection's effects (messages, closes).
import type { Delayed } from "@colyseus/core";
import type { ItemOut } from "../../../shared/src/api.ts";
import { SERVER_MESSAGES } from "../../../shared/src/protocol.ts";
import { loadObject, project, putObject, refreshSitting, type ObjectEvent, type ProjectedRoom, type RoomEffect, type RoomSettings } from "../../../shared/src/projection.ts";
import type { RoomEvent } from "../../../shared/src/room-events.ts";
import { RoomLayout } from "../../../shared/src/sim/layout.ts";
import type { CafeState, PlayerState } from "../../../shared/src/state.ts";
import type { Logger } from "../observability/logger.ts";
import { isUnavailable } from "../services/outage.ts";
import { resyncObjects } from "./outage-recovery.ts";

/** How long an object event may wait for the one before it before the room reloads its objects. */
const HELD_EVENT_MS = 5000;

/** The room's objects in the database now, with each one's version. */
export interface ObjectsSnapshot {
  objects: ItemOut[];
  versions: Map<number, number>;
}

export interface LiveObjectsHost {
  /** The synced state, read on every use: a hall replaces it in onCreate. */
  state(): CafeState;
  settings: RoomSettings;
  playerOf(userId: number): PlayerState | undefined;
  perform(effect: RoomEffect): void;
  broadcast(type: string, payload: unknown): void;
  /** The database's objects of the room; null once the room is gone. */
  reload(): Promise<ObjectsSnapshot | null>;
  /** Something about the furniture or the room changed (private areas, size). */
  changed(): void;
  setTimeout(handler: () => void, ms: number): Delayed;
  log: () => Logger;
}

export class LiveObjects {
  /** Blocking and seat tiles of the objects, for movement, spawning and sitting. */
  readonly layout: RoomLayout;
  readonly #host: LiveObjectsHost;
  /** Each object's last applied version, and events waiting for their predecessor (projection.ts). */
  readonly #versions = new Map<number, number>();
  readonly #held = new Map<number, ObjectEvent[]>();
  #heldTimer: Delayed | undefined;
  /** Set when the objects shown may differ from the database's: reloaded once it answers. */
  #stale = false;
  /** Bumped by every durable event, so a reload that raced one is retried. */
  #eventCount = 0;

  constructor(host: LiveObjectsHost) {
    this.#host = host;
    this.layout = new RoomLayout(() => host.state().objects.values());
  }

  /** The objects the room starts with. */
  load(snapshot: ObjectsSnapshot): void {
    for (const object of snapshot.objects) loadObject(this.#projected(), object, snapshot.versions.get(object.id) ?? 0);
  }

  /** A committed change, from this room or from REST (the RoomEventBus). */
  apply(event: RoomEvent): void {
    this.#eventCount++;
    this.#host.changed();
    for (const effect of project(this.#projected(), event)) this.#host.perform(effect);
    if (this.#held.size > 0) this.#heldTimer ??= this.#host.setTimeout(() => this.#giveUpHeld(), HELD_EVENT_MS);
  }

  /** A durable command's outcome is unknown (an outage): the objects are reloaded once the database answers. */
  markStale(): void {
    this.#stale = true;
  }

  /** Reloads the objects when they are stale; never rejects (a failed reload is tried at the next call). */
  async resync(): Promise<void> {
    if (!this.#stale) return;
    const events = this.#eventCount;
    try {
      const snapshot = await this.#host.reload();
      if (!snapshot || events !== this.#eventCount) return; // deleted (its event closes the room), or raced an event: next time
      this.#stale = false;
      const changed = resyncObjects(this.#host.state().objects, snapshot.objects, (o) => putObject(this.#projected(), o));
      for (const [id, version] of snapshot.versions) this.#versions.set(id, Math.max(version, this.#versions.get(id) ?? version));
      if (!changed.placed.length && !changed.removed.length) return;
      this.#host.log().info({ placed: changed.placed.length, removed: changed.removed.length }, "objects reloaded after an outage");
      this.layout.invalidate();
      refreshSitting(this.#projected());
      for (const object of changed.placed) this.#host.broadcast(SERVER_MESSAGES.objectPlaced, { object });
      for (const object_id of changed.removed) this.#host.broadcast(SERVER_MESSAGES.objectRemoved, { object_id });
    } catch (err) {
      if (!isUnavailable(err)) this.#host.log().error({ err }, "reloading objects failed");
    }
  }

  /**
   * An object event waited too long for the one before it (its publish failed, say): the room
   * stops guessing and reloads its objects from the database, which has the answer.
   */
  #giveUpHeld(): void {
    this.#heldTimer = undefined;
    if (this.#held.size === 0) return;
    this.#host.log().warn({ objects: [...this.#held.keys()] }, "object events arrived out of order and their predecessors never came; reloading objects");
    // What they said is committed, so anything older that still comes is stale: dropped.
    for (const [id, events] of this.#held) this.#versions.set(id, Math.max(this.#versions.get(id) ?? 0, ...events.map((e) => e.version)));
    this.#held.clear();
    this.#stale = true;
    void this.resync();
  }

  /** The room as the projection sees it. */
  #projected(): ProjectedRoom {
    const h = this.#host;
    return { state: h.state(), layout: this.layout, settings: h.settings, versions: this.#versions, held: this.#held, playerOf: (userId) => h.playerOf(userId) };
  }
}
