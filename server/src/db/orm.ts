// Builds the ORM for the configured database: embedded PGlite, or a PostgreSQL server.
// Both run the same entities and the same committed migrations; the schema is never auto-synced.
import { Blob } from "node:buffer";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DefaultLogger, type LogContext, type LoggerOptions, type MikroORM } from "@mikro-orm/core";
import { Migrator } from "@mikro-orm/migrations";
import { MikroORM as PgliteORM, type AbstractSqlDriver, type SqlEntityManager } from "@mikro-orm/pglite";
import { MikroORM as PostgresORM } from "@mikro-orm/postgresql";
import type { DatabaseConfig } from "../config/index.ts";
import { ENTITIES } from "./entities.ts";
import { releaseBrokenClients } from "./pool-guard.ts";
import { pgliteMemoryOptions } from "./pglite-memory.ts";

export type Orm = MikroORM<AbstractSqlDriver, SqlEntityManager>;
export type Em = SqlEntityManager;

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

const common = {
  entities: ENTITIES,
  extensions: [Migrator],
  migrations: {
    path: MIGRATIONS_DIR,
    pathTs: MIGRATIONS_DIR,
    glob: "!(*.d).ts",
    emit: "ts" as const,
    silent: true,
    snapshotName: ".snapshot-cafe",
  },
  // Queries are only logged when DEBUG is set; they never carry secrets (hashes are parameters).
  debug: false,
  allowGlobalContext: false,
};

/**
 * A command must fail within about 2 s when PostgreSQL is unreachable or stuck, never hang: a new
 * connection (or a free pooled one) is awaited at most this long, and a statement runs at most
 * this long on the server (migrations lift the limit for their own transaction).
 */
export const DB_CONNECT_TIMEOUT_MS = 1500;
export const DB_STATEMENT_TIMEOUT_MS = 1500;

/** Embedded databases belong to one process: they need no migration lock. */
const embedded = new WeakSet<Orm>();

/**
 * `authoring` is for `npm run db:migration:create` only: it keeps the schema snapshot in the
 * migrations folder. A running server never writes into its source tree.
 */
export interface OrmOptions {
  debug?: boolean;
  authoring?: boolean;
  /** Told every query's duration (metrics). */
  onQuery?: (ms: number) => void;
  /** Where DEBUG query lines go (default: the console). */
  writer?: (line: string) => void;
}

/** MikroORM reports every query's duration to its logger, whether or not DEBUG prints it. */
class TimingLogger extends DefaultLogger {
  readonly #onQuery: (ms: number) => void;

  constructor(options: LoggerOptions, onQuery: (ms: number) => void) {
    super(options);
    this.#onQuery = onQuery;
  }

  override logQuery(context: { query: string } & LogContext): void {
    if (context.took !== undefined) this.#onQuery(context.took);
    super.logQuery(context);
  }
}

/** The embedded database must be able to write its folder: refuse to start, naming it, if not. */
function assertWritable(dataDir: string): void {
  const probe = path.join(dataDir, ".cafe-write-check");
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (err) {
    const code = (err as { code?: string }).code ?? "error";
    throw new Error(`DATA_DIR is not writable: cannot write ${dataDir} (${code}); fix its permissions, mount or free space`);
  }
}

export async function createOrm(db: DatabaseConfig, options: OrmOptions = {}): Promise<Orm> {
  const migrations = { ...common.migrations, snapshot: options.authoring ?? false };
  const logging = {
    ...(options.onQuery ? { loggerFactory: (o: LoggerOptions) => new TimingLogger(o, options.onQuery!) } : {}),
    ...(options.writer ? { logger: options.writer } : {}),
  };
  if (db.kind === "pglite") {
    if (!db.dataDir.startsWith("memory://")) assertWritable(db.dataDir);
    const pglite = { dataDir: db.dataDir, ...pgliteMemoryOptions() };
    const seed = db.dataDir.startsWith("memory://") ? db.seed : undefined;
    const orm = (await PgliteORM.init({
      ...common,
      migrations,
      ...logging,
      debug: options.debug ?? false,
      dbName: "cafe",
      // A seed goes in through a function: MikroORM deep-copies plain options, which breaks a Blob.
      driverOptions: seed ? () => ({ ...pglite, loadDataDir: new Blob([readFileSync(seed)]) }) : pglite,
    } as never)) as unknown as Orm;
    embedded.add(orm);
    return orm;
  }
  return (await PostgresORM.init({
    ...common,
    migrations,
    ...logging,
    debug: options.debug ?? false,
    clientUrl: db.url,
    // Opening a connection costs ~22 ms on the bench machine (pgbench -C): a pool that closed idle
    // connections after pg's default 10 s reopened them in the next burst, and chat's p99 carried it
    // (40–58 ms spikes at 1 message a second per client; 12 ms on the embedded database). Two stay
    // open, and the rest a minute.
    pool: { min: 2, max: 10, idleTimeoutMillis: 60_000 },
    // pg Pool options: bounded connects, a server-side statement limit, dead peers noticed by TCP.
    driverOptions: {
      connectionTimeoutMillis: DB_CONNECT_TIMEOUT_MS,
      statement_timeout: DB_STATEMENT_TIMEOUT_MS,
      keepAlive: true,
      onPoolCreated: releaseBrokenClients,
    },
  } as never)) as unknown as Orm;
}

/** Any constant: processes that migrate one database take turns on this lock. */
const MIGRATION_LOCK = 7_240_531;

/**
 * Applies every pending migration; returns the names it applied (none when up to date). Several
 * processes starting together on one database queue on a transaction-scoped advisory lock, so
 * only the first applies the migrations and the others find them done.
 */
export async function migrate(orm: Orm): Promise<string[]> {
  if (embedded.has(orm)) return (await orm.migrator.up()).map((m) => m.name);
  return orm.em.fork().transactional(async (em) => {
    // Another process may hold the lock while it migrates, and a migration may be slow.
    await em.execute("set local statement_timeout = 0");
    await em.execute("select pg_advisory_xact_lock(?)", [MIGRATION_LOCK]);
    const applied = await orm.migrator.up({ transaction: em.getTransactionContext() });
    return applied.map((m) => m.name);
  });
}

export async function pendingMigrations(orm: Orm): Promise<string[]> {
  return (await orm.migrator.getPending()).map((m) => m.name);
}
