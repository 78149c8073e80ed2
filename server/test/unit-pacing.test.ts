// Pacing after refusals (limits/refusal-pacer.ts), without a server: a connection that never sent
// anything malformed is handled at once; one that did has its next messages spread out, in order,
// none lost; other connections are not held up; a quiet connection's lane goes away.
import { describe, expect, it } from "@jest/globals";
import { RefusalPacer } from "../src/limits/refusal-pacer.ts";

const PACE = 30;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("RefusalPacer", () => {
  it("handles a well-behaved connection's messages at once, synchronously", () => {
    const pacer = new RefusalPacer<string>(() => undefined, PACE);
    const log: number[] = [];
    for (let i = 0; i < 5; i++) pacer.run("good", () => log.push(i));
    expect(log).toEqual([0, 1, 2, 3, 4]);
    expect(pacer.paced).toBe(0);
  });

  it("spreads a refused connection's next messages a pace apart, in order, and leaves others alone", async () => {
    const errors: unknown[] = [];
    const pacer = new RefusalPacer<string>((err) => errors.push(err), PACE);
    const at: [string, number, number][] = [];
    const started = performance.now();
    const bad = (i: number) => () => {
      at.push(["bad", i, performance.now() - started]);
      pacer.refused("bad");
    };
    for (let i = 0; i < 4; i++) pacer.run("bad", bad(i));
    // The first ran at once and was refused; the others wait. Another connection does not.
    expect(at.map(([, i]) => i)).toEqual([0]);
    pacer.run("good", () => at.push(["good", 0, performance.now() - started]));
    expect(at.map(([who]) => who)).toEqual(["bad", "good"]);
    await sleep(PACE * 5);
    const badTimes = at.filter(([who]) => who === "bad");
    expect(badTimes.map(([, i]) => i)).toEqual([0, 1, 2, 3]);
    for (let k = 1; k < badTimes.length; k++) expect(badTimes[k]![2] - badTimes[k - 1]![2]).toBeGreaterThanOrEqual(PACE - 2);
    // A valid message after the pace is handled at once again, and the lane is gone.
    await sleep(PACE + 5);
    expect(pacer.paced).toBe(0);
    let now = false;
    pacer.run("bad", () => (now = true));
    expect(now).toBe(true);
    expect(errors).toEqual([]);
  });

  it("runs valid messages waiting behind a refusal back to back once the pace has passed", async () => {
    const pacer = new RefusalPacer<string>(() => undefined, PACE);
    const log: string[] = [];
    pacer.run("c", () => (log.push("bad"), pacer.refused("c")));
    pacer.run("c", () => log.push("move 1"));
    pacer.run("c", () => log.push("move 2"));
    expect(log).toEqual(["bad"]);
    await sleep(PACE + 10);
    expect(log).toEqual(["bad", "move 1", "move 2"]);
  });

  it("reports a delayed handler that throws and still runs the ones after it", async () => {
    const errors: unknown[] = [];
    const pacer = new RefusalPacer<string>((err) => errors.push(err), PACE);
    const log: string[] = [];
    pacer.run("c", () => pacer.refused("c"));
    pacer.run("c", () => {
      throw new Error("handler bug");
    });
    pacer.run("c", () => log.push("after"));
    await sleep(PACE + 10);
    expect(String(errors[0])).toMatch(/handler bug/);
    expect(log).toEqual(["after"]);
  });
});
