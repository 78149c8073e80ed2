// Which outside services the test run can use: a PostgreSQL server, a Redis server and Chromium.
// Probed once per run (global-setup.ts); suites that need a missing one are skipped and the skip
// is announced at the end (reporter.ts), unless CAFE_TEST_REQUIRE names it: then the run fails.
import { accessSync, constants } from "node:fs";
import pg from "pg";
import { Redis } from "ioredis";

export const SERVICES = ["postgresql", "redis", "chromium"] as const;
export type Service = (typeof SERVICES)[number];

export interface ServiceStatus {
  available: boolean;
  /** Where it was looked for (a URL or a path). */
  where: string;
  /** Why it is unusable, when it is. */
  problem?: string;
}
export type ServiceMap = Record<Service, ServiceStatus>;

/** The environment variables the run reads (exported by global-setup.ts to every test file). */
export const ENV = { status: "CAFE_TEST_SERVICES", skipLog: "CAFE_TEST_SKIP_LOG", require: "CAFE_TEST_REQUIRE", pgliteSeed: "CAFE_TEST_PGLITE_SEED" } as const;

const LABELS: Record<Service, { name: string; variable: string }> = {
  postgresql: { name: "PostgreSQL", variable: "TEST_DATABASE_URL" },
  redis: { name: "Redis", variable: "REDIS_URL" },
  chromium: { name: "browser", variable: "CHROME_PATH" },
};

export function postgresUrl(env: NodeJS.ProcessEnv): string {
  return env["TEST_DATABASE_URL"] ?? env["DATABASE_URL"] ?? "postgresql://postgres@127.0.0.1:5432/test";
}
export function redisUrl(env: NodeJS.ProcessEnv): string {
  return env["REDIS_URL"] ?? "redis://127.0.0.1:6379";
}
/** CHROME_PATH, or the older CHROMIUM_PATH, or Debian's Chromium. */
export function chromePath(env: NodeJS.ProcessEnv): string {
  return env["CHROME_PATH"] ?? env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
}

/** CAFE_TEST_REQUIRE=postgresql,redis,chromium (or "all"): those must be there. Unknown names are an error. */
export function requiredServices(value: string | undefined): Service[] {
  const names = (value ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.includes("all")) return [...SERVICES];
  for (const n of names) if (!(SERVICES as readonly string[]).includes(n)) throw new Error(`${ENV.require}: unknown service "${n}" (use ${SERVICES.join(", ")} or all)`);
  return names as Service[];
}

/** The line that fails the run when a required service is missing. */
export function missingRequired(status: ServiceMap, required: Service[]): string | undefined {
  const missing = required.filter((s) => !status[s].available);
  if (!missing.length) return undefined;
  return `${ENV.require}=${required.join(",")} but ${missing.map((s) => `${LABELS[s].name} is unusable at ${status[s].where} (${status[s].problem})`).join("; ")}`;
}

export interface SkipRecord {
  services: Service[];
  file: string;
  /** "suite": a whole describe block skipped (its tests count as skipped); "variant": the PostgreSQL variant of a DB_KINDS suite left out. */
  kind: "suite" | "variant";
}

/** One line per missing service: how many tests it cost and how to provide it. */
export function announce(status: ServiceMap, records: SkipRecord[], skippedTests: (file: string) => number): string[] {
  const lines: string[] = [];
  for (const service of SERVICES) {
    const mine = records.filter((r) => r.services.includes(service) && !status[service].available);
    if (!mine.length) continue;
    const suiteFiles = new Set(mine.filter((r) => r.kind === "suite").map((r) => r.file));
    const variantFiles = new Set(mine.filter((r) => r.kind === "variant").map((r) => r.file));
    const tests = [...suiteFiles].reduce((sum, f) => sum + skippedTests(f), 0);
    const parts = [];
    if (suiteFiles.size) parts.push(`${plural(tests, `${LABELS[service].name} test`)} in ${plural(suiteFiles.size, "file")}`);
    if (variantFiles.size) parts.push(`the ${LABELS[service].name} variant of ${plural(variantFiles.size, "file")}`);
    const { where, problem } = status[service];
    lines.push(`skipped: ${parts.join(" and ")} — ${problem} at ${where}; set ${LABELS[service].variable}`);
  }
  return lines;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer in ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on("error", () => undefined);
  try {
    await withTimeout(client.connect().then(() => client.query("select 1")), 4000, "PostgreSQL");
    return undefined;
  } catch (err) {
    return `no server (${err instanceof Error ? err.message : String(err)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function probeRedis(url: string): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => undefined);
  try {
    await withTimeout(redis.connect().then(() => redis.ping()), 4000, "Redis");
    return undefined;
  } catch (err) {
    return `no server (${err instanceof Error ? err.message : String(err)})`;
  } finally {
    redis.disconnect();
  }
}

function probeChrome(file: string): string | undefined {
  try {
    accessSync(file, constants.X_OK);
    return undefined;
  } catch {
    return "no executable";
  }
}

export async function probeServices(env: NodeJS.ProcessEnv): Promise<ServiceMap> {
  const [pgUrl, rUrl, chrome] = [postgresUrl(env), redisUrl(env), chromePath(env)];
  const [pgProblem, redisProblem] = await Promise.all([probePostgres(pgUrl), probeRedis(rUrl)]);
  const status = (where: string, problem: string | undefined): ServiceStatus => ({ available: !problem, where, ...(problem ? { problem } : {}) });
  return { postgresql: status(redactPassword(pgUrl), pgProblem), redis: status(redactPassword(rUrl), redisProblem), chromium: status(chrome, probeChrome(chrome)) };
}

/** URLs are printed: never with a password. */
function redactPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}
