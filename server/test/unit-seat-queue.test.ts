// The per-seat command queue of the cafe room ("queued" messages), without a server: order per
// seat, independence between seats, failures reported without stopping the lane, the cap on
// waiting commands, and the drain a disposing room waits for.
import { describe, expect, it } from "@jest/globals";
import { AppError } from "../src/services/errors.ts";
import { unavailable } from "../src/services/outage.ts";
import { commandFailure, MAX_QUEUED_COMMANDS, SeatQueue } from "../src/rooms/seat-queue.ts";

interface Gate {
  promise: Promise<void>;
  open: () => void;
  fail: (err: unknown) => void;
}
function gate(): Gate {
  let open!: () => void;
  let fail!: (err: unknown) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}
/** Lets every pending promise callback run (no timer involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

type Seat = { name: string };
const errorsOf = () => {
  const errors: [string, string, unknown][] = [];
  return { errors, onError: (seat: Seat, type: string, err: unknown) => void errors.push([seat.name, type, err]) };
};

describe("SeatQueue", () => {
  it("runs one seat's commands one after another, in arrival order", async () => {
    const { onError } = errorsOf();
    const queue = new SeatQueue<Seat>(onError);
    const seat = { name: "a" };
    const log: string[] = [];
    const first = gate();
    queue.push(seat, "place_object", async () => {
      log.push("first started");
      await first.promise;
      log.push("first done");
    });
    const second = queue.push(seat, "use_tool", () => void log.push("second ran"));
    await settle();
    expect(log).toEqual(["first started"]);
    first.open();
    await second;
    expect(log).toEqual(["first started", "first done", "second ran"]);
  });

  it("never makes one seat wait for another's commands", async () => {
    const { onError } = errorsOf();
    const queue = new SeatQueue<Seat>(onError);
    const slow = gate();
    let slowDone = false;
    queue.push({ name: "a" }, "place_object", async () => {
      await slow.promise;
      slowDone = true;
    });
    let otherRan = false;
    await queue.push({ name: "b" }, "send_message", () => void (otherRan = true));
    expect([otherRan, slowDone]).toEqual([true, false]);
    slow.open();
    await queue.drained();
    expect(slowDone).toBe(true);
  });

  it("reports a failed command with its seat and type, resolves anyway, and runs the next ones", async () => {
    const { errors, onError } = errorsOf();
    const queue = new SeatQueue<Seat>(onError);
    const seat = { name: "a" };
    const boom = new Error("boom");
    const rejected = new AppError(409, "conflict", "taken");
    const failed = queue.push(seat, "place_object", () => {
      throw boom;
    });
    const rejecting = queue.push(seat, "use_tool", () => Promise.reject(rejected));
    let ran = false;
    const after = queue.push(seat, "get_inventory", () => void (ran = true));
    await expect(failed).resolves.toBeUndefined();
    await expect(rejecting).resolves.toBeUndefined();
    await after;
    expect(ran).toBe(true);
    expect(errors).toEqual([
      ["a", "place_object", boom],
      ["a", "use_tool", rejected],
    ]);
  });

  it(`refuses a seat's command while ${MAX_QUEUED_COMMANDS} are waiting, and takes more once they ran`, async () => {
    const { onError } = errorsOf();
    const queue = new SeatQueue<Seat>(onError);
    const seat = { name: "a" };
    const hold = gate();
    const accepted = [queue.push(seat, "send_message", () => hold.promise)];
    for (let i = 1; i < MAX_QUEUED_COMMANDS; i++) accepted.push(queue.push(seat, "send_message", () => undefined));
    expect(accepted.every((work) => work instanceof Promise)).toBe(true);
    expect(queue.push(seat, "send_message", () => undefined)).toBeUndefined();
    // Another seat is not affected by this one's backlog.
    expect(queue.push({ name: "b" }, "send_message", () => undefined)).toBeInstanceOf(Promise);
    hold.open();
    await Promise.all(accepted);
    let ran = false;
    await queue.push(seat, "send_message", () => void (ran = true));
    expect(ran).toBe(true);
  });

  it("takes the cap it is given", () => {
    const queue = new SeatQueue<Seat>(() => undefined, 1);
    const seat = { name: "a" };
    expect(queue.push(seat, "send_message", () => new Promise(() => undefined))).toBeInstanceOf(Promise);
    expect(queue.push(seat, "send_message", () => undefined)).toBeUndefined();
  });

  it("is drained once every accepted command has settled, failed ones included", async () => {
    const queue = new SeatQueue<Seat>(() => undefined);
    await queue.drained(); // nothing accepted: at once
    const a = gate();
    const b = gate();
    queue.push({ name: "a" }, "place_object", () => a.promise);
    queue.push({ name: "b" }, "place_object", () => b.promise);
    let drained = false;
    const draining = queue.drained().then(() => void (drained = true));
    a.open();
    await settle();
    expect(drained).toBe(false);
    b.fail(new Error("lost"));
    await draining;
    expect(drained).toBe(true);
  });
});

describe("commandFailure", () => {
  it("tells an outage apart: the outcome is unknown", () => {
    expect(commandFailure(unavailable())).toEqual({
      kind: "outage",
      code: "unavailable",
      message: "The database is unavailable right now; try again in a few seconds",
    });
  });

  it("passes a rule's refusal through with its own code and text", () => {
    expect(commandFailure(new AppError(403, "no_tool", "You need a tool"))).toEqual({ kind: "refused", code: "no_tool", message: "You need a tool" });
  });

  it("hides a bug's text behind an id that the message repeats", () => {
    const failure = commandFailure(new Error("secret stack detail"));
    expect(failure.kind).toBe("bug");
    if (failure.kind !== "bug") return;
    expect(failure.code).toBe("internal");
    expect(failure.message).toBe(`Internal error (id ${failure.errorId})`);
    expect(failure.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failure.message).not.toContain("secret");
  });
});
