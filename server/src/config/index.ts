// The environment, parsed once into a typed, validated Config. Nothing else reads process.env.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { AuthLimits } from "../limits/rate-limiter.ts";
import { LOG_LEVELS, type LogLevel } from "../observability/logger.ts";
import { ConfigError } from "./errors.ts";
import { parseRateLimit, parseTrustProxy, type TrustProxy } from "./limits.ts";
import { IceServer } from "../../../shared/src/media.ts";

export const JWT_ALGORITHMS = ["HS256", "HS384", "HS512"] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];
export const MIN_SECRET_BYTES = 32;

export type DatabaseConfig =
  /**
   * `seed`: a PGlite data-directory dump (`dumpDataDir`) an in-memory database starts from instead
   * of an empty cluster. Only the test suites set it (a migrated cluster, built once per run:
   * `initdb` alone takes about 3 s in WebAssembly, loading a dump about 0.5 s).
   */
  | { kind: "pglite"; dataDir: string; seed?: string }
  | { kind: "postgresql"; url: string };

export interface Config {
  nodeEnv: "development" | "production" | "test";
  host: string;
  port: number;
  debug: boolean;
  dataDir: string;
  database: DatabaseConfig;
  /** How long start-up waits for an unreachable PostgreSQL server, retrying, before giving up. */
  databaseConnectTimeoutS: number;
  redisUrl: string | undefined;
  /** Prefix of every Redis key and Cafe pub/sub channel, so deployments (or test runs) can share a Redis. */
  redisPrefix: string;
  /** Where clients reach this process's rooms (Colyseus publicAddress), e.g. `cafe.example.com/node-1`. */
  publicAddress: string | undefined;
  /** undefined until resolveSecretKey() fills it in (development may generate one). */
  secretKey: string | undefined;
  algorithm: JwtAlgorithm;
  accessTokenExpireMinutes: number;
  adminUsernames: ReadonlySet<string>;
  logLevel: LogLevel;
  /** Serve /metrics without auth on this port too (keep it off the public network). */
  metricsPort: number | undefined;
  /** Proximity media: STUN/TURN servers for browsers, and the shared secret of a TURN server's time-limited credentials. */
  ice: { servers: IceServer[]; turnSecret: string | undefined; turnTtlSeconds: number };
  /**
   * Test-only: turns off the exactly-once guard of placement, so the reliability tests can show
   * they catch a duplicate. Honoured only when NODE_ENV=test.
   */
  unguardedPlacement: boolean;
  /** Express's "trust proxy" (TRUST_PROXY); undefined = off. */
  trustProxy: TrustProxy | undefined;
  /** Login and registration throttles (RATE_LIMIT_*). */
  authLimits: AuthLimits;
  /** Days to keep closed visits, chat and tool logs; null keeps them for ever. */
  retention: { visits: number | null; chat: number | null; toolLogs: number | null };
}

export { ConfigError } from "./errors.ts";

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["1", "0", "true", "false", "yes", "no", "on", "off", ""]))
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

/** Whole days; `0` (or `off`) keeps the rows for ever. */
const retentionDays = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(off|\d{1,5})$/, "must be a whole number of days (0 or off: keep for ever)")
  .transform((v) => (v === "off" ? 0 : Number(v)));

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  DEBUG: flag.default(false),
  DATA_DIR: z.string().trim().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgresql:// URL")
    .optional(),
  DATABASE_CONNECT_TIMEOUT_S: z.coerce.number().int().min(0).max(3600).default(60),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\/\S+$/, "must be a redis:// URL")
    .optional(),
  REDIS_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be 1-64 letters, digits, '_', '.', ':' or '-'")
    .default("cafe:"),
  PUBLIC_ADDRESS: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~-]+)*$/, "must be host[:port][/path], without a scheme")
    .optional(),
  SECRET_KEY: z.string().min(1).optional(),
  ALGORITHM: z.enum(JWT_ALGORITHMS, { error: "must be one of HS256, HS384, HS512" }).default("HS256"),
  ACCESS_TOKEN_EXPIRE_MINUTES: z.coerce.number().int().min(1).max(525_600).default(30),
  ADMIN_USERNAMES: z.string().default(""),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  ICE_SERVERS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON list" });
        return z.NEVER;
      }
    })
    .pipe(z.array(IceServer).max(16))
    .default([]),
  TURN_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  TURN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  CAFE_TEST_UNGUARDED_PLACEMENT: flag.default(false),
  TRUST_PROXY: z.string().optional(),
  RATE_LIMIT_REGISTER: z.string().default("30/10m"),
  RATE_LIMIT_LOGIN_ADDRESS: z.string().default("30/15m"),
  RATE_LIMIT_LOGIN_USERNAME: z.string().default("5/15m"),
  RETENTION_VISITS_DAYS: retentionDays.default(30),
  RETENTION_CHAT_DAYS: retentionDays.optional(),
  RETENTION_TOOL_LOGS_DAYS: retentionDays.optional(),
});

/** Parses the environment. Empty variables count as unset, as in most .env tooling. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0]), `is invalid: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.SECRET_KEY !== undefined && Buffer.byteLength(e.SECRET_KEY) < MIN_SECRET_BYTES && e.NODE_ENV === "production") {
    throw new ConfigError("SECRET_KEY", `must be at least ${MIN_SECRET_BYTES} bytes when NODE_ENV=production`);
  }
  if (e.SECRET_KEY === undefined && e.NODE_ENV === "production") {
    throw new ConfigError("SECRET_KEY", `is required when NODE_ENV=production (at least ${MIN_SECRET_BYTES} bytes)`);
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  const authLimits: AuthLimits = {
    registerPerAddress: parseRateLimit("RATE_LIMIT_REGISTER", e.RATE_LIMIT_REGISTER),
    loginPerAddress: parseRateLimit("RATE_LIMIT_LOGIN_ADDRESS", e.RATE_LIMIT_LOGIN_ADDRESS),
    loginPerUsername: parseRateLimit("RATE_LIMIT_LOGIN_USERNAME", e.RATE_LIMIT_LOGIN_USERNAME),
  };
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    debug: e.DEBUG,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: "postgresql", url: e.DATABASE_URL }
      : { kind: "pglite", dataDir: path.join(dataDir, "pgdata") },
    databaseConnectTimeoutS: e.DATABASE_CONNECT_TIMEOUT_S,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    publicAddress: e.PUBLIC_ADDRESS,
    secretKey: e.SECRET_KEY,
    algorithm: e.ALGORITHM,
    accessTokenExpireMinutes: e.ACCESS_TOKEN_EXPIRE_MINUTES,
    logLevel: e.LOG_LEVEL,
    metricsPort: e.METRICS_PORT,
    ice: { servers: e.ICE_SERVERS, turnSecret: e.TURN_SECRET, turnTtlSeconds: e.TURN_TTL_SECONDS },
    adminUsernames: new Set(
      e.ADMIN_USERNAMES.split(",")
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean),
    ),
    unguardedPlacement: e.NODE_ENV === "test" && e.CAFE_TEST_UNGUARDED_PLACEMENT,
    trustProxy,
    authLimits,
    retention: {
      visits: e.RETENTION_VISITS_DAYS || null,
      chat: e.RETENTION_CHAT_DAYS || null,
      toolLogs: e.RETENTION_TOOL_LOGS_DAYS || null,
    },
  };
}

/**
 * Returns the config with a secret key: the configured one, or in development a random key
 * generated once and kept (mode 0600) in DATA_DIR so tokens survive restarts.
 */
export function resolveSecretKey(config: Config): Config & { secretKey: string } {
  if (config.secretKey !== undefined) return { ...config, secretKey: config.secretKey };
  const file = path.join(config.dataDir, "secret_key");
  if (existsSync(file)) {
    const kept = readFileSync(file, "utf8").trim();
    if (Buffer.byteLength(kept) >= MIN_SECRET_BYTES) return { ...config, secretKey: kept };
  }
  const secretKey = randomBytes(48).toString("base64url");
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, secretKey + "\n", { mode: 0o600 });
  return { ...config, secretKey };
}

export type ResolvedConfig = ReturnType<typeof resolveSecretKey>;
