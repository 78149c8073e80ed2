// The slow lane without a server: a connection runs its messages at once until a refusal holds it;
// then its messages keep their order, share each turn's budget round robin with the other held
// connections, pause its socket when too many wait, and run at once again after the hold.
import { describe, expect, it } from "@jest/globals";
import { SlowLane, type Flow } from "../src/limits/slow-lane.ts";

/** A lane on a hand-driven clock and a hand-driven "next turn". */
function harness(options: { budgetMs?: number; holdMs?: number; maxQueued?: number; costMs?: number } = {}) {
  let clock = 0;
  const turns: (() => void)[] = [];
  const lane = new SlowLane<object>({
    budgetMs: options.budgetMs ?? 2,
    holdMs: options.holdMs ?? 1000,
    maxQueued: options.maxQueued ?? 64,
    now: () => clock,
    defer: (run) => void turns.push(run),
  });
  const ran: string[] = [];
  /** A message whose handler takes `costMs` of the clock. */
  const message = (name: string) => () => {
    ran.push(name);
    clock += options.costMs ?? 1;
  };
  const nextTurn = () => {
    const run = turns.shift();
    if (!run) throw new Error("no turn scheduled");
    run();
  };
  const flow = () => {
    const log: string[] = [];
    const f: Flow & { log: string[] } = { log, pause: () => void log.push("pause"), resume: () => void log.push("resume") };
    return f;
  };
  return { lane, ran, message, nextTurn, turns, flow, advance: (ms: number) => void (clock += ms) };
}

describe("slow lane", () => {
  it("runs an unheld connection's messages at once", () => {
    const h = harness();
    const a = {};
    h.lane.run(a, h.message("a1"));
    h.lane.run(a, h.message("a2"));
    expect(h.ran).toEqual(["a1", "a2"]);
    expect(h.turns).toHaveLength(0);
  });

  it("queues a held connection's messages, in order, for a later turn", () => {
    const h = harness({ budgetMs: 100 });
    const a = {};
    const b = {};
    h.lane.hold(a, h.flow());
    h.lane.run(a, h.message("a1"));
    h.lane.run(b, h.message("b1")); // not held: at once
    h.lane.run(a, h.message("a2"));
    expect(h.ran).toEqual(["b1"]);
    expect(h.lane.waiting).toBe(2);
    h.nextTurn();
    expect(h.ran).toEqual(["b1", "a1", "a2"]);
    expect(h.lane.waiting).toBe(0);
  });

  it("spends at most the budget per turn, round robin, and carries the rest over", () => {
    const h = harness({ budgetMs: 2, costMs: 1 });
    const a = {};
    const b = {};
    h.lane.hold(a, h.flow());
    h.lane.hold(b, h.flow());
    for (const n of [1, 2, 3]) {
      h.lane.run(a, h.message(`a${n}`));
      h.lane.run(b, h.message(`b${n}`));
    }
    h.nextTurn();
    expect(h.ran).toEqual(["a1", "b1"]);
    h.nextTurn();
    expect(h.ran).toEqual(["a1", "b1", "a2", "b2"]);
    h.nextTurn();
    expect(h.ran).toEqual(["a1", "b1", "a2", "b2", "a3", "b3"]);
    expect(h.turns).toHaveLength(0); // nothing left: no turn scheduled
  });

  it("serves the connections a turn did not reach first in the next", () => {
    const h = harness({ budgetMs: 1, costMs: 1 });
    const [a, b, c] = [{}, {}, {}];
    for (const k of [a, b, c]) h.lane.hold(k, h.flow());
    h.lane.run(a, h.message("a1"));
    h.lane.run(a, h.message("a2"));
    h.lane.run(b, h.message("b1"));
    h.lane.run(c, h.message("c1"));
    h.nextTurn();
    h.nextTurn();
    h.nextTurn();
    h.nextTurn();
    expect(h.ran).toEqual(["a1", "b1", "c1", "a2"]);
  });

  it("pauses a socket with too many messages waiting and resumes it once they drain", () => {
    const h = harness({ budgetMs: 3, maxQueued: 8, costMs: 1 });
    const a = {};
    const flow = h.flow();
    h.lane.hold(a, flow);
    for (let n = 0; n < 8; n++) h.lane.run(a, h.message(`a${n}`));
    expect(flow.log).toEqual(["pause"]);
    h.nextTurn(); // 5 waiting
    expect(flow.log).toEqual(["pause"]);
    h.nextTurn(); // 2 waiting: a quarter of 8
    expect(flow.log).toEqual(["pause", "resume"]);
    h.nextTurn();
    expect(h.ran).toHaveLength(8);
  });

  it("lets a connection go once its hold ends and nothing of it waits", () => {
    const h = harness({ holdMs: 1000 });
    const a = {};
    h.lane.hold(a, h.flow());
    h.lane.run(a, h.message("a1"));
    h.advance(1500);
    // Its hold is over, but a1 still waits: a2 must not overtake it.
    h.lane.run(a, h.message("a2"));
    expect(h.ran).toEqual([]);
    h.nextTurn();
    expect(h.ran).toEqual(["a1", "a2"]);
    h.lane.run(a, h.message("a3"));
    expect(h.ran).toEqual(["a1", "a2", "a3"]);
  });

  it("holds again on each refusal", () => {
    const h = harness({ holdMs: 1000 });
    const a = {};
    h.lane.hold(a, h.flow());
    h.advance(800);
    h.lane.hold(a, h.flow());
    h.advance(800);
    h.lane.run(a, h.message("a1"));
    expect(h.ran).toEqual([]);
    h.nextTurn();
    expect(h.ran).toEqual(["a1"]);
  });

  it("drops a closed connection's waiting messages", () => {
    const h = harness({ budgetMs: 100 });
    const a = {};
    const b = {};
    h.lane.hold(a, h.flow());
    h.lane.hold(b, h.flow());
    h.lane.run(a, h.message("a1"));
    h.lane.run(b, h.message("b1"));
    h.lane.forget(a);
    expect(h.lane.waiting).toBe(1);
    h.nextTurn();
    expect(h.ran).toEqual(["b1"]);
    h.lane.run(a, h.message("a2")); // a new life: not held
    expect(h.ran).toEqual(["b1", "a2"]);
  });

  it("keeps serving after a handler throws", () => {
    const errors: unknown[] = [];
    const turns: (() => void)[] = [];
    const lane = new SlowLane<object>({ budgetMs: 100, holdMs: 1000, maxQueued: 64, defer: (run) => void turns.push(run), onError: (err) => void errors.push(err) });
    const a = {};
    const ran: string[] = [];
    lane.hold(a, { pause() {}, resume() {} });
    lane.run(a, () => {
      throw new Error("boom");
    });
    lane.run(a, () => void ran.push("a2"));
    turns.shift()!();
    expect(errors).toHaveLength(1);
    expect(ran).toEqual(["a2"]);
  });
});

describe("slow lane upkeep", () => {
  it("sweeps out holds that ended with nothing waiting, once there are many", () => {
    let clock = 0;
    const lane = new SlowLane<object>({ budgetMs: 2, holdMs: 100, maxQueued: 64, now: () => clock, defer: () => undefined });
    const flow = { pause() {}, resume() {} };
    const keys = Array.from({ length: 1000 }, () => ({}));
    for (const k of keys) lane.hold(k, flow);
    const waiting = {};
    lane.hold(waiting, flow);
    lane.run(waiting, () => undefined); // queued: its hold must survive the sweep
    clock += 200;
    lane.hold({}, flow); // the 1,002nd: sweeps
    expect(lane.held).toBe(2);
  });
});
