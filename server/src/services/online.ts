// Live online counts, read from the open visits (one per seat). Room lists and invites show them;
// kept out of presence.ts, which needs the room service, so that rooms.ts need not import it back.
import type { Em } from "../db/orm.ts";

/** Open visits per room id. */
export async function countOnline(em: Em, roomIds: number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  if (roomIds.length === 0) return counts;
  const rows = await em.execute<{ room_id: number; n: number }[]>(
    `select room_id, count(*)::int as n from room_visits where left_at is null and room_id in (${roomIds.map(() => "?").join(",")}) group by room_id`,
    roomIds,
  );
  for (const row of rows) counts.set(Number(row.room_id), Number(row.n));
  return counts;
}
