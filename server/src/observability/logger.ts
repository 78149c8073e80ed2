// Structured JSON logs (pino). Request lines carry `request_id`, room lines `room_id`. Secrets
// never reach a line: requests are logged by method, path (no query string) and status only, and
// any field that could hold a credential is redacted as a second line of defence.
import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const SECRET_FIELDS = ["password", "token", "access_token", "authorization", "secret", "secret_key", "secretKey", "cookie"];

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]), censor: "[redacted]" },
  };
  // stderr, as before pino: stdout stays free for tools that pipe the server's output.
  return destination ? pino(options, destination) : pino(options, pino.destination(2));
}

/** A destination that hands each JSON line to a function (tests collect them). */
export function lineDestination(write: (line: string) => void): DestinationStream {
  return { write: (chunk: string) => write(chunk.trimEnd()) };
}
