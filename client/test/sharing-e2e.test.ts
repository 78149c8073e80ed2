// Rooms people own and share, in Chromium against the real server: an owner invites a second
// user by link, makes them a builder, the builder places a chair, a third user is refused and
// then banned. Screenshots of each panel go to test-results/sharing-*.png.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ADMIN_USERNAME, startTestApp, type TestApp } from "../../server/test/helpers/app.ts";
import { artifactPath, launchBrowser } from "../../server/test/helpers/browser.ts";
import { join } from "../../server/test/helpers/sdk.ts";
import { ensureClientBuilt } from "./helpers/build.ts";

const WAIT = { timeout: 15_000 };
const PASSWORD = "correct horse battery";

describe("rooms people share, in Chromium", () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let owner: Page;
  let guest: Page;
  let third: Page;
  let roomId = 0;
  let shot = 0;
  const stamp = Date.now() % 100000;
  const names = { owner: `owner_${stamp}`, guest: `guest_${stamp}`, third: `third_${stamp}` };
  const screenshot = (page: Page, name: string) => page.screenshot({ path: artifactPath(`sharing-${String(++shot).padStart(2, "0")}-${name}.png`) });
  const tokenOf = async (username: string) =>
    (await t.api("POST", "/api/v1/auth/login", { body: { username, password: PASSWORD } })).body.access_token as string;

  async function register(page: Page, username: string, from = "/"): Promise<void> {
    await page.goto(`${t.url}${from}`);
    await page.getByTestId("auth-form").waitFor(WAIT).catch(async (err) => {
      await page.screenshot({ path: artifactPath("sharing-debug.png") });
      throw new Error(`${page.url()} ${(await page.content()).slice(0, 2000)}`, { cause: err });
    });
    await page.getByTestId("auth-switch").click();
    await page.getByTestId("auth-email").waitFor(WAIT);
    await page.getByTestId("auth-username").fill(username);
    await page.getByTestId("auth-email").fill(`${username}@example.test`);
    await page.getByTestId("auth-password").fill(PASSWORD);
    await page.getByTestId("auth-submit").click();
  }
  const connected = (page: Page) => page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor(WAIT);
  const person = (page: Page, name: string) => page.getByTestId("person").filter({ hasText: name });
  async function newInvite(role: "member" | "builder"): Promise<string> {
    const before = await owner.getByTestId("invite").count();
    await owner.getByTestId("invite-role").selectOption(role);
    await owner.getByTestId("invite-create").click();
    await owner.getByTestId("invite").nth(before).waitFor(WAIT);
    // Newest first.
    return (await owner.getByTestId("invite").first().getAttribute("data-url"))!;
  }

  beforeAll(async () => {
    ensureClientBuilt();
    [t, browser] = await Promise.all([startTestApp("postgresql"), launchBrowser()]);
    for (let i = 0; i < 3; i++) contexts.push(await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" }));
    [owner, guest, third] = (await Promise.all(contexts.map((c) => c.newPage()))) as [Page, Page, Page];
    for (const page of [owner, guest, third]) page.on("pageerror", (err) => console.error(`page error: ${err.message}`));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([owner, guest, third].map((page) => page?.getByTestId("back-to-rooms").click().catch(() => undefined)));
    await browser?.close();
    await t?.close();
  });

  it("lets the owner invite a second user by link; the link walks them in after signing up", async () => {
    await register(owner, names.owner);
    await owner.waitForURL("**/rooms", WAIT);
    const token = await tokenOf(names.owner);
    roomId = (await t.api("POST", "/api/v1/rooms", { token, body: { name: "Shared studio", is_private: true } })).body.id;
    await owner.goto(`${t.url}/game/${roomId}`);
    await connected(owner);
    await owner.getByTestId("room-settings-panel").waitFor(WAIT);
    const url = await newInvite("member");
    expect(url).toMatch(new RegExp(`^${t.url}/invite/[A-Za-z0-9_-]{32}$`));
    await owner.getByTestId("room-settings-panel").screenshot({ path: artifactPath(`sharing-${String(++shot).padStart(2, "0")}-settings-panel.png`) });

    // Opened logged out: sign up first, then the invitation is accepted and the room opens.
    await register(guest, names.guest, new URL(url).pathname);
    await guest.waitForURL(`**/game/${roomId}`, WAIT);
    await connected(guest);
    await person(owner, names.guest).waitFor(WAIT);
    await expect(owner.getByTestId("people-count").textContent()).resolves.toBe("2 here");
    // A member may not build: Place is disabled and the reason is shown.
    await guest.getByTestId("add-sample").click();
    const place = guest.locator('[data-testid="inventory-item"][data-item-type="chair"] [data-testid="inventory-place"]').first();
    await place.waitFor(WAIT);
    expect(await place.isDisabled()).toBe(true);
    await expect(guest.getByTestId("cannot-build").textContent()).resolves.toBe("You may not build in this room.");
    await screenshot(guest, "member-cannot-build");
  }, 60_000);

  it("makes them a builder; the builder places a chair", async () => {
    const row = owner.getByTestId("member").filter({ hasText: names.guest });
    await row.waitFor(WAIT);
    await row.getByTestId("member-role").selectOption("builder");
    await person(owner, names.guest).getByTestId("person-role").filter({ hasText: "Builder" }).waitFor(WAIT);
    await screenshot(owner, "members-builder");

    // Rights are read on entering the room.
    await guest.reload();
    await connected(guest);
    await guest.getByTestId("cannot-build").waitFor({ state: "detached", ...WAIT });
    await guest.locator('[data-testid="inventory-item"][data-item-type="chair"] [data-testid="inventory-place"]').first().click();
    const at = await guest.evaluate(([x, y]) => (window as any).__cafe.toClient(x, y), [208, 112]);
    await guest.mouse.move(at.x, at.y);
    await guest.mouse.click(at.x, at.y);
    await owner.waitForFunction(() => (window as any).__cafe.scene().objects.some((o: any) => o.type === "chair"), undefined, WAIT);
    const objects = await t.api("GET", `/api/v1/objects?room_id=${roomId}`, { token: await tokenOf(names.owner) });
    expect(objects.body).toEqual([expect.objectContaining({ type: "chair", x: 208, y: 112 })]);
    await screenshot(guest, "builder-placed-chair");
  }, 60_000);

  it("refuses a third user who may not build, then the owner bans them from the people panel", async () => {
    const url = await newInvite("member");
    await register(third, names.third, new URL(url).pathname);
    await third.waitForURL(`**/game/${roomId}`, WAIT);
    await connected(third);
    await third.getByTestId("add-sample").click();
    const place = third.locator('[data-testid="inventory-item"][data-item-type="chair"] [data-testid="inventory-place"]').first();
    await place.waitFor(WAIT);
    expect(await place.isDisabled()).toBe(true);
    // And the server refuses them too: the builder's chair is not theirs to take.
    const chair = (await t.api("GET", `/api/v1/objects?room_id=${roomId}`, { token: await tokenOf(names.third) })).body[0];
    const refused = await t.api("DELETE", `/api/v1/objects/${chair.id}`, { token: await tokenOf(names.third) });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: "forbidden" });
    await screenshot(third, "third-refused");

    // The people panel: search, find, and the owner's moderation buttons.
    await owner.getByTestId("people-search").fill("third");
    await expect(owner.getByTestId("person").count()).resolves.toBe(1);
    await person(owner, names.third).getByTestId("person-find").click();
    const thirdId = Number(await person(owner, names.third).getAttribute("data-user-id"));
    await owner.waitForFunction((id) => (window as any).__cafe.scene().found === id, thirdId, WAIT);
    await owner.getByTestId("people-panel").screenshot({ path: artifactPath(`sharing-${String(++shot).padStart(2, "0")}-people-panel.png`) });
    await person(owner, names.third).getByTestId("person-ban").click();
    await third.getByTestId("connection-overlay").filter({ hasText: "You are banned from this room." }).waitFor(WAIT);
    await screenshot(third, "third-banned");
    await owner.getByTestId("people-search").fill("");
    await expect(owner.getByTestId("people-count").textContent()).resolves.toBe("2 here");
    await owner.getByTestId("settings-bans").getByTestId("ban").filter({ hasText: names.third }).waitFor(WAIT);
    const bans = await t.api("GET", `/api/v1/rooms/${roomId}/bans`, { token: await tokenOf(names.owner) });
    expect(bans.body.map((b: any) => b.username)).toEqual([names.third]);

    // A server admin who walks in (admins see every room) wears a badge, and the owner is offered
    // no kick, mute or ban for them (the server would refuse: no room role acts on an admin).
    const admin = await join(t, await t.admin(), { room_id: roomId, x: 400, y: 300 });
    const badge = person(owner, ADMIN_USERNAME).getByTestId("person-role");
    await badge.filter({ hasText: "Admin" }).waitFor(WAIT);
    await expect(person(owner, ADMIN_USERNAME).getByTestId("person-moderation").count()).resolves.toBe(0);
    await expect(person(owner, names.guest).getByTestId("person-moderation").count()).resolves.toBe(1);
    await owner.getByTestId("people-panel").screenshot({ path: artifactPath(`sharing-${String(++shot).padStart(2, "0")}-admin-badge.png`) });
    await admin.room.leave();
    await person(owner, ADMIN_USERNAME).waitFor({ state: "detached", ...WAIT });
  }, 60_000);

  it("changes the profile with a preview, and the room shows the new name at once", async () => {
    // A second tab of the owner's, while their first tab stays in the room.
    const tab = await contexts[0]!.newPage();
    await tab.goto(`${t.url}/rooms`);
    await tab.getByTestId("current-user").click();
    await tab.getByTestId("profile-form").waitFor(WAIT);
    await tab.getByTestId("profile-name").fill("Studio Owner");
    await tab.getByTestId("profile-color").fill("#aa3366");
    await expect(tab.getByTestId("profile-preview").textContent()).resolves.toBe("Studio Owner");
    await screenshot(tab, "profile");
    await tab.getByTestId("profile-save").click();
    await person(guest, "Studio Owner").waitFor(WAIT);
    const dot = await person(guest, "Studio Owner").locator(".person-dot").evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(dot).toBe("rgb(170, 51, 102)");
    await tab.close();
    await screenshot(guest, "people-live-profile");
  }, 60_000);
});
