// The gate that lets `npm test` pass on a machine with only Node: its rules, and its global setup
// failing the run when CAFE_TEST_REQUIRE names a service that is not there.
import { describe, expect, it } from "@jest/globals";
import globalSetup from "./gate/global-setup.ts";
import { announce, chromePath, ENV, missingRequired, requiredServices, type ServiceMap } from "./gate/services.ts";

const status: ServiceMap = {
  postgresql: { available: false, where: "postgresql://127.0.0.1:1/x", problem: "no server" },
  redis: { available: true, where: "redis://127.0.0.1:6379" },
  chromium: { available: false, where: "/nonexistent", problem: "no executable" },
};

describe("test gate", () => {
  it("reads CAFE_TEST_REQUIRE, and refuses names it does not know", () => {
    expect(requiredServices(undefined)).toEqual([]);
    expect(requiredServices(" postgresql, Redis ")).toEqual(["postgresql", "redis"]);
    expect(requiredServices("all")).toEqual(["postgresql", "redis", "chromium"]);
    expect(() => requiredServices("postgres")).toThrow(/unknown service "postgres"/);
  });

  it("fails a run that requires a missing service, naming it", () => {
    expect(missingRequired(status, [])).toBeUndefined();
    expect(missingRequired(status, ["redis"])).toBeUndefined();
    expect(missingRequired(status, ["postgresql", "redis"])).toMatch(/PostgreSQL is unusable at postgresql:\/\/127\.0\.0\.1:1\/x \(no server\)/);
  });

  it("announces one line per missing service, with the skipped tests and the variable to set", () => {
    const lines = announce(
      status,
      [
        { services: ["postgresql"], file: "/a.test.ts", kind: "suite" },
        { services: ["postgresql"], file: "/a.test.ts", kind: "suite" },
        { services: ["postgresql", "chromium"], file: "/b.test.ts", kind: "suite" },
        { services: ["postgresql"], file: "/c.test.ts", kind: "variant" },
      ],
      (file) => ({ "/a.test.ts": 2, "/b.test.ts": 12 })[file] ?? 0,
    );
    expect(lines).toEqual([
      "skipped: 14 PostgreSQL tests in 2 files and the PostgreSQL variant of 1 file — no server at postgresql://127.0.0.1:1/x; set TEST_DATABASE_URL",
      "skipped: 12 browser tests in 1 file — no executable at /nonexistent; set CHROME_PATH",
    ]);
    expect(announce({ ...status, postgresql: { available: true, where: "x" } }, [{ services: ["postgresql"], file: "/a.test.ts", kind: "suite" }], () => 1)).toEqual([]);
  });

  it("finds the browser at CHROME_PATH, then the older CHROMIUM_PATH, then Debian's", () => {
    expect(chromePath({ CHROME_PATH: "/opt/chrome", CHROMIUM_PATH: "/old" })).toBe("/opt/chrome");
    expect(chromePath({ CHROMIUM_PATH: "/old" })).toBe("/old");
    expect(chromePath({})).toBe("/usr/bin/chromium");
  });

  it("makes the whole run fail when a required service is unreachable", async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { [ENV.require]: "redis,chromium", TEST_DATABASE_URL: "postgresql://127.0.0.1:1/x", REDIS_URL: "redis://127.0.0.1:1", CHROME_PATH: "/nonexistent" });
      await expect(globalSetup()).rejects.toThrow(/CAFE_TEST_REQUIRE=redis,chromium but Redis is unusable at redis:\/\/127\.0\.0\.1:1.*browser is unusable at \/nonexistent/);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});
