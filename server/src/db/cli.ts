// `npm run db:migrate` applies pending migrations; `npm run db:migration:create` writes a new one
// from the difference between the entities and the last snapshot (developers only).
import { loadConfig } from "../config/index.ts";
import { loadEnvFile } from "../config/env-file.ts";
import { createOrm, migrate } from "./orm.ts";

loadEnvFile();
const command = process.argv[2];
const config = loadConfig();
const orm = await createOrm(config.database, { authoring: command === "create" });
try {
  if (command === "up") {
    const applied = await migrate(orm);
    console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
  } else if (command === "create") {
    const result = await orm.migrator.create(undefined, false, false, process.argv[3]);
    console.log(result.fileName ? `created ${result.fileName}` : "no changes: entities match the last migration");
  } else {
    console.error("usage: node server/src/db/cli.ts up|create [name]");
    process.exitCode = 2;
  }
} finally {
  await orm.close(true);
}
