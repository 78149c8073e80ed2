// ICE servers for proximity media: configuration, short-lived TURN credentials, and the route.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ConfigError, loadConfig } from "../src/config/index.ts";
import { IceService, turnCredentials } from "../src/services/ice.ts";
import { startTestApp, type TestApp } from "./helpers/app.ts";

const TURN = { urls: ["turn:turn.example.test:3478?transport=udp", "turns:turn.example.test:5349"] };
const STUN = { urls: "stun:stun.example.test:3478" };

describe("ICE configuration", () => {
  const fails = (env: Record<string, string>, variable: string) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toMatch(new RegExp(`^Configuration error: ${variable} `));
  };

  it("defaults to no ICE servers, which is enough on one machine or one network", () => {
    expect(loadConfig({}).ice).toEqual({ servers: [], turnSecret: undefined, turnTtlSeconds: 3600 });
  });

  it("reads ICE_SERVERS as a JSON list and refuses anything else with one line naming the variable", () => {
    expect(loadConfig({ ICE_SERVERS: JSON.stringify([STUN, TURN]) }).ice.servers).toEqual([STUN, TURN]);
    fails({ ICE_SERVERS: "stun:stun.example.test" }, "ICE_SERVERS");
    fails({ ICE_SERVERS: '{"urls":"stun:x"}' }, "ICE_SERVERS");
    fails({ ICE_SERVERS: '[{"urls":"http://x"}]' }, "ICE_SERVERS");
    fails({ TURN_SECRET: "short" }, "TURN_SECRET");
    fails({ TURN_TTL_SECONDS: "5" }, "TURN_TTL_SECONDS");
  });

  it("mints TURN credentials in coturn's use-auth-secret scheme (checked against openssl)", () => {
    // echo -n "1700000000:42" | openssl dgst -sha1 -hmac "0123456789abcdef" -binary | base64
    expect(turnCredentials("0123456789abcdef", 42, 1_700_000_000)).toEqual({
      username: "1700000000:42",
      credential: "tZLEC9G5aIsseNgtebcMSMPE79U=",
    });
  });

  it("adds credentials only to TURN entries that have none, expiring after the TTL", () => {
    const fixed = { urls: "turn:other.example.test", username: "u", credential: "p" };
    const ice = new IceService({ servers: [STUN, TURN, fixed], turnSecret: "0123456789abcdef", turnTtlSeconds: 600 }, () => 1_700_000_000_000);
    const out = ice.forUser(42);
    expect(out.ice_servers[0]).toEqual(STUN);
    expect(out.ice_servers[1]).toEqual({ ...TURN, ...turnCredentials("0123456789abcdef", 42, 1_700_000_600) });
    expect(out.ice_servers[2]).toEqual(fixed);
    expect(out.expires_at).toBe(new Date(1_700_000_600_000).toISOString());
    expect(new IceService({ servers: [STUN, TURN], turnSecret: undefined, turnTtlSeconds: 600 }).forUser(1)).toEqual({ ice_servers: [STUN, TURN], expires_at: null });
  });
});

describe("GET /rtc/ice-servers", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp("pglite", { env: { ICE_SERVERS: JSON.stringify([STUN, TURN]), TURN_SECRET: "a-long-enough-turn-secret" } });
  });
  afterAll(() => t.close());

  it("needs a login and gives each user their own short-lived TURN credentials, never the secret", async () => {
    expect((await t.api("GET", "/api/v1/rtc/ice-servers")).status).toBe(401);
    const user = await t.register("ice");
    const res = await t.api("GET", "/api/v1/rtc/ice-servers", { token: user.token });
    expect(res.status).toBe(200);
    const [stun, turn] = res.body.ice_servers;
    expect(stun).toEqual(STUN);
    expect(turn.urls).toEqual(TURN.urls);
    const [expiry, owner] = turn.username.split(":");
    expect(Number(owner)).toBe(user.id);
    expect(turn.credential).toBe(turnCredentials("a-long-enough-turn-secret", user.id, Number(expiry)).credential);
    expect(new Date(res.body.expires_at).getTime()).toBe(Number(expiry) * 1000);
    expect(Number(expiry) * 1000 - Date.now()).toBeGreaterThan(3000 * 1000);
    expect(res.text).not.toContain("a-long-enough-turn-secret");
    const doc = (await t.api("GET", "/openapi.json")).body;
    expect(doc.paths["/api/v1/rtc/ice-servers"].get.summary).toMatch(/TURN/);
  });
});
