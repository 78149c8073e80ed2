// /healthz: the process answers. /readyz: the database answers and every migration is applied.
import express, { type Router } from "express";
import { pendingMigrations, type Orm } from "../db/orm.ts";
import { RETRY_AFTER_S } from "../services/outage.ts";

export function healthRouter(orm: Orm): Router {
  const router = express.Router();
  router.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  router.get("/readyz", async (_req, res) => {
    try {
      await orm.em.fork().execute("select 1");
      const pending = await pendingMigrations(orm);
      if (pending.length) {
        res.status(503).json({ status: "not_ready", detail: `${pending.length} migration(s) pending`, code: "internal" });
        return;
      }
      res.json({ status: "ready" });
    } catch {
      // The pool's connect and statement timeouts bound this, so a load balancer is answered promptly.
      res.setHeader("Retry-After", String(RETRY_AFTER_S));
      res.status(503).json({ status: "not_ready", detail: "Database unreachable", code: "unavailable" });
    }
  });
  return router;
}
