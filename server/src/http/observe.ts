// Request ids and request log lines, and /metrics: for admins on the main port, and without
// auth on METRICS_PORT when that is set (a port to keep off the public network).
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import express, { type RequestHandler, type Router } from "express";
import type { Logger } from "../observability/logger.ts";
import type { Metrics } from "../observability/metrics.ts";
import type { AccountService } from "../services/accounts.ts";
import { forbidden, unauthorized } from "../services/errors.ts";
import { bearerToken, setRequestLogger } from "./request.ts";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * Gives each request an id (a sane incoming X-Request-Id, else a new one), echoes it, and logs one
 * line when the response is sent: method, path without its query string, status, duration.
 */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader("X-Request-Id", id);
    const log = logger.child({ request_id: id });
    setRequestLogger(res, log);
    const started = performance.now();
    const path = req.path; // the full path here; routers later see their own part only
    res.on("finish", () => {
      log.info({ method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started) }, "request");
    });
    next();
  };
}

export function metricsRouter(metrics: Metrics, accounts: AccountService): Router {
  const router = express.Router();
  router.get("/metrics", async (req, res) => {
    const token = bearerToken(req);
    if (!token) throw unauthorized();
    if (!(await accounts.authenticate(token)).isAdmin) throw forbidden("Only admins may read metrics");
    res.setHeader("Content-Type", PROMETHEUS_CONTENT_TYPE).send(await metrics.text());
  });
  return router;
}

/** The unauthenticated metrics listener for METRICS_PORT. */
export async function startMetricsServer(metrics: Metrics, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ detail: "Not found", code: "not_found" }));
      return;
    }
    metrics.text().then(
      (text) => res.writeHead(200, { "Content-Type": PROMETHEUS_CONTENT_TYPE }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
