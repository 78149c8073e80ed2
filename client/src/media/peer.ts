// One peer connection of the mesh. The layout never changes, so one offer/answer per pair is
// enough: three transceivers in a fixed order (microphone, camera, screen), all sendrecv. Turning
// a device on or off swaps the sender's track (replaceTrack), which needs no renegotiation, and a
// null track sends nothing at all. The lower user id offers, so two sides never offer at once.
import type { SignalKind } from "../../../shared/src/media.ts";
import type { MediaKind } from "./types.ts";

export const SLOTS: readonly MediaKind[] = ["audio", "video", "screen"];
const CANDIDATE_BATCH_MS = 100;

export interface PeerDeps {
  myId: number;
  peerId: number;
  iceServers: RTCIceServer[];
  track(kind: MediaKind): MediaStreamTrack | null;
  signal(kind: SignalKind, data: unknown): void;
  changed(): void;
}

export class Peer {
  readonly id: number;
  readonly pc: RTCPeerConnection;
  readonly streams: Record<MediaKind, MediaStream> = { audio: new MediaStream(), video: new MediaStream(), screen: new MediaStream() };
  readonly audio = new Audio();
  readonly #deps: PeerDeps;
  /** Signals are applied one at a time, in arrival order (candidates may follow an offer at once). */
  #chain: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #live = { video: false, screen: false };
  readonly #candidates: RTCIceCandidateInit[] = [];
  readonly #frames = { video: 0, screen: 0 };

  constructor(deps: PeerDeps) {
    this.#deps = deps;
    this.id = deps.peerId;
    this.pc = new RTCPeerConnection({ iceServers: deps.iceServers });
    this.audio.autoplay = true;
    this.audio.srcObject = this.streams.audio;
    this.pc.onicecandidate = (e) => {
      if (e.candidate) this.#queueCandidate(e.candidate.toJSON());
    };
    this.pc.ontrack = (e) => {
      const slot = SLOTS[this.pc.getTransceivers().indexOf(e.transceiver)];
      if (!slot) return;
      for (const old of this.streams[slot].getTracks()) this.streams[slot].removeTrack(old);
      this.streams[slot].addTrack(e.track);
      if (slot === "audio") void this.audio.play().catch(() => undefined);
      e.track.onunmute = () => deps.changed();
      e.track.onmute = () => deps.changed();
      deps.changed();
    };
    this.pc.onconnectionstatechange = () => deps.changed();
    if (deps.myId < deps.peerId) this.#run(() => this.#offer());
  }

  get offerer(): boolean {
    return this.#deps.myId < this.#deps.peerId;
  }

  /** Whether frames of the peer's camera or screen arrived since the previous poll. */
  showing(kind: "video" | "screen"): boolean {
    return this.#live[kind];
  }

  /**
   * Updates `showing` from the decoder's frame counters. A remote track's `muted` flag cannot
   * tell: a slot whose sender has no track may still read as unmuted. Returns whether it changed.
   */
  async poll(): Promise<boolean> {
    if (this.#closed) return false;
    const frames: Record<"video" | "screen", number> = { video: 0, screen: 0 };
    (await this.pc.getStats()).forEach((r: { type: string; kind?: string; mid?: string; framesDecoded?: number }) => {
      const slot = r.type === "inbound-rtp" && r.kind === "video" ? SLOTS[Number(r.mid)] : undefined;
      if (slot === "video" || slot === "screen") frames[slot] += r.framesDecoded ?? 0;
    });
    let changed = false;
    for (const kind of ["video", "screen"] as const) {
      const live = frames[kind] > this.#frames[kind];
      this.#frames[kind] = frames[kind];
      if (live !== this.#live[kind]) changed = true;
      this.#live[kind] = live;
    }
    return changed;
  }

  receive(kind: SignalKind, data: unknown): void {
    this.#run(async () => {
      if (kind === "offer" && !this.offerer) return this.#answer(data as RTCSessionDescriptionInit);
      if (kind === "answer" && this.offerer) return this.pc.setRemoteDescription(data as RTCSessionDescriptionInit);
      if (kind !== "candidate" || !data) return;
      for (const c of Array.isArray(data) ? data : [data]) if (c) await this.pc.addIceCandidate(c as RTCIceCandidateInit);
    });
  }

  /** A device went on or off: every sender of that kind follows, without renegotiating. */
  async setTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    const transceiver = this.pc.getTransceivers()[SLOTS.indexOf(kind)];
    if (transceiver && !this.#closed) await transceiver.sender.replaceTrack(track);
  }

  close(): void {
    this.#closed = true;
    this.pc.close();
    this.audio.srcObject = null;
  }

  /**
   * Candidates go out in batches: a browser finds several at once for each of up to 8 peers, and
   * the room closes a connection that sends more than 40 messages in a second.
   */
  #queueCandidate(candidate: RTCIceCandidateInit): void {
    this.#candidates.push(candidate);
    if (this.#candidates.length > 1) return;
    setTimeout(() => {
      const batch = this.#candidates.splice(0);
      if (!this.#closed && batch.length) this.#deps.signal("candidate", batch);
    }, CANDIDATE_BATCH_MS);
  }

  #run(step: () => Promise<unknown> | unknown): void {
    this.#chain = this.#chain
      .then(async () => {
        if (!this.#closed) await step();
      })
      .catch((err: unknown) => console.warn(`media: peer ${this.id}:`, err));
  }

  async #offer(): Promise<void> {
    for (const kind of SLOTS) {
      const t = this.pc.addTransceiver(kind === "audio" ? "audio" : "video", { direction: "sendrecv" });
      await t.sender.replaceTrack(this.#deps.track(kind));
    }
    await this.pc.setLocalDescription(await this.pc.createOffer());
    this.#deps.signal("offer", this.pc.localDescription!.toJSON());
  }

  async #answer(offer: RTCSessionDescriptionInit): Promise<void> {
    await this.pc.setRemoteDescription(offer);
    const transceivers = this.pc.getTransceivers();
    for (const [i, kind] of SLOTS.entries()) {
      const t = transceivers[i];
      if (!t) continue;
      t.direction = "sendrecv";
      await t.sender.replaceTrack(this.#deps.track(kind));
    }
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    this.#deps.signal("answer", this.pc.localDescription!.toJSON());
  }
}
