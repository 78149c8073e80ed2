// A consistent snapshot of the embedded database, taken by the process that runs it.
import type { PGlite } from "@electric-sql/pglite";
import type { PgliteConnection } from "@mikro-orm/pglite";
import type { Orm } from "../db/orm.ts";

/**
 * Everything committed before the call is in the snapshot: CHECKPOINT writes it to the data files,
 * then the files are archived while PGlite runs no statement (its query lock is held, and it builds
 * the archive in one synchronous pass), which is exactly what PostgreSQL recovers from after a crash.
 */
export async function snapshotPglite(pglite: PGlite, compression: "gzip" | "none" = "gzip"): Promise<Uint8Array> {
  await pglite.exec("CHECKPOINT");
  const archive = await pglite.runExclusive(() => pglite.dumpDataDir(compression));
  return new Uint8Array(await archive.arrayBuffer());
}

export async function pgliteOf(orm: Orm): Promise<PGlite> {
  return (orm.em.getConnection() as unknown as PgliteConnection).getNativeClient();
}
