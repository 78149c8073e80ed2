// What every layer of the HTTP stack reads off a request or response: the bearer token, and the
// request's own logger. A leaf module, so the router, the error handler and the request logging
// can all use it without importing each other.
import type { Request, Response } from "express";
import type { Logger } from "../observability/logger.ts";

const BEARER = /^Bearer\s+(\S+)$/i;

export function bearerToken(req: Request): string | undefined {
  return BEARER.exec(req.headers.authorization ?? "")?.[1];
}

/** Gives the response's request its own logger (with its request id). */
export function setRequestLogger(res: Response, log: Logger): void {
  res.locals["log"] = log;
}

/** The request's logger (with its request id), or the app's. */
export function requestLogger(res: Response, fallback: Logger): Logger {
  return (res.locals["log"] as Logger | undefined) ?? fallback;
}
