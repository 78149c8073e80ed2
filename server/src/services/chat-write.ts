// A chat message in one statement: the room visible to the sender, no mute in force (the room's or
// the account's), and for a whisper the recipient present, are checked by the INSERT that stores
// it. No row inserted means some rule said no; the caller then takes the careful path, which names
// the rule (or stores the message, if the situation changed in between). The rules are those of
// ChatService.post's careful path: shared/src/rights.ts `can(…, "see")` and services/sanctions.ts.
import type { Em } from "../db/orm.ts";
import type { Viewer } from "./access.ts";

export interface OneStatementChat {
  viewer: Viewer;
  roomId: number;
  message: string;
  toUserId: number | null;
  createdAt: Date;
}

/** Stores the message and returns its id, or null when a rule refused (nothing was stored). */
export async function postInOneStatement(em: Em, c: OneStatementChat): Promise<number | null> {
  const v = c.viewer;
  const rows = await em.execute<{ id: number }[]>(
    `insert into chat_messages (room_id, user_id, username, message, to_user_id, created_at)
     select r.id, ?, ?, ?, ?::int, ?
     from rooms r
     where r.id = ?
       and (not r.is_private or r.owner_id = ? or ?::boolean
            or exists (select 1 from room_members m where m.room_id = r.id and m.user_id = ?))
       and not exists (select 1 from room_sanctions s
                       where s.room_id = r.id and s.user_id = ? and s.kind = 'mute' and (s.until is null or s.until > ?))
       and not exists (select 1 from users u where u.id = ? and u.muted_until > ?)
       and (?::int is null or exists (select 1 from room_visits w where w.room_id = r.id and w.user_id = ?::int and w.left_at is null))
     returning id`,
    [v.id, v.username, c.message, c.toUserId, c.createdAt, c.roomId, v.id, v.isAdmin, v.id, v.id, c.createdAt, v.id, c.createdAt, c.toUserId, c.toUserId],
  );
  return rows[0] ? Number(rows[0].id) : null;
}
