// jest globalSetup: probes PostgreSQL, Redis and Chromium once, and hands the result to every test
// file through the environment. A service named in CAFE_TEST_REQUIRE that is missing fails the run.
// It also migrates one embedded database and leaves its dump for the suites' fresh embedded
// databases to start from (helpers/db.ts): `initdb` in WebAssembly takes about 3 s, loading the
// dump about 0.5 s, and the suites boot the app on an embedded database about a hundred times.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createOrm, migrate } from "../../src/db/orm.ts";
import { pgliteOf, snapshotPglite } from "../../src/ops/snapshot.ts";
import { ENV, missingRequired, probeServices, requiredServices } from "./services.ts";

export default async function globalSetup(): Promise<void> {
  const required = requiredServices(process.env[ENV.require]);
  const status = await probeServices(process.env);
  const missing = missingRequired(status, required);
  if (missing) throw new Error(missing);
  process.env[ENV.status] = JSON.stringify(status);
  process.env[ENV.skipLog] = path.join(mkdtempSync(path.join(tmpdir(), "cafe-test-skips-")), "skips.jsonl");
  process.env[ENV.pgliteSeed] = await migratedPgliteDump();
}

/** A file holding a freshly initialised and fully migrated embedded cluster. */
async function migratedPgliteDump(): Promise<string> {
  const orm = await createOrm({ kind: "pglite", dataDir: "memory://" });
  try {
    await migrate(orm);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "cafe-test-pglite-")), "migrated.tar");
    // Uncompressed: every boot loads it, and inflating would cost each one.
    writeFileSync(file, await snapshotPglite(await pgliteOf(orm), "none"));
    return file;
  } finally {
    await orm.close(true);
  }
}
