// Accounts and tokens through the real app, on both databases.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import jwt from "jsonwebtoken";
import { ADMIN_USERNAME, startTestApp, type TestApp } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";
import { expectError } from "./helpers/expect.ts";

describe.each(DB_KINDS)("accounts on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, {
      authLimits: {
        loginPerUsername: { max: 3, windowMs: 60_000 },
        loginPerAddress: { max: 8, windowMs: 60_000 },
        registerPerAddress: { max: 1000, windowMs: 60_000 },
      },
    });
  });
  afterAll(() => t.close());

  it("registers, returns the user and a working bearer token, never a hash", async () => {
    const res = await t.api("POST", "/api/v1/auth/register", {
      body: { username: "Alice.W", email: "alice@example.test", password: "password-1" },
    });
    expect(res.status).toBe(201);
    expect(res.body.token_type).toBe("bearer");
    expect(Object.keys(res.body.user).sort()).toEqual(["avatar", "avatar_color", "created_at", "display_name", "email", "id", "username"]);
    expect(res.body.user).toMatchObject({ username: "Alice.W", email: "alice@example.test", display_name: "Alice.W" });
    expect(res.body.user.avatar_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(res.text).not.toMatch(/scrypt|password/i);
    const me = await t.api("GET", "/api/v1/users/me", { token: res.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(res.body.user.id);
  });

  it("logs in with JSON and with an OAuth2 form, case-insensitively", async () => {
    const json = await t.api("POST", "/api/v1/auth/login", { body: { username: "alice.w", password: "password-1" } });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ token_type: "bearer", user: { username: "Alice.W" } });
    const form = await t.api("POST", "/api/v1/auth/login", { form: { username: "Alice.W", password: "password-1" } });
    expect(form.status).toBe(200);
    expect(typeof form.body.access_token).toBe("string");
  });

  it("refuses a wrong password and an unknown user with the same 401", async () => {
    const wrong = await t.api("POST", "/api/v1/auth/login", { body: { username: "alice.w", password: "nope-nope" } });
    const unknown = await t.api("POST", "/api/v1/auth/login", { body: { username: "nobody_here", password: "nope-nope" } });
    expectError(wrong, 401, "unauthorized");
    expectError(unknown, 401, "unauthorized");
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it("rejects taken usernames and emails, whatever their case", async () => {
    const again = await t.api("POST", "/api/v1/auth/register", {
      body: { username: "ALICE.w", email: "other@example.test", password: "password-1" },
    });
    expectError(again, 409, "conflict");
    const email = await t.api("POST", "/api/v1/auth/register", {
      body: { username: "someone_else", email: "ALICE@example.test", password: "password-1" },
    });
    expectError(email, 409, "conflict");
    expect(email.body.detail).toMatch(/email/i);
  });

  it("lets exactly one of two concurrent registrations of a username win", async () => {
    const body = (email: string) => ({ username: "racer", email, password: "password-1" });
    const [a, b] = await Promise.all([
      t.api("POST", "/api/v1/auth/register", { body: body("r1@example.test") }),
      t.api("POST", "/api/v1/auth/register", { body: body("r2@example.test") }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expectError(a.status === 409 ? a : b, 409, "conflict");
  });

  it("validates registration fields with FastAPI-style 422 details", async () => {
    const cases: [unknown, string][] = [
      [{}, "username"],
      [{ username: "ab", email: "x@example.test", password: "password-1" }, "username"],
      [{ username: "a".repeat(33), email: "x@example.test", password: "password-1" }, "username"],
      [{ username: "bad name!", email: "x@example.test", password: "password-1" }, "username"],
      [{ username: "okname", email: "not-an-email", password: "password-1" }, "email"],
      [{ username: "okname", email: "x@example.test", password: "short" }, "password"],
      [{ username: "okname", email: "x@example.test", password: "p".repeat(129) }, "password"],
      [{ username: 12345, email: "x@example.test", password: "password-1" }, "username"],
    ];
    for (const [body, field] of cases) {
      const res = await t.api("POST", "/api/v1/auth/register", { body });
      expectError(res, 422, "invalid_payload");
      expect(res.body.detail.map((d: { loc: string[] }) => d.loc.join("."))).toContain(`body.${field}`);
      for (const d of res.body.detail) expect(typeof d.msg === "string" && typeof d.type === "string").toBe(true);
    }
  });

  it("answers malformed JSON with 400, an oversized body with 413, a non-JSON body with 400", async () => {
    expectError(await t.api("POST", "/api/v1/auth/register", { raw: '{"username": "x",' }), 400, "invalid_payload");
    const big = await t.api("POST", "/api/v1/auth/register", {
      body: { username: "big_one", email: "b@example.test", password: "x".repeat(20_000) },
    });
    expectError(big, 413, "payload_too_large");
    const text = await t.api("POST", "/api/v1/auth/register", { raw: "hello", headers: { "content-type": "text/plain" } });
    expectError(text, 400, "invalid_payload");
  });

  it("throttles repeated failed logins per username with 429 and Retry-After", async () => {
    await t.api("POST", "/api/v1/auth/register", { body: { username: "victim", email: "v@example.test", password: "password-1" } });
    for (let i = 0; i < 3; i++) {
      expectError(await t.api("POST", "/api/v1/auth/login", { body: { username: "victim", password: "guess-" + i } }), 401, "unauthorized");
    }
    const blocked = await t.api("POST", "/api/v1/auth/login", { body: { username: "VICTIM", password: "password-1" } });
    expectError(blocked, 429, "rate_limited");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("throttles failed logins per address across usernames", async () => {
    let last;
    for (let i = 0; i < 12; i++) {
      last = await t.api("POST", "/api/v1/auth/login", { body: { username: `ghost${i}`, password: "whatever1" } });
      if (last.status === 429) break;
    }
    expectError(last!, 429, "rate_limited");
    expect(last!.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("edits the profile and validates the edit", async () => {
    const u = await t.register();
    const ok = await t.api("PATCH", "/api/v1/users/me", { token: u.token, body: { display_name: "  Barista  ", avatar_color: "#A1B2C3" } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ display_name: "Barista", avatar_color: "#a1b2c3" });
    expectError(await t.api("PATCH", "/api/v1/users/me", { token: u.token, body: { avatar_color: "red" } }), 422, "invalid_payload");
    expectError(await t.api("PATCH", "/api/v1/users/me", { token: u.token, body: { display_name: "" } }), 422, "invalid_payload");
    expectError(await t.api("PATCH", "/api/v1/users/me", { token: u.token, body: { display_name: 5 } }), 422, "invalid_payload");
    expect((await t.api("GET", "/api/v1/users/me", { token: u.token })).body.display_name).toBe("Barista");
  });

  it("shows another user's profile without their email, except to admins", async () => {
    const a = await t.register();
    const b = await t.register();
    const admin = await t.admin();
    const seen = await t.api("GET", `/api/v1/users/${a.id}`, { token: b.token });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ id: a.id, username: a.username, email: null });
    expect((await t.api("GET", `/api/v1/users/${a.id}`, { token: a.token })).body.email).toBe(`${a.username}@example.test`);
    expect((await t.api("GET", `/api/v1/users/${a.id}`, { token: admin.token })).body.email).toBe(`${a.username}@example.test`);
    expect(admin.username).toBe(ADMIN_USERNAME);
    expectError(await t.api("GET", "/api/v1/users/999999", { token: b.token }), 404, "not_found");
    expectError(await t.api("GET", "/api/v1/users/abc", { token: b.token }), 422, "invalid_payload");
    expectError(await t.api("GET", "/api/v1/users/0", { token: b.token }), 422, "invalid_payload");
    expectError(await t.api("GET", "/api/v1/users/2147483648", { token: b.token }), 422, "invalid_payload");
  });

  describe("token checks", () => {
    let user: { id: number; username: string; token: string };
    beforeAll(async () => {
      user = await t.register();
    });
    const me = (token?: string, scheme = "Bearer") =>
      t.api("GET", "/api/v1/users/me", token === undefined ? {} : { headers: { authorization: `${scheme} ${token}` } });

    it("refuses a missing token and a wrong scheme", async () => {
      expectError(await me(), 401, "unauthorized");
      expectError(await me(user.token, "Basic"), 401, "unauthorized");
      expect((await me()).headers.get("www-authenticate")).toBe("Bearer");
    });

    it("refuses a tampered token", async () => {
      const [h, p, s] = user.token.split(".");
      const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
      const forged = Buffer.from(JSON.stringify({ ...payload, sub: "1" })).toString("base64url");
      expectError(await me(`${h}.${forged}.${s}`), 401, "unauthorized");
      expectError(await me(user.token.slice(0, -3) + "abc"), 401, "unauthorized");
      expectError(await me("not.a.jwt"), 401, "unauthorized");
    });

    it("refuses an alg:none token", async () => {
      const none = jwt.sign({ username: user.username }, "", { algorithm: "none", subject: String(user.id), expiresIn: 600 });
      expectError(await me(none), 401, "unauthorized");
    });

    it("refuses an expired token, and says so", async () => {
      const expired = jwt.sign({ username: user.username, exp: Math.floor(Date.now() / 1000) - 10 }, t.secret, {
        algorithm: "HS256",
        subject: String(user.id),
      });
      const res = await me(expired);
      expectError(res, 401, "unauthorized");
      expect(res.body.detail).toMatch(/expired/i);
    });

    it("refuses a token signed with another secret, or with another algorithm", async () => {
      const other = jwt.sign({ username: user.username }, "another-secret-another-secret-00", {
        algorithm: "HS256",
        subject: String(user.id),
        expiresIn: 600,
      });
      expectError(await me(other), 401, "unauthorized");
      const hs512 = jwt.sign({ username: user.username }, t.secret, { algorithm: "HS512", subject: String(user.id), expiresIn: 600 });
      expectError(await me(hs512), 401, "unauthorized");
    });

    it("refuses a token without expiry or with a non-numeric subject", async () => {
      const forever = jwt.sign({ username: user.username }, t.secret, { algorithm: "HS256", subject: String(user.id) });
      expectError(await me(forever), 401, "unauthorized");
      const badSub = jwt.sign({ username: user.username }, t.secret, { algorithm: "HS256", subject: "alice", expiresIn: 600 });
      expectError(await me(badSub), 401, "unauthorized");
    });

    it("refuses a valid token for an account that does not exist", async () => {
      const ghost = jwt.sign({ username: "ghost" }, t.secret, { algorithm: "HS256", subject: "999999", expiresIn: 600 });
      expectError(await me(ghost), 401, "unauthorized");
    });

    it("accepts the genuine token", async () => {
      expect((await me(user.token)).status).toBe(200);
    });
  });

  describe("afterwards", () => {
    it("never answered any of the above with a 500", () => {
      expect(t.logs.filter((l) => l.includes("internal error"))).toEqual([]);
    });
  });
});
