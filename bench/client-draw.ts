// The client scenario: what drawing a busy room costs in headless Chromium (software rendering
// here). One observer page in a 1600 × 1200 room with 300 objects, while 50 and then 200 other
// people walk (real SDK clients at 10 Hz). Frame time is the interval between animation frames
// while everything moves (so it includes the scene's whole per-frame work); the JS heap is V8's
// used heap of the page. Figures, never assertions.
// CAFE_CLIENT_PROFILE=<file.cpuprofile> also records the page's CPU profile over the last step's
// window and prints where the time goes (build the client with `--minify false` for names).
// CAFE_CLIENT_LAYERS=1 repeats the last step with each layer hidden in turn (layerShares).
import { Client, type Room } from "@colyseus/sdk";
import { chromium, type Page } from "playwright-core";
import { ITEM_TYPES } from "../shared/src/catalog.ts";
import { PLAYER_RADIUS } from "../shared/src/constants.ts";
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { meter } from "./gen.ts";
import { percentile, round1, sleep } from "./lib.ts";
import { summariseProfile } from "./profile.ts";
import { Api, startCafe } from "./servers.ts";

export interface DrawRow {
  avatars: number;
  objects: number;
  frameP50: number;
  frameP95: number;
  fps: number;
  heapMb: number;
}

const ROOM = { width: 1600, height: 1200 };
/** Furniture rows are 88 px apart with a free lane between them; this point is in the middle lane. */
const CENTRE = { x: 800, y: 64 + 6 * 88 + 44 };
const OBJECTS = 300;
const STEPS = [50, 200];

export async function clientDraw(log: (line: string) => void, quick = false): Promise<DrawRow[]> {
  const cafe = await startCafe(undefined);
  const walkers: { room: Room; timer: ReturnType<typeof setInterval> }[] = [];
  // The browser on a core of its own, as on a user's machine, where the server and the other 200
  // people are elsewhere: the server is on core 0 (startCafe) and so are the walkers (this process).
  // Unpinned, the page's frames depended on what the server and the walkers took from it.
  const cores = pinSelf("0");
  const launcher = chromiumOnCore("1");
  const browser = await chromium.launch({
    executablePath: launcher,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
  });
  try {
    const api = new Api(cafe.url);
    log("client: registering the observer and the walkers");
    const users = await api.users(Math.max(...STEPS) + 1, "draw");
    const owner = users[0]!;
    const roomId = (await api.call("POST", "/rooms", owner.token, { name: "Draw bench", ...ROOM, max_users: 500 })).id as number;
    log("client: furnishing the room");
    const objects = await furnish(cafe.url, api, owner.token, roomId);
    log(`client: ${objects} objects placed`);

    const me = await api.call("GET", "/users/me", owner.token);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript((s) => localStorage.setItem("cafe.session", s), JSON.stringify({ token: owner.token, user: me }));
    const page = await context.newPage();
    const rows: DrawRow[] = [];
    // The floor: the same page in an empty room of the same size (what the renderer costs by itself).
    const empty = (await api.call("POST", "/rooms", owner.token, { name: "Empty", ...ROOM, max_users: 500 })).id as number;
    await page.goto(`${cafe.url}/game/${empty}`);
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor({ timeout: 60_000 });
    await sleep(quick ? 1000 : 3000);
    rows.push(frameRow(0, 0, await frameTimes(page, quick ? 3000 : 8000), await heapMb(page)));
    log(`client: ${JSON.stringify(rows[0])}`);
    await page.goto(`${cafe.url}/game/${roomId}`);
    await page.locator('[data-testid="connection-status"][data-status="connected"]').waitFor({ timeout: 60_000 });
    const cdp = await context.newCDPSession(page);
    // 200 people need a hall (max_users over 100), where each client sees those within 600 px:
    // each walker paces in a slot of its own in the free lanes, all within 560 px of the observer.
    const centre = (await (await page.waitForFunction(() => (window as any).__cafe.self())).jsonValue()) as { x: number; y: number };
    const slots = walkingSlots(centre, 560);
    if (slots.length < Math.max(...STEPS)) throw new Error(`client: only ${slots.length} walking slots within view of ${JSON.stringify(centre)}`);

    for (const n of STEPS) {
      while (walkers.length < n) walkers.push(await walker(cafe.url, users[walkers.length + 1]!.token, roomId, slots[walkers.length]!));
      await page.waitForFunction((k) => (window as any).__cafe.scene().players.length >= k + 1, n, { timeout: 60_000 });
      await sleep(quick ? 1000 : 3000);
      const profileTo = n === STEPS[STEPS.length - 1] ? process.env["CAFE_CLIENT_PROFILE"] : undefined;
      if (profileTo) await cdp.send("Profiler.enable").then(() => cdp.send("Profiler.start"));
      const frames = await frameTimes(page, quick ? 3000 : 8000);
      if (profileTo) {
        const { profile } = await cdp.send("Profiler.stop");
        writeFileSync(profileTo, JSON.stringify(profile));
        const summary = summariseProfile(profile as never);
        log(`client profile (${profileTo}), busy ${summary.busyPct}%: ${JSON.stringify(summary.byFunction.slice(0, 30), null, 1)}`);
      }
      const row = frameRow(n, objects, frames, await heapMb(page));
      if (n === STEPS[STEPS.length - 1] && process.env["CAFE_CLIENT_LAYERS"]) await layerShares(page, quick, log);
      log(`client: ${JSON.stringify(row)}`);
      rows.push(row);
    }
    return rows;
  } finally {
    for (const w of walkers) {
      clearInterval(w.timer);
      await w.room.leave().catch(() => undefined);
    }
    await browser.close();
    await cafe.proc.stop();
    pinSelf(cores);
    rmSync(launcher, { force: true });
  }
}

/** Pins this process (every thread) to `cores`; returns the cores it had. */
function pinSelf(cores: string): string {
  const before = execFileSync("taskset", ["-p", "-c", String(process.pid)], { encoding: "utf8" }).split(":").pop()!.trim();
  execFileSync("taskset", ["-a", "-p", "-c", cores, String(process.pid)], { stdio: "ignore" });
  return before;
}

/** A launcher that starts Chromium on `cores` (Playwright starts the executable it is given). */
function chromiumOnCore(cores: string): string {
  const path = join(tmpdir(), `cafe-bench-chromium-${process.pid}.sh`);
  writeFileSync(path, `#!/bin/sh\nexec taskset -c ${cores} ${process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"} "$@"\n`, { mode: 0o755 });
  return path;
}

/**
 * CAFE_CLIENT_LAYERS=1: the last step again with each layer of the scene hidden in turn, and the
 * JavaScript time of one render() call: which layer a frame is spent on (a diagnostic, not a figure).
 */
async function layerShares(page: Page, quick: boolean, log: (line: string) => void): Promise<void> {
  const names = ["floor", "rugs", "selection", "feet", "bodies", "ghost", "tags", "overlay", "mini-map"];
  const set = (hide: number[], things = "") =>
    page.evaluate(([hide, things]) => {
      const app = (window as any).__cafe.sceneApp();
      const layers = [...app.stage.children[0].children, app.stage.children[1]];
      layers.forEach((l: any, i: number) => (l.visible = !hide.includes(i)));
      const re = things ? new RegExp(things as string) : null;
      for (const c of layers[4].children) c.visible = !re || !re.test(c.label);
      const render = app.__render ?? (app.__render = app.render.bind(app));
      (window as any).__renderMs = [];
      (window as any).__rasterMs = [];
      const ctx = app.canvas.getContext("2d");
      app.render = () => {
        const t = performance.now();
        render();
        const t1 = performance.now();
        ctx.getImageData(0, 0, 1, 1);
        (window as any).__renderMs.push(t1 - t);
        (window as any).__rasterMs.push(performance.now() - t1);
      };
    }, [hide, things] as const);
  for (const [hide, things] of [[[], ""], [[0], ""], [[8], ""], [[], "^player"], [[], "^object"], [[6], ""], [[0, 1, 3, 4, 6, 8], ""]] as [number[], string][]) {
    await set(hide, things);
    const frames = await frameTimes(page, quick ? 3000 : 6000);
    const renderMs = (await page.evaluate(() => (window as any).__renderMs as number[])).sort((a, b) => a - b);
    const rasterMs = (await page.evaluate(() => (window as any).__rasterMs as number[])).sort((a, b) => a - b);
    const row = frameRow(0, 0, frames, 0);
    log(`client layers: hidden [${hide.map((i) => names[i]).join(", ")}] ${things} frame p50 ${row.frameP50} p95 ${row.frameP95} fps ${row.fps}; render() JS p50 ${round1(percentile(renderMs, 0.5))} p95 ${round1(percentile(renderMs, 0.95))} ms; raster p50 ${round1(percentile(rasterMs, 0.5))} p95 ${round1(percentile(rasterMs, 0.95))} ms`);
  }
  await set([]);
}

/** Intervals between animation frames over `ms` (everything moves, so every frame is drawn). */
function frameTimes(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(
    (ms) =>
      new Promise<number[]>((resolve) => {
        const out: number[] = [];
        let last = performance.now();
        const end = last + ms;
        const tick = (t: number) => {
          out.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(tick);
          else resolve(out);
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  const heap = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  await cdp.detach();
  return round1(heap.usedSize / 2 ** 20);
}

function frameRow(avatars: number, objects: number, frames: number[], heap: number): DrawRow {
  const sorted = frames.slice(1).sort((a, b) => a - b);
  return {
    avatars,
    objects,
    frameP50: round1(percentile(sorted, 0.5)),
    frameP95: round1(percentile(sorted, 0.95)),
    fps: round1((sorted.length / sorted.reduce((a, b) => a + b, 0)) * 1000),
    heapMb: heap,
  };
}

/**
 * 300 pieces of every type on a 64 px grid, placed by the owner over the SDK, one at a time and at
 * most 25 a second: the room closes a client that sends over 40 messages a second (4002), and a
 * refusal must not leave the bench waiting.
 */
async function furnish(url: string, api: Api, token: string, roomId: number): Promise<number> {
  const types = ITEM_TYPES.filter((t) => t !== "tool");
  const client = new Client(url);
  client.auth.token = token;
  // The furnisher is the observer's account: leaving from the centre of the room makes the
  // observer's page come back there (a remembered place), with room around it for 200 walkers.
  const room = await client.joinOrCreate("cafe", { room_id: roomId, ...CENTRE });
  let answer: ((placed: boolean) => void) | undefined;
  const refusals: string[] = [];
  room.onMessage("object_placed", () => answer?.(true));
  room.onMessage("error", (e: { event?: string; code: string }) => {
    if (e.event === "place_object") (refusals.push(e.code), answer?.(false));
  });
  room.onMessage("*", () => undefined);
  let closed: number | undefined;
  room.onLeave((code) => ((closed = code), answer?.(false)));
  let placed = 0;
  for (let i = 0; i < OBJECTS; i++) {
    const next = sleep(40);
    const item = await api.call("POST", "/inventory", token, { type: types[i % types.length] });
    const col = i % 24;
    const row = Math.floor(i / 24);
    const done = new Promise<boolean>((resolve) => (answer = resolve));
    // Footprints up to 2×2 fit in a 64 px cell; centres on grid lines keep 2-wide pieces aligned.
    room.send("place_object", { inventory_item_id: item.id, x: 64 + col * 64, y: 64 + row * 88, rotation: 0 });
    if (await done) placed++;
    if (closed !== undefined) throw new Error(`the furnishing client was closed (${closed}) after ${i + 1} placements`);
    await next;
  }
  await room.leave();
  if (refusals.length) console.log(`client: ${refusals.length} placements refused (${[...new Set(refusals)].join(", ")})`);
  return placed;
}

/** Free lanes between the furniture rows (bench's furnish()): a person's 24 px fits exactly. */
const LANES = Array.from({ length: 13 }, (_, lane) => 64 + lane * 88 + 44);
/** A walker paces PACE px; slots are SLOT px apart, so pacing people never touch. */
const PACE = 20;
const SLOT = PACE + 2 * PLAYER_RADIUS + 4;

/** Starting points in the lanes within `radius` of `centre` (its own spot left free), nearest first. */
function walkingSlots(centre: { x: number; y: number }, radius: number): { x: number; y: number }[] {
  const slots: { x: number; y: number; d: number }[] = [];
  for (const y of LANES)
    for (let x = 40; x + PACE <= ROOM.width - 40; x += SLOT) {
      const d = Math.max(Math.hypot(x - centre.x, y - centre.y), Math.hypot(x + PACE - centre.x, y - centre.y));
      const clearOfCentre = y !== centre.y || x + PACE + 2 * PLAYER_RADIUS < centre.x || x - 2 * PLAYER_RADIUS > centre.x;
      if (d <= radius && clearOfCentre) slots.push({ x, y, d });
    }
  return slots.sort((a, b) => a.d - b.d);
}

/** A person pacing PACE px left and right at 10 Hz (100 px/s) from `at`, in a free lane. */
async function walker(url: string, token: string, roomId: number, at: { x: number; y: number }): Promise<{ room: Room; timer: ReturnType<typeof setInterval> }> {
  const client = new Client(url);
  client.auth.token = token;
  const room = await client.joinOrCreate("cafe", { room_id: roomId, x: at.x, y: at.y });
  room.onMessage("*", () => undefined);
  // Walkers only walk: decoding 200 people's patches in each of 200 clients took half a core from
  // the browser being measured on this two-core machine.
  meter(room, true, () => undefined);
  let step = 0;
  const timer = setInterval(() => {
    step = (step + 1) % 4;
    room.send("update_position", { x: at.x + (step === 2 ? PACE : step === 0 ? 0 : PACE / 2), y: at.y });
  }, 100);
  return { room, timer };
}
