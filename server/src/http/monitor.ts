// The Colyseus monitor at /colyseus, for admins only: HTTP Basic with an admin's username and
// password, or an admin's Bearer token. Anyone else gets 401 and never the page.
import { monitor } from "@colyseus/monitor";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { AccountService } from "../services/accounts.ts";
import { AppError } from "../services/errors.ts";
import { sendError } from "./errors.ts";
import { RateLimiter, type LimitRule } from "./rate-limit.ts";
import { bearerToken } from "./router.ts";

export const MONITOR_PATH = "/colyseus";

function basicCredentials(req: Request): { username: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function monitorRouter(accounts: AccountService, failures: LimitRule): Router {
  const limiter = new RateLimiter(failures);
  const refuse = (res: Response, detail: string) =>
    sendError(res, new AppError(401, "unauthorized", detail, { "WWW-Authenticate": 'Basic realm="Cafe monitor", charset="UTF-8"' }));

  const adminOnly = async (req: Request, res: Response, next: NextFunction) => {
    const address = req.ip ?? "unknown";
    const wait = limiter.retryAfter(address);
    if (wait) return sendError(res, new AppError(429, "rate_limited", `Too many attempts; try again in ${wait} s`, { "Retry-After": String(wait) }));
    try {
      const token = bearerToken(req);
      const basic = basicCredentials(req);
      let username: string | undefined;
      if (token) username = (await accounts.authenticate(token)).username;
      else if (basic) username = (await accounts.login(basic.username, basic.password)).user.username;
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
