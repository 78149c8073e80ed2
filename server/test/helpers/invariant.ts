// The item invariant of the reliability tests, as a pure function over what each side reports:
// every item lives in exactly one place (its owner's inventory or one room), none is lost or
// duplicated, and the database, every live room state and every inventory listing agree.

export interface ItemRow {
  id: number;
  owner: number;
  room: number | null;
  x: number | null;
  y: number | null;
  rotation: number | null;
}

export interface PlacedView {
  id: number;
  x: number;
  y: number;
  rotation: number;
}

export interface Observed {
  /** The database's items for the users under test. */
  db: ItemRow[];
  /** The ids the test knows exist (granted and not discarded, as acknowledged to it). */
  expected: Iterable<number>;
  /** Ids whose creation or discard was in flight when the server died: either answer is fine. */
  uncertain?: Iterable<number>;
  /** Each live room's objects, keyed by a label naming the view (server state, a client...). */
  rooms: { label: string; roomId: number; objects: PlacedView[] }[];
  /** Each user's inventory as listed by the API. */
  inventories: { userId: number; ids: number[] }[];
}

/** Returns every violation found (empty when the invariant holds). */
export function checkItemInvariant(o: Observed): string[] {
  const problems: string[] = [];
  const byId = new Map<number, ItemRow>();
  for (const row of o.db) {
    if (byId.has(row.id)) problems.push(`item ${row.id} has two database rows`);
    byId.set(row.id, row);
    const placed = row.room !== null;
    if (placed !== (row.x !== null && row.y !== null && row.rotation !== null)) problems.push(`item ${row.id} is half placed`);
  }
  const uncertain = new Set(o.uncertain ?? []);
  const expected = new Set(o.expected);
  for (const id of expected) if (!byId.has(id) && !uncertain.has(id)) problems.push(`item ${id} was lost (no database row)`);
  for (const id of byId.keys()) if (!expected.has(id) && !uncertain.has(id)) problems.push(`item ${id} appeared from nowhere`);

  // Every view of a room must show exactly the database's objects of that room, where they are.
  const roomsShowing = new Map<number, Set<number>>();
  for (const view of o.rooms) {
    const shown = new Set<number>();
    for (const obj of view.objects) {
      if (shown.has(obj.id)) problems.push(`${view.label}: object ${obj.id} shown twice`);
      shown.add(obj.id);
      const rooms = roomsShowing.get(obj.id) ?? new Set<number>();
      rooms.add(view.roomId);
      roomsShowing.set(obj.id, rooms);
      const row = byId.get(obj.id);
      if (!row || row.room !== view.roomId) {
        problems.push(`${view.label}: shows object ${obj.id} that the database has ${row ? (row.room === null ? "in an inventory" : `in room ${row.room}`) : "nowhere"}`);
      } else if (row.x !== obj.x || row.y !== obj.y || row.rotation !== obj.rotation) {
        problems.push(`${view.label}: object ${obj.id} at (${obj.x}, ${obj.y}, ${obj.rotation}), database (${row.x}, ${row.y}, ${row.rotation})`);
      }
    }
    for (const row of byId.values()) {
      if (row.room === view.roomId && !shown.has(row.id)) problems.push(`${view.label}: misses object ${row.id}`);
    }
  }
  for (const [id, rooms] of roomsShowing) if (rooms.size > 1) problems.push(`object ${id} is duplicated in rooms ${[...rooms].join(", ")}`);

  for (const inv of o.inventories) {
    const listed = new Set(inv.ids);
    for (const id of listed) {
      const row = byId.get(id);
      if (!row || row.owner !== inv.userId || row.room !== null) problems.push(`inventory of ${inv.userId} lists ${id}, which the database has elsewhere`);
      if (roomsShowing.has(id)) problems.push(`item ${id} is both in an inventory and in a room`);
    }
    for (const row of byId.values()) {
      if (row.owner === inv.userId && row.room === null && !listed.has(row.id)) problems.push(`inventory of ${inv.userId} misses ${row.id}`);
    }
  }
  return problems;
}

/** Auth limits for suites that register many users from one address. */
export const MANY_USERS = {
  loginPerUsername: { max: 5, windowMs: 60_000 },
  loginPerAddress: { max: 30, windowMs: 60_000 },
  registerPerAddress: { max: 100_000, windowMs: 60_000 },
};
