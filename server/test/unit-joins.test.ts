// The two pieces that keep a join storm cheap, without a server: the seat gate (a full room refuses
// at onAuth, counting joins still on their way in) and group commit (visit rows that arrive while
// one insert runs share the next).
import { describe, expect, it } from "@jest/globals";
import { GroupCommit } from "../src/db/group-commit.ts";
import { SeatGate, type GatedRoom } from "../src/rooms/seat-gate.ts";

/** Lets every pending promise callback run (no timer involved). */
/** A few event-loop turns: a batch starts one turn after its first item (group-commit.ts). */
const settle = async () => {
  for (let turn = 0; turn < 3; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
};

function room(maxUsers: number, holdMs = 15_000): GatedRoom & { seats: Set<number>; max: number } {
  const r = {
    seats: new Set<number>(),
    max: maxUsers,
    maxUsers: () => r.max,
    seatCount: () => r.seats.size,
    seated: (userId: number) => r.seats.has(userId),
    holdMs: () => holdMs,
  };
  return r;
}

const refusal = (f: () => void): unknown => {
  try {
    f();
  } catch (err) {
    return err;
  }
  return undefined;
};

describe("SeatGate", () => {
  it("refuses with room_full (409) once seats and held places fill the room, and only then", () => {
    const gate = new SeatGate();
    const r = room(3);
    gate.open(7, r);
    r.seats.add(1);
    gate.hold(7, 2);
    gate.hold(7, 3);
    expect(gate.heldIn(7)).toBe(2);
    const err = refusal(() => gate.hold(7, 4)) as { code: number; message: string } | undefined;
    expect(err?.code).toBe(409);
    expect(err?.message).toMatch(/^room_full/);
    // A held join that ends (seated or refused) frees its place.
    gate.release(7, 3);
    expect(refusal(() => gate.hold(7, 4))).toBeUndefined();
  });

  it("lets a seated or already held user through a full room (a takeover, a second tab)", () => {
    const gate = new SeatGate();
    const r = room(2);
    gate.open(1, r);
    r.seats.add(10);
    gate.hold(1, 11);
    expect(refusal(() => gate.hold(1, 12))).toBeDefined();
    expect(refusal(() => gate.hold(1, 10))).toBeUndefined();
    expect(refusal(() => gate.hold(1, 11))).toBeUndefined();
  });

  it("does not count a held user twice once seated, nor a place whose client never came", () => {
    let now = 1_000;
    const gate = new SeatGate(() => now);
    const r = room(2, 5_000);
    gate.open(1, r);
    gate.hold(1, 1);
    r.seats.add(1); // seated while still held (onJoin releases when it ends)
    gate.hold(1, 2);
    expect(refusal(() => gate.hold(1, 3))).toBeDefined();
    now += 5_001; // user 2's reservation lapsed
    expect(refusal(() => gate.hold(1, 3))).toBeUndefined();
    expect(gate.heldIn(1)).toBe(1);
  });

  it("follows the room's capacity as it changes, and does nothing for rooms not live here", () => {
    const gate = new SeatGate();
    const r = room(1);
    gate.open(1, r);
    r.seats.add(1);
    expect(refusal(() => gate.hold(1, 2))).toBeDefined();
    r.max = 2;
    expect(refusal(() => gate.hold(1, 2))).toBeUndefined();
    // Another process's room, or one not created yet: onJoin decides.
    for (let u = 0; u < 10; u++) gate.hold(2, u);
    expect(gate.heldIn(2)).toBe(0);
    // A disposed room's entry goes, but not when a newer room for the same id replaced it.
    const newer = room(1);
    gate.open(1, newer);
    gate.close(1, r);
    newer.seats.add(5);
    expect(refusal(() => gate.hold(1, 6))).toBeDefined();
    gate.close(1, newer);
    expect(refusal(() => gate.hold(1, 6))).toBeUndefined();
  });
});

describe("GroupCommit", () => {
  function recorder() {
    const batches: number[][] = [];
    const pending: { items: number[]; resolve: (r: string[]) => void; reject: (e: unknown) => void }[] = [];
    const write = (items: number[]) =>
      new Promise<string[]>((resolve, reject) => {
        batches.push(items);
        pending.push({ items, resolve, reject });
      });
    const answer = () => {
      const p = pending.shift()!;
      p.resolve(p.items.map((i) => `row${i}`));
    };
    return { batches, pending, write, answer };
  }

  it("writes a lone item at the next turn, and everything that arrives meanwhile as the next batch, each answered its own result", async () => {
    const r = recorder();
    const commit = new GroupCommit(r.write);
    const first = commit.push(1);
    expect(r.batches).toEqual([]);
    await settle();
    expect(r.batches).toEqual([[1]]);
    const rest = [2, 3, 4].map((i) => commit.push(i));
    expect(r.batches).toEqual([[1]]);
    r.answer();
    expect(await first).toBe("row1");
    await settle();
    expect(r.batches).toEqual([[1], [2, 3, 4]]);
    r.answer();
    expect(await Promise.all(rest)).toEqual(["row2", "row3", "row4"]);
    // Idle again: the next one goes at the next turn, with whatever arrived in this one.
    await settle();
    const later = commit.push(5);
    const same = commit.push(6);
    await settle();
    expect(r.batches.at(-1)).toEqual([5, 6]);
    r.answer();
    expect([await later, await same]).toEqual(["row5", "row6"]);
  });

  it("fails exactly the batch whose write failed, keeps a batch under its maximum, and goes on", async () => {
    const r = recorder();
    const commit = new GroupCommit(r.write, 2);
    const a = commit.push(1);
    await settle();
    const [b, c, d] = [2, 3, 4].map((i) => commit.push(i));
    r.pending.shift()!.reject(new Error("database down"));
    await expect(a).rejects.toThrow("database down");
    await settle();
    expect(r.batches).toEqual([[1], [2, 3]]);
    r.answer();
    await settle();
    expect(r.batches).toEqual([[1], [2, 3], [4]]);
    r.answer();
    expect(await Promise.all([b, c, d])).toEqual(["row2", "row3", "row4"]);
  });

  it("refuses a write that answers the wrong number of results", async () => {
    const commit = new GroupCommit(async (items: number[]) => items.slice(1));
    await expect(commit.push(1)).rejects.toThrow(/0 results for 1 writes/);
  });
});
