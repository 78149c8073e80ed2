import { describe, expect, it } from "@jest/globals";
import { DB_KINDS } from "./helpers/db.ts";
import { startTestApp } from "./helpers/app.ts";

describe.each(DB_KINDS)("boot on %s", (kind) => {
  it("boots twice in one module registry and serves health and auth", async () => {
    for (let i = 0; i < 2; i++) {
      const t = await startTestApp(kind);
      try {
        expect((await t.api("GET", "/healthz")).body).toEqual({ status: "ok" });
        expect((await t.api("GET", "/readyz")).body).toEqual({ status: "ready" });
        const u = await t.register();
        const me = await t.api("GET", "/api/v1/users/me", { token: u.token });
        expect(me.status).toBe(200);
        expect(me.body.username).toBe(u.username);
      } finally {
        await t.close();
      }
    }
  });
});
