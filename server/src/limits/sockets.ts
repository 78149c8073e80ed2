// What every WebSocket server of Cafe's (Colyseus's transport, the JSON gateway) is told.
import { MAX_MESSAGE_BYTES } from "../../../shared/src/constants.ts";

export const SOCKET_OPTIONS = {
  maxPayload: MAX_MESSAGE_BYTES,
  perMessageDeflate: false,
  // One message per socket per turn of the event loop. By default ws hands over every frame of a
  // chunk at once, and a poll phase with 150 sockets each holding 30 frames ran 100–300 ms of
  // message handlers back to back (a CPU profile of the fuzz soak): the room's patch timer, and so
  // every well-behaved player's echo, waited behind it. Deferred, each socket's next frame waits for
  // the others' and for the timers.
  allowSynchronousEvents: false,
} as const;
