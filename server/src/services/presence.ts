// Who is in which room now (open visits) and who was (closed visits).
import type { RoomUserOut } from "../../../shared/src/api.ts";
import { RoomVisit, User } from "../db/entities.ts";
import { GroupCommit } from "../db/group-commit.ts";
import type { Orm } from "../db/orm.ts";
import type { Viewer } from "./access.ts";
import { isUnavailable } from "./outage.ts";
import type { Page, RoomService } from "./rooms.ts";
import { toRoomUserOut } from "./serializers.ts";

export class PresenceService {
  readonly #orm: Orm;
  readonly #rooms: RoomService;

  constructor(orm: Orm, rooms: RoomService) {
    this.#orm = orm;
    this.#rooms = rooms;
  }

  async roomUsers(viewer: Viewer, query: { room_id: number; history: boolean; limit: number; offset: number }): Promise<Page<RoomUserOut>> {
    const em = this.#orm.em.fork();
    await this.#rooms.findVisible(em, viewer, query.room_id);
    const [visits, total] = await em.findAndCount(
      RoomVisit,
      query.history ? { room: query.room_id } : { room: query.room_id, leftAt: null },
      { orderBy: query.history ? { joinedAt: "desc", id: "desc" } : { joinedAt: "asc", id: "asc" }, limit: query.limit, offset: query.offset },
    );
    const users = await em.find(User, { id: { $in: [...new Set(visits.map((v) => v.user))] } }, { fields: ["id", "username", "displayName"] });
    const byId = new Map(users.map((u) => [u.id, u]));
    return { items: visits.map((v) => toRoomUserOut(v, byId.get(v.user)!, query.history)), total };
  }
}

interface VisitOpening {
  roomId: number;
  userId: number;
  x: number;
  y: number;
}

interface VisitClosing {
  visitId: number;
  x: number;
  y: number;
  leftAt: Date;
}

export interface PositionUpdate {
  visitId: number;
  x: number;
  y: number;
}

/** How often visits that could not be closed during an outage are tried again. */
const CLOSE_RETRY_MS = 2000;
/** Visits closed per statement when the database is back (four parameters each, far below PostgreSQL's 65,535). */
const RETRY_BATCH = 500;

/** Presence rows written by live rooms: one open visit per seat. */
export class VisitLog {
  readonly #orm: Orm;
  readonly #processId: () => string;
  /** Visits left while the database was down: closed (with their time and place) once it answers. */
  readonly #unclosed = new Map<number, VisitClosing>();
  #retry: NodeJS.Timeout | undefined;
  /** Visits being opened: one statement for all that arrive while the previous one runs. */
  readonly #opening = new GroupCommit<VisitOpening, number>((rows) => this.#insertVisits(rows));
  readonly #closing = new GroupCommit<VisitClosing, void>((rows) => this.#closeRows(rows));

  constructor(orm: Orm, processId: () => string) {
    this.#orm = orm;
    this.#processId = processId;
  }

  /**
   * Opens a seat's visit. One INSERT … RETURNING without a unit of work's BEGIN/COMMIT, and the
   * joins that arrive while it runs share the next one (group-commit.ts): a storm's joins queue on it.
   */
  open(roomId: number, userId: number, x: number, y: number): Promise<number> {
    return this.#opening.push({ roomId, userId, x, y });
  }

  /** One row per opening; each opening gets the id of its own row (matched by room and user, in order). */
  async #insertVisits(rows: VisitOpening[]): Promise<number[]> {
    const at = new Date();
    const inserted = await this.#orm.em.fork().execute<{ id: number; room_id: number; user_id: number }[]>(
      `insert into room_visits (room_id, user_id, x, y, process_id, joined_at) values ${rows.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")} returning id, room_id, user_id`,
      rows.flatMap((r) => [r.roomId, r.userId, r.x, r.y, this.#processId(), at]),
    );
    const ids = new Map<string, number[]>();
    for (const row of inserted) ids.set(`${row.room_id}:${row.user_id}`, [...(ids.get(`${row.room_id}:${row.user_id}`) ?? []), Number(row.id)]);
    return rows.map((r) => {
      const id = ids.get(`${r.roomId}:${r.userId}`)?.shift();
      if (id === undefined) throw new Error(`no visit row came back for user ${r.userId} in room ${r.roomId}`);
      return id;
    });
  }

  /**
   * Closes a visit; during an outage it is remembered and closed later, so a seat never stays open.
   * The closes that arrive while one statement runs share the next (a room emptying at once, a
   * shutdown): one UPDATE for the lot, as the openings.
   */
  async close(visitId: number, at: { x: number; y: number }): Promise<void> {
    const closing = { visitId, x: at.x, y: at.y, leftAt: new Date() };
    try {
      await this.#closing.push(closing);
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      this.#unclosed.set(visitId, closing);
      this.#retry ??= setInterval(() => void this.#retryCloses(), CLOSE_RETRY_MS).unref();
    }
  }

  /** Visits still waiting for the database to close them. */
  get pendingCloses(): number {
    return this.#unclosed.size;
  }

  /** Each visit keeps its own time and place; one already closed (by an orphan sweep) stays as it was. */
  async #closeRows(rows: VisitClosing[]): Promise<void[]> {
    await this.#orm.em.fork().execute(
      `update room_visits set left_at = v.left_at, x = v.x, y = v.y
       from (values ${rows.map(() => "(?::int, ?::int, ?::int, ?::timestamptz)").join(", ")}) as v(id, x, y, left_at)
       where room_visits.id = v.id and room_visits.left_at is null`,
      rows.flatMap((r) => [r.visitId, r.x, r.y, r.leftAt]),
    );
    return rows.map(() => undefined);
  }

  async #retryCloses(): Promise<void> {
    const waiting = [...this.#unclosed.values()];
    for (let i = 0; i < waiting.length; i += RETRY_BATCH) {
      const batch = waiting.slice(i, i + RETRY_BATCH);
      try {
        await this.#closeRows(batch);
      } catch {
        return; // still down: the next tick tries again
      }
      // A close that failed meanwhile was added anew (another object): it waits for the next tick.
      for (const c of batch) if (this.#unclosed.get(c.visitId) === c) this.#unclosed.delete(c.visitId);
    }
    if (this.#unclosed.size > 0) return;
    clearInterval(this.#retry);
    this.#retry = undefined;
  }

  /** Where the user was when their last visit to the room ended (or was last saved), if ever there. */
  async lastPosition(roomId: number, userId: number): Promise<{ x: number; y: number } | null> {
    const [last] = await this.#orm.em.fork().find(RoomVisit, { room: roomId, user: userId }, { orderBy: { id: "desc" }, limit: 1, fields: ["x", "y"] });
    return last ? { x: last.x, y: last.y } : null;
  }

  /** Rooms where the user has a seat now. */
  async roomsOf(userId: number): Promise<number[]> {
    const rows = await this.#orm.em.fork().find(RoomVisit, { user: userId, leftAt: null }, { fields: ["room"] });
    return [...new Set(rows.map((r) => r.room))];
  }

  /** Writes many live positions in one statement. */
  async flushPositions(updates: PositionUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const values = updates.map(() => "(?::int, ?::int, ?::int)").join(", ");
    await this.#orm.em.fork().execute(
      `update room_visits set x = v.x, y = v.y from (values ${values}) as v(id, x, y) where room_visits.id = v.id and room_visits.left_at is null`,
      updates.flatMap((u) => [u.visitId, u.x, u.y]),
    );
  }

  /** The processes that hold open visits (seats) now. */
  async openProcessIds(): Promise<string[]> {
    const rows = await this.#orm.em.fork().execute<{ process_id: string }[]>(
      "select distinct process_id from room_visits where left_at is null",
    );
    return rows.map((row) => row.process_id);
  }

  /**
   * Closes visits that no live process holds: in a single process, every open visit at start is
   * a leftover of an earlier run; otherwise those of the given dead process ids.
   */
  async closeOrphans(scope: { allOpen: true } | { processIds: string[] }): Promise<number> {
    const where = "allOpen" in scope ? { leftAt: null } : { leftAt: null, processId: { $in: scope.processIds } };
    return this.#orm.em.fork().nativeUpdate(RoomVisit, where, { leftAt: new Date() });
  }
}
