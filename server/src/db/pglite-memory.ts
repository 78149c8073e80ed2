// Memory settings of the embedded database, for small boxes. PostgreSQL's default 128 MB of shared
// buffers live inside PGlite's WebAssembly heap, which never shrinks; the data files are still
// cached by the kernel's page cache (not counted as Cafe's resident memory), so 16 MB costs little.
// One connection only: PGlite is single-user.
import { PGlite } from "@electric-sql/pglite";

const SETTINGS = ["shared_buffers=16MB", "wal_buffers=1MB", "max_connections=5", "temp_buffers=2MB", "maintenance_work_mem=16MB"];

/** Driver options for PGlite: the settings apply to new data directories and, at start, to existing ones. */
export function pgliteMemoryOptions(): { startParams: string[]; initDbStartParams: string[] } {
  const flags = SETTINGS.flatMap((s) => ["-c", s]);
  return { startParams: [...PGlite.defaultStartParams, ...flags], initDbStartParams: flags };
}
