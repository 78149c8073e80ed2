// /openapi.json, Swagger UI at /docs and ReDoc at /redoc, all served from local packages
// (a self-hosted server must not depend on a CDN).
import { createRequire } from "node:module";
import path from "node:path";
import express, { type Router } from "express";

const require = createRequire(import.meta.url);
const swaggerDir = path.dirname(require.resolve("swagger-ui-dist/package.json"));
const redocBundle = path.join(path.dirname(require.resolve("redoc/package.json")), "bundles", "redoc.standalone.js");

const page = (title: string, head: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${title}</title>${head}</head><body style="margin:0">${body}</body></html>`;

export function docsRouter(document: object): Router {
  const router = express.Router();
  router.get("/openapi.json", (_req, res) => void res.json(document));
  router.use("/docs/assets", express.static(swaggerDir, { index: false, maxAge: "1d" }));
  router.get("/docs", (_req, res) => {
    res.type("html").send(
      page(
        "Cafe API — Swagger UI",
        `<link rel="stylesheet" href="/docs/assets/swagger-ui.css">`,
        `<div id="swagger-ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>` +
          `<script>window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", persistAuthorization: true });</script>`,
      ),
    );
  });
  router.get("/redoc/redoc.standalone.js", (_req, res) => res.sendFile(redocBundle, { maxAge: "1d" }));
  router.get("/redoc", (_req, res) => {
    res.type("html").send(
      page("Cafe API — ReDoc", "", `<redoc spec-url="/openapi.json"></redoc><script src="/redoc/redoc.standalone.js"></script>`),
    );
  });
  return router;
}
