// Test databases: a fresh in-memory PGlite, or a fresh database on the PostgreSQL server
// (TEST_DATABASE_URL, else DATABASE_URL, else the local server), dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { DatabaseConfig } from "../../src/config/index.ts";
import { ENV, postgresUrl } from "../gate/services.ts";
import { needs, recordSkip } from "./gate.ts";

export type DbKind = "pglite" | "postgresql";

/**
 * The databases each `describe.each(DB_KINDS)` suite runs on: the embedded one always, the
 * PostgreSQL server when this run reached it. A suite that reads the list without the server
 * is noted for the end-of-run announcement (reading, not importing: every suite imports this).
 */
export const DB_KINDS: readonly DbKind[] = needs.postgresql
  ? ["pglite", "postgresql"]
  : new Proxy<DbKind[]>(["pglite"], {
      get(target, property, receiver) {
        if (!noted) recordSkip(["postgresql"], "variant");
        noted = true;
        return Reflect.get(target, property, receiver);
      },
    });
let noted = false;

export const POSTGRES_ADMIN_URL = postgresUrl(process.env);

export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * `empty`: an embedded database with no migrations applied (otherwise it starts from the migrated
 * cluster globalSetup dumped, when it ran; a PostgreSQL database is always empty).
 */
export async function createTestDatabase(kind: DbKind, { empty = false }: { empty?: boolean } = {}): Promise<TestDatabase> {
  if (kind === "pglite") {
    const seed = empty ? undefined : process.env[ENV.pgliteSeed];
    return { config: { kind: "pglite", dataDir: "memory://", ...(seed ? { seed } : {}) }, drop: async () => {} };
  }
  const name = `cafe_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`create database "${name}"`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: { kind: "postgresql", url: url.toString() },
    drop: () => admin((c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}
