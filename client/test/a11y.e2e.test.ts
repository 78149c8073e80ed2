// Keyboard and screen readers, in Chromium: a keyboard-only run (sign in, enter a room, place and
// turn a chair, chat) with no pointer event at all, and an axe-core audit of the login, rooms,
// game and profile pages with no serious or critical violation.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestApp, type TestApp, type TestUser } from "../../server/test/helpers/app.ts";
import { artifactPath, launchBrowser } from "../../server/test/helpers/browser.ts";
import { audit } from "./helpers/axe.ts";
import { ensureClientBuilt } from "./helpers/build.ts";

const WAIT = { timeout: 15_000 };
const PASSWORD = "correct horse battery";

/** Presses Tab until the element with `testid` has the focus (at most `limit` presses). */
async function tabTo(page: Page, testid: string, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if ((await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))) === testid) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${testid}`);
}

describe("keyboard and screen readers, in Chromium", () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let user: TestUser & { name: string };
  let roomId = 0;

  beforeAll(async () => {
    ensureClientBuilt();
    [t, browser] = await Promise.all([startTestApp("pglite"), launchBrowser()]);
    const name = `kb_${Date.now() % 100000}`;
    const reg = await t.api("POST", "/api/v1/auth/register", { body: { username: name, email: `${name}@example.test`, password: PASSWORD } });
    user = { id: reg.body.user.id, username: name, token: reg.body.access_token, name };
    roomId = (await t.api("POST", "/api/v1/rooms", { token: user.token, body: { name: "Keyboard café" } })).body.id;
    await t.api("POST", "/api/v1/inventory", { token: user.token, body: { type: "chair" } });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
    // Counts every pointer-ish event the page sees: a keyboard-only run must cause none.
    await context.addInitScript(() => {
      (window as any).__pointerEvents = 0;
      for (const type of ["pointerdown", "pointerup", "mousedown", "mouseup", "touchstart"]) {
        window.addEventListener(type, () => (window as any).__pointerEvents++, true);
      }
    });
    page = await context.newPage();
    page.on("pageerror", (err) => console.error(`page error: ${err.message}`));
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  it("signs in, enters a room, places and turns a chair and chats with the keyboard alone", async () => {
    await page.goto(`${t.url}/login`);
    await page.getByTestId("auth-form").waitFor(WAIT);
    expect(await audit(page)).toEqual([]);
    await tabTo(page, "auth-username");
    await page.keyboard.type(user.name);
    await tabTo(page, "auth-password");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL("**/rooms", WAIT);
    await page.getByTestId("room-enter").first().waitFor(WAIT);
    expect(await audit(page)).toEqual([]);
    await tabTo(page, "room-enter", 60);
    await page.keyboard.press("Enter");
    await page.waitForURL(`**/game/${roomId}`, WAIT);
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor(WAIT);
    await page.getByTestId("inventory-place").waitFor(WAIT);

    // Place: the grid cursor starts a tile above you; two tiles right, R turns it, Enter places.
    await tabTo(page, "inventory-place", 60);
    await page.keyboard.press("Enter");
    await page.getByTestId("placing-hint").waitFor(WAIT);
    for (const key of ["ArrowUp", "ArrowRight", "ArrowRight", "KeyR"]) await page.keyboard.press(key);
    await expect(page.getByTestId("announcer").textContent()).resolves.toMatch(/Chair at column \d+, row \d+: free/);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => (window as any).__cafe.scene().objects.some((o: any) => o.type === "chair" && o.rotation === 90), undefined, WAIT);
    const me = await page.evaluate(() => (window as any).__cafe.scene().players.find((p: any) => p.self));
    const chair = await page.evaluate(() => (window as any).__cafe.scene().objects.find((o: any) => o.type === "chair"));
    expect(chair.x - me.x).toBeGreaterThan(32);
    expect(chair.y).toBeLessThan(me.y);
    // The nearby list names it, with where it is.
    await expect(page.getByTestId("nearby-object").first().textContent(WAIT)).resolves.toMatch(/Chair \(Chair\), north-east, \d+ tiles?/);

    await tabTo(page, "chat-input", 60);
    await page.keyboard.type("typed without a mouse");
    await page.keyboard.press("Enter");
    await page.getByTestId("chat-log").getByText("typed without a mouse").waitFor(WAIT);
    expect(await page.evaluate(() => (window as any).__pointerEvents)).toBe(0);
    await page.screenshot({ path: artifactPath("a11y-keyboard-only.png") });
    expect(await audit(page)).toEqual([]);
  });

  it("passes the axe audit on the profile page", async () => {
    await page.goto(`${t.url}/profile`);
    await page.getByTestId("avatar-editor").waitFor(WAIT);
    expect(await audit(page)).toEqual([]);
    // The audit can fail: an image without a text alternative is reported as critical.
    await page.evaluate(() => document.body.appendChild(Object.assign(document.createElement("img"), { src: "/nothing.png" })));
    expect((await audit(page)).map((v) => v.id)).toContain("image-alt");
  });
});
