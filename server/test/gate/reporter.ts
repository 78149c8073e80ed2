// jest reporter: after the run, one line per missing service that cost tests, so nothing is
// skipped silently (see services.ts).
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { announce, ENV, type ServiceMap, type SkipRecord } from "./services.ts";

interface FileResult {
  testFilePath: string;
  numPendingTests: number;
}

export default class SkipReporter {
  readonly #pending = new Map<string, number>();

  onTestResult(_test: unknown, result: FileResult): void {
    this.#pending.set(result.testFilePath, result.numPendingTests);
  }

  onRunComplete(): void {
    const log = process.env[ENV.skipLog];
    const status = process.env[ENV.status];
    if (!log || !status || !existsSync(log)) return;
    const records = readFileSync(log, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as SkipRecord);
    const lines = announce(JSON.parse(status) as ServiceMap, records, (file) => this.#pending.get(file) ?? 0);
    if (lines.length) process.stderr.write(`\n${lines.join("\n")}\n`);
    rmSync(path.dirname(log), { recursive: true, force: true });
  }
}
