// Mounts declared routes on an Express router: authenticate → validate → handler → respond.
import express, { type Request, type RequestHandler, type Response, type Router } from "express";
import type { z } from "zod";
import type { AccountService } from "../services/accounts.ts";
import { AppError, unauthorized } from "../services/errors.ts";
import { validationError } from "./errors.ts";
import { bearerToken } from "./request.ts";
import { isPage, type AnyRoute } from "./route.ts";

function parse(schema: z.ZodType | undefined, value: unknown, where: "body" | "query" | "path"): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw validationError(where, result.error);
  return result.data;
}

function toExpressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ":$1");
}

function handle(route: AnyRoute, accounts: AccountService): RequestHandler {
  return async (req: Request, res: Response) => {
    let viewer;
    if (route.auth !== false) {
      const token = bearerToken(req);
      if (!token) throw unauthorized();
      viewer = await accounts.authenticate(token);
    }
    if (route.body && !req.is(route.form ? ["application/json", "application/x-www-form-urlencoded"] : "application/json")) {
      throw new AppError(400, "invalid_payload", `Request body must be ${route.form ? "JSON or a form" : "JSON"} (Content-Type)`);
    }
    const result = await route.handler({
      params: parse(route.params, req.params, "path"),
      query: parse(route.query, req.query, "query"),
      body: parse(route.body, req.body, "body"),
      viewer,
      req,
      res,
    });
    if (res.headersSent) return;
    const status = route.status ?? 200;
    if (status === 204) {
      res.status(204).end();
    } else if (route.list && isPage(result)) {
      res.setHeader("X-Total-Count", String(result.total));
      res.status(status).json(result.items);
    } else {
      res.status(status).json(result);
    }
  };
}

export function mountRoutes(router: Router, routes: AnyRoute[], accounts: AccountService): void {
  for (const route of routes) {
    router[route.method](toExpressPath(route.path), handle(route, accounts));
  }
}

export function apiRouter(routes: AnyRoute[], accounts: AccountService, maxBodyBytes: number): Router {
  const router = express.Router();
  // Routes with their own limit parse first; the general parser then skips an already parsed body.
  for (const route of routes.filter((r) => r.maxBodyBytes !== undefined)) {
    router[route.method](toExpressPath(route.path), express.json({ limit: route.maxBodyBytes, strict: true }));
  }
  router.use(express.json({ limit: maxBodyBytes, strict: true }));
  router.use(express.urlencoded({ limit: maxBodyBytes, extended: false, parameterLimit: 20 }));
  mountRoutes(router, routes, accounts);
  router.use((_req, _res, next) => next(new AppError(404, "not_found", "No such endpoint")));
  return router;
}
