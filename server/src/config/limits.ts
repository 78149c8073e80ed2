// Settings an operator behind a proxy or a NAT needs: which proxies to trust for the client's
// address (TRUST_PROXY), and the login and registration throttles (RATE_LIMIT_*).
import { isIP } from "node:net";
import type { LimitRule } from "../limits/rate-limiter.ts";
import { ConfigError } from "./errors.ts";

const UNITS_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A throttle that never refuses (`off`). */
export const NO_LIMIT: LimitRule = { max: Number.POSITIVE_INFINITY, windowMs: 60_000 };

/** `N/<duration>` (`30/10m`, `5/15m`, `100/1h`, `10/30s`, `1000/1d`) or `off`. */
export function parseRateLimit(variable: string, value: string): LimitRule {
  const v = value.trim().toLowerCase();
  if (v === "off") return NO_LIMIT;
  const match = /^(\d{1,9})\/(\d{1,6})?([smhd])$/.exec(v);
  const max = Number(match?.[1]);
  const amount = Number(match?.[2] ?? 1);
  if (!match || max < 1 || amount < 1) {
    throw new ConfigError(variable, `is invalid: must be N/<duration> (e.g. 30/10m; units s, m, h, d) or off, got "${value}"`);
  }
  return { max, windowMs: amount * UNITS_MS[match[3] as keyof typeof UNITS_MS] };
}

export type TrustProxy = number | string[];
const KEYWORDS = new Set(["loopback", "linklocal", "uniquelocal"]);

/**
 * Express's "trust proxy": a hop count (`1` behind one nginx), or a comma list of proxy addresses,
 * CIDRs or Express's keywords (loopback, linklocal, uniquelocal). Unset or `0`: off, every request
 * comes from the socket's address.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const v = value.trim();
  if (/^\d{1,2}$/.test(v)) return Number(v) === 0 ? undefined : Number(v);
  const entries = v.split(",").map((e) => e.trim());
  for (const entry of entries) {
    const [address, bits, extra] = entry.split("/");
    const family = isIP(address ?? "");
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!(KEYWORDS.has(entry) || (family && bitsOk && extra === undefined))) {
      throw new ConfigError("TRUST_PROXY", `is invalid: "${entry}" is not a hop count, an address, a CIDR or loopback/linklocal/uniquelocal`);
    }
  }
  return entries;
}
