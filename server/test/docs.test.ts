// The API docs: the OpenAPI document covers the contract, and both UIs render in Chromium.
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import type { Browser } from "playwright-core";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { artifactPath, launchBrowser } from "./helpers/browser.ts";
import { describeIf } from "./helpers/gate.ts";

/** Issue 12: rooms people own and share. */
const ROOM_SHARING_ROUTES = [
  "get /api/v1/rooms/{id}/members",
  "put /api/v1/rooms/{id}/members/{user_id}",
  "delete /api/v1/rooms/{id}/members/{user_id}",
  "post /api/v1/rooms/{id}/invites",
  "get /api/v1/rooms/{id}/invites",
  "delete /api/v1/rooms/{id}/invites/{code}",
  "post /api/v1/invites/{code}/accept",
  "post /api/v1/rooms/{id}/kick",
  "post /api/v1/rooms/{id}/mute",
  "post /api/v1/rooms/{id}/ban",
  "delete /api/v1/rooms/{id}/mutes/{user_id}",
  "delete /api/v1/rooms/{id}/bans/{user_id}",
  "get /api/v1/rooms/{id}/bans",
  "get /api/v1/rooms/{id}/moderation-log",
];

const CONTRACT_ROUTES = [
  "post /api/v1/auth/register",
  "post /api/v1/auth/login",
  "get /api/v1/users/me",
  "patch /api/v1/users/me",
  "get /api/v1/users/{id}",
  "get /api/v1/rooms",
  "post /api/v1/rooms",
  "get /api/v1/rooms/{id}",
  "patch /api/v1/rooms/{id}",
  "delete /api/v1/rooms/{id}",
  "get /api/v1/room-users",
  "get /api/v1/inventory",
  "post /api/v1/inventory",
  "delete /api/v1/inventory/{id}",
  "get /api/v1/objects",
  "get /api/v1/objects/{id}",
  "patch /api/v1/objects/{id}",
  "delete /api/v1/objects/{id}",
  "get /api/v1/chat",
  "post /api/v1/chat",
  "get /api/v1/tools/logs",
];
/** Issue 17: leaving, and rooms that move. */
const OPERATING_ROUTES = ["delete /api/v1/users/me", "delete /api/v1/users/{id}", "get /api/v1/rooms/{id}/export", "post /api/v1/rooms/import"];

describeIf("chromium")("API docs", () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp("pglite");
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await t.close();
  });

  it("documents every contract route in OpenAPI 3.1, from the validating schemas", async () => {
    const doc = (await t.api("GET", "/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m} ${p}`),
    );
    // The admin moderation API and the media route extend the contract; moderation.test.ts and ice.test.ts check their entries.
    expect(routes.filter((r) => !r.includes(" /api/v1/admin/") && !r.includes(" /api/v1/rtc/")).sort()).toEqual([...CONTRACT_ROUTES, ...ROOM_SHARING_ROUTES, ...OPERATING_ROUTES].sort());
    const register = doc.paths["/api/v1/auth/register"].post;
    const schema = register.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(["username", "email", "password"]);
    expect(schema.properties.username).toMatchObject({ minLength: 3, maxLength: 32 });
    expect(register.responses["201"]).toBeDefined();
    expect(doc.paths["/api/v1/auth/login"].post.requestBody.content["application/x-www-form-urlencoded"]).toBeDefined();
    expect(doc.paths["/api/v1/rooms"].get.responses["200"].headers["X-Total-Count"]).toBeDefined();
    expect(doc.paths["/api/v1/rooms"].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(["limit", "offset", "q"]);
  });

  it("renders Swagger UI at /docs", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${t.url}/docs`);
    await page.getByText("/api/v1/auth/register").first().waitFor({ timeout: 20_000 });
    expect(await page.getByText("Cafe Virtual Space API").first().isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath("docs-swagger.png") });
    await page.close();
  });

  it("renders ReDoc at /redoc", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${t.url}/redoc`);
    await page.getByText("/api/v1/auth/register").first().waitFor({ timeout: 20_000 });
    expect(await page.locator("h2", { hasText: "Create an account" }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: artifactPath("docs-redoc.png") });
    await page.close();
  });
});
