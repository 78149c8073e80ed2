// jest globalSetup: probes PostgreSQL, Redis and Chromium once, and hands the result to every test
// file through the environment. A service named in CAFE_TEST_REQUIRE that is missing fails the run.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ENV, missingRequired, probeServices, requiredServices } from "./services.ts";

export default async function globalSetup(): Promise<void> {
  const required = requiredServices(process.env[ENV.require]);
  const status = await probeServices(process.env);
  const missing = missingRequired(status, required);
  if (missing) throw new Error(missing);
  process.env[ENV.status] = JSON.stringify(status);
  process.env[ENV.skipLog] = path.join(mkdtempSync(path.join(tmpdir(), "cafe-test-skips-")), "skips.jsonl");
}
