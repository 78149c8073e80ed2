// Early refusal of joins to a full room. A join costs a database query, a seat reservation, a
// WebSocket and an onJoin before onJoin's capacity check can refuse it; in a storm of 200 joins
// into a room of 100, the second hundred's work delayed the first hundred's. The gate counts, for
// each room live in this process, the people seated plus the joins admitted but not yet seated
// ("held" places), and refuses a join at onAuth when they fill the room — as Colyseus itself counts
// reserved seats against maxClients. onJoin's own check stays the authority: the gate only ever
// refuses earlier what onJoin would refuse, except while held places are still on their way in.
// A room live on another process has no entry here, so its joins go to onJoin unchecked.
import { roomFull } from "./room-auth.ts";

/** What the gate reads from a live room. */
export interface GatedRoom {
  maxUsers(): number;
  seatCount(): number;
  seated(userId: number): boolean;
  /** How long a held place lasts when its client never connects (the seat reservation's lifetime). */
  holdMs(): number;
}

interface Entry {
  room: GatedRoom;
  /** userId → when the held place lapses (ms since the epoch). */
  held: Map<number, number>;
}

export class SeatGate {
  readonly #rooms = new Map<number, Entry>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** A room of this process opens (onCreate) … */
  open(roomId: number, room: GatedRoom): void {
    this.#rooms.set(roomId, { room, held: new Map() });
  }

  /** … and is disposed. */
  close(roomId: number, room: GatedRoom): void {
    if (this.#rooms.get(roomId)?.room === room) this.#rooms.delete(roomId);
  }

  /**
   * Holds a place for the user's join, or throws the `room_full` refusal when the room is live here
   * and its seats and held places fill it. A user already seated or held (a takeover, a second tab)
   * always passes. Without a live room here it does nothing.
   */
  hold(roomId: number, userId: number): void {
    const entry = this.#rooms.get(roomId);
    if (!entry) return;
    const now = this.#now();
    const { room, held } = entry;
    if (!room.seated(userId) && !held.has(userId)) {
      let waiting = 0;
      for (const [user, until] of held) {
        if (until <= now || room.seated(user)) held.delete(user);
        else waiting++;
      }
      const maxUsers = room.maxUsers();
      if (room.seatCount() + waiting >= maxUsers) throw roomFull(maxUsers);
    }
    held.set(userId, now + room.holdMs());
  }

  /** The user's join ended: seated, refused, or never coming. */
  release(roomId: number, userId: number): void {
    this.#rooms.get(roomId)?.held.delete(userId);
  }

  /** Places held in a room now (tests). */
  heldIn(roomId: number): number {
    return this.#rooms.get(roomId)?.held.size ?? 0;
  }
}
