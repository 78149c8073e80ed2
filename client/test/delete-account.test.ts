// "Delete my account" in Chromium: the warning, a wrong password explained, then the account is gone
// (logged out, the old login refused). Screenshots go to test-results/leave-*.png.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { startTestApp, type TestApp, type TestUser } from "../../server/test/helpers/app.ts";
import { ARTIFACTS, artifactPath, launchBrowser } from "../../server/test/helpers/browser.ts";
import { ensureClientBuilt } from "./helpers/build.ts";

const WAIT = { timeout: 10_000 };
const PASSWORD = "correct horse battery";

describe("account deletion in Chromium", () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let user: TestUser;

  beforeAll(async () => {
    ensureClientBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    [t, browser] = await Promise.all([startTestApp("pglite"), launchBrowser()]);
    user = await t.register("leaver");
    page = await (await browser.newContext({ viewport: { width: 1100, height: 760 }, locale: "en-US" })).newPage();
    page.on("pageerror", (err) => console.error(`page error: ${err.message}`));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it("warns, asks for the password, refuses a wrong one, then deletes the account and logs out", async () => {
    await page.goto(`${t.url}/login`);
    await page.getByTestId("auth-username").fill(user.username);
    await page.getByTestId("auth-password").fill(PASSWORD);
    await page.getByTestId("auth-submit").click();
    await page.waitForURL("**/rooms", WAIT);
    await page.getByTestId("account-link").click();
    await page.waitForURL("**/account", WAIT);
    await page.getByTestId("delete-account-open").click();
    const warning = await page.getByTestId("delete-account-warning").textContent(WAIT);
    expect(warning).toContain("cannot be undone");
    expect(warning).toContain("30 days");

    await page.getByTestId("delete-account-password").fill("not my password");
    await page.getByTestId("delete-account-submit").click();
    await expect(page.getByTestId("delete-account-error").textContent(WAIT)).resolves.toContain("not correct");
    await page.screenshot({ path: artifactPath("leave-1-warning-and-wrong-password.png") });
    expect((await t.api("GET", "/api/v1/users/me", { token: user.token })).status).toBe(200);

    await page.getByTestId("delete-account-password").fill(PASSWORD);
    await page.getByTestId("delete-account-submit").click();
    await page.waitForURL("**/login", WAIT);
    await page.getByTestId("auth-form").waitFor(WAIT);
    await page.screenshot({ path: artifactPath("leave-2-deleted-logged-out.png") });
    expect((await t.api("GET", "/api/v1/users/me", { token: user.token })).status).toBe(401);
    const login = await t.api("POST", "/api/v1/auth/login", { body: { username: user.username, password: PASSWORD } });
    expect(login.status).toBe(401);
  });
});
