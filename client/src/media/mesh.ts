// The peer-to-peer mesh: our devices, and one Peer per person the server connects us with.
// The server alone decides who that is (rtc_peers); media errors never reach chat or movement,
// they only show in the media bar.
import { RTC, type RtcPeersPayload, type RtcSignalRelayed } from "../../../shared/src/media.ts";
import { api } from "../net/api.ts";
import { MediaSignaling } from "../net/media-signaling.ts";
import type { RoomConnection } from "../net/room-connection.ts";
import { createStore } from "../state/store.ts";
import { SpeechLevels } from "./levels.ts";
import { Peer } from "./peer.ts";
import type { MediaKind, MediaState } from "./types.ts";

export interface PeerView {
  id: number;
  state: RTCPeerConnectionState;
  video: MediaStream | null;
  screen: MediaStream | null;
}

export interface MeshView {
  local: MediaState;
  /** Our camera, for the self tile. */
  preview: MediaStream | null;
  peers: PeerView[];
  speaking: number[];
  /** The last device error (permission refused, no camera…), for the media bar. */
  error: string | null;
}

const OFF: MediaState = { audio: false, video: false, screen: false };
const LEVELS_MS = 150;
/** How often the video tiles check whose camera or screen is sending frames. */
const FRAMES_MS = 700;

export class MediaMesh {
  readonly view = createStore<MeshView>({ local: OFF, preview: null, peers: [], speaking: [], error: null });
  readonly #myId: number;
  readonly #signaling: MediaSignaling;
  readonly #peers = new Map<number, Peer>();
  readonly #tracks: Record<MediaKind, MediaStreamTrack | null> = { audio: null, video: null, screen: null };
  readonly #levels = new SpeechLevels();
  readonly #timers: ReturnType<typeof setInterval>[];
  #ice: RTCIceServer[] | null = null;
  #local: MediaState = OFF;

  constructor(connection: RoomConnection, myId: number) {
    this.#myId = myId;
    this.#signaling = new MediaSignaling(connection, {
      peers: (diff) => this.#onPeers(diff),
      signal: (s) => this.#onSignal(s),
      reset: () => this.#closeAll(),
    });
    this.#timers = [setInterval(() => this.#sampleLevels(), LEVELS_MS), setInterval(() => void this.#pollFrames(), FRAMES_MS)];
  }

  /** Turns a device on or off. The browser asks for permission only here, on first use. */
  async set(kind: MediaKind, on: boolean): Promise<void> {
    try {
      if (on && !this.#tracks[kind]) this.#tracks[kind] = await acquire(kind);
      if (!on) this.#tracks[kind]?.stop();
      if (!on) this.#tracks[kind] = null;
      const track = this.#tracks[kind];
      // The browser's own "stop sharing" button ends the screen track.
      if (track) track.onended = () => void this.set(kind, false);
      await Promise.all([...this.#peers.values()].map((p) => p.setTrack(kind, track)));
      this.#ice ??= await api.iceServers().then((r) => r.ice_servers as RTCIceServer[], () => []);
      this.#local = { ...this.#local, [kind]: on };
      this.#signaling.setMedia(this.#local);
      this.#levels.watch(this.#myId, this.#tracks.audio ? new MediaStream([this.#tracks.audio]) : null);
      this.#publish({ error: null });
    } catch (err) {
      this.#publish({ error: err instanceof Error ? err.name || err.message : String(err) });
    }
  }

  /** Sets each peer's volume: `distanceTo(id)` is how far they are (0 in a shared private area). */
  fade(volumeOf: (peerId: number) => number): void {
    for (const p of this.#peers.values()) p.audio.volume = Math.max(0, Math.min(1, volumeOf(p.id)));
  }

  dispose(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#signaling.dispose();
    this.#closeAll();
    for (const kind of Object.keys(this.#tracks) as MediaKind[]) this.#tracks[kind]?.stop();
    this.#levels.dispose();
    delete (globalThis as { __cafeMedia?: unknown }).__cafeMedia;
  }

  /** Read-only, for tests and debugging: the peer connections and their byte counters. */
  debugHook() {
    return Object.freeze({
      peers: () => [...this.#peers.values()].map((p) => ({ id: p.id, state: p.pc.connectionState, volume: p.audio.volume })),
      local: () => ({ ...this.#local }),
      stats: async (id: number) => {
        const peer = this.#peers.get(id);
        if (!peer) return null;
        const out = { inAudio: 0, inVideo: 0, outAudio: 0, outVideo: 0, framesDecoded: 0 };
        (await peer.pc.getStats()).forEach((r: { type: string; kind?: string; bytesReceived?: number; bytesSent?: number; framesDecoded?: number }) => {
          if (r.type === "inbound-rtp") out[r.kind === "audio" ? "inAudio" : "inVideo"] += r.bytesReceived ?? 0;
          if (r.type === "inbound-rtp") out.framesDecoded += r.framesDecoded ?? 0;
          if (r.type === "outbound-rtp") out[r.kind === "audio" ? "outAudio" : "outVideo"] += r.bytesSent ?? 0;
        });
        return out;
      },
    });
  }

  #onPeers({ connect, disconnect }: RtcPeersPayload): void {
    for (const id of disconnect) this.#drop(id);
    for (const id of connect.slice(0, RTC.maxPeers)) {
      this.#drop(id);
      this.#peers.set(
        id,
        new Peer({
          myId: this.#myId,
          peerId: id,
          iceServers: this.#ice ?? [],
          track: (kind) => this.#tracks[kind],
          signal: (kind, data) => this.#signaling.signal(id, kind, data),
          changed: () => this.#publish({}),
        }),
      );
    }
    this.#publish({});
  }

  #onSignal(s: RtcSignalRelayed): void {
    this.#peers.get(s.from_user_id)?.receive(s.kind, s.data);
  }

  #drop(id: number): void {
    const peer = this.#peers.get(id);
    if (!peer) return;
    peer.close();
    this.#peers.delete(id);
    this.#levels.watch(id, null);
  }

  #closeAll(): void {
    for (const id of [...this.#peers.keys()]) this.#drop(id);
    this.#publish({});
  }

  #sampleLevels(): void {
    for (const p of this.#peers.values()) this.#levels.watch(p.id, p.streams.audio.getAudioTracks().length ? p.streams.audio : null);
    const speaking = this.#levels.speaking();
    const before = this.view.get().speaking;
    if (speaking.length !== before.length || speaking.some((id, i) => before[i] !== id)) this.#publish({ speaking });
  }

  async #pollFrames(): Promise<void> {
    const changed = await Promise.all([...this.#peers.values()].map((p) => p.poll().catch(() => false)));
    if (changed.some(Boolean)) this.#publish({});
  }

  #publish(change: Partial<MeshView>): void {
    const peers = [...this.#peers.values()].map((p) => ({
      id: p.id,
      state: p.pc.connectionState,
      video: p.showing("video") ? p.streams.video : null,
      screen: p.showing("screen") ? p.streams.screen : null,
    }));
    const preview = this.#tracks.video ? new MediaStream([this.#tracks.video]) : null;
    this.view.set((v) => ({ ...v, local: this.#local, preview: samePreview(v.preview, preview) ? v.preview : preview, peers, ...change }));
  }
}

function samePreview(a: MediaStream | null, b: MediaStream | null): boolean {
  return a?.getVideoTracks()[0] === b?.getVideoTracks()[0];
}

async function acquire(kind: MediaKind): Promise<MediaStreamTrack> {
  const stream =
    kind === "screen"
      ? await navigator.mediaDevices.getDisplayMedia({ video: true })
      : await navigator.mediaDevices.getUserMedia(kind === "audio" ? { audio: true } : { video: { width: 320, height: 240 } });
  const track = stream.getTracks()[0];
  if (!track) throw new Error("NoTrack");
  return track;
}
