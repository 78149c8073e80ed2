// The built game client (client/dist), with the client's routes answered by its index.html.
// Until the client is built, `/` explains how to build it.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type Router } from "express";

export const CLIENT_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../client/dist");
const CLIENT_ROUTES = ["/", "/login", "/register", "/rooms", "/game/:roomId", "/profile", "/invite/:code"];

const PLACEHOLDER = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cafe</title></head>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>Cafe</h1><p>The server is running. The game client has not been built yet: run <code>npm run build</code>
and reload.</p><p>API docs: <a href="/docs">/docs</a> · <a href="/redoc">/redoc</a> · <a href="/openapi.json">/openapi.json</a></p>
</body></html>`;

export function clientRouter(dist = CLIENT_DIST): Router {
  const router = express.Router();
  const index = path.join(dist, "index.html");
  router.use(express.static(dist, { index: false, maxAge: "1h" }));
  router.get(CLIENT_ROUTES, (_req, res) => {
    if (existsSync(index)) res.sendFile(index);
    else res.type("html").send(PLACEHOLDER);
  });
  return router;
}
