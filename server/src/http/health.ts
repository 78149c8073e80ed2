// /healthz: the process answers. /readyz: the database answers and every migration is applied.
import express, { type Router } from "express";
import { pendingMigrations, type Orm } from "../db/orm.ts";

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
      res.status(503).json({ status: "not_ready", detail: "Database unreachable", code: "internal" });
    }
  });
  return router;
}
