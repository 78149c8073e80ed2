// Server CPU cost of proximity-media signaling: 50 people milling around one room, first with
// media off, then with media on (pairs recomputed as they move, rtc_peers diffs, and for every
// new pair an offer, an answer and trickled candidates relayed). Usage:
//   taskset -c 1 npx node bench/media.ts [--window=20] [--people=50]
// The server runs pinned on core 0 (as in `npm run bench`); this process is the generator.
import { Client, type Room } from "@colyseus/sdk";
import { RTC } from "../shared/src/media.ts";
import { ROOM_TYPE } from "../shared/src/protocol.ts";
import { proximityPairs } from "../shared/src/sim/proximity.ts";
import { CpuWindow, round1, sleep } from "./lib.ts";
import { Api, GENERATOR_CORE, startCafe } from "./servers.ts";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const WINDOW_S = arg("window", 20);
const PEOPLE = arg("people", 50);
const ROOM = { width: 800, height: 600 };
const STEP = 10; // px per move at 10 Hz: 100 px/s, half the walking speed
const OFFER = { type: "offer", sdp: "v=0\r\n" + "a=x".repeat(900) }; // about the size of a real audio+video offer
const CANDIDATE = { candidate: "candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host generation 0", sdpMid: "0", sdpMLineIndex: 0 };

interface Walker {
  id: number;
  room: Room;
  x: number;
  y: number;
  heading: number;
}

const counts = { peers: 0, connects: 0, signalsIn: 0, signalsOut: 0, errors: 0 };

async function main(): Promise<void> {
  const server = await startCafe(undefined);
  try {
    const api = new Api(server.url);
    const users = await api.users(PEOPLE, "m");
    const roomId = await api.room(users[0]!.token, "Media bench", PEOPLE);
    const walkers: Walker[] = [];
    for (const u of users) {
      const client = new Client(server.url);
      client.auth.token = u.token;
      const x = 30 + Math.random() * (ROOM.width - 60);
      const y = 30 + Math.random() * (ROOM.height - 60);
      const room = await client.joinOrCreate(ROOM_TYPE, { room_id: roomId, x, y });
      const w: Walker = { id: u.id, room, x: Math.round(x), y: Math.round(y), heading: Math.random() * 2 * Math.PI };
      wire(w);
      walkers.push(w);
    }
    const walk = setInterval(() => walkers.forEach(step), 100);
    await sleep(3000);
    const off = await measure(server.pid);
    for (const w of walkers) w.room.send("rtc_media", { audio: true, video: true });
    await sleep(3000);
    const on = await measure(server.pid);
    clearInterval(walk);
    const perPerson = (n: number, s: number) => round1(n / PEOPLE / s);
    console.log(
      JSON.stringify(
        {
          people: PEOPLE,
          room: ROOM,
          talkRadius: RTC.defaultTalkRadius,
          windowS: WINDOW_S,
          mediaOff: { serverCpu: off.cpu, otherLoadCore0: off.others },
          mediaOn: {
            serverCpu: on.cpu,
            otherLoadCore0: on.others,
            newPairsPerS: round1(on.connects / 2 / on.seconds),
            rtcPeersPerPersonPerS: perPerson(on.peers, on.seconds),
            signalsRelayedPerS: round1(on.signalsIn / on.seconds),
            errors: on.errors,
          },
          signalingCpu: on.cpu - off.cpu,
          recompute: recomputeCost(),
          generatorCore: GENERATOR_CORE,
        },
        null,
        2,
      ),
    );
    await Promise.all(walkers.map((w) => w.room.leave().catch(() => undefined)));
  } finally {
    await server.proc.stop();
  }
}

/** The pair's lower id offers; both sides trickle five candidates, as a browser would. */
function wire(w: Walker): void {
  w.room.onMessage("rtc_peers", (p: { connect: number[]; disconnect: number[] }) => {
    counts.peers++;
    counts.connects += p.connect.length;
    for (const other of p.connect) {
      if (w.id < other) send(w, other, "offer", OFFER);
      for (let i = 0; i < 5; i++) send(w, other, "candidate", CANDIDATE);
    }
  });
  w.room.onMessage("rtc_signal", (s: { from_user_id: number; kind: string }) => {
    counts.signalsIn++;
    if (s.kind === "offer") send(w, s.from_user_id, "answer", { ...OFFER, type: "answer" });
  });
  w.room.onMessage("error", () => counts.errors++);
  w.room.onMessage("*", () => undefined);
}

function send(w: Walker, to: number, kind: string, data: unknown): void {
  counts.signalsOut++;
  w.room.send("rtc_signal", { to_user_id: to, kind, data });
}

/** A random walk at half the walking speed, turning at the walls and now and then at random. */
function step(w: Walker): void {
  if (Math.random() < 0.05) w.heading += (Math.random() - 0.5) * Math.PI;
  let x = Math.round(w.x + STEP * Math.cos(w.heading));
  let y = Math.round(w.y + STEP * Math.sin(w.heading));
  if (x < 20 || x > ROOM.width - 20 || y < 20 || y > ROOM.height - 20) {
    w.heading += Math.PI / 2 + Math.random() * Math.PI;
    return;
  }
  w.x = x;
  w.y = y;
  w.room.send("update_position", { x, y });
}

/** The pair computation alone, in this process: microseconds per recompute of PEOPLE talkers. */
function recomputeCost() {
  const talkers = Array.from({ length: PEOPLE }, (_, i) => ({ user_id: i + 1, x: Math.random() * ROOM.width, y: Math.random() * ROOM.height, area: 0 }));
  let pairs = 0;
  const runs = 2000;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) pairs = proximityPairs(talkers, RTC.defaultTalkRadius).size;
  const us = ((performance.now() - t0) * 1000) / runs;
  return { usPerRecompute: round1(us), pairs, cpuPercentAt4PerS: round1((us * (1000 / RTC.recomputeMs)) / 10_000) };
}

async function measure(pid: number) {
  const start = { ...counts };
  const cpu = new CpuWindow([pid]);
  await sleep(WINDOW_S * 1000);
  const c = cpu.end();
  const delta = (k: keyof typeof counts) => counts[k] - start[k];
  return {
    cpu: c.pids[0]!,
    others: Math.max(0, c.cores[0]! - c.pids[0]!),
    seconds: c.seconds,
    peers: delta("peers"),
    connects: delta("connects"),
    signalsIn: delta("signalsIn"),
    errors: delta("errors"),
  };
}

await main();
process.exit(0);
