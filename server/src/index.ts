// `npm start`: read .env, parse the configuration, start Cafe, stop cleanly on SIGINT/SIGTERM.
import { startApp } from "./app.ts";
import { loadEnvFile } from "./config/env-file.ts";
import { ConfigError, loadConfig, resolveSecretKey } from "./config/index.ts";

async function main(): Promise<void> {
  loadEnvFile();
  let config;
  try {
    config = resolveSecretKey(loadConfig());
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const app = await startApp(config);
  const where = config.database.kind === "pglite" ? `embedded PostgreSQL in ${config.database.dataDir}` : "PostgreSQL server";
  console.error(`Cafe listening on ${app.url} (${where}); API docs at ${app.url}/docs`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(`Cafe failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
