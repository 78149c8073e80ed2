// A tool's pickup or inspect in one statement: the caller's tool, the target in the room, the rights
// (for a pickup), the change and the tool-log row are one INSERT whose CTEs check and write, so the
// use and its log row commit together, once, in one round trip. No row back means some rule said
// no; the caller then takes the careful path (services/tools.ts), which names the rule, or does the
// use if the situation changed in between.
// Move and rotate are not here: their placement rules read the other objects of the room, and one
// statement reads them in a snapshot taken before it waits for the room's lock, so two moves could
// both pass. They take one transaction that locks the room first (ItemService.moveObject).
import { TOOL_TYPES } from "../../../shared/src/catalog.ts";
import type { Em } from "../db/orm.ts";
import type { Viewer } from "./access.ts";
import { takeBackSql } from "./placement-write.ts";

// Server constants (never input), checked to be plain words before they enter the SQL text.
const TOOL_SQL = TOOL_TYPES.map((type) => {
  if (!/^[a-z_]+$/.test(type)) throw new Error(`unexpected item type ${type}`);
  return `'${type}'`;
}).join(", ");

/** The caller (`?` = user id) holds a tool: an unplaced item of a tool type. */
const HAS_TOOL_SQL = `exists (select 1 from items t where t.owner_id = ? and t.room_id is null and t.type in (${TOOL_SQL}))`;

/** The text the log keeps for a pickup (the careful path writes the same). */
export const PICKUP_RESULT = "returned to its owner's inventory";
/** How an inspect names an owner it cannot find. */
const UNKNOWN_OWNER = "?";

/**
 * May the caller see room `r` and pick up object `i` (shared/src/rights.ts: `can(…, "see")` and
 * `canChangeObject(…, "pickup")`): anyone their own object; the room's owner and admins any;
 * builders and moderators any, unless only the owner may build there. Parameters: user id ×3, is
 * admin, user id ×2, is admin, user id.
 */
const MAY_PICK_UP_SQL = `(not r.is_private or r.owner_id = ? or ?::boolean
    or exists (select 1 from room_members m where m.room_id = r.id and m.user_id = ?))
  and (i.owner_id = ? or r.owner_id = ? or ?::boolean
    or (r.build_policy <> 'owner' and exists (select 1 from room_members m where m.room_id = r.id and m.user_id = ? and m.role in ('builder', 'moderator'))))`;

/**
 * Picks the object up with the caller's tool and logs it; returns the log row's id and the item's
 * new version, or null when any rule refused.
 */
export async function pickUpWithTool(em: Em, viewer: Viewer, roomId: number, objectId: number): Promise<{ logId: number; version: number } | null> {
  const v = viewer.id;
  const rows = await em.execute<{ id: number; version: number }[]>(
    `with picked as (
       update items i set ${takeBackSql("i")}
       from rooms r
       where i.id = ? and i.room_id = ? and r.id = i.room_id
         and ${HAS_TOOL_SQL}
         and ${MAY_PICK_UP_SQL}
       returning i.id, i.version
     ),
     logged as (
       insert into tool_logs (room_id, user_id, target_object_id, action, result, created_at)
       select ?::int, ?::int, picked.id, 'pickup', ?::text, now() from picked
       returning id
     )
     select logged.id, picked.version from logged, picked`,
    [objectId, roomId, v, v, viewer.isAdmin, v, v, v, viewer.isAdmin, v, roomId, v, PICKUP_RESULT],
  );
  const row = rows[0];
  return row ? { logId: Number(row.id), version: Number(row.version) } : null;
}

/**
 * Describes the object to the caller with their tool and logs it; returns the log row's id and
 * text, or null when the caller has no tool or the object is not in the room.
 */
export async function inspectWithTool(em: Em, viewer: Viewer, roomId: number, objectId: number): Promise<{ id: number; result: string } | null> {
  // The text is inspectText's, written in SQL (an object in a room always has its position). The
  // unknown owner's "?" is a parameter: a literal question mark would read as a placeholder.
  const rows = await em.execute<{ id: number; result: string }[]>(
    `insert into tool_logs (room_id, user_id, target_object_id, action, result, created_at)
     select ?::int, ?::int, i.id, 'inspect',
       format('%s (%s) of %s at (%s, %s), rotation %s', i.name, i.type, coalesce(u.username, ?::text), i.x, i.y, i.rotation), now()
     from items i left join users u on u.id = i.owner_id
     where i.id = ? and i.room_id = ? and ${HAS_TOOL_SQL}
     returning id, result`,
    [roomId, viewer.id, UNKNOWN_OWNER, objectId, roomId, viewer.id],
  );
  return rows[0] ?? null;
}

/** What an inspect says about an object (the careful path; inspectWithTool writes the same in SQL). */
export function inspectText(o: { name: string; type: string; x?: number | null; y?: number | null; rotation?: number | null }, ownerName: string | undefined): string {
  return `${o.name} (${o.type}) of ${ownerName ?? UNKNOWN_OWNER} at (${o.x}, ${o.y}), rotation ${o.rotation}`;
}
