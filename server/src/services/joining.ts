// What a join needs from the database, in one statement: the account (present, not banned), the
// room visible to it and no room ban in force, the person's profile for their avatar, and where
// they last stood in this room. A storm of joins queues on the database, so each join asks once,
// and the joins waiting while one query runs ask together.
// When any rule says no (or the token is bad), `admit` returns null and the room takes the careful
// path (AccountService.authenticate, RoomService.assertJoinable), which names the refusal. The
// rules are the careful path's: shared/src/rights.ts `can(…, "see")` and services/sanctions.ts.
import type { Avatar } from "../../../shared/src/appearance.ts";
import { GroupCommit } from "../db/group-commit.ts";
import type { Orm } from "../db/orm.ts";
import type { Viewer } from "./access.ts";
import { AppError } from "./errors.ts";
import { defaultAvatar } from "../../../shared/src/appearance.ts";
import type { TokenService } from "./tokens.ts";

export interface JoinFacts {
  viewer: Viewer;
  profile: { display_name: string; avatar_color: string; avatar: Avatar };
  /** Where the person last stood in this room, if they were ever here. */
  lastPosition: { x: number; y: number } | null;
}

interface Join {
  userId: number;
  roomId: number;
}

interface Row {
  id: number;
  username: string;
  display_name: string;
  avatar_color: string;
  avatar: Avatar | string | null;
  last_x: number | null;
  last_y: number | null;
}

export class JoinService {
  readonly #orm: Orm;
  readonly #tokens: TokenService;
  readonly #isAdmin: (username: string) => boolean;
  readonly #admitting = new GroupCommit<Join, JoinFacts | null>((joins) => this.#admitAll(joins));

  constructor(orm: Orm, tokens: TokenService, isAdmin: (username: string) => boolean) {
    this.#orm = orm;
    this.#tokens = tokens;
    this.#isAdmin = isAdmin;
  }

  /** The token's user, or null for a bad token (the careful path then says why). */
  userOf(token: string): number | null {
    try {
      return this.#tokens.verify(token).userId;
    } catch (err) {
      if (err instanceof AppError) return null;
      throw err;
    }
  }

  /** Everything a join of the token's user needs, or null when a rule refused (the careful path then says which). */
  admit(userId: number, roomId: number): Promise<JoinFacts | null> {
    return this.#admitting.push({ userId, roomId });
  }

  /**
   * The joins that arrive while one query runs share the next (group-commit.ts): a storm's hundred
   * become a handful of statements on the embedded database's one connection. Row `n` answers join `n`.
   */
  async #admitAll(joins: Join[]): Promise<(JoinFacts | null)[]> {
    // Admins see every room; who is one is configuration (a username list), not a column.
    const rows = await this.#orm.em.fork().execute<(Row & { n: number; is_private: boolean; owner_id: number; member: boolean })[]>(
      `select q.n, u.id, u.username, u.display_name, u.avatar_color, u.avatar, r.is_private, r.owner_id,
              exists (select 1 from room_members m where m.room_id = r.id and m.user_id = u.id) as member,
              v.x as last_x, v.y as last_y
       from (values ${joins.map(() => "(?::int, ?::int, ?::int)").join(", ")}) as q(n, user_id, room_id)
       join users u on u.id = q.user_id
       join rooms r on r.id = q.room_id
       left join lateral (select x, y from room_visits w where w.room_id = r.id and w.user_id = u.id order by w.id desc limit 1) v on true
       where u.deleted_at is null and u.banned_at is null
         and not exists (select 1 from room_sanctions s
                         where s.room_id = r.id and s.user_id = u.id and s.kind = 'ban' and (s.until is null or s.until > ?))`,
      [...joins.flatMap((j, n) => [n, j.userId, j.roomId]), new Date()],
    );
    const answers: (JoinFacts | null)[] = joins.map(() => null);
    for (const row of rows) answers[Number(row.n)] = this.#factsOf(row);
    return answers;
  }

  #factsOf(row: Row & { is_private: boolean; owner_id: number; member: boolean }): JoinFacts | null {
    const viewer: Viewer = { id: row.id, username: row.username, isAdmin: this.#isAdmin(row.username) };
    const sees = !row.is_private || row.owner_id === viewer.id || viewer.isAdmin || row.member;
    if (!sees) return null;
    const avatar = typeof row.avatar === "string" ? (JSON.parse(row.avatar) as Avatar) : row.avatar;
    return {
      viewer,
      profile: { display_name: row.display_name, avatar_color: row.avatar_color, avatar: avatar ?? defaultAvatar(row.id) },
      lastPosition: row.last_x !== null && row.last_y !== null ? { x: row.last_x, y: row.last_y } : null,
    };
  }
}
