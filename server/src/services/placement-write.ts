// Placing an item in one statement: the room row is locked, and the placement rules that depend
// on other writers (the caller may build here, the item still unplaced and the caller's, the tile
// inside the room) are checked by the same conditional UPDATE that places it. Only single-tile
// items that do not block walking take this path. A blocking item must not overlap another, and
// that check cannot live in one statement: its subquery reads the statement's snapshot, taken
// before the statement waits for the room's lock, so a blocking item committed meanwhile by
// another writer would go unseen and two walls could share a tile. Blocking and larger items take
// the careful path, which locks the room first and then reads (shared/src/sim/placement.ts's rules).
// No rows changed means some rule said no (or the item is not a candidate); the caller then takes
// the careful path, which names the rule (or places the item, if the situation changed in between).
import type { ItemOut } from "../../../shared/src/api.ts";
import { BLOCKING_TYPES, CATALOG, ITEM_TYPES } from "../../../shared/src/catalog.ts";
import { unplaced, type PlacedObject } from "../../../shared/src/placed-object.ts";
import { TILE_SIZE, type Rotation } from "../../../shared/src/constants.ts";
import type { Em } from "../db/orm.ts";
import type { Viewer } from "./access.ts";

export interface OneStatementPlacement {
  viewer: Viewer;
  itemId: number;
  roomId: number;
  at: { x: number; y: number; rotation: Rotation };
  /** False only under the test switch that removes the exactly-once guard. */
  guarded: boolean;
}

// Server constants (never input), checked to be plain words before they enter the SQL text.
const sqlWord = (type: string) => {
  if (!/^[a-z_]+$/.test(type)) throw new Error(`unexpected item type ${type}`);
  return `'${type}'`;
};
/** The types this path places: one tile, and nothing another item's overlap check depends on. */
const CANDIDATES_SQL = ITEM_TYPES.filter((t) => CATALOG[t].footprint[0] === 1 && CATALOG[t].footprint[1] === 1 && !BLOCKING_TYPES.has(t))
  .map(sqlWord)
  .join(", ");

/**
 * May the caller build in the room `rooms` (shared/src/rights.ts `can(…, "build")`): the owner and
 * admins always; anyone who may see it under `everyone`; builders and moderators under `builders`.
 */
const MAY_BUILD_SQL = `(owner_id = ? or ?::boolean
  or (build_policy = 'everyone' and (not is_private or exists (select 1 from room_members m where m.room_id = rooms.id and m.user_id = ?)))
  or (build_policy = 'builders' and exists (select 1 from room_members m where m.room_id = rooms.id and m.user_id = ? and m.role in ('builder', 'moderator'))))`;

/** An item as a write left it, with the version its room event carries (entities.ts `Item.version`). */
export interface Written<T> {
  item: T;
  version: number;
}

/**
 * The SET clause that takes an item back into its owner's inventory. Like every write that places,
 * moves or turns an item, it bumps the item's version, which orders the room events (projection.ts).
 * `alias` qualifies the version read when the statement joins another table.
 */
export function takeBackSql(alias = "items"): string {
  return `room_id = null, x = null, y = null, rotation = null, version = ${alias}.version + 1`;
}

/** Places the item and returns it, or returns null when any rule refused (nothing changed then). */
export async function placeInOneStatement(em: Em, p: OneStatementPlacement): Promise<Written<ItemOut> | null> {
  const half = TILE_SIZE / 2;
  const { x, y, rotation } = p.at;
  const v = p.viewer;
  const rows = await em.execute<(PlacedObject & { version: number })[]>(
    `with r as (
       select id, width, height from rooms
       where id = ? and ${MAY_BUILD_SQL}
       for update
     )
     update items i set room_id = r.id, x = ?, y = ?, rotation = ?, version = i.version + 1
     from r
     where i.id = ? and i.owner_id = ? ${p.guarded ? "and i.room_id is null" : ""}
       and i.type in (${CANDIDATES_SQL})
       and ?::int >= ?::int and ?::int >= ?::int and ?::int + ?::int <= r.width and ?::int + ?::int <= r.height
     returning i.id, i.type, i.name, i.owner_id, i.room_id, i.x, i.y, i.rotation, i.version`,
    [p.roomId, v.id, v.isAdmin, v.id, v.id, x, y, rotation, p.itemId, v.id, x, half, y, half, x, half, y, half],
  );
  const row = rows[0];
  if (!row) return null;
  // Built field by field: the response keeps the schema's key order whatever the driver returns.
  const item = { id: row.id, type: row.type, name: row.name, owner_id: row.owner_id, room_id: row.room_id, x: row.x, y: row.y, rotation: row.rotation };
  return { item, version: Number(row.version) };
}

/**
 * Takes a placed object back into its owner's inventory in one statement, under the same rules as
 * the careful path (room visible, caller owns the object or the room, or is an admin). Returns the
 * item as it now is and the room it left, or null when a rule refused or it was not placed.
 */
export async function pickUpInOneStatement(em: Em, viewer: Viewer, objectId: number): Promise<(Written<ItemOut> & { roomId: number }) | null> {
  const rows = await em.execute<(Pick<PlacedObject, "id" | "type" | "name" | "owner_id"> & { from_room: number; version: number })[]>(
    `update items i set ${takeBackSql("i")}
     from rooms r
     where i.id = ? and r.id = i.room_id
       and (not r.is_private or r.owner_id = ? or ?::boolean)
       and (i.owner_id = ? or r.owner_id = ? or ?::boolean)
     returning i.id, i.type, i.name, i.owner_id, r.id as from_room, i.version`,
    [objectId, viewer.id, viewer.isAdmin, viewer.id, viewer.id, viewer.isAdmin],
  );
  const row = rows[0];
  if (!row) return null;
  return { item: unplaced(row), roomId: row.from_room, version: Number(row.version) };
}
