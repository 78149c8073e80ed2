// Issue 13 in Chromium against the real server: avatars changed live, a sofa placed, turned and
// sat on, a rug under a table, tap-to-walk around a wall, emotes, rings at the feet, the talking
// radius followed live, and the phone layout (the panels in a bottom sheet).
// Screenshots go to test-results/world-*.png.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { startTestApp, type TestApp, type TestUser } from "../../server/test/helpers/app.ts";
import { ARTIFACTS, artifactPath, launchBrowser } from "../../server/test/helpers/browser.ts";
import { audit } from "./helpers/axe.ts";
import { ensureClientBuilt } from "./helpers/build.ts";

const WAIT = { timeout: 15_000 };

async function scene(page: Page): Promise<any> {
  return page.evaluate(() => (window as any).__cafe.scene());
}

/** Walking takes real time, which a busy shared machine stretches: walks get a longer wait. */
const WALK_WAIT = { timeout: 90_000 };

async function until(page: Page, what: string, check: string, arg?: unknown, wait = WAIT): Promise<void> {
  try {
    await page.waitForFunction(
      ([body, a]) => {
        const s = (window as any).__cafe?.scene();
        return s ? new Function("s", "arg", `return (${body})`)(s, a) : false;
      },
      [check, arg] as const,
      wait,
    );
  } catch (err) {
    const state = await scene(page).catch(() => null);
    throw new Error(`timed out waiting for ${what}; scene: ${JSON.stringify(state)?.slice(0, 3000)}`, { cause: err });
  }
}

const toClient = (page: Page, x: number, y: number): Promise<{ x: number; y: number }> =>
  page.evaluate(([px, py]) => (window as any).__cafe.toClient(px, py), [x, y]);

describe("a world worth walking in, in Chromium", () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let alice: TestUser;
  let bob: TestUser;
  let roomId = 0;
  let a: Page;
  let b: Page;
  /** After two animation frames, so what the scene describes has been drawn too. */
  const shot = async (page: Page, name: string) => {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: artifactPath(`world-${name}.png`) });
  };
  const grant = async (u: TestUser, type: string) => (await t.api("POST", "/api/v1/inventory", { token: u.token, body: { type } })).body as { id: number };
  const placeByRest = async (u: TestUser, type: string, x: number, y: number, rotation = 0) => {
    const item = await grant(u, type);
    await t.app.services.items.place({ id: u.id, username: u.username, isAdmin: false }, item.id, roomId, { x, y, rotation: rotation as 0 });
    return item.id;
  };

  /** A browser tab signed in as `u` (the session the login page would keep), at `path`. */
  async function open(u: TestUser, path: string, options: { phone?: boolean } = {}): Promise<Page> {
    const viewport = options.phone ? { width: 390, height: 844 } : { width: 1280, height: 800 };
    const context = await browser.newContext({ viewport, locale: "en-US", ...(options.phone ? { hasTouch: true, isMobile: true } : {}) });
    contexts.push(context);
    const user = (await t.api("GET", "/api/v1/users/me", { token: u.token })).body;
    await context.addInitScript((s) => localStorage.setItem("cafe.session", s), JSON.stringify({ token: u.token, user }));
    const page = await context.newPage();
    page.on("pageerror", (err) => console.error(`page error: ${err.stack}`));
    await page.goto(`${t.url}${path}`);
    return page;
  }

  async function enter(u: TestUser, options: { phone?: boolean } = {}): Promise<Page> {
    const page = await open(u, `/game/${roomId}`, options);
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor(WAIT);
    return page;
  }

  beforeAll(async () => {
    ensureClientBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    [t, browser] = await Promise.all([startTestApp("pglite"), launchBrowser()]);
    [alice, bob] = [await t.register("alice"), await t.register("bob")];
    roomId = (await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "Corner café", theme: { floor: "wood", wall_color: "#5d4037" } } })).body.id;
    // A counter, a bookshelf, plants and a lamp make it a café before anyone arrives.
    await placeByRest(alice, "counter", 96, 48);
    await placeByRest(alice, "coffee_machine", 176, 48);
    await placeByRest(alice, "bookshelf", 704, 48);
    await placeByRest(alice, "plant", 784, 48);
    await placeByRest(alice, "lamp", 16, 48);
    await placeByRest(alice, "armchair", 656, 496, 270);
    await placeByRest(alice, "partition", 560, 560);
    a = await enter(alice);
    b = await enter(bob);
    for (const page of [a, b]) await until(page, "two people", "s.players.length === 2");
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  it("draws the room's theme and every avatar from its parts", async () => {
    const s = await scene(a);
    expect(s.theme).toEqual({ floor: "wood", wall_color: "#5d4037" });
    expect(s.players.every((p: any) => p.avatar && p.avatar.body)).toBe(true);
    expect(s.avatarTextures).toBeGreaterThan(0);
    await shot(a, "01-room-1280");
  });

  it("shows a changed avatar to the other person live", async () => {
    const profile = await open(bob, "/profile");
    await profile.getByTestId("avatar-editor").waitFor(WAIT);
    await profile.getByTestId("avatar-hair").selectOption("mohawk");
    await profile.getByTestId("avatar-accessory").selectOption("headphones");
    await profile.getByTestId("avatar-outfit_color").fill("#e91e63");
    await profile.getByTestId("avatar-preview").locator("canvas").waitFor(WAIT);
    await shot(profile, "02-profile-editor");
    await profile.getByTestId("profile-save").click();
    await until(a, "bob's new look", "s.players.some(p => p.user_id === arg && p.avatar.hair === 'mohawk' && p.avatar.outfit_color === '#e91e63')", bob.id);
    await shot(a, "03-avatar-changed-live");
  });

  it("places a 2×1 sofa, turns it, and sits on it by tapping it", async () => {
    const sofa = await grant(alice, "sofa");
    await a.reload();
    await a.locator('[data-testid="connection-status"][data-status="connected"]').waitFor(WAIT);
    const item = a.getByTestId("inventory-item").filter({ hasText: "Sofa" });
    await item.getByTestId("inventory-place").click();
    const at = await toClient(a, 320, 300);
    await a.mouse.move(at.x, at.y);
    await until(a, "a 2-tile green ghost", "s.ghost && s.ghost.ok && s.ghost.type === 'sofa'");
    await shot(a, "04-sofa-ghost");
    await a.mouse.click(at.x, at.y);
    await until(a, "the sofa", "s.objects.some(o => o.id === arg)", sofa.id);
    const placed = (await scene(a)).objects.find((o: any) => o.id === sofa.id);
    // A 2×1 footprint centres on a grid line across and a tile centre along.
    expect([placed.x % 32, placed.y % 32]).toEqual([0, 16]);
    // Select it and turn it.
    const c = await toClient(a, placed.x - 10, placed.y);
    await a.mouse.click(c.x, c.y);
    await a.getByTestId("object-rotate").click();
    await until(b, "the turned sofa for bob", "s.objects.some(o => o.id === arg && o.rotation === 90)", sofa.id);
    // Tap the sofa's lower tile: Alice walks there and sits, facing the seat's way.
    const seat = await toClient(a, placed.x, placed.y + 16);
    await a.mouse.click(seat.x, seat.y);
    await until(b, "alice seated", "s.players.some(p => p.user_id === arg && p.pose === 'sit' && p.facing === 'left')", alice.id, WALK_WAIT);
    await shot(b, "05-sofa-sat-on");
  }, 150_000);

  it("lays a rug under a table, and people walk over the rug", async () => {
    const rug = await placeByRest(alice, "rug", 224, 416);
    const table = await placeByRest(alice, "table", 208, 400);
    await until(a, "rug and table", "s.objects.some(o => o.id === arg[0] && o.layer === 'floor') && s.objects.some(o => o.id === arg[1] && o.layer === 'things')", [rug, table]);
    await shot(a, "06-rug-under-table");
  });

  it("walks around a wall to a tapped spot", async () => {
    // A wall across the room at y=208, x from 0 to 448, between Bob and where he is sent.
    for (let x = 16; x <= 432; x += 32) await placeByRest(alice, "wall", x, 208);
    await until(b, "the wall", "s.objects.filter(o => o.type === 'wall').length === 14");
    const me = (await scene(b)).players.find((p: any) => p.self);
    const target = me.y > 208 ? { x: 100, y: 150 } : { x: 100, y: 300 };
    const at = await toClient(b, target.x, target.y);
    await b.mouse.click(at.x, at.y);
    const path = await b.evaluate(() => (window as any).__cafe.walk());
    expect(path.length).toBeGreaterThan(1);
    await until(b, "bob at the tapped spot", "s.players.some(p => p.self && Math.abs(p.x - arg.x) <= 2 && Math.abs(p.y - arg.y) <= 2)", target, WALK_WAIT);
    await until(a, "alice sees bob there", "s.players.some(p => p.user_id === arg.id && Math.abs(p.x - arg.x) <= 2 && Math.abs(p.y - arg.y) <= 2)", { ...target, id: bob.id });
    await shot(b, "07-walked-around-wall");
  }, 150_000);

  it("sends an emote with a number key and the emote bar, seen by the other person", async () => {
    await a.keyboard.press("Digit1");
    await until(b, "alice waves", "s.players.some(p => p.user_id === arg && p.emote === 'wave')", alice.id);
    await b.getByTestId("emote-coffee").click();
    await until(a, "bob's coffee", "s.players.some(p => p.user_id === arg && p.emote === 'coffee')", bob.id);
    await shot(a, "08-emotes");
  });

  it("zooms from 50 % to 200 % with the keys", async () => {
    const atStart = await scene(a);
    expect(atStart.zoom).toBeLessThanOrEqual(1);
    expect(atStart.textureResolution).toBe(1);
    for (let i = 0; i < 8; i++) await a.keyboard.press("Equal");
    // Zoomed in, avatars and furniture are drawn again at twice the resolution (sharp, not blown up).
    await until(a, "200 %", "s.zoom === 2 && s.miniMap && s.textureResolution === 2");
    await shot(a, "09-zoomed-in-minimap");
    // Zoomed in, what lies off screen is not drawn at all; what is near you is.
    const zoomed = await scene(a);
    const me = zoomed.players.find((p: any) => p.self);
    expect(me.drawn).toBe(true);
    expect(zoomed.objects.some((o: any) => !o.drawn)).toBe(true);
    const near = zoomed.objects.filter((o: any) => Math.abs(o.x - me.x) < 150 && Math.abs(o.y - me.y) < 150);
    expect(near.length).toBeGreaterThan(0);
    expect(near.every((o: any) => o.drawn)).toBe(true);
    for (let i = 0; i < 12; i++) await a.keyboard.press("Minus");
    await until(a, "50 %", "s.zoom === 0.5 && s.textureResolution === 1");
    // The whole room fits again: everything is drawn.
    await until(a, "every object drawn", "s.objects.every(o => o.drawn) && s.players.every(p => p.drawn)");
    await shot(a, "09b-zoomed-out");
  });

  it("draws the find ring at the feet, under every body", async () => {
    await a.locator(`[data-testid="person"][data-user-id="${bob.id}"]`).getByTestId("person-find").click();
    await until(a, "bob's find ring", "s.found === arg && s.rings.some(r => r.user_id === arg && r.kind === 'found')", bob.id);
    const s = await scene(a);
    expect(s.rings.filter((r: any) => r.kind === "found")).toEqual([{ user_id: bob.id, kind: "found", layer: "feet" }]);
    // Drawing order, lowest first: the floor, then the rings, then furniture and bodies, then tags.
    const order = ["floor", "rugs", "feet", "bodies", "tags"].map((layer) => s.layers.indexOf(layer));
    expect(order.every((i: number) => i >= 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    await shot(a, "10-find-ring-at-feet");
  });

  it("follows the room's talking radius live", async () => {
    const radius = () => a.evaluate(() => (window as any).__cafe.talkRadius());
    expect(await radius()).toBe(160);
    const res = await t.api("PATCH", `/api/v1/rooms/${roomId}`, { token: alice.token, body: { talk_radius: 300 } });
    expect(res.status).toBe(200);
    for (const page of [a, b]) await page.waitForFunction(() => (window as any).__cafe.talkRadius() === 300, undefined, WAIT);
  });

  describe("on a phone (390 × 844, touch)", () => {
    let phone: Page;
    let cdp: CDPSession;
    const touch = (type: "touchStart" | "touchMove" | "touchEnd", points: { x: number; y: number }[]) =>
      cdp.send("Input.dispatchTouchEvent", { type, touchPoints: points.map((p, id) => ({ x: Math.round(p.x), y: Math.round(p.y), id })) });
    const sheet = () => phone.getByTestId("panel-sheet");
    const handle = () => phone.getByTestId("sheet-handle");
    const height = async () => (await sheet().boundingBox())!.height;
    /** Wider than the screen: the page, or anything inside the sheet's scrolling body. */
    const overflow = () =>
      phone.evaluate(() => {
        const body = document.querySelector('[data-testid="sheet-body"]') as HTMLElement | null;
        return { page: document.scrollingElement!.scrollWidth, sheet: body && !body.hidden ? body.scrollWidth - body.clientWidth : 0 };
      });
    /** Opens a panel's tab unless it is already the open one. */
    const openTab = async (id: string) => {
      const tab = phone.getByTestId(`sheet-tab-${id}`);
      if ((await tab.getAttribute("aria-selected")) !== "true" || (await handle().getAttribute("aria-expanded")) !== "true") await tab.tap();
      await phone.locator(`[data-testid="sheet-tab-${id}"][aria-selected="true"]`).waitFor(WAIT);
      await phone.locator('[data-testid="sheet-handle"][aria-expanded="true"]').waitFor(WAIT);
      await phone.getByTestId(`sheet-panel-${id}`).waitFor({ state: "visible", ...WAIT });
    };

    beforeAll(async () => {
      await grant(alice, "chair");
      phone = await enter(alice, { phone: true });
      await until(phone, "the room", "s.players.length === 2");
      cdp = await phone.context().newCDPSession(phone);
    }, 60_000);

    it("puts the panels in a bottom sheet that opens and folds, and nothing is wider than the screen", async () => {
      // The desktop keeps its side column.
      await b.getByTestId("side-panels").waitFor(WAIT);
      expect(await b.getByTestId("panel-sheet").count()).toBe(0);

      await sheet().waitFor(WAIT);
      expect(await phone.getByTestId("side-panels").count()).toBe(0);
      expect(await handle().getAttribute("aria-expanded")).toBe("false");
      const folded = await height();
      expect(folded).toBeLessThan(120);
      expect((await overflow()).page).toBeLessThanOrEqual(390);
      await shot(phone, "11-phone-sheet-folded");

      await handle().tap();
      await phone.locator('[data-testid="sheet-handle"][aria-expanded="true"]').waitFor(WAIT);
      const open = await height();
      expect(open).toBeGreaterThan(folded + 250);
      expect(open).toBeLessThan(844 * 0.6);
      // The canvas follows the stage as the sheet takes its half: it ends where the sheet begins.
      await phone.waitForFunction(() => {
        const canvas = document.querySelector('[data-testid="game-canvas"]')!.getBoundingClientRect();
        const sheet = document.querySelector('[data-testid="panel-sheet"]')!.getBoundingClientRect();
        return Math.abs(canvas.bottom - sheet.top) <= 2;
      }, undefined, WAIT);

      const tabs = await phone.locator('[role="tab"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")!.replace("sheet-tab-", "")));
      // Alice owns the room: her settings are there too; media moved from the stage into a tab.
      expect([...tabs].sort()).toEqual(["chat", "inventory", "media", "nearby", "people", "settings"]);
      expect(await phone.locator('.stage [data-testid="media-bar"]').count()).toBe(0);
      for (const id of tabs) {
        await openTab(id);
        expect(await overflow()).toEqual({ page: 390, sheet: 0 });
        await shot(phone, `12-phone-sheet-${id}`);
      }
      expect(await audit(phone)).toEqual([]);

      // Tapping the open tab folds the sheet again, as the handle does.
      await phone.getByTestId(`sheet-tab-${tabs[tabs.length - 1]}`).tap();
      await phone.locator('[data-testid="sheet-handle"][aria-expanded="false"]').waitFor(WAIT);
      expect(await height()).toBeCloseTo(folded, 0);
      // The keyboard reaches it too: the handle is a button.
      await handle().focus();
      await phone.keyboard.press("Enter");
      await phone.locator('[data-testid="sheet-handle"][aria-expanded="true"]').waitFor(WAIT);
      await phone.keyboard.press("Enter");
      await phone.locator('[data-testid="sheet-handle"][aria-expanded="false"]').waitFor(WAIT);
    });

    it("sends chat from the sheet with an on-screen keyboard taking half the screen", async () => {
      await openTab("chat");
      // An on-screen keyboard shrinks the layout (interactive-widget=resizes-content): the same
      // as a shorter viewport.
      await phone.setViewportSize({ width: 390, height: 480 });
      const input = phone.getByTestId("chat-input");
      await input.tap();
      const box = (await input.boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(480);
      expect((await overflow()).page).toBeLessThanOrEqual(390);
      await phone.keyboard.type("hello from the phone");
      await phone.getByTestId("chat-send").tap();
      await b.getByTestId("chat-log").getByText("hello from the phone").waitFor(WAIT);
      await phone.getByTestId("chat-log").getByText("hello from the phone").waitFor(WAIT);
      await shot(phone, "13-phone-chat-keyboard");
      await phone.setViewportSize({ width: 390, height: 844 });
    });

    it("opens a tapped object's panel in the sheet", async () => {
      await handle().tap();
      await phone.locator('[data-testid="sheet-handle"][aria-expanded="false"]').waitFor(WAIT);
      await phone.waitForFunction(() => {
        const canvas = document.querySelector('[data-testid="game-canvas"]')!.getBoundingClientRect();
        const sheet = document.querySelector('[data-testid="panel-sheet"]')!.getBoundingClientRect();
        return Math.abs(canvas.bottom - sheet.top) <= 2;
      }, undefined, WAIT);
      // Something that blocks walking (so the tap only selects it), in sight on the canvas.
      const canvas = (await phone.getByTestId("game-canvas").boundingBox())!;
      const bar = (await phone.getByTestId("emote-bar").boundingBox())!;
      const s = await scene(phone);
      let target: { id: number; at: { x: number; y: number } } | null = null;
      const blocking = ["wall", "table", "counter", "bookshelf", "coffee_machine", "lamp", "plant", "partition"];
      for (const o of s.objects.filter((o: any) => blocking.includes(o.type))) {
        const at = await toClient(phone, o.x, o.y);
        const onCanvas = at.x > canvas.x + 10 && at.x < canvas.x + canvas.width - 10 && at.y > canvas.y + 10 && at.y < canvas.y + canvas.height - 10;
        const underBar = at.x < bar.x + bar.width + 10 && at.y < bar.y + bar.height + 10;
        if (onCanvas && !underBar) target = { id: o.id, at };
      }
      expect(target).not.toBeNull();
      await phone.touchscreen.tap(target!.at.x, target!.at.y);
      await phone.locator(`[data-testid="sheet-panel-object"] [data-testid="object-panel"][data-object-id="${target!.id}"]`).waitFor({ state: "visible", ...WAIT });
      expect(await handle().getAttribute("aria-expanded")).toBe("true");
      expect(await phone.getByTestId("sheet-tab-object").getAttribute("aria-selected")).toBe("true");
      expect(await overflow()).toEqual({ page: 390, sheet: 0 });
      await shot(phone, "14-phone-object-panel");
      // Let go of it: the tab leaves and the sheet shows the panel it showed before.
      await phone.getByTestId("object-panel").getByRole("button", { name: "Close" }).tap();
      await phone.locator('[data-testid="sheet-tab-chat"][aria-selected="true"]').waitFor(WAIT);
      expect(await phone.getByTestId("sheet-tab-object").count()).toBe(0);
    });

    it("places a chair by long-press drag from the sheet, and pinch-zooms", async () => {
      await openTab("inventory");
      const item = phone.getByTestId("inventory-item").filter({ hasText: "Chair" }).locator(".item-name");
      await item.scrollIntoViewIfNeeded();
      const from = (await item.boundingBox())!;
      const me = (await scene(phone)).players.find((p: any) => p.self);
      const spot = { x: Math.min(me.x + 64, 760), y: Math.max(me.y - 64, 130) };
      const to = await toClient(phone, spot.x, spot.y);
      // Dropped on the part of the stage the open sheet leaves.
      const canvas = (await phone.getByTestId("game-canvas").boundingBox())!;
      expect(to.y).toBeGreaterThan(canvas.y);
      expect(to.y).toBeLessThan(canvas.y + canvas.height);
      const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
      await touch("touchStart", [start]);
      // The hold itself is the gesture (a long press); the result is waited for below.
      await new Promise((resolve) => setTimeout(resolve, 700));
      for (let i = 1; i <= 10; i++) await touch("touchMove", [{ x: start.x + ((to.x - start.x) * i) / 10, y: start.y + ((to.y - start.y) * i) / 10 }]);
      await touch("touchEnd", []);
      await until(phone, "the chair dropped by touch", "s.objects.some(o => o.type === 'chair' && Math.abs(o.x - arg.x) <= 32 && Math.abs(o.y - arg.y) <= 32)", spot);
      await shot(phone, "15-phone-long-press-placed");

      const before = (await scene(phone)).zoom;
      const box = (await phone.getByTestId("game-canvas").boundingBox())!;
      const c = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      await touch("touchStart", [{ x: c.x - 20, y: c.y }, { x: c.x + 20, y: c.y }]);
      for (let i = 1; i <= 8; i++) await touch("touchMove", [{ x: c.x - 20 - i * 10, y: c.y }, { x: c.x + 20 + i * 10, y: c.y }]);
      await touch("touchEnd", []);
      await until(phone, "zoomed in by the pinch", "s.zoom > arg", before);
      await shot(phone, "16-phone-pinched");
    });
  });
});
