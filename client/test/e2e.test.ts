// The game client in Chromium against the real server: two people register, meet in a room,
// walk, chat, and furnish it by click and by drag-and-drop. Screenshots of each step go to
// test-results/client-*.png.
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { matchMaker } from "@colyseus/core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { TILE_SIZE, WALK_SPEED } from "../../shared/src/constants.ts";
import { ROOM_TYPE } from "../../shared/src/protocol.ts";
import { startTestApp, type TestApp } from "../../server/test/helpers/app.ts";
import { ARTIFACTS, artifactPath, launchBrowser } from "../../server/test/helpers/browser.ts";
import { describeIf } from "../../server/test/helpers/gate.ts";
import { ensureClientBuilt } from "./helpers/build.ts";

interface SceneView {
  renderer: string;
  room: { width: number; height: number };
  players: { user_id: number; username: string; self: boolean; x: number; y: number; bubble: boolean }[];
  objects: { id: number; type: string; x: number; y: number; rotation: number; color: string }[];
  ghost: { x: number; y: number; ok: boolean } | null;
}

const WAIT = { timeout: 10_000 };
const PASSWORD = "correct horse battery";

async function scene(page: Page): Promise<SceneView> {
  return page.evaluate(() => (window as any).__cafe.scene());
}

/** Waits until `check` holds for the scene drawn in `page` (checked every animation frame). */
async function until(page: Page, what: string, check: string, arg?: unknown): Promise<void> {
  try {
    await page.waitForFunction(
      ([body, a]) => {
        const s = (window as any).__cafe?.scene();
        return s ? new Function("s", "arg", `return (${body})`)(s, a) : false;
      },
      [check, arg] as const,
      WAIT,
    );
  } catch (err) {
    const state = await scene(page).catch(() => null);
    throw new Error(`timed out waiting for ${what}; scene: ${JSON.stringify(state)}`, { cause: err });
  }
}

/** The colour on screen at room point (x, y), read from a screenshot of that one pixel. */
async function colorAt(page: Page, x: number, y: number): Promise<[number, number, number]> {
  const at = await page.evaluate(([px, py]) => (window as any).__cafe.toClient(px, py), [x, y]);
  const png = await page.screenshot({ clip: { x: Math.round(at.x), y: Math.round(at.y), width: 1, height: 1 } });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
    return [r!, g!, b!] as [number, number, number];
  }, png.toString("base64"));
}

function near(actual: [number, number, number], expected: [number, number, number], tolerance = 24): boolean {
  return actual.every((v, i) => Math.abs(v - expected[i]!) <= tolerance);
}

const WHITE: [number, number, number] = [255, 255, 255];
const BLUE: [number, number, number] = [0x2f, 0x6f, 0xdf];
const YELLOW: [number, number, number] = [0xf5, 0xc5, 0x18];

describeIf("postgresql", "chromium")("game client in Chromium", () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let alice: Page;
  let bob: Page;
  let roomId = 0;
  let shot = 0;
  const screenshot = (page: Page, name: string) => page.screenshot({ path: artifactPath(`client-${String(++shot).padStart(2, "0")}-${name}.png`) });
  const names = { alice: `alice_${Date.now() % 100000}`, bob: `bob_${Date.now() % 100000}` };

  beforeAll(async () => {
    ensureClientBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const old of readdirSync(ARTIFACTS, { withFileTypes: true })) {
      if (old.isFile() && /^client-.*\.png$/.test(old.name)) rmSync(path.join(ARTIFACTS, old.name));
    }
    [t, browser] = await Promise.all([startTestApp("postgresql"), launchBrowser()]);
    for (let i = 0; i < 2; i++) contexts.push(await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" }));
    alice = await contexts[0]!.newPage();
    bob = await contexts[1]!.newPage();
    for (const page of [alice, bob]) page.on("pageerror", (err) => console.error(`page error: ${err.message}`));
  }, 120_000);

  afterAll(async () => {
    // Leave the room first (the game page leaves when it unmounts), so the server is not still
    // closing seats while it shuts down.
    await Promise.all([alice, bob].map((page) => page?.getByTestId("back-to-rooms").click().catch(() => undefined)));
    if (t && roomId) {
      const token = (await t.api("POST", "/api/v1/auth/login", { body: { username: names.alice, password: PASSWORD } })).body?.access_token;
      for (let i = 0; i < 100; i++) {
        const res = await t.api<unknown[]>("GET", `/api/v1/room-users?room_id=${roomId}`, { token });
        if (res.status !== 200 || res.body.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await browser?.close();
    await t?.close();
  });

  async function register(page: Page, username: string): Promise<void> {
    await page.goto(`${t.url}/`);
    await page.getByTestId("auth-form").waitFor(WAIT);
    await page.getByTestId("auth-switch").click();
    await page.getByTestId("auth-email").waitFor(WAIT);
    await page.getByTestId("auth-username").fill(username);
    await page.getByTestId("auth-email").fill(`${username}@example.test`);
    await page.getByTestId("auth-password").fill(PASSWORD);
    await page.getByTestId("auth-submit").click();
    await page.waitForURL("**/rooms", WAIT);
    await expect(page.getByTestId("current-user").textContent()).resolves.toBe(username);
  }

  it("registers two people in two browsers; a wrong password and a taken name are explained", async () => {
    await Promise.all([register(alice, names.alice), register(bob, names.bob)]);
    await screenshot(alice, "rooms-empty");

    // A second tab of Bob's, logged out, tries Alice's name with a wrong password.
    const stranger = await contexts[1]!.browser()!.newPage();
    await stranger.goto(`${t.url}/login`);
    await stranger.getByTestId("auth-username").fill(names.alice);
    await stranger.getByTestId("auth-password").fill("not her password");
    await stranger.getByTestId("auth-submit").click();
    await expect(stranger.getByTestId("auth-error").textContent(WAIT)).resolves.toContain("Wrong username or password");
    await stranger.screenshot({ path: artifactPath(`client-${String(++shot).padStart(2, "0")}-login-error.png`) });
    await stranger.getByTestId("auth-switch").click();
    await stranger.getByTestId("auth-username").fill(names.alice.toUpperCase());
    await stranger.getByTestId("auth-email").fill("someone.else@example.test");
    await stranger.getByTestId("auth-password").fill(PASSWORD);
    await stranger.getByTestId("auth-submit").click();
    await expect(stranger.getByTestId("auth-error").textContent(WAIT)).resolves.toContain("That username is taken");
    await stranger.close();
  });

  it("lets an owner create, edit and delete a room; others cannot", async () => {
    await alice.getByTestId("room-create-open").click();
    await alice.getByTestId("room-name").fill("Scratch room");
    await alice.getByTestId("room-capacity").fill("5");
    await alice.getByTestId("room-submit").click();
    const card = alice.getByTestId("room-card").filter({ hasText: "Scratch room" });
    await card.waitFor(WAIT);
    await expect(card.getByTestId("room-online").textContent()).resolves.toBe("0 / 5 online");
    await card.getByTestId("room-edit").click();
    await alice.getByTestId("room-edit-form").getByTestId("room-description").fill("Edited in the browser");
    await alice.getByTestId("room-edit-form").getByTestId("room-submit").click();
    await card.getByText("Edited in the browser").waitFor(WAIT);

    await bob.getByTestId("room-search").fill("Scratch");
    const seen = bob.getByTestId("room-card").filter({ hasText: "Scratch room" });
    await seen.waitFor(WAIT);
    await expect(seen.getByTestId("room-edit").count()).resolves.toBe(0);
    await expect(seen.getByTestId("room-delete").count()).resolves.toBe(0);

    alice.once("dialog", (dialog) => void dialog.accept());
    await card.getByTestId("room-delete").click();
    await card.waitFor({ state: "detached", ...WAIT });
  });

  it("creates a room, and both enter it and see each other", async () => {
    await alice.getByTestId("room-create-open").click();
    await alice.getByTestId("room-name").fill("E2E café");
    await alice.getByTestId("room-description").fill("Where the browser tests meet");
    await alice.getByTestId("room-submit").click();
    const card = alice.getByTestId("room-card").filter({ hasText: "E2E café" });
    await card.waitFor(WAIT);
    roomId = Number(await card.getAttribute("data-room-id"));
    expect(roomId).toBeGreaterThan(0);
    // New rooms let builders build; the furnishing steps below have Bob build in Alice's room.
    const owner = (await t.api("POST", "/api/v1/auth/login", { body: { username: names.alice, password: PASSWORD } })).body.access_token;
    expect((await t.api("PATCH", `/api/v1/rooms/${roomId}`, { token: owner, body: { build_policy: "everyone" } })).status).toBe(200);

    await bob.getByTestId("room-search").fill("E2E");
    await bob.getByTestId("room-card").filter({ hasText: "Scratch room" }).waitFor({ state: "detached", ...WAIT });
    const bobCard = bob.getByTestId("room-card").filter({ hasText: "E2E café" });
    await bobCard.waitFor(WAIT);
    await screenshot(bob, "rooms-search");

    await card.getByTestId("room-enter").click();
    await alice.waitForURL(`**/game/${roomId}`, WAIT);
    await bobCard.getByTestId("room-enter").click();
    await bob.waitForURL(`**/game/${roomId}`, WAIT);
    for (const page of [alice, bob]) {
      await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor(WAIT);
      await until(page, "two players", "s.players.length === 2 && s.players.filter(p => p.self).length === 1");
    }
    const a = await scene(alice);
    expect(a.room).toEqual({ width: 800, height: 600 });
    expect(["webgl", "webgpu", "canvas"]).toContain(a.renderer);
    expect(a.players.find((p) => p.self)!.username).toBe(names.alice);
    expect((await scene(bob)).players.find((p) => !p.self)!.username).toBe(names.alice);
    await expect(alice.getByTestId("room-title").textContent()).resolves.toBe("E2E café");
    await screenshot(alice, "game-both-alice");
    await screenshot(bob, "game-both-bob");
  });

  it("walks Alice with the keyboard; Bob sees her glide there", async () => {
    const before = (await scene(alice)).players.find((p) => p.self)!;
    // Record, in Bob's page, where Alice is drawn on every frame.
    await bob.evaluate((userId) => {
      const w = window as any;
      w.__track = [];
      const tick = (now: number) => {
        const p = w.__cafe.scene().players.find((q: { user_id: number }) => q.user_id === userId);
        if (p) w.__track.push([now, p.x]);
        if (w.__track.length < 10_000) w.__trackFrame = requestAnimationFrame(tick);
      };
      w.__trackFrame = requestAnimationFrame(tick);
    }, before.user_id);

    await alice.locator("body").click({ position: { x: 5, y: 200 } }); // focus the page, not a field
    await alice.keyboard.down("ArrowRight");
    await until(alice, "Alice to walk 100 px right", "s.players.find(p => p.self).x >= arg", before.x + 100);
    await alice.keyboard.up("ArrowRight");
    const after = (await scene(alice)).players.find((p) => p.self)!;
    expect(after.y).toBe(before.y);

    await until(bob, "Alice's move to reach Bob", "s.players.find(p => !p.self).x === arg", after.x);
    const track: [number, number][] = await bob.evaluate(() => {
      const w = window as any;
      cancelAnimationFrame(w.__trackFrame);
      return w.__track;
    });
    const steps = track.slice(1).map(([t, x], i) => ({ dx: x - track[i]![1], dt: t - track[i]![0] }));
    expect(track.length).toBeGreaterThan(5);
    expect(Math.min(...steps.map((s) => s.dx))).toBeGreaterThanOrEqual(0); // never backwards
    // She walks at WALK_SPEED and Bob's client eases her along, never a jump: no frame moves her
    // more than one tile, or (after a slow frame, when easing catches up) 2.5× her speed.
    // A teleport (her whole 100 px walk drawn in one frame) fails it.
    // (A bound of 350 px/s failed once in CI: a 66 ms frame moved her 24 px.)
    for (const { dx, dt } of steps) expect(dx).toBeLessThanOrEqual(Math.max(TILE_SIZE, (2.5 * WALK_SPEED * dt) / 1000));
    expect(steps.filter((s) => s.dx > 0).length).toBeGreaterThanOrEqual(5); // seen moving on several frames
    // Her own client was not put back by the server (once at most, if the machine stalls).
    const self = await alice.evaluate(() => (window as any).__cafe.self());
    expect(self.corrections).toBeLessThanOrEqual(1);
    await screenshot(alice, "walked-alice");
    await screenshot(bob, "walked-bob");
  });

  it("keeps the avatar still while typing in the chat box, and chats both ways", async () => {
    const before = (await scene(alice)).players.find((p) => p.self)!;
    await alice.getByTestId("chat-input").click();
    await alice.keyboard.type("hello from alice, wasd");
    await alice.keyboard.press("Enter");
    await bob.getByTestId("chat-line").filter({ hasText: "hello from alice, wasd" }).waitFor(WAIT);
    expect((await scene(alice)).players.find((p) => p.self)!).toMatchObject({ x: before.x, y: before.y });
    await until(bob, "Alice's speech bubble", "s.players.find(p => !p.self).bubble");

    await bob.getByTestId("chat-input").fill("hi alice 안녕하세요");
    await bob.getByTestId("chat-send").click();
    await alice.getByTestId("chat-line").filter({ hasText: "hi alice 안녕하세요" }).waitFor(WAIT);
    await until(alice, "Bob's speech bubble", "s.players.find(p => !p.self).bubble");
    await screenshot(alice, "chat-alice");
    await screenshot(bob, "chat-bob");
    await alice.getByTestId("chat-input").press("Escape");
  });

  it("places a sample chair by click (Alice) and one by drag-and-drop (Bob); both see both, white", async () => {
    // Alice: add sample → Place → click the floor.
    await alice.getByTestId("add-sample").click();
    await alice.locator('[data-testid="inventory-item"][data-item-type="chair"]').first().waitFor(WAIT);
    await alice.locator('[data-testid="inventory-item"][data-item-type="chair"] [data-testid="inventory-place"]').first().click();
    const clickAt = { x: 112, y: 112 };
    const pa = await alice.evaluate(([x, y]) => (window as any).__cafe.toClient(x, y), [clickAt.x, clickAt.y]);
    await alice.mouse.move(pa.x, pa.y);
    await until(alice, "a green ghost", "s.ghost && s.ghost.ok && s.ghost.x === 112 && s.ghost.y === 112");
    await screenshot(alice, "place-ghost");
    await alice.mouse.click(pa.x, pa.y);

    // Bob: add sample → press on the item and drag it onto the floor.
    await bob.getByTestId("add-sample").click();
    const bobItem = bob.locator('[data-testid="inventory-item"][data-item-type="chair"]').first();
    await bobItem.waitFor(WAIT);
    const box = (await bobItem.locator(".item-name").boundingBox())!;
    const dropAt = { x: 304, y: 208 };
    const pb = await bob.evaluate(([x, y]) => (window as any).__cafe.toClient(x, y), [dropAt.x, dropAt.y]);
    await bob.mouse.move(box.x + 10, box.y + box.height / 2);
    await bob.mouse.down();
    await bob.mouse.move(box.x - 100, box.y + 50, { steps: 5 });
    await bob.mouse.move(pb.x, pb.y, { steps: 10 });
    await until(bob, "a ghost under the drag", "s.ghost && s.ghost.ok && s.ghost.x === 304 && s.ghost.y === 208");
    await screenshot(bob, "drag-ghost");
    await bob.mouse.up();

    for (const page of [alice, bob]) {
      await until(page, "both chairs", "s.objects.filter(o => o.type === 'chair').length === 2");
      const chairs = (await scene(page)).objects.filter((o) => o.type === "chair").map((o) => ({ x: o.x, y: o.y, color: o.color }));
      expect(chairs).toEqual(
        expect.arrayContaining([
          { x: 112, y: 112, color: "#ffffff" },
          { x: 304, y: 208, color: "#ffffff" },
        ]),
      );
      // On screen: a point of each tile away from its icon is white.
      for (const c of [clickAt, dropAt]) expect(near(await colorAt(page, c.x - 12, c.y + 12), WHITE)).toBe(true);
    }
    await expect(alice.getByTestId("inventory-item").count()).resolves.toBe(0);
    await expect(bob.getByTestId("inventory-item").count()).resolves.toBe(0);
    await screenshot(alice, "chairs-alice");
    await screenshot(bob, "chairs-bob");
  });

  it("draws a wall blue and a table yellow, with a red ghost where they cannot go", async () => {
    for (const [type, at] of [
      ["wall", { x: 496, y: 144 }],
      ["table", { x: 560, y: 144 }],
    ] as const) {
      await alice.getByTestId("shop-type").selectOption(type);
      await alice.getByTestId("shop-get").click();
      const item = alice.locator(`[data-testid="inventory-item"][data-item-type="${type}"]`).first();
      await item.waitFor(WAIT);
      await item.getByTestId("inventory-place").click();
      // Over Bob's avatar a blocking tile cannot go: the ghost turns red.
      const bobPos = (await scene(alice)).players.find((p) => !p.self)!;
      const over = await alice.evaluate(([x, y]) => (window as any).__cafe.toClient(x, y), [bobPos.x, bobPos.y]);
      await alice.mouse.move(over.x, over.y);
      await until(alice, "a red ghost over Bob", "s.ghost && !s.ghost.ok");
      if (type === "wall") await screenshot(alice, "ghost-blocked");
      const p = await alice.evaluate(([x, y]) => (window as any).__cafe.toClient(x, y), [at.x, at.y]);
      await alice.mouse.move(p.x, p.y);
      await until(alice, `a green ghost for the ${type}`, "s.ghost && s.ghost.ok");
      await alice.mouse.click(p.x, p.y);
    }
    for (const page of [alice, bob]) {
      await until(page, "the wall and the table", "s.objects.length === 4");
      const objects = (await scene(page)).objects;
      expect(objects.find((o) => o.type === "wall")!.color).toBe("#2f6fdf");
      expect(objects.find((o) => o.type === "table")!.color).toBe("#f5c518");
      expect(near(await colorAt(page, 496 - 13, 144 + 12), BLUE)).toBe(true);
      expect(near(await colorAt(page, 560 - 13, 144 - 13), YELLOW)).toBe(true);
    }
    await screenshot(bob, "furniture-bob");
  });

  it("rotates and picks up your own object from its panel", async () => {
    const p = await alice.evaluate(() => (window as any).__cafe.toClient(112, 112));
    await alice.mouse.click(p.x, p.y);
    await alice.getByTestId("object-panel").waitFor(WAIT);
    await alice.getByTestId("object-rotate").click();
    await until(bob, "the chair turned", "s.objects.some(o => o.x === 112 && o.y === 112 && o.rotation === 90)");
    await screenshot(alice, "object-panel");
    await alice.getByTestId("object-pickup").click();
    await until(bob, "the chair gone", "!s.objects.some(o => o.x === 112 && o.y === 112)");
    await alice.locator('[data-testid="inventory-item"][data-item-type="chair"]').first().waitFor(WAIT);
  });

  it("uses a tool on an object, with the result shown to everyone", async () => {
    await bob.getByTestId("shop-type").selectOption("tool");
    await bob.getByTestId("shop-get").click();
    await bob.locator('[data-testid="inventory-item"][data-item-type="tool"]').first().waitFor(WAIT);
    const table = (await scene(bob)).objects.find((o) => o.type === "table")!;
    const p = await bob.evaluate(([x, y]) => (window as any).__cafe.toClient(x, y), [table.x, table.y]);
    await bob.mouse.click(p.x, p.y);
    await bob.getByTestId("tool-inspect").click();
    const line = alice.getByTestId("chat-system").filter({ hasText: "inspect" });
    await line.waitFor(WAIT);
    await expect(line.textContent()).resolves.toContain(`Table (table) of ${names.alice}`);
    await screenshot(bob, "tool-inspect");
    await bob.keyboard.press("Escape");
  });

  it("keeps the login across a reload, loads the chat history, and shows messages sent over REST", async () => {
    await bob.reload();
    await bob.locator('[data-testid="connection-status"][data-status="connected"]').waitFor(WAIT);
    await expect(bob.getByTestId("current-user").textContent()).resolves.toBe(names.bob);
    await bob.getByTestId("chat-line").filter({ hasText: "hello from alice, wasd" }).waitFor(WAIT);
    await until(bob, "both players after the reload", "s.players.length === 2");

    const token = (await t.api("POST", "/api/v1/auth/login", { body: { username: names.alice, password: PASSWORD } })).body.access_token;
    const posted = await t.api("POST", "/api/v1/chat", { token, body: { room_id: roomId, message: "sent by a script" } });
    expect(posted.status).toBe(201);
    await bob.getByTestId("chat-line").filter({ hasText: "sent by a script" }).waitFor(WAIT);
    await alice.getByTestId("chat-line").filter({ hasText: "sent by a script" }).waitFor(WAIT);
  });

  it("shows a dropped connection and reconnects by itself, keeping the seat", async () => {
    const bobId = (await scene(bob)).players.find((p) => p.self)!.user_id;
    await bob.evaluate(() => {
      const w = window as any;
      w.__statuses = [w.__cafe.status()];
      const tick = () => {
        const now = w.__cafe?.status();
        if (now && now !== w.__statuses[w.__statuses.length - 1]) w.__statuses.push(now);
        w.__statusFrame = requestAnimationFrame(tick);
      };
      tick();
    });
    // Cut Bob's socket on the server side, as a network failure would.
    const [listing] = await matchMaker.query({ name: ROOM_TYPE });
    const live = matchMaker.getLocalRoomById(listing!.roomId)!;
    const client = live.clients.find((c) => (c.auth as { id: number } | undefined)?.id === bobId)!;
    (client as unknown as { ref: { terminate(): void } }).ref.terminate();

    await bob.locator('[data-testid="connection-status"][data-status="reconnecting"]').waitFor(WAIT);
    await screenshot(bob, "reconnecting");
    await bob.locator('[data-testid="connection-status"][data-status="connected"]').waitFor(WAIT);
    const statuses: string[] = await bob.evaluate(() => {
      const w = window as any;
      cancelAnimationFrame(w.__statusFrame);
      return w.__statuses;
    });
    expect(statuses).toEqual(["connected", "reconnecting", "connected"]);
    await until(bob, "both players again", "s.players.length === 2");
    await bob.getByTestId("chat-input").fill("back again");
    await bob.getByTestId("chat-input").press("Enter");
    await alice.getByTestId("chat-line").filter({ hasText: "back again" }).waitFor(WAIT);
    // Alice never saw Bob leave.
    await expect(alice.getByTestId("chat-system").filter({ hasText: `${names.bob} left` }).count()).resolves.toBe(0);
  });

  it("switches the interface to Korean", async () => {
    await bob.getByTestId("lang-ko").click();
    await expect(bob.getByTestId("chat-send").textContent()).resolves.toBe("보내기");
    await expect(bob.locator("html").getAttribute("lang")).resolves.toBe("ko");
    await screenshot(bob, "korean");
    await bob.getByTestId("lang-en").click();
  });
});
