// A small world for the property tests: two users, two rooms, each user connected to both rooms
// with a real SDK client, and an interpreter for random commands that waits for every answer.
import { matchMaker } from "@colyseus/core";
import fc from "fast-check";
import { ITEM_TYPES, type ItemType } from "../../../shared/src/constants.ts";
import { CLIENT_MESSAGES, SERVER_MESSAGES } from "../../../shared/src/protocol.ts";
import { Item } from "../../src/db/entities.ts";
import type { TestApp, TestUser } from "./app.ts";
import { checkItemInvariant, type Observed } from "./invariant.ts";
import { objectsOf, Probe } from "./probe.ts";

/** How long a client's view may take to catch up with the database (PROPERTY_CONVERGE_MS: more for a starved soak). */
const CONVERGE_MS = Number(process.env["PROPERTY_CONVERGE_MS"] ?? 3000);

type U = 0 | 1;
type R = 0 | 1;
export type Cmd =
  | { k: "grant"; u: U; type: ItemType }
  | { k: "discard"; u: U; i: number }
  | { k: "place"; u: U; r: R; i: number; x: number; y: number; rotation: number }
  | { k: "tool"; u: U; r: R; i: number; action: "move" | "rotate" | "pickup"; x: number; y: number }
  | { k: "delete"; u: U; i: number }
  /** The owner places one item into both rooms at once, from two connections. */
  | { k: "race"; u: U; i: number; x: number; y: number }
  /** A new connection takes the seat over and replays the last commands sent on the old one. */
  | { k: "reconnect"; u: U; r: R; replay: number }
  /** Two users act at the same time. */
  | { k: "par"; a: Cmd; b: Cmd };

const user = fc.constantFrom<U>(0, 1);
const roomIx = fc.constantFrom<R>(0, 1);
const index = fc.nat(20);
// A coarse grid so random tiles collide with each other sometimes, but not always.
const coord = (max: number) => fc.integer({ min: 2, max: max / 40 - 2 }).map((n) => n * 40);

function single(): fc.Arbitrary<Cmd> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ k: fc.constant("grant" as const), u: user, type: fc.constantFrom(...ITEM_TYPES) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("discard" as const), u: user, i: index }) },
    {
      weight: 4,
      arbitrary: fc.record({ k: fc.constant("place" as const), u: user, r: roomIx, i: index, x: coord(800), y: coord(600), rotation: fc.constantFrom(0, 90, 180, 270) }),
    },
    {
      weight: 6,
      arbitrary: fc.record({ k: fc.constant("tool" as const), u: user, r: roomIx, i: index, action: fc.constantFrom("move" as const, "rotate" as const, "pickup" as const), x: coord(800), y: coord(600) }),
    },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("delete" as const), u: user, i: index }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant("race" as const), u: user, i: index, x: coord(800), y: coord(600) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("reconnect" as const), u: user, r: roomIx, replay: fc.integer({ min: 0, max: 3 }) }) },
  );
}

export const commandsArb = (maxLength: number): fc.Arbitrary<Cmd[]> =>
  fc.array(
    fc.oneof(
      { weight: 5, arbitrary: single() },
      // Concurrent commands of the two users (each user's own connections stay sequential).
      { weight: 1, arbitrary: fc.tuple(single(), single()).map(([a, b]) => ({ k: "par" as const, a: { ...a, u: 0 as U }, b: { ...b, u: 1 as U } }) as Cmd) },
    ),
    { minLength: 3, maxLength },
  );

interface Known {
  id: number;
  owner: U;
}

export class World {
  readonly users: TestUser[] = [];
  readonly roomIds: number[] = [];
  /** probes[u][r]: user u's connection to room r. */
  readonly probes: Probe[][] = [[], []];
  readonly known: Known[] = [];
  /** Where the last answers put each placed item: only a hint for choosing targets, never asserted. */
  readonly #placedIn = new Map<number, R>();
  readonly expected = new Set<number>();
  /** Successful room commands by kind, so a test can show its sequences did real work. */
  readonly succeeded: Record<string, number> = {};
  /** Commands sent on each connection, for replay after a reconnect. */
  readonly #history = new Map<string, { cmd: Extract<Cmd, { k: "place" | "tool" }>; id: number }[]>();

  readonly t: TestApp;

  private constructor(t: TestApp) {
    this.t = t;
  }

  static async create(t: TestApp): Promise<World> {
    const w = new World(t);
    for (const prefix of ["pa", "pb"]) w.users.push(await t.register(prefix));
    for (const [u, name] of [[0, "Left"], [1, "Right"]] as const) {
      const room = await t.api("POST", "/api/v1/rooms", { token: w.users[u]!.token, body: { name, build_policy: "everyone" } });
      w.roomIds.push(room.body.id);
    }
    // Everyone holds a tool, so tool commands are about the target, not about the tool.
    for (const u of [0, 1] as const) await w.#grant(u, "tool");
    w.known.length = 0; // never chosen as targets, so they stay in the inventories
    for (const u of [0, 1] as const) for (const type of ["chair", "chair", "wall", "plant"] as const) await w.#grant(u, type);
    for (const u of [0, 1] as const) {
      for (const r of [0, 1] as const) w.probes[u]![r] = await w.#connect(u, r);
    }
    return w;
  }

  #connect(u: U, r: R): Promise<Probe> {
    // Players stand in the corners, away from the grid of tiles.
    const at = u === 0 ? { x: 20, y: 20 } : { x: 780, y: 580 };
    return Probe.join(this.t.url, this.users[u]!.token, { room_id: this.roomIds[r], ...at });
  }

  async close(): Promise<void> {
    await Promise.all(this.probes.flat().map((p) => p.leave()));
  }

  /** An item for user u: mostly their own unplaced ones (or placed ones in room r), sometimes any id. */
  #item(u: U, i: number, r?: R): number {
    const live = this.known.filter((k) => this.expected.has(k.id));
    const here = live.filter((k) => this.#placedIn.get(k.id) === r);
    const own = here.filter((k) => k.owner === u);
    const pool = i % 7 === 6 ? live : own.length ? own : here.length ? here : live;
    return pool.length ? pool[i % pool.length]!.id : i + 1;
  }

  async #grant(u: U, type: ItemType): Promise<void> {
    const res = await this.t.api("POST", "/api/v1/inventory", { token: this.users[u]!.token, body: { type } });
    if (res.status !== 201) throw new Error(`grant answered ${res.status}`);
    this.known.push({ id: res.body.id, owner: u });
    this.expected.add(res.body.id);
  }

  async run(cmd: Cmd): Promise<void> {
    switch (cmd.k) {
      case "grant":
        return this.#grant(cmd.u, cmd.type);
      case "discard": {
        const id = this.#item(cmd.u, cmd.i);
        const res = await this.t.api("DELETE", `/api/v1/inventory/${id}`, { token: this.users[cmd.u]!.token });
        if (res.status === 204) this.expected.delete(id);
        else if (res.status >= 500) throw new Error(`discard answered ${res.status}`);
        return;
      }
      case "delete": {
        const id = this.#item(cmd.u, cmd.i, (cmd.i % 2) as R);
        const res = await this.t.api("DELETE", `/api/v1/objects/${id}`, { token: this.users[cmd.u]!.token });
        if (res.status >= 500) throw new Error(`delete answered ${res.status}`);
        if (res.status < 300) this.#placedIn.delete(id);
        return;
      }
      case "place":
      case "tool": {
        const id = this.#item(cmd.u, cmd.i, cmd.k === "tool" ? cmd.r : undefined);
        this.#remember(cmd.u, cmd.r, cmd, id);
        return void (await this.#send(this.probes[cmd.u]![cmd.r]!, cmd, id));
      }
      case "race": {
        const id = this.#item(cmd.u, cmd.i);
        const place = (r: R) => this.#send(this.probes[cmd.u]![r]!, { k: "place", u: cmd.u, r, i: cmd.i, x: cmd.x, y: cmd.y, rotation: 0 }, id);
        // Whatever the answers, the invariant check after this command judges the outcome.
        await Promise.all([place(0), place(1)]);
        return;
      }
      case "reconnect":
        return this.#reconnect(cmd.u, cmd.r, cmd.replay);
      case "par":
        await Promise.all([this.run(cmd.a), this.run(cmd.b)]);
        return;
    }
  }

  #remember(u: U, r: R, cmd: Extract<Cmd, { k: "place" | "tool" }>, id: number): void {
    const key = `${u}:${r}`;
    this.#history.set(key, [...(this.#history.get(key) ?? []), { cmd, id }].slice(-3));
  }

  /** Sends a room command and waits for its answer (success broadcast or `error`). */
  async #send(p: Probe, cmd: Extract<Cmd, { k: "place" | "tool" }>, id: number): Promise<{ ok: boolean }> {
    const since = p.mark();
    const me = this.users[cmd.u]!.id;
    let answer: { ok: boolean };
    if (cmd.k === "place") {
      p.send(CLIENT_MESSAGES.placeObject, { inventory_item_id: id, x: cmd.x, y: cmd.y, rotation: cmd.rotation });
      answer = await p.answer(since, CLIENT_MESSAGES.placeObject, (m) => m.type === SERVER_MESSAGES.objectPlaced && m.payload.object.id === id);
    } else {
      p.send(CLIENT_MESSAGES.useTool, { target_object_id: id, action: cmd.action, x: cmd.x, y: cmd.y });
      answer = await p.answer(since, CLIENT_MESSAGES.useTool, (m) => m.type === SERVER_MESSAGES.toolUsed && m.payload.target_object_id === id && m.payload.user_id === me);
    }
    const kind = cmd.k === "tool" ? cmd.action : cmd.k;
    if (answer.ok) {
      this.succeeded[kind] = (this.succeeded[kind] ?? 0) + 1;
      if (kind === "place") this.#placedIn.set(id, cmd.r);
      if (kind === "pickup") this.#placedIn.delete(id);
    }
    return answer;
  }

  async #reconnect(u: U, r: R, replay: number): Promise<void> {
    const old = this.probes[u]![r]!;
    const fresh = await this.#connect(u, r);
    this.probes[u]![r] = fresh;
    await old.left; // closed with 4001 by the takeover
    // The same commands, on the same items, as a client that never saw their answers would resend them.
    for (const { cmd, id } of (this.#history.get(`${u}:${r}`) ?? []).slice(-replay)) await this.#send(fresh, cmd, id);
  }

  async #dbItems(): Promise<Observed["db"]> {
    const rows = await this.t.app.orm.em.fork().find(Item, { owner: { $in: this.users.map((u) => u.id) } });
    return rows.map((i) => ({ id: i.id, owner: i.owner as number, room: (i.room as number | null) ?? null, x: i.x ?? null, y: i.y ?? null, rotation: i.rotation ?? null }));
  }

  /** The database against the live rooms' own (server-side) states. */
  async checkServer(): Promise<string[]> {
    const rooms: Observed["rooms"] = [];
    for (const [r, roomId] of this.roomIds.entries()) {
      const live = matchMaker.getLocalRoomById(this.probes[0]![r]!.room.roomId);
      rooms.push({ label: `server room ${roomId}`, roomId, objects: objectsOf(live?.state) });
    }
    return checkItemInvariant({ db: await this.#dbItems(), expected: this.expected, rooms, inventories: [] });
  }

  /** Everything, including what every client sees (after its patches arrive) and the inventories. */
  async checkAll(): Promise<string[]> {
    const db = await this.#dbItems();
    const inventories = [];
    for (const [u, user] of this.users.entries()) {
      const res = await this.t.api("GET", "/api/v1/inventory?limit=200", { token: user.token });
      inventories.push({ userId: this.users[u]!.id, ids: (res.body as { id: number }[]).map((i) => i.id) });
    }
    const problems = checkItemInvariant({ db, expected: this.expected, rooms: [], inventories });
    for (const [u, row] of this.probes.entries()) {
      for (const [r, p] of row.entries()) {
        const view = () => checkItemInvariant({ db, expected: this.expected, rooms: [{ label: `client ${u} in room ${this.roomIds[r]}`, roomId: this.roomIds[r]!, objects: p.objects() }], inventories: [] });
        // A client's state converges on the database once its patches arrive; if it never does, report how it differs.
        await p.wait(() => (view().length === 0 ? true : undefined), "client state to match the database", CONVERGE_MS).catch(() => problems.push(...view()));
      }
    }
    return problems.concat(await this.checkServer());
  }
}
