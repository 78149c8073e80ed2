// `npm start`: read .env, parse the configuration, start Cafe, stop cleanly on SIGINT/SIGTERM.
import { startApp } from "./app.ts";
import { loadEnvFile } from "./config/env-file.ts";
import { ConfigError, loadConfig, resolveSecretKey } from "./config/index.ts";
import { surviveRedisRejections } from "./scale.ts";

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
  surviveRedisRejections((line) => app.logger.warn({ component: "redis" }, line));
  const where = config.database.kind === "pglite" ? `embedded PostgreSQL in ${config.database.dataDir}` : "PostgreSQL server";
  app.logger.info({ url: app.url, metrics: app.metricsUrl }, `Cafe listening on ${app.url} (${where}); API docs at ${app.url}/docs`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, "shutting down: no new joins; rooms finish their writes and close with 4010");
    const force = setTimeout(() => {
      app.logger.error("shutdown took longer than 10 s; exiting anyway");
      process.exit(1);
    }, 10_000);
    force.unref();
    await app.close();
    app.logger.info("stopped");
    app.logger.flush();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  // A setting found wrong while starting (PUBLIC_ADDRESS) is one line naming it, like the others.
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(`Cafe failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
