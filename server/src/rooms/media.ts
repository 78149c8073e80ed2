// Proximity media for one live room: who has media on, which pairs are connected, and the relay
// of WebRTC signaling between connected pairs only. Nothing here is stored: it lives and dies
// with the room. The room tells the hub about moves, toggles and departures; the hub tells both
// sides of every pair that forms or breaks (`rtc_peers`).
import { RTC, type RtcPeersPayload, type RtcSignalRelayed } from "../../../shared/src/media.ts";
import { SERVER_MESSAGES, type Payload } from "../../../shared/src/protocol.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import { pairKey, proximityPairs, type Talker } from "../../../shared/src/sim/proximity.ts";
import { RateLimiter } from "../limits/rate-limiter.ts";
import { AppError, forbidden } from "../services/errors.ts";

export type MediaState = Payload<"rtc_media">;
type SignalPayload = Payload<"rtc_signal">;

/** What the hub needs from its room. */
export interface MediaHost {
  /** Where a seated user stands now; undefined once they are gone. */
  positionOf(userId: number): Point | undefined;
  /** The private area containing a point (0 when none). */
  areaAt(point: Point): number;
  talkRadius(): number;
  send(userId: number, type: typeof SERVER_MESSAGES.rtcPeers, payload: RtcPeersPayload): void;
  send(userId: number, type: typeof SERVER_MESSAGES.rtcSignal, payload: RtcSignalRelayed): void;
}

export class MediaHub {
  readonly #host: MediaHost;
  /** Users with some media on; absent = media off. */
  readonly #media = new Map<number, MediaState>();
  #pairs = new Set<string>();
  #dirty = false;
  readonly #signals: RateLimiter;

  constructor(host: MediaHost, now?: () => number) {
    this.#host = host;
    this.#signals = new RateLimiter(RTC.signalLimit, now);
  }

  /** rtc_media: all false turns media off. Pairs change at once. */
  setMedia(userId: number, state: MediaState): void {
    if (state.audio || state.video || state.screen) this.#media.set(userId, state);
    else this.#media.delete(userId);
    this.recompute();
  }

  /** The user left, dropped, was kicked or their seat moved to a new connection: media off now. */
  drop(userId: number): void {
    if (this.#media.delete(userId)) this.recompute();
  }

  /** Someone moved or the room changed: pairs are recomputed at the next tick. */
  markDirty(): void {
    if (this.#media.size > 1) this.#dirty = true;
  }

  /** Called every RTC.recomputeMs by the room's clock. */
  tick(): void {
    if (this.#dirty) this.recompute();
  }

  isConnected(a: number, b: number): boolean {
    return this.#pairs.has(pairKey(a, b));
  }

  /** Relays a signal to a currently connected peer; anything else is refused and nothing is sent. */
  relay(fromId: number, signal: SignalPayload): void {
    const key = String(fromId);
    const wait = this.#signals.retryAfter(key);
    if (wait) throw new AppError(429, "rate_limited", `Too many signals; wait ${wait} s`);
    this.#signals.hit(key);
    if (!this.isConnected(fromId, signal.to_user_id)) {
      throw forbidden("You are not connected with that user (out of range, or media off)");
    }
    this.#host.send(signal.to_user_id, SERVER_MESSAGES.rtcSignal, { from_user_id: fromId, kind: signal.kind, data: signal.data });
  }

  recompute(): void {
    this.#dirty = false;
    const talkers: Talker[] = [];
    for (const userId of this.#media.keys()) {
      const at = this.#host.positionOf(userId);
      if (at) talkers.push({ user_id: userId, x: at.x, y: at.y, area: this.#host.areaAt(at) });
    }
    const next = proximityPairs(talkers, this.#host.talkRadius());
    const diffs = new Map<number, RtcPeersPayload>();
    const note = (key: string, side: keyof RtcPeersPayload) => {
      const [a, b] = key.split(":").map(Number) as [number, number];
      for (const [me, other] of [[a, b], [b, a]] as const) {
        let diff = diffs.get(me);
        if (!diff) diffs.set(me, (diff = { connect: [], disconnect: [] }));
        diff[side].push(other);
      }
    };
    for (const key of this.#pairs) if (!next.has(key)) note(key, "disconnect");
    for (const key of next) if (!this.#pairs.has(key)) note(key, "connect");
    this.#pairs = next;
    for (const [userId, diff] of diffs) this.#host.send(userId, SERVER_MESSAGES.rtcPeers, diff);
  }
}
