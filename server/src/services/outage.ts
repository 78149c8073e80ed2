// One place that decides whether a failure means "a dependency is down" (PostgreSQL unreachable,
// the embedded database's folder full or read-only, Redis gone) rather than a bug. Such failures
// reach clients as `unavailable` (REST 503 with Retry-After) and are retried by the server itself
// where it owns the write (positions, closing visits).
import { AppError } from "./errors.ts";

/** Seconds a client is told to wait before trying again. */
export const RETRY_AFTER_S = 5;

/** Node socket and file-system errors that mean the dependency, not the request, failed. */
const NODE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTCONN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ENOSPC",
  "EROFS",
  "EACCES",
  "EPERM",
  "EIO",
  "EDQUOT",
]);

/**
 * SQLSTATE classes and codes: 08 connection exception, 53 insufficient resources (disk full, out of
 * memory, too many connections), 57P01-57P05 shutdown / cannot connect now / idle timeouts,
 * 57014 statement cancelled by our statement_timeout, 58 system (I/O) errors, 25006 read-only.
 */
function isUnavailableSqlState(code: string): boolean {
  return /^(08|53|58)/.test(code) || /^57P0[1-5]$/.test(code) || code === "57014" || code === "25006";
}

/** Messages of `pg`, `pg-pool`, ioredis and PGlite that carry no code. */
const MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection error and is not queryable|Client was closed and is not queryable|Connection is closed|Stream isn't writeable|No space left on device|Read-only file system|could not (write|extend|open|create|fsync)|database unreachable|PGlite is closed|Aborted\(\)/i;

/** Redis command errors that mean "not connected right now" (ioredis with enableOfflineQueue off, or reconnecting). */
const REDIS_MESSAGES = /Connection is closed|connect ECONNREFUSED|Redis connection lost|max retries per request|enableOfflineQueue/i;

/** True when `err` (or anything in its cause chain) says a dependency is unreachable or out of space. */
export function isUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    if (current instanceof AppError) return current.code === "unavailable";
    const e = current as { code?: unknown; sqlState?: unknown; message?: unknown; name?: unknown; cause?: unknown; previous?: unknown; errors?: unknown };
    if (e.name === "ConnectionException") return true;
    for (const code of [e.code, e.sqlState]) {
      if (typeof code !== "string") continue;
      if (NODE_CODES.has(code) || isUnavailableSqlState(code)) return true;
    }
    if (typeof e.message === "string" && (MESSAGES.test(e.message) || REDIS_MESSAGES.test(e.message))) return true;
    // AggregateError (a connect to several addresses) fails if every attempt failed the same way.
    if (Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((inner) => isUnavailable(inner))) return true;
    current = e.cause ?? e.previous;
  }
  return false;
}

export function unavailable(what = "The database"): AppError {
  return new AppError(503, "unavailable", `${what} is unavailable right now; try again in a few seconds`, {
    "Retry-After": String(RETRY_AFTER_S),
  });
}

/** How log lines name the configured database: the embedded one by its folder, which an operator must fix. */
export function databaseSubject(db: { kind: "pglite"; dataDir: string } | { kind: "postgresql" }): string {
  return db.kind === "pglite" ? `embedded database in ${db.dataDir}` : "PostgreSQL";
}

/** A short, secret-free description of the failure for the log (never a connection string). */
export function describeOutage(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === "string" ? `${e.code}: ` : "";
  const message = typeof e?.message === "string" ? e.message.split("\n")[0]!.replace(/\w+:\/\/\S+/g, "<url>") : String(err);
  return `${code}${message}`.slice(0, 200);
}

/**
 * Logs outage failures at most once per `everyMs`, with how many were folded in: an outage under
 * load fails thousands of commands, and the log must stay readable (and small).
 */
export class OutageLog {
  readonly #write: (line: string, fields: Record<string, unknown>) => void;
  readonly #everyMs: number;
  readonly #subject: string;
  #last = -Infinity;
  #folded = 0;

  /** `subject` names what is down in the line, e.g. "embedded database in /srv/cafe/pgdata". */
  constructor(write: (line: string, fields: Record<string, unknown>) => void, subject = "database", everyMs = 5000) {
    this.#write = write;
    this.#subject = subject;
    this.#everyMs = everyMs;
  }

  report(where: string, err: unknown): void {
    const now = performance.now();
    if (now - this.#last < this.#everyMs) {
      this.#folded++;
      return;
    }
    this.#write(`${this.#subject} unavailable (${where}): ${describeOutage(err)}`, { folded: this.#folded });
    this.#last = now;
    this.#folded = 0;
  }
}
