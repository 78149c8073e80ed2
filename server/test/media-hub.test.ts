// The room's media hub with a fake room: when pairs are recomputed, and the signal rate limit.
import { describe, expect, it } from "@jest/globals";
import { RTC } from "../../shared/src/media.ts";
import type { Point } from "../../shared/src/sim/geometry.ts";
import { MediaHub, type MediaHost } from "../src/rooms/media.ts";
import { AppError } from "../src/services/errors.ts";

function fakeRoom() {
  const positions = new Map<number, Point>();
  const sent: { to: number; type: string; payload: any }[] = [];
  let now = 1_000_000;
  const host: MediaHost = {
    positionOf: (id) => positions.get(id),
    areaAt: () => 0,
    talkRadius: () => RTC.defaultTalkRadius,
    send: (to: number, type: string, payload: unknown) => void sent.push({ to, type, payload }),
  };
  const hub = new MediaHub(host, () => now);
  return { hub, positions, sent, advance: (ms: number) => (now += ms) };
}

const ON = { audio: true, video: false, screen: false };

describe("MediaHub", () => {
  it("recomputes pairs for moves only at the next tick, and at once for toggles", () => {
    const { hub, positions, sent } = fakeRoom();
    positions.set(1, { x: 100, y: 100 }).set(2, { x: 500, y: 100 });
    hub.setMedia(1, ON);
    hub.setMedia(2, ON);
    expect(sent).toEqual([]);
    positions.set(2, { x: 200, y: 100 });
    hub.markDirty();
    expect(sent).toEqual([]);
    hub.tick();
    expect(sent.map((s) => [s.to, s.payload])).toEqual([
      [1, { connect: [2], disconnect: [] }],
      [2, { connect: [1], disconnect: [] }],
    ]);
    hub.tick(); // nothing changed: nothing sent
    expect(sent).toHaveLength(2);
    hub.setMedia(2, { audio: false, video: false, screen: false });
    expect(sent.slice(2).map((s) => [s.to, s.payload])).toEqual([
      [1, { connect: [], disconnect: [2] }],
      [2, { connect: [], disconnect: [1] }],
    ]);
  });

  it("relays at most RTC.signalLimit.max signals per window per sender", () => {
    const { hub, positions, sent, advance } = fakeRoom();
    positions.set(1, { x: 100, y: 100 }).set(2, { x: 150, y: 100 });
    hub.setMedia(1, ON);
    hub.setMedia(2, ON);
    const signal = { to_user_id: 2, kind: "candidate" as const, data: { candidate: "c" } };
    for (let i = 0; i < RTC.signalLimit.max; i++) hub.relay(1, signal);
    const relayed = () => sent.filter((s) => s.type === "rtc_signal").length;
    expect(relayed()).toBe(RTC.signalLimit.max);
    let refused: unknown;
    try {
      hub.relay(1, signal);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("rate_limited");
    expect(relayed()).toBe(RTC.signalLimit.max);
    advance(RTC.signalLimit.windowMs);
    hub.relay(1, signal);
    expect(relayed()).toBe(RTC.signalLimit.max + 1);
  });
});
