// Test databases: a fresh in-memory PGlite, or a fresh database on the PostgreSQL server
// (TEST_DATABASE_URL, else DATABASE_URL, else the local server), dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { DatabaseConfig } from "../../src/config/index.ts";

export const DB_KINDS = ["pglite", "postgresql"] as const;
export type DbKind = (typeof DB_KINDS)[number];

export const POSTGRES_ADMIN_URL =
  process.env["TEST_DATABASE_URL"] ?? process.env["DATABASE_URL"] ?? "postgresql://postgres@127.0.0.1:5432/test";

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

export async function createTestDatabase(kind: DbKind): Promise<TestDatabase> {
  if (kind === "pglite") return { config: { kind: "pglite", dataDir: "memory://" }, drop: async () => {} };
  const name = `cafe_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`create database "${name}"`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: { kind: "postgresql", url: url.toString() },
    drop: () => admin((c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}
