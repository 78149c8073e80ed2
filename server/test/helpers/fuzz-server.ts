// The server the soak's fuzz step attacks, in a process of its own (pinned to a core by the test):
// the same startApp as `npm start`, logging JSON lines to stderr as in production, with the test
// suites' two differences for account creation (no registration throttle, light scrypt cost),
// since the attackers are hundreds of accounts made from one address.
import { startApp } from "../../src/app.ts";
import { loadConfig, resolveSecretKey } from "../../src/config/index.ts";
import { MANY_USERS } from "./invariant.ts";

// FAST_HASH of ./app.ts, which this plain Node process cannot import (it pulls in jest's globals).
const app = await startApp(resolveSecretKey(loadConfig()), { authLimits: MANY_USERS, hashParams: { N: 2 ** 10, r: 8, p: 1 } });
// Not a JSON line: the test counts only the log's JSON lines.
console.error(`Cafe listening on ${app.url}`);
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
