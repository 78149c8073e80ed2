// The room side of proximity media: tells the server what we share (rtc_media), hears which
// peers we may connect with (rtc_peers) and carries WebRTC signaling (rtc_signal). The server
// forgets our media state when the connection drops, so it is sent again on every reconnection
// and fresh join; until then every peer connection is void.
import type { MediaState } from "../media/types.ts";
import type { RtcPeersPayload, RtcSignalRelayed, SignalKind } from "../../../shared/src/media.ts";
import { CLIENT_MESSAGES, SERVER_MESSAGES } from "../../../shared/src/protocol.ts";
import type { LiveSession, RoomConnection } from "./room-connection.ts";

export interface SignalingEvents {
  peers(diff: RtcPeersPayload): void;
  signal(signal: RtcSignalRelayed): void;
  /** Our connection dropped or was replaced: every peer connection is gone on the server's side. */
  reset(): void;
}

const OFF: MediaState = { audio: false, video: false, screen: false };

export class MediaSignaling {
  readonly #connection: RoomConnection;
  readonly #events: SignalingEvents;
  #media: MediaState = OFF;
  #session: LiveSession | null = null;
  #unwire: (() => void)[] = [];
  readonly #stop: () => void;

  constructor(connection: RoomConnection, events: SignalingEvents) {
    this.#connection = connection;
    this.#events = events;
    this.#stop = connection.onSession((s) => this.#attach(s));
  }

  setMedia(state: MediaState): void {
    this.#media = state;
    this.#sendMedia();
  }

  signal(toUserId: number, kind: SignalKind, data: unknown): void {
    if (this.#connection.connected) this.#session?.room.send(CLIENT_MESSAGES.rtcSignal, { to_user_id: toUserId, kind, data });
  }

  dispose(): void {
    this.#stop();
    for (const u of this.#unwire.splice(0)) u();
  }

  #sendMedia(): void {
    if (this.#connection.connected) this.#session?.room.send(CLIENT_MESSAGES.rtcMedia, this.#media);
  }

  #attach(s: LiveSession): void {
    for (const u of this.#unwire.splice(0)) u();
    this.#session = s;
    this.#events.reset();
    const { room } = s;
    const drop = () => this.#events.reset();
    const back = () => this.#sendMedia();
    room.onDrop(drop);
    room.onReconnect(back);
    this.#unwire.push(
      room.onMessage(SERVER_MESSAGES.rtcPeers, (p: RtcPeersPayload) => this.#events.peers(p)),
      room.onMessage(SERVER_MESSAGES.rtcSignal, (p: RtcSignalRelayed) => this.#events.signal(p)),
      () => room.onDrop.remove(drop),
      () => room.onReconnect.remove(back),
    );
    this.#sendMedia();
  }
}
