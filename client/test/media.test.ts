// Proximity voice and video in Chromium with fake devices: real RTCPeerConnections between real
// browsers, governed by the server. Screenshots go to test-results/media-*.png.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { Client } from "@colyseus/sdk";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ROOM_TYPE } from "../../shared/src/protocol.ts";
import { startTestApp, type TestApp, type TestUser } from "../../server/test/helpers/app.ts";
import { ARTIFACTS, artifactPath, launchBrowser } from "../../server/test/helpers/browser.ts";
import { wrap } from "../../server/test/helpers/sdk.ts";
import { ensureClientBuilt } from "./helpers/build.ts";

const WAIT = { timeout: 20_000 };
const FAKE_MEDIA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--autoplay-policy=no-user-gesture-required"];

interface Stats {
  inAudio: number;
  inVideo: number;
  outAudio: number;
  outVideo: number;
}

describe("proximity voice and video in Chromium", () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let shot = 0;
  const screenshot = (page: Page, name: string) => page.screenshot({ path: artifactPath(`media-${String(++shot).padStart(2, "0")}-${name}.png`) });

  beforeAll(async () => {
    ensureClientBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const old of readdirSync(ARTIFACTS)) if (/^media-.*\.png$/.test(old)) rmSync(path.join(ARTIFACTS, old));
    [t, browser] = await Promise.all([startTestApp("pglite"), launchBrowser(FAKE_MEDIA)]);
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  /** A logged-in browser on the game page of `roomId`, seated. */
  async function enter(user: TestUser, roomId: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 700 }, locale: "en-US" });
    contexts.push(context);
    const me = (await t.api("GET", "/api/v1/users/me", { token: user.token })).body;
    await context.addInitScript((value) => localStorage.setItem("cafe.session", value), JSON.stringify({ token: user.token, user: me }));
    const page = await context.newPage();
    page.on("pageerror", (err) => console.error(`page error: ${err.message}`));
    await page.goto(`${t.url}/game/${roomId}`);
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor(WAIT);
    await page.waitForFunction(() => (window as any).__cafe?.self() !== null, undefined, WAIT);
    return page;
  }

  const self = (page: Page) => page.evaluate(() => (window as any).__cafe.self() as { x: number; y: number });

  /** Holds an arrow key until our own x passes `x` (moving in that direction). */
  async function walkTo(page: Page, x: number): Promise<void> {
    const from = (await self(page)).x;
    const key = x > from ? "ArrowRight" : "ArrowLeft";
    await page.keyboard.down(key);
    await page.waitForFunction(([target, right]) => {
      const me = (window as any).__cafe.self();
      return right ? me.x >= target : me.x <= target;
    }, [x, x > from] as const, WAIT);
    await page.keyboard.up(key);
  }

  async function turnOn(page: Page, firstUse: boolean): Promise<void> {
    await page.getByTestId("media-mic").click();
    if (firstUse) {
      await page.getByTestId("media-prompt").waitFor(WAIT);
      await page.getByTestId("media-prompt-accept").click();
    }
    await page.locator('[data-testid="media-mic"][aria-pressed="true"]').waitFor(WAIT);
    await page.getByTestId("media-camera").click();
    await page.locator('[data-testid="media-camera"][aria-pressed="true"]').waitFor(WAIT);
  }

  const peers = (page: Page) => page.evaluate(() => (window as any).__cafeMedia.peers() as { id: number; state: string }[]);
  const stats = (page: Page, id: number) => page.evaluate((peer) => (window as any).__cafeMedia.stats(peer) as Promise<Stats | null>, id);

  async function connectedTo(page: Page, id: number): Promise<void> {
    await page.waitForFunction((peer) => (window as any).__cafeMedia.peers().some((p: any) => p.id === peer && p.state === "connected"), id, WAIT);
  }

  /** Waits until the counter `field` towards `id` has grown past `above`. */
  async function grows(page: Page, id: number, field: keyof Stats, above: number): Promise<number> {
    const handle = await page.waitForFunction(
      async ([peer, f, min]) => {
        const s = await (window as any).__cafeMedia.stats(peer);
        return s && s[f] > min ? s[f] : false;
      },
      [id, field, above] as const,
      { ...WAIT, polling: 250 },
    );
    return (await handle.jsonValue()) as number;
  }

  /** Waits until `field` stays the same over two reads 1 s apart (the page's clock, not a sleep in the test). */
  async function settles(page: Page, id: number, field: keyof Stats): Promise<number> {
    const handle = await page.waitForFunction(
      async ([peer, f]) => {
        const read = async () => ((await (window as any).__cafeMedia.stats(peer)) ?? {})[f];
        const first = await read();
        await new Promise((r) => setTimeout(r, 1000));
        return first === (await read()) ? first : false;
      },
      [id, field] as const,
      { ...WAIT, polling: 100 },
    );
    return (await handle.jsonValue()) as number;
  }

  it("connects two people who walk up to each other, with audio and video both ways; mute stops audio; walking away closes", async () => {
    const [alice, bob] = [await t.register("alice"), await t.register("bob")];
    const roomId = (await t.api("POST", "/api/v1/rooms", { token: alice.token, body: { name: "Media café", width: 1200 } })).body.id;
    const a = await enter(alice, roomId);
    const b = await enter(bob, roomId);
    // Both spawn at the centre (600, 300): step apart before turning media on.
    await walkTo(a, 440);
    await walkTo(b, 760);
    await turnOn(a, true);
    await turnOn(b, true);
    expect(await peers(a)).toEqual([]);
    await expect(a.getByTestId("media-count").textContent()).resolves.toBe("0 nearby");
    await screenshot(a, "bar-alone");

    await walkTo(a, 540);
    await walkTo(b, 660);
    await connectedTo(a, bob.id);
    await connectedTo(b, alice.id);
    for (const [page, other] of [[a, bob.id], [b, alice.id]] as const) {
      const first = (await stats(page, other))!;
      await grows(page, other, "inAudio", first.inAudio);
      await grows(page, other, "inVideo", first.inVideo);
    }
    for (const [page, other] of [[a, bob.id], [b, alice.id]] as const) {
      // The tile shows decoded frames of the other person's camera.
      await page.waitForFunction((id) => {
        const v = document.querySelector(`[data-testid="media-tile"][data-user-id="${id}"] video`) as HTMLVideoElement | null;
        return !!v && v.videoWidth > 0 && v.currentTime > 0;
      }, other, WAIT);
    }
    await expect(a.locator(`[data-testid="media-tile"][data-user-id="${bob.id}"] figcaption`).textContent()).resolves.toBe(bob.username);
    // The fake microphone beeps: Bob sees Alice's speaking ring while a beep lasts.
    // The ring lies at her feet: in the layer over the floor and under every body.
    await b.waitForFunction(
      () => {
        const s = (window as any).__cafe.scene();
        return s.players.some((p: any) => !p.self && p.speaking) && s.rings.some((r: any) => r.kind === "speaking" && r.layer === "feet");
      },
      undefined,
      { ...WAIT, polling: 50 },
    );
    await screenshot(b, "tiles-bob-speaking");
    await screenshot(a, "tiles-alice");

    // Mute: Alice's outbound audio stops; her video keeps flowing, so the pair stays.
    const before = (await stats(a, bob.id))!;
    await a.getByTestId("media-mic").click();
    await a.locator('[data-testid="media-mic"][aria-pressed="false"]').waitFor(WAIT);
    const stopped = await settles(a, bob.id, "outAudio");
    expect(stopped).toBeGreaterThanOrEqual(before.outAudio);
    await grows(a, bob.id, "outVideo", before.outVideo);
    expect((await stats(a, bob.id))!.outAudio).toBe(stopped);
    await settles(b, alice.id, "inAudio");
    expect((await peers(a)).map((p) => p.state)).toEqual(["connected"]);
    await screenshot(a, "muted-alice");

    // Bob walks away: both sides close the connection.
    await walkTo(b, 800);
    await a.waitForFunction(() => (window as any).__cafeMedia.peers().length === 0, undefined, WAIT);
    await b.waitForFunction(() => (window as any).__cafeMedia.peers().length === 0, undefined, WAIT);
    await a.getByTestId("media-tile").first().waitFor({ state: "detached", ...WAIT });
    await screenshot(b, "walked-away-bob");

    // A third user, far away, forges signals to Alice: refused by the server, nothing reaches her.
    const mallory = await t.register("mallory");
    const client = new Client(t.url);
    client.auth.token = mallory.token;
    const forger = wrap(await client.joinOrCreate(ROOM_TYPE, { room_id: roomId, x: 1150, y: 550 }), mallory);
    try {
      forger.send("rtc_media", { audio: true, video: true });
      const offer = await a.evaluate(async () => {
        const pc = new RTCPeerConnection();
        pc.addTransceiver("audio");
        const o = await pc.createOffer();
        pc.close();
        return { type: o.type, sdp: o.sdp };
      });
      forger.send("rtc_signal", { to_user_id: alice.id, kind: "offer", data: offer });
      forger.send("rtc_signal", { to_user_id: bob.id, kind: "offer", data: offer });
      const errors = () => forger.received.filter((r) => r.type === "error" && r.payload.event === "rtc_signal");
      await forger.next("error", () => errors().length === 2);
      expect(errors().map((e) => e.payload.code)).toEqual(["forbidden", "forbidden"]);
      expect(await peers(a)).toEqual([]);
      expect(await peers(b)).toEqual([]);
    } finally {
      await forger.room.leave();
    }
  }, 180_000);

  it("connects two people on a private-area rug and not a person just outside it", async () => {
    const [owner, carol, dan, erin] = [await t.register("owner"), await t.register("carol"), await t.register("dan"), await t.register("erin")];
    const roomId = (await t.api("POST", "/api/v1/rooms", { token: owner.token, body: { name: "Booths", width: 1200 } })).body.id;
    const rug = (await t.api("POST", "/api/v1/inventory", { token: owner.token, body: { type: "private_area" } })).body;
    const client = new Client(t.url);
    client.auth.token = owner.token;
    const placer = wrap(await client.joinOrCreate(ROOM_TYPE, { room_id: roomId, x: 100, y: 100 }), owner);
    placer.send("place_object", { inventory_item_id: rug.id, x: 600, y: 300, rotation: 0 });
    await placer.until((s) => s.objects?.has(String(rug.id)) === true, "the rug");
    await placer.room.leave();

    const e = await enter(erin, roomId);
    await walkTo(e, 600 + 48 + 14); // just outside the rug's edge, about 62 px from the others
    const c = await enter(carol, roomId);
    const d = await enter(dan, roomId);
    for (const page of [c, d, e]) await turnOn(page, true);
    await connectedTo(c, dan.id);
    await connectedTo(d, carol.id);
    await grows(c, dan.id, "inAudio", 0);
    await c.waitForFunction(() => (window as any).__cafe.scene().objects.some((o: any) => o.type === "private_area"), undefined, WAIT);
    expect((await peers(c)).map((p) => p.id)).toEqual([dan.id]);
    expect(await peers(e)).toEqual([]);
    await expect(e.getByTestId("media-count").textContent()).resolves.toBe("0 nearby");
    await screenshot(c, "private-area-carol");
    await screenshot(e, "private-area-erin");
  }, 180_000);
});
