// The Colyseus monitor at /colyseus, for admins only: HTTP Basic with an admin's username and
// password, or an admin's Bearer token. Anyone else gets 401 and never the page.
import { createHash } from "node:crypto";
import { monitor } from "@colyseus/monitor";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { AccountService } from "../services/accounts.ts";
import { AppError } from "../services/errors.ts";
import { sendError } from "./errors.ts";
import { RateLimiter, type LimitRule } from "../limits/rate-limiter.ts";
import { bearerToken } from "./request.ts";

export const MONITOR_PATH = "/colyseus";
/** How long a verified Basic credential is trusted without hashing the password again. */
export const BASIC_AUTH_CACHE_MS = 60_000;

/**
 * The monitor UI polls, and every poll carries the Basic credential: verifying it costs a full
 * scrypt (128 MiB, tens of ms). A credential that verified is remembered for BASIC_AUTH_CACHE_MS,
 * keyed by a hash of the header (never the password itself); failures are never remembered, so
 * they stay rate-limited.
 */
class VerifiedBasicAuth {
  readonly #entries = new Map<string, { username: string; expiresAt: number }>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  static key(header: string): string {
    return createHash("sha256").update(header).digest("base64url");
  }

  get(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > this.#now()) return entry.username;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: string, username: string): void {
    if (this.#entries.size >= 1000) this.#entries.clear(); // only admins get here; a bound all the same
    this.#entries.set(key, { username, expiresAt: this.#now() + BASIC_AUTH_CACHE_MS });
  }
}

function basicCredentials(req: Request): { username: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function monitorRouter(accounts: AccountService, failures: LimitRule, now: () => number = Date.now): Router {
  const limiter = new RateLimiter(failures, now);
  const verified = new VerifiedBasicAuth(now);
  const refuse = (res: Response, detail: string) =>
    sendError(res, new AppError(401, "unauthorized", detail, { "WWW-Authenticate": 'Basic realm="Cafe monitor", charset="UTF-8"' }));

  const verifyBasic = async (header: string, basic: { username: string; password: string }): Promise<string> => {
    const key = VerifiedBasicAuth.key(header);
    const known = verified.get(key);
    if (known) return known;
    const { username } = (await accounts.login(basic.username, basic.password)).user;
    verified.set(key, username);
    return username;
  };

  const adminOnly = async (req: Request, res: Response, next: NextFunction) => {
    const address = req.ip ?? "unknown";
    const wait = limiter.retryAfter(address);
    if (wait) return sendError(res, new AppError(429, "rate_limited", `Too many attempts; try again in ${wait} s`, { "Retry-After": String(wait) }));
    try {
      const token = bearerToken(req);
      const basic = basicCredentials(req);
      let username: string | undefined;
      if (token) username = (await accounts.authenticate(token)).username;
      else if (basic) username = await verifyBasic(req.headers.authorization!, basic);
      if (username && accounts.isAdmin(username)) return next();
    } catch (err) {
      if (!(err instanceof AppError)) return next(err);
    }
    limiter.hit(address);
    refuse(res, "The monitor is for admins only");
  };

  const router = express.Router();
  router.use(MONITOR_PATH, adminOnly, monitor() as unknown as express.RequestHandler);
  return router;
}
