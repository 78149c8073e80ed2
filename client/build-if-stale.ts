// Builds the client only when client/dist is missing or older than its sources. Used by `npm
// start`'s prestart (a build takes about 400 MB and 20 s, which a small box should not pay on
// every start) and by the browser tests, so both agree on what "stale" means.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const INDEX = path.join(ROOT, "client/dist/index.html");
const SOURCES = ["client/src", "client/index.html", "client/vite.config.ts", "shared/src", "package-lock.json"].map((p) => path.join(ROOT, p));

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function clientIsFresh(): boolean {
  return existsSync(INDEX) && statSync(INDEX).mtimeMs >= Math.max(...SOURCES.map(newestMtime));
}

/**
 * Builds client/dist unless it is fresh (or `force`). `quiet` keeps vite's output for the error
 * instead of printing it, as test runs want.
 */
export function ensureClientBuilt(options: { force?: boolean; quiet?: boolean } = {}): void {
  if (!options.force && clientIsFresh()) return;
  const vite = path.join(ROOT, "node_modules/vite/bin/vite.js");
  try {
    execFileSync(process.execPath, [vite, "build", "--config", "client/vite.config.ts", "--logLevel", "warn"], {
      cwd: ROOT,
      stdio: options.quiet ? "pipe" : "inherit",
    });
  } catch (err) {
    const out = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`Building the client (npm run build) failed:\n${out.stderr?.toString() ?? ""}${out.stdout?.toString() ?? ""}`);
  }
  if (!existsSync(INDEX)) throw new Error("npm run build did not produce client/dist/index.html");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes("--force");
  if (!force && clientIsFresh()) console.error("client is up to date (client/dist); npm run build rebuilds it");
  else ensureClientBuilt({ force });
}
