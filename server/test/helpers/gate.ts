// For test files: which services this run has (probed once by server/test/gate/global-setup.ts),
// and describeIf to skip a suite, announced at the end of the run, when one is missing.
import { appendFileSync } from "node:fs";
import { describe, expect } from "@jest/globals";
import { ENV, SERVICES, type Service, type ServiceMap, type SkipRecord } from "../gate/services.ts";

export type { Service } from "../gate/services.ts";

function loadStatus(): ServiceMap | undefined {
  const raw = process.env[ENV.status];
  return raw ? (JSON.parse(raw) as ServiceMap) : undefined;
}

const status = loadStatus();

/** Whether each service is usable in this run (all of them when the run was not probed). */
export const needs: Record<Service, boolean> = Object.fromEntries(SERVICES.map((s) => [s, status ? status[s].available : true])) as Record<Service, boolean>;

/** Notes a skip for the end-of-run announcement. */
export function recordSkip(services: Service[], kind: SkipRecord["kind"]): void {
  const log = process.env[ENV.skipLog];
  if (!log) return;
  const record: SkipRecord = { services, file: expect.getState().testPath ?? "unknown", kind };
  appendFileSync(log, JSON.stringify(record) + "\n");
}

/** `describe` when every named service is usable, else `describe.skip` (recorded and announced). */
export function describeIf(...services: Service[]): typeof describe {
  const missing = services.filter((s) => !needs[s]);
  if (!missing.length) return describe;
  recordSkip(missing, "suite");
  // Same call shape; describe.skip only lacks the .only/.skip modifiers, which a gated suite never uses.
  return describe.skip as typeof describe;
}
