// Placing an item in one statement: the room row is locked, and the placement rules that depend
// on other writers (the item still unplaced and the caller's, the tile inside the room, a blocking
// tile not overlapping another) are checked by the same conditional UPDATE that places it.
// Players are live state, not rows: the caller says whether a blocking tile there would overlap
// one. No rows changed means some rule said no; the caller then takes the careful path, which
// names the rule (or places the item, if the situation changed in between).
import type { ItemOut } from "../../../shared/src/api.ts";
import { BLOCKING_TYPES, TILE_SIZE, type ItemType, type Rotation } from "../../../shared/src/constants.ts";
import type { Em } from "../db/orm.ts";
import type { Viewer } from "./access.ts";

export interface OneStatementPlacement {
  viewer: Viewer;
  itemId: number;
  roomId: number;
  at: { x: number; y: number; rotation: Rotation };
  /** False when a blocking tile at `at` would overlap a player. */
  clearOfPlayers: boolean;
  /** False only under the test switch that removes the exactly-once guard. */
  guarded: boolean;
}

// Server constants (never input), checked to be plain words before they enter the SQL text.
const BLOCKING_SQL = [...BLOCKING_TYPES]
  .map((type) => {
    if (!/^[a-z]+$/.test(type)) throw new Error(`unexpected item type ${type}`);
    return `'${type}'`;
  })
  .join(", ");

/** Places the item and returns it, or returns null when any rule refused (nothing changed then). */
export async function placeInOneStatement(em: Em, p: OneStatementPlacement): Promise<ItemOut | null> {
  const half = TILE_SIZE / 2;
  const { x, y, rotation } = p.at;
  // `tilesOverlap` (shared/src/sim/geometry.ts), in SQL: both axes closer than a tile.
  const rows = await em.execute<{ id: number; type: string; name: string; owner_id: number; room_id: number; x: number; y: number; rotation: number }[]>(
    `with r as (
       select id, width, height from rooms
       where id = ? and (not is_private or owner_id = ? or ?::boolean)
       for update
     )
     update items i set room_id = r.id, x = ?, y = ?, rotation = ?
     from r
     where i.id = ? and i.owner_id = ? ${p.guarded ? "and i.room_id is null" : ""}
       and ?::int >= ?::int and ?::int >= ?::int and ?::int + ?::int <= r.width and ?::int + ?::int <= r.height
       and (i.type not in (${BLOCKING_SQL}) or (?::boolean and not exists (
         select 1 from items o
         where o.room_id = r.id and o.id <> i.id and o.type in (${BLOCKING_SQL})
           and abs(o.x - ?::int) < ?::int and abs(o.y - ?::int) < ?::int)))
     returning i.id, i.type, i.name, i.owner_id, i.room_id, i.x, i.y, i.rotation`,
    [p.roomId, p.viewer.id, p.viewer.isAdmin, x, y, rotation, p.itemId, p.viewer.id, x, half, y, half, x, half, y, half, p.clearOfPlayers, x, TILE_SIZE, y, TILE_SIZE],
  );
  const row = rows[0];
  if (!row) return null;
  return { id: row.id, type: row.type as ItemType, name: row.name, owner_id: row.owner_id, room_id: row.room_id, x: row.x, y: row.y, rotation: row.rotation };
}

/**
 * Takes a placed object back into its owner's inventory in one statement, under the same rules as
 * the careful path (room visible, caller owns the object or the room, or is an admin). Returns the
 * item as it now is and the room it left, or null when a rule refused or it was not placed.
 */
export async function pickUpInOneStatement(em: Em, viewer: Viewer, objectId: number): Promise<{ item: ItemOut; roomId: number } | null> {
  const rows = await em.execute<{ id: number; type: string; name: string; owner_id: number; from_room: number }[]>(
    `update items i set room_id = null, x = null, y = null, rotation = null
     from rooms r
     where i.id = ? and r.id = i.room_id
       and (not r.is_private or r.owner_id = ? or ?::boolean)
       and (i.owner_id = ? or r.owner_id = ? or ?::boolean)
     returning i.id, i.type, i.name, i.owner_id, r.id as from_room`,
    [objectId, viewer.id, viewer.isAdmin, viewer.id, viewer.id, viewer.isAdmin],
  );
  const row = rows[0];
  if (!row) return null;
  const item: ItemOut = { id: row.id, type: row.type as ItemType, name: row.name, owner_id: row.owner_id, room_id: null, x: null, y: null, rotation: null };
  return { item, roomId: row.from_room };
}
