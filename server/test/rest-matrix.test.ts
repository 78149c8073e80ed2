// Every declared REST route, taken from the same list the router mounts, against the bad inputs a
// client can send: no or bad tokens, malformed ids, unknown ids, missing and wrongly typed
// fields, oversized and non-JSON bodies. A route added later is covered without editing this file
// (except the one table of valid bodies for unknown-id requests, which the test insists on).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import jwt from "jsonwebtoken";
import { z } from "zod";
import { MAX_BODY_BYTES, MAX_ID } from "../../shared/src/constants.ts";
import { DEFAULT_AUTH_LIMITS } from "../src/limits/rate-limiter.ts";
import type { AnyRoute } from "../src/http/route.ts";
import { allRoutes } from "../src/http/routes/index.ts";
import { startTestApp, type RequestOptions, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";
import { expectError } from "./helpers/expect.ts";

const API = "/api/v1";
const UNKNOWN_ID = MAX_ID; // a valid id that no row will reach in a test database

/** A body that passes validation, so an unknown id is what the route answers about. */
const VALID_BODY_FOR_UNKNOWN_ID: Record<string, unknown> = {
  "patch /rooms/{id}": { name: "Renamed" },
  "patch /objects/{id}": { x: 100, y: 100 },
  "post /admin/rooms/{id}/kick": { user_id: 1 },
  "post /admin/users/{id}/mute": { minutes: 5 },
  "post /admin/users/{id}/unmute": {},
  "post /admin/users/{id}/ban": {},
  "post /admin/users/{id}/unban": {},
  "post /admin/objects/{id}/remove": {},
  "put /rooms/{id}/members/{user_id}": { role: "member" },
  "post /rooms/{id}/invites": {},
  "post /rooms/{id}/kick": { user_id: 1 },
  "post /rooms/{id}/mute": { user_id: 1, minutes: 5 },
  "post /rooms/{id}/ban": { user_id: 1 },
};

/** The REST table of CONTRACT.md. */
const CONTRACT_ROUTES = [
  "post /auth/register", "post /auth/login",
  "get /users/me", "patch /users/me", "get /users/{id}",
  "get /rooms", "post /rooms", "get /rooms/{id}", "patch /rooms/{id}", "delete /rooms/{id}", "get /room-users",
  "get /inventory", "post /inventory", "delete /inventory/{id}",
  "get /objects", "get /objects/{id}", "patch /objects/{id}", "delete /objects/{id}",
  "get /chat", "post /chat", "get /tools/logs",
];

const label = (r: AnyRoute) => `${r.method} ${r.path}`;
const at = (r: AnyRoute, id: string | number) => API + r.path.replace(/\{\w+\}/g, String(id));

/** The fields of an object schema, and whether each must be present. */
function fields(schema: z.ZodType | undefined): { name: string; required: boolean }[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name,
    required: !field.safeParse(undefined).success,
  }));
}

describe.each(DB_KINDS)("every REST route on %s", (kind) => {
  let t: TestApp;
  let user: TestUser;
  let admin: TestUser;
  let routes: AnyRoute[];
  const call = (r: AnyRoute, path: string, options: RequestOptions) => t.api(r.method.toUpperCase(), path, options);

  beforeAll(async () => {
    t = await startTestApp(kind, {
      authLimits: { ...DEFAULT_AUTH_LIMITS, registerPerAddress: { max: 1000, windowMs: 60_000 } },
    });
    user = await t.register();
    admin = await t.admin();
    // The list the app mounts; the services are only referenced, never called, by building it.
    routes = allRoutes(t.app.services, DEFAULT_AUTH_LIMITS);
  });
  afterAll(() => t.close());

  it("declares every route of the contract", () => {
    expect(routes.map(label)).toEqual(expect.arrayContaining(CONTRACT_ROUTES));
  });

  it("refuses every protected route without a valid token", async () => {
    const sign = (secret: string, options: jwt.SignOptions) =>
      jwt.sign({ username: user.username }, secret, { subject: String(user.id), ...options });
    const [h, p, s] = user.token.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
    const bad: Record<string, Record<string, string>> = {
      missing: {},
      "wrong scheme": { authorization: `Basic ${user.token}` },
      tampered: { authorization: `Bearer ${h}.${Buffer.from(JSON.stringify({ ...claims, sub: String(admin.id) })).toString("base64url")}.${s}` },
      "alg none": { authorization: `Bearer ${sign("", { algorithm: "none", expiresIn: 600 })}` },
      expired: { authorization: `Bearer ${sign(t.secret, { algorithm: "HS256", expiresIn: -10 })}` },
      "other secret": { authorization: `Bearer ${sign("another-secret-another-secret-00", { algorithm: "HS256", expiresIn: 600 })}` },
    };
    const protectedRoutes = routes.filter((r) => r.auth !== false);
    expect(protectedRoutes.length).toBeGreaterThan(15);
    for (const route of protectedRoutes) {
      for (const [name, headers] of Object.entries(bad)) {
        const res = await call(route, at(route, 1), { headers, ...(route.body ? { body: {} } : {}) });
        expect({ route: label(route), token: name, status: res.status }).toEqual({ route: label(route), token: name, status: 401 });
        expectError(res, 401, "unauthorized");
      }
    }
  });

  it("answers malformed ids in paths and queries with 422 naming the parameter", async () => {
    // Routes keyed by an id (an invite's {code} is a string, not an id).
    const withParams = routes.filter((r) => fields(r.params).some((f) => f.name === "id"));
    expect(withParams.length).toBeGreaterThan(5);
    for (const route of withParams) {
      for (const id of ["abc", "0", "-1", "1.5", String(MAX_ID + 1)]) {
        const res = await call(route, at(route, id), { token: user.token, ...(route.body ? { body: {} } : {}) });
        expect({ route: label(route), id, status: res.status }).toEqual({ route: label(route), id, status: 422 });
        expectError(res, 422, "invalid_payload");
        expect(res.body.detail.map((d: { loc: unknown[] }) => d.loc)).toContainEqual(["path", "id"]);
      }
    }
    for (const route of routes.filter((r) => fields(r.query).some((f) => f.name === "room_id"))) {
      const res = await call(route, `${at(route, 1)}?room_id=abc`, { token: user.token });
      expectError(res, 422, "invalid_payload");
      expect(res.body.detail[0].loc).toEqual(["query", "room_id"]);
    }
  });

  it("answers unknown ids with 404, even to an admin", async () => {
    for (const route of routes.filter((r) => r.params)) {
      const body = route.body ? VALID_BODY_FOR_UNKNOWN_ID[label(route)] : undefined;
      if (route.body) expect({ route: label(route), hasValidBody: body !== undefined }).toEqual({ route: label(route), hasValidBody: true });
      const res = await call(route, at(route, UNKNOWN_ID), { token: admin.token, ...(body ? { body } : {}) });
      expect({ route: label(route), status: res.status }).toEqual({ route: label(route), status: 404 });
      expectError(res, 404, "not_found");
    }
    for (const route of routes.filter((r) => fields(r.query).some((f) => f.name === "room_id" && f.required))) {
      expectError(await call(route, `${at(route, 1)}?room_id=${UNKNOWN_ID}`, { token: admin.token }), 404, "not_found");
    }
  });

  describe("bodies", () => {
    const withBody = () => routes.filter((r) => r.body);
    const token = (r: AnyRoute) => (r.auth === false ? {} : { token: user.token });

    it("names every missing required field", async () => {
      for (const route of withBody()) {
        const required = fields(route.body).filter((f) => f.required).map((f) => f.name);
        if (!required.length) continue;
        const res = await call(route, at(route, 1), { ...token(route), body: {} });
        expectError(res, 422, "invalid_payload");
        const locs = res.body.detail.map((d: { loc: string[] }) => d.loc.join("."));
        expect({ route: label(route), locs: locs.sort() }).toEqual({ route: label(route), locs: required.map((f) => `body.${f}`).sort() });
      }
    });

    it("names every wrongly typed field, and refuses a body that is not an object", async () => {
      for (const route of withBody()) {
        const names = fields(route.body).map((f) => f.name);
        expect(names.length).toBeGreaterThan(0);
        const wrong = Object.fromEntries(names.map((n) => [n, { nested: [true] }]));
        const res = await call(route, at(route, 1), { ...token(route), body: wrong });
        expectError(res, 422, "invalid_payload");
        const locs = res.body.detail.map((d: { loc: string[] }) => d.loc.join("."));
        // A field is named by its own loc, or by a loc inside it (an object field reports its first wrong member).
        const named = (n: string) => locs.some((l: string) => l === `body.${n}` || l.startsWith(`body.${n}.`));
        for (const n of names) expect({ route: label(route), field: n, named: named(n) }).toEqual({ route: label(route), field: n, named: true });
        expectError(await call(route, at(route, 1), { ...token(route), raw: "[1,2]" }), 422, "invalid_payload");
      }
    });

    it("answers oversized bodies with 413, malformed JSON and other content types with 400", async () => {
      for (const route of withBody()) {
        // Over the route's own limit (most take MAX_BODY_BYTES; a room import takes more).
        const huge = JSON.stringify({ padding: "x".repeat((route.maxBodyBytes ?? MAX_BODY_BYTES) + 1) });
        expectError(await call(route, at(route, 1), { ...token(route), raw: huge }), 413, "payload_too_large");
        expectError(await call(route, at(route, 1), { ...token(route), raw: '{"a":' }), 400, "invalid_payload");
        const text = await call(route, at(route, 1), { ...token(route), raw: "hello", headers: { "content-type": "text/plain" } });
        expectError(text, 400, "invalid_payload");
      }
    });
  });

  describe("afterwards", () => {
    it("never answered any of the above with a 500", () => {
      expect(t.logs.filter((l) => /internal/i.test(l))).toEqual([]);
    });
  });
});
