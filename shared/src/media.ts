// Proximity voice and video: the limits and payload schemas of the rtc_* messages, defined once
// for the room, the JSON gateway, the client and the README.
import { z } from "zod";
import { CATALOG } from "./catalog.ts";
import { MAX_ID, TILE_SIZE } from "./constants.ts";

export const RTC = {
  /** Default talking radius in pixels (a room setting within the bounds below). */
  defaultTalkRadius: 160,
  minTalkRadius: 32,
  maxTalkRadius: 1000,
  /** Most people one person is connected with at once (a peer-to-peer mesh): the nearest ones. */
  maxPeers: 8,
  /** Side of the square a `private_area` rug covers, centred on the object (3 × 3 tiles). */
  privateAreaSize: CATALOG.private_area.footprint[0] * TILE_SIZE,
  /** Largest `data` of one rtc_signal, as JSON: a full SDP offer fits, a flood does not. */
  maxSignalBytes: 12 * 1024,
  /** Signals one person may send per window (an offer, an answer and trickled candidates per peer). */
  signalLimit: { max: 300, windowMs: 10_000 },
  /** Pairs are recomputed at most this often while people move (toggles and leaves act at once). */
  recomputeMs: 250,
  /** Volume fades from full to silent over this last fraction of the radius (client side). */
  fadeFraction: 0.3,
} as const;

/** `candidate` data is one ICE candidate or a list of them (the web client sends batches). */
export const SIGNAL_KINDS = ["offer", "answer", "candidate"] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export const RtcMediaPayload = z.object({
  audio: z.boolean(),
  video: z.boolean(),
  screen: z.boolean().default(false),
});

/** `data` is opaque to the server (an SDP or an ICE candidate) but bounded in size. */
export const RtcSignalPayload = z.object({
  to_user_id: z.number().int().positive().max(MAX_ID),
  kind: z.enum(SIGNAL_KINDS),
  data: z
    .unknown()
    .refine((d) => d !== undefined, "data is required")
    .refine((d) => jsonSize(d) <= RTC.maxSignalBytes, `data must be at most ${RTC.maxSignalBytes} bytes of JSON`),
});

function jsonSize(value: unknown): number {
  try {
    return new TextEncoder().encode(JSON.stringify(value) ?? "").length;
  } catch {
    return Infinity;
  }
}

/** One entry of ICE_SERVERS, as RTCPeerConnection takes it. */
export const IceServer = z.object({
  urls: z.union([IceUrl(), z.array(IceUrl()).min(1).max(8)]),
  username: z.string().max(256).optional(),
  credential: z.string().max(256).optional(),
});
export type IceServer = z.infer<typeof IceServer>;

function IceUrl() {
  return z.string().regex(/^(stun|stuns|turn|turns):\S+$/, "each url must start with stun:, stuns:, turn: or turns:");
}

/** GET /rtc/ice-servers: what a browser hands to RTCPeerConnection, with fresh TURN credentials. */
export const IceServersOut = z.object({
  ice_servers: z.array(IceServer),
  /** When the TURN credentials in the list stop working (ISO time); null when there are none. */
  expires_at: z.string().nullable(),
});
export type IceServersOut = z.infer<typeof IceServersOut>;

export interface RtcPeersPayload {
  connect: number[];
  disconnect: number[];
}
export interface RtcSignalRelayed {
  from_user_id: number;
  kind: SignalKind;
  data: unknown;
}
