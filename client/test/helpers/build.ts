// Browser tests need the built client (client/dist), which the server serves. CI builds it
// before `npm test`; a plain local `npm test` builds it here when it is missing or older than
// the client's or shared sources.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const INDEX = path.join(ROOT, "client/dist/index.html");
const SOURCES = ["client/src", "client/index.html", "client/vite.config.ts", "shared/src"].map((p) => path.join(ROOT, p));

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function ensureClientBuilt(): void {
  if (existsSync(INDEX) && statSync(INDEX).mtimeMs >= Math.max(...SOURCES.map(newestMtime))) return;
  const vite = path.join(ROOT, "node_modules/vite/bin/vite.js");
  try {
    execFileSync(process.execPath, [vite, "build", "--config", "client/vite.config.ts", "--logLevel", "warn"], { cwd: ROOT, stdio: "pipe" });
  } catch (err) {
    const out = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`Building the client (npm run build) failed:\n${out.stderr?.toString() ?? ""}${out.stdout?.toString() ?? ""}`);
  }
  if (!existsSync(INDEX)) throw new Error("npm run build did not produce client/dist/index.html");
}
