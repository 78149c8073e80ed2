// `npm run backup` / `npm run restore`. Embedded database: the running server makes the snapshot
// (see control.ts); with no server running, this process opens the database itself. PostgreSQL
// server: its own pg_dump / pg_restore, which take a consistent snapshot while it serves.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { DatabaseConfig } from "../config/index.ts";
import { requestBackup } from "./control.ts";
import { snapshotPglite } from "./snapshot.ts";

/** A problem the operator must fix, reported as one line. */
export class OpsError extends Error {
  override name = "OpsError";
}

const INSTALL_PG_TOOLS =
  "install PostgreSQL's client tools, the same major version as the server or newer (Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq), and make sure pg_dump and pg_restore are on the PATH";

export interface BackupResult {
  bytes: number;
  /** "server": the running server made it; "offline": no server was running; "pg_dump". */
  via: "server" | "offline" | "pg_dump";
}

export async function backup(db: DatabaseConfig, dataDir: string, out: string): Promise<BackupResult> {
  if (db.kind === "postgresql") {
    run("pg_dump", ["--format=custom", "--no-owner", `--file=${out}`, `--dbname=${db.url}`]);
    return { bytes: readFileSync(out).byteLength, via: "pg_dump" };
  }
  let via: BackupResult["via"] = "server";
  let data = await requestBackup(dataDir);
  if (!data) {
    if (!existsSync(db.dataDir)) throw new OpsError(`there is no database in ${db.dataDir} to back up`);
    via = "offline";
    const pglite = await PGlite.create({ dataDir: db.dataDir });
    try {
      data = await snapshotPglite(pglite);
    } finally {
      await pglite.close();
    }
  }
  // Written aside, then renamed: a failed backup never leaves a half file under the chosen name.
  writeFileSync(`${out}.partial`, data, { mode: 0o600 });
  renameSync(`${out}.partial`, out);
  return { bytes: data.byteLength, via };
}

export async function restore(db: DatabaseConfig, dataDir: string, from: string, force: boolean): Promise<void> {
  if (!existsSync(from)) throw new OpsError(`no backup file at ${from}`);
  if (db.kind === "postgresql") return restorePostgres(db.url, from, force);
  if (await requestBackup(dataDir).then((d) => d !== null, () => true)) {
    throw new OpsError(`a Cafe server is running on ${dataDir}: stop it before restoring`);
  }
  if (existsSync(db.dataDir) && readdirSync(db.dataDir).length > 0) {
    if (!force) throw new OpsError(`${db.dataDir} already holds a database: restore into an empty DATA_DIR, or add --force to replace it`);
    rmSync(db.dataDir, { recursive: true, force: true });
  }
  mkdirSync(path.dirname(db.dataDir), { recursive: true });
  const archive = new Blob([readFileSync(from)], { type: "application/x-gzip" });
  const pglite = await PGlite.create({ dataDir: db.dataDir, loadDataDir: archive });
  try {
    // Proves the restored cluster starts and holds Cafe's database.
    await pglite.query("select 1");
  } finally {
    await pglite.close();
  }
}

function restorePostgres(url: string, from: string, force: boolean): void {
  const tables = run("psql", ["--no-psqlrc", "--tuples-only", "--no-align", `--dbname=${url}`, "--command=select count(*) from information_schema.tables where table_schema = 'public'"]);
  if (Number(tables.trim()) > 0 && !force) {
    throw new OpsError("the database already has tables: restore into an empty database, or add --force to replace them");
  }
  run("pg_restore", ["--no-owner", "--exit-on-error", ...(force ? ["--clean", "--if-exists"] : []), `--dbname=${url}`, from]);
}

/** Runs a PostgreSQL tool; says what to install when it is missing. Returns its stdout. */
function run(tool: string, args: string[]): string {
  const result = spawnSync(tool, args, { encoding: "utf8" });
  if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") throw new OpsError(`${tool} was not found: ${INSTALL_PG_TOOLS}`);
  if (result.status !== 0) throw new OpsError(`${tool} failed: ${(result.stderr || String(result.error ?? "")).trim().split("\n")[0]}`);
  return result.stdout;
}
