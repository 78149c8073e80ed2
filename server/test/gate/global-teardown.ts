// jest globalTeardown: removes the migrated embedded cluster that globalSetup left for the suites.
import { rmSync } from "node:fs";
import path from "node:path";
import { ENV } from "./services.ts";

export default function globalTeardown(): void {
  const seed = process.env[ENV.pgliteSeed];
  if (seed) rmSync(path.dirname(seed), { recursive: true, force: true });
}
