// Your own avatar: predicted with the server's movement rules, reconciled with the positions the
// server takes and the moves it refuses.
import { describe, expect, it } from "@jest/globals";
import { PLAYER_RADIUS, TILE_SIZE, WALK_SPEED } from "../../shared/src/constants.ts";
import type { Point } from "../../shared/src/sim/geometry.ts";
import { checkPath, SpeedWindow } from "../../shared/src/sim/movement.ts";
import { PREDICTED_SPEED, Predictor, SEND_INTERVAL_MS, type PositionUpdate, type World } from "../src/game/prediction.ts";

const open: World = { room: { width: 800, height: 600 }, blockers: [] };
const RIGHT = { x: 1, y: 0 };

/** A server that applies updates with the room's own rules (as cafe-room.ts does). */
class FakeServer {
  position: Point;
  /** Seqs of refused moves, answered at once (the room's `error` with `seq`). */
  readonly refusals: number[] = [];
  readonly speed = new SpeedWindow();
  readonly rejected: string[] = [];
  readonly world: World;
  constructor(start: Point, world: World) {
    this.position = { ...start };
    this.world = world;
  }
  receive(u: PositionUpdate, nowMs: number): void {
    const distance = Math.hypot(u.x - this.position.x, u.y - this.position.y);
    if (distance === 0) return;
    const problem =
      checkPath(this.position, u, this.world.room, this.world.blockers) ?? (distance > this.speed.allowance(nowMs) ? "too_fast" : null);
    if (problem) {
      this.rejected.push(problem);
      this.refusals.push(u.seq);
      return;
    }
    this.speed.record(nowMs, distance);
    this.position = { x: u.x, y: u.y };
  }
  get view() {
    return { ...this.position };
  }
}

/**
 * Plays `ms` of walking at 60 fps: updates reach the server after `latencyMs`, and the server's
 * state reaches the client after `latencyMs` more, with patches every 50 ms.
 */
function simulate(p: Predictor, server: FakeServer, dir: Point, ms: number, latencyMs = 40, start = 0, clientWorld = server.world) {
  const inFlight: { at: number; u: PositionUpdate }[] = [];
  // What the client receives, in the order the server sent it: refusals at once, patches every 50 ms.
  const down: { at: number; view?: Point; refused?: number }[] = [];
  let corrected = 0;
  let nextPatch = start;
  for (let now = start; now <= start + ms + 4 * latencyMs + 100; now += 1000 / 60) {
    if (now <= start + ms) p.step(dir, 1000 / 60, clientWorld);
    const u = p.takeUpdate(now);
    if (u) inFlight.push({ at: now + latencyMs, u });
    while (inFlight.length && inFlight[0]!.at <= now) server.receive(inFlight.shift()!.u, now);
    for (const seq of server.refusals.splice(0)) down.push({ at: now + latencyMs, refused: seq });
    if (now >= nextPatch) {
      down.push({ at: now + latencyMs, view: server.view });
      nextPatch += 50;
    }
    while (down.length && down[0]!.at <= now) {
      const m = down.shift()!;
      if (m.view ? p.confirm(m.view, clientWorld) : p.refused(m.refused!, clientWorld)) corrected++;
    }
  }
  return { corrected };
}

describe("prediction", () => {
  it("walks at a steady speed just under the server's limit, in whole pixels", () => {
    const p = new Predictor({ x: 100, y: 100 });
    for (let i = 0; i < 60; i++) p.step(RIGHT, 1000 / 60, open);
    const covered = p.position.x - 100;
    expect(covered).toBeGreaterThanOrEqual(Math.floor(PREDICTED_SPEED) - 1);
    expect(covered).toBeLessThanOrEqual(Math.ceil(PREDICTED_SPEED));
    expect(PREDICTED_SPEED).toBeLessThan(WALK_SPEED);
    expect(Number.isInteger(p.position.x)).toBe(true);
  });

  it("moves diagonally at the same speed, not faster", () => {
    const p = new Predictor({ x: 100, y: 100 });
    for (let i = 0; i < 60; i++) p.step({ x: 1, y: 1 }, 1000 / 60, open);
    const covered = Math.hypot(p.position.x - 100, p.position.y - 100);
    expect(covered).toBeLessThanOrEqual(PREDICTED_SPEED + 2);
    expect(covered).toBeGreaterThan(PREDICTED_SPEED - 4);
  });

  it("stops at the room's edge and slides along a wall like the server", () => {
    const p = new Predictor({ x: 790 - PLAYER_RADIUS, y: 300 });
    for (let i = 0; i < 30; i++) p.step(RIGHT, 1000 / 60, open);
    expect(p.position.x).toBe(800 - PLAYER_RADIUS);

    // A wall from y = 200 to y = 520 at x = 200: pressing right-down glides down along it.
    const wall = Array.from({ length: 10 }, (_, i) => ({ x: 200, y: 216 + i * TILE_SIZE }));
    const world: World = { room: open.room, blockers: wall };
    const q = new Predictor({ x: 200 - TILE_SIZE / 2 - PLAYER_RADIUS - 1, y: 300 });
    for (let i = 0; i < 30; i++) q.step({ x: 1, y: 1 }, 1000 / 60, world);
    expect(q.position.x).toBeGreaterThanOrEqual(200 - TILE_SIZE / 2 - PLAYER_RADIUS - 2);
    expect(q.position.x).toBeLessThanOrEqual(200 - TILE_SIZE / 2 - PLAYER_RADIUS);
    // Half a second against the wall: most of the speed goes into gliding along it.
    expect(q.position.y - 300).toBeGreaterThan(PREDICTED_SPEED * 0.5 * 0.6);
  });

  it("sends at most one update per interval, only when the position changed", () => {
    const p = new Predictor({ x: 100, y: 100 });
    expect(p.takeUpdate(0)).toBeNull();
    p.step(RIGHT, 16, open);
    const first = p.takeUpdate(0)!;
    expect(first).toMatchObject({ seq: 1, x: p.position.x, y: 100 });
    p.step(RIGHT, 16, open);
    expect(p.takeUpdate(SEND_INTERVAL_MS - 1)).toBeNull();
    expect(p.takeUpdate(SEND_INTERVAL_MS)!.seq).toBe(2);
    expect(p.takeUpdate(SEND_INTERVAL_MS * 3)).toBeNull();
  });

  it("is never corrected in normal play: the server accepts every predicted move", () => {
    const start = { x: 100, y: 300 };
    const server = new FakeServer(start, open);
    const p = new Predictor(start);
    const { corrected } = simulate(p, server, RIGHT, 2500, 60);
    expect(server.rejected).toEqual([]);
    expect(corrected).toBe(0);
    expect(p.position).toEqual(server.position);
    expect(p.pendingCount).toBe(0);
  });

  it("keeps a prediction that agrees with the server and drops the moves it took", () => {
    const p = new Predictor({ x: 100, y: 100 });
    p.step(RIGHT, 50, open);
    const a = p.takeUpdate(0)!;
    p.step(RIGHT, 50, open);
    const b = p.takeUpdate(50)!;
    expect(p.pendingCount).toBe(2);
    expect(p.confirm({ x: a.x, y: a.y }, open)).toBe(false);
    expect(p.position).toEqual({ x: b.x, y: b.y });
    expect(p.pendingCount).toBe(1);
    // A patch that changed only other fields (same position) changes nothing either.
    expect(p.confirm({ x: a.x, y: a.y }, open)).toBe(false);
    expect(p.pendingCount).toBe(1);
  });

  it("takes several moves confirmed by one patch, and repeated spots by the earliest", () => {
    const p = new Predictor({ x: 100, y: 100 });
    const sent = [];
    for (let i = 0; i < 3; i++) {
      p.step(RIGHT, 50, open);
      sent.push(p.takeUpdate(i * SEND_INTERVAL_MS)!);
    }
    // One patch shows the last: the first two were taken on the way.
    expect(p.confirm({ x: sent[2]!.x, y: 100 }, open)).toBe(false);
    expect(p.pendingCount).toBe(0);
    expect(p.corrections).toBe(0);
  });

  it("snaps to the server when it refused a move, keeping only the motion not sent yet", () => {
    const p = new Predictor({ x: 100, y: 100 });
    p.step(RIGHT, 100, open);
    const a = p.takeUpdate(0)!;
    p.step(RIGHT, 100, open); // sent: in flight from a refused position
    const b = p.takeUpdate(100)!;
    p.step(RIGHT, 100, open); // not sent yet
    const unsent = p.position.x - b.x;
    expect(unsent).toBeGreaterThan(0);
    // The server refused `a` and stays at 100.
    expect(p.refused(a.seq, open)).toBe(true);
    expect(p.position).toEqual({ x: 100 + unsent, y: 100 });
    expect(p.corrections).toBe(1);
    // The in-flight update is refused too: no second correction.
    expect(p.refused(b.seq, open)).toBe(false);
    const next = p.takeUpdate(200)!;
    expect(next).toMatchObject({ x: 100 + unsent, y: 100 });
    expect(p.confirm({ x: 100 + unsent, y: 100 }, open)).toBe(false);
    expect(p.pendingCount).toBe(0);
  });

  it("waits for the moves sent before a refused one before correcting", () => {
    const p = new Predictor({ x: 100, y: 100 });
    p.step(RIGHT, 50, open);
    const a = p.takeUpdate(0)!;
    p.step(RIGHT, 50, open);
    const b = p.takeUpdate(50)!;
    // `b` is refused; its error arrives before the patch that shows `a` taken.
    expect(p.refused(b.seq, open)).toBe(false);
    expect(p.corrections).toBe(0);
    expect(p.confirm({ x: a.x, y: a.y }, open)).toBe(true);
    expect(p.position).toEqual({ x: a.x, y: a.y });
    expect(p.pendingCount).toBe(0);
  });

  it("ignores a refusal of a move it no longer waits for", () => {
    const p = new Predictor({ x: 100, y: 100 });
    expect(p.refused(42, open)).toBe(false);
    expect(p.corrections).toBe(0);
  });

  it("takes the server's position when idle and the seat moved", () => {
    const p = new Predictor({ x: 100, y: 100 });
    expect(p.confirm({ x: 400, y: 300 }, open)).toBe(true);
    expect(p.position).toEqual({ x: 400, y: 300 });
    expect(p.takeUpdate(0)).toBeNull(); // nothing to send: we agree with the server now
  });

  it("keeps unsent motion after a correction, with collisions", () => {
    const wall = { x: 160, y: 100 };
    const world: World = { room: open.room, blockers: [wall] };
    const p = new Predictor({ x: 100, y: 100 });
    p.step(RIGHT, 100, world);
    const a = p.takeUpdate(0)!;
    p.step(RIGHT, 100, world); // not sent
    expect(a.seq).toBe(1);
    // The server says we were pushed right next to the wall (a spot we never sent: its own doing).
    expect(p.confirm({ x: 160 - TILE_SIZE / 2 - PLAYER_RADIUS - 2, y: 100 }, world)).toBe(true);
    // Never into the wall (slideMove takes whole steps, so it may stop a step short).
    expect(p.position.x).toBeLessThanOrEqual(160 - TILE_SIZE / 2 - PLAYER_RADIUS);
    expect(p.position.x).toBeGreaterThanOrEqual(160 - TILE_SIZE / 2 - PLAYER_RADIUS - 2);
  });

  it("converges when the server refuses moves the client could not foresee", () => {
    // A wall the client has not heard of yet stands in the way: the server refuses the moves
    // into it, the client is put back, and both end up at the same place.
    const start = { x: 100, y: 300 };
    const server = new FakeServer(start, { room: open.room, blockers: [{ x: 200, y: 300 }] });
    const p = new Predictor(start);
    const { corrected } = simulate(p, server, RIGHT, 1000, 40, 0, open);
    expect(server.rejected.length).toBeGreaterThan(0);
    expect(corrected).toBeGreaterThanOrEqual(1);
    expect(p.position).toEqual(server.position);
    expect(p.pendingCount).toBe(0);
  });

  it("converges after the server moved the seat while walking", () => {
    const start = { x: 100, y: 300 };
    const server = new FakeServer(start, open);
    const p = new Predictor(start);
    simulate(p, server, RIGHT, 500, 40);
    server.position = { x: 100, y: 500 };
    const { corrected } = simulate(p, server, RIGHT, 1000, 40, 10_000);
    expect(corrected).toBeGreaterThanOrEqual(1);
    expect(corrected).toBeLessThanOrEqual(3);
    expect(p.position).toEqual(server.position);
    expect(p.pendingCount).toBe(0);
  });

  it("does not bank speed against a wall", () => {
    const p = new Predictor({ x: 800 - PLAYER_RADIUS, y: 300 });
    for (let i = 0; i < 10; i++) p.step({ x: 1, y: 0 }, 16, open);
    p.step({ x: -1, y: 0 }, 16, open);
    expect(800 - PLAYER_RADIUS - p.position.x).toBeLessThanOrEqual(3);
  });

  it("caps a long frame so a hidden tab does not jump ahead", () => {
    const p = new Predictor({ x: 100, y: 100 });
    p.step(RIGHT, 5000, open);
    expect(p.position.x - 100).toBeLessThanOrEqual(Math.ceil(PREDICTED_SPEED * 0.25));
  });
});
