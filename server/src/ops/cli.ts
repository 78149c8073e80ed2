// `npm run backup -- --out FILE` and `npm run restore -- --from FILE [--force]`, configured by the
// same environment (.env, DATABASE_URL, DATA_DIR) as the server.
import { parseArgs } from "node:util";
import { loadEnvFile } from "../config/env-file.ts";
import { ConfigError, loadConfig } from "../config/index.ts";
import { backup, OpsError, restore } from "./backup.ts";

const USAGE = "usage: npm run backup -- --out FILE | npm run restore -- --from FILE [--force]";

async function main(): Promise<void> {
  loadEnvFile();
  const command = process.argv[2];
  const { values } = parseArgs({
    args: process.argv.slice(3),
    options: { out: { type: "string" }, from: { type: "string" }, force: { type: "boolean", default: false } },
  });
  const config = loadConfig();
  if (command === "backup" && values.out) {
    const done = await backup(config.database, config.dataDir, values.out);
    console.log(`backup written to ${values.out} (${done.bytes} bytes, ${done.via === "server" ? "taken by the running server" : done.via === "offline" ? "no server was running" : "pg_dump"})`);
  } else if (command === "restore" && values.from) {
    await restore(config.database, config.dataDir, values.from, values.force);
    console.log(`restored ${values.from} into ${config.database.kind === "pglite" ? config.database.dataDir : "the PostgreSQL database"}; start Cafe with npm start`);
  } else {
    console.error(USAGE);
    process.exitCode = 2;
  }
}

main().catch((err: unknown) => {
  const known = err instanceof OpsError || err instanceof ConfigError || (err instanceof TypeError && "code" in err);
  console.error(known ? (err as Error).message : `failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
