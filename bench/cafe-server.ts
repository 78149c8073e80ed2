// Cafe as the bench runs it: the same startApp as `npm start`, with two bench-only differences
// that only affect account creation (the bench registers hundreds of users from one address):
// registration is not rate-limited and passwords are hashed with a light scrypt cost.
import { startApp } from "../server/src/app.ts";
import { loadConfig, resolveSecretKey } from "../server/src/config/index.ts";
import { DEFAULT_AUTH_LIMITS } from "../server/src/limits/rate-limiter.ts";

const config = resolveSecretKey(loadConfig());
const app = await startApp(config, {
  authLimits: { ...DEFAULT_AUTH_LIMITS, registerPerAddress: { max: 1_000_000, windowMs: 60_000 } },
  hashParams: { N: 2 ** 10, r: 8, p: 1 },
  log: () => undefined,
});
console.error(`Cafe listening on ${app.url}`);
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
