// Operator settings for the first day behind a proxy: TRUST_PROXY decides whose address the
// throttles see, RATE_LIMIT_* set the throttles, and the monitor's polling costs one password
// hash per minute rather than one per request.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ConfigError, loadConfig } from "../src/config/index.ts";
import { DEFAULT_AUTH_LIMITS } from "../src/limits/rate-limiter.ts";
import { startTestApp, type TestApp } from "./helpers/app.ts";

const register = (t: TestApp, name: string, from?: string) =>
  t.api("POST", "/api/v1/auth/register", {
    body: { username: name, email: `${name}@example.test`, password: "correct horse battery" },
    ...(from ? { headers: { "x-forwarded-for": from } } : {}),
  });
const login = (t: TestApp, username: string, password: string, from?: string) =>
  t.api("POST", "/api/v1/auth/login", { body: { username, password }, ...(from ? { headers: { "x-forwarded-for": from } } : {}) });

describe("TRUST_PROXY and RATE_LIMIT_* settings", () => {
  const fails = (env: Record<string, string>, variable: string) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Configuration error: ${variable} is invalid`));
  };

  it("default to the limits Cafe always had, and no trusted proxy", () => {
    const config = loadConfig({});
    expect(config.authLimits).toEqual(DEFAULT_AUTH_LIMITS);
    expect(config.trustProxy).toBeUndefined();
  });

  it("read N/<duration> or off", () => {
    const c = loadConfig({ RATE_LIMIT_REGISTER: "100/1h", RATE_LIMIT_LOGIN_ADDRESS: "off", RATE_LIMIT_LOGIN_USERNAME: "10/30s" });
    expect(c.authLimits.registerPerAddress).toEqual({ max: 100, windowMs: 3_600_000 });
    expect(c.authLimits.loginPerAddress.max).toBe(Number.POSITIVE_INFINITY);
    expect(c.authLimits.loginPerUsername).toEqual({ max: 10, windowMs: 30_000 });
    expect(loadConfig({ RATE_LIMIT_REGISTER: "5/m" }).authLimits.registerPerAddress).toEqual({ max: 5, windowMs: 60_000 });
  });

  it("stop the start with one line naming a bad variable", () => {
    for (const bad of ["30", "30/10", "0/10m", "-1/1m", "30/10y", "lots", "30/0m"]) fails({ RATE_LIMIT_REGISTER: bad }, "RATE_LIMIT_REGISTER");
    fails({ RATE_LIMIT_LOGIN_ADDRESS: "on" }, "RATE_LIMIT_LOGIN_ADDRESS");
    fails({ RATE_LIMIT_LOGIN_USERNAME: "5 per 15m" }, "RATE_LIMIT_LOGIN_USERNAME");
    for (const bad of ["true", "yes", "10.0.0.1/33", "example.com", "1.2.3.4, nginx"]) fails({ TRUST_PROXY: bad }, "TRUST_PROXY");
  });

  it("read TRUST_PROXY as a hop count or a list of addresses and CIDRs", () => {
    expect(loadConfig({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: "0" }).trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: "loopback, 10.0.0.0/8, ::1" }).trustProxy).toEqual(["loopback", "10.0.0.0/8", "::1"]);
  });
});

describe("behind a proxy", () => {
  let direct: TestApp;
  let proxied: TestApp;
  beforeAll(async () => {
    const env = { RATE_LIMIT_REGISTER: "2/10m", RATE_LIMIT_LOGIN_ADDRESS: "3/15m", RATE_LIMIT_LOGIN_USERNAME: "off" };
    direct = await startTestApp("pglite", { env });
    proxied = await startTestApp("pglite", { env: { ...env, TRUST_PROXY: "loopback" } });
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  it("without TRUST_PROXY, a forged X-Forwarded-For changes nothing: RATE_LIMIT_REGISTER counts the socket's address", async () => {
    expect((await register(direct, "d_one", "203.0.113.1")).status).toBe(201);
    expect((await register(direct, "d_two", "203.0.113.2")).status).toBe(201);
    const third = await register(direct, "d_three", "203.0.113.3");
    expect(third.status).toBe(429);
    expect(third.body.code).toBe("rate_limited");
  });

  it("with TRUST_PROXY, each client behind the proxy has its own allowance", async () => {
    for (const [i, from] of ["198.51.100.1", "198.51.100.2", "198.51.100.3"].entries()) {
      expect((await register(proxied, `p_a${i}`, from)).status).toBe(201);
    }
    expect((await register(proxied, "p_b1", "198.51.100.9")).status).toBe(201);
    expect((await register(proxied, "p_b2", "198.51.100.9")).status).toBe(201);
    expect((await register(proxied, "p_b3", "198.51.100.9")).status).toBe(429);
    expect((await register(proxied, "p_c1", "198.51.100.10")).status).toBe(201);
  });

  it("throttles failed logins per client address, and not per username when that limit is off", async () => {
    const user = (await proxied.register("victim")).username;
    for (let i = 0; i < 3; i++) expect((await login(proxied, user, "wrong password", "192.0.2.1")).status).toBe(401);
    expect((await login(proxied, user, "wrong password", "192.0.2.1")).status).toBe(429);
    // Another client may still log in to the same account: RATE_LIMIT_LOGIN_USERNAME=off.
    for (let i = 0; i < 3; i++) expect((await login(proxied, user, "wrong password", "192.0.2.2")).status).toBe(401);
    expect((await login(proxied, user, "correct horse battery", "192.0.2.3")).status).toBe(200);
  });
});

describe("the monitor's Basic auth", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp("pglite", { env: { RATE_LIMIT_LOGIN_ADDRESS: "3/15m" } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("hashes the password once for a polling admin; failures are never remembered and stay rate-limited", async () => {
    const admin = await t.admin();
    const accounts = t.app.services.accounts;
    const original = accounts.login.bind(accounts);
    let hashes = 0;
    accounts.login = (username: string, password: string) => {
      hashes++;
      return original(username, password);
    };
    const basic = (pw: string) => ({ authorization: `Basic ${Buffer.from(`${admin.username}:${pw}`).toString("base64")}` });
    try {
      for (let i = 0; i < 5; i++) expect((await t.api("GET", "/colyseus/api", { headers: basic("correct horse battery") })).status).toBe(200);
      expect(hashes).toBe(1);
      for (let i = 0; i < 3; i++) expect((await t.api("GET", "/colyseus/api", { headers: basic("wrong password") })).status).toBe(401);
      expect(hashes).toBe(4);
      expect((await t.api("GET", "/colyseus/api", { headers: basic("wrong password") })).status).toBe(429);
      expect(hashes).toBe(4);
    } finally {
      accounts.login = original;
    }
  });
});
