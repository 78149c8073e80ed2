// The crash scenario: a real server process over PostgreSQL, a burst of racing placements and
// pickups from two rooms, kill -9 after a random number of answers, restart, and check that the
// item invariant holds and that every acknowledged change survived, exactly once.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { CLIENT_MESSAGES, SERVER_MESSAGES } from "../../../shared/src/protocol.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { checkItemInvariant, type ItemRow } from "./invariant.ts";
import { Probe } from "./probe.ts";
import { startServerProcess, type ServerProcess } from "./server-process.ts";

const ITEMS = 10;

/** A small seeded generator, so a failing run can be replayed with CRASH_SEED. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

interface Observations {
  /** Raced item → rooms whose client saw it placed. */
  placedIn: Map<number, Set<number>>;
  /** Items whose pickup was acknowledged. */
  pickedUp: Set<number>;
}

export class CrashScenario {
  server!: ServerProcess;
  readonly #db: TestDatabase;
  readonly #env: Record<string, string>;
  token = "";
  userId = 0;
  roomIds: number[] = [];
  items: number[] = [];
  toolId = 0;

  private constructor(db: TestDatabase, env: Record<string, string>) {
    this.#db = db;
    this.#env = env;
  }

  static async create(extraEnv: Record<string, string> = {}): Promise<CrashScenario> {
    const db = await createTestDatabase("postgresql");
    if (db.config.kind !== "postgresql") throw new Error("the crash test needs PostgreSQL");
    const env = { DATABASE_URL: db.config.url, SECRET_KEY: randomBytes(32).toString("hex"), ...extraEnv };
    const s = new CrashScenario(db, env);
    s.server = await startServerProcess(env);
    const reg = await s.#api("POST", "/api/v1/auth/register", { username: `crash_${randomBytes(3).toString("hex")}`, email: `c${randomBytes(3).toString("hex")}@example.test`, password: "correct horse battery" });
    s.token = reg.access_token;
    s.userId = reg.user.id;
    for (const name of ["Crash A", "Crash B"]) s.roomIds.push((await s.#api("POST", "/api/v1/rooms", { name, build_policy: "everyone" })).id);
    s.toolId = (await s.#api("POST", "/api/v1/inventory", { type: "tool" })).id;
    for (let i = 0; i < ITEMS; i++) s.items.push((await s.#api("POST", "/api/v1/inventory", { type: "chair" })).id);
    return s;
  }

  async #api(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(this.server.url + path, {
      method,
      headers: { "content-type": "application/json", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : res.json();
  }

  async #rows(): Promise<ItemRow[]> {
    if (this.#db.config.kind !== "postgresql") return [];
    const client = new pg.Client({ connectionString: this.#db.config.url });
    await client.connect();
    try {
      const res = await client.query("select id, owner_id as owner, room_id as room, x, y, rotation from items where owner_id = $1", [this.userId]);
      return res.rows as ItemRow[];
    } finally {
      await client.end();
    }
  }

  async #join(): Promise<Probe[]> {
    return Promise.all(this.roomIds.map((room_id) => Probe.join(this.server.url, this.token, { room_id, x: 20, y: 20 }, false)));
  }

  /** The invariant now, and that the last round's acknowledged changes are in the database. */
  async check(probes: Probe[], last?: Observations): Promise<string[]> {
    const db = await this.#rows();
    const inventory = (await this.#api("GET", "/api/v1/inventory?limit=200")) as { id: number }[];
    const expected = [this.toolId, ...this.items];
    const problems = checkItemInvariant({ db, expected, rooms: [], inventories: [{ userId: this.userId, ids: inventory.map((i) => i.id) }] });
    for (const [r, p] of probes.entries()) {
      const roomId = this.roomIds[r]!;
      const view = () => checkItemInvariant({ db, expected, rooms: [{ label: `room ${roomId} after restart`, roomId, objects: p.objects() }], inventories: [] });
      await p.wait(() => (view().length === 0 ? true : undefined), "the room state to match the database", 5000).catch(() => problems.push(...view()));
    }
    const byId = new Map(db.map((row) => [row.id, row]));
    for (const [id, rooms] of last?.placedIn ?? []) {
      if (rooms.size > 1) problems.push(`item ${id} was placed in both rooms (${[...rooms].join(", ")})`);
      else if (rooms.size === 1 && byId.get(id)?.room !== [...rooms][0]) problems.push(`item ${id}: its acknowledged placement was lost`);
    }
    for (const id of last?.pickedUp ?? []) if (byId.get(id)?.room !== null) problems.push(`item ${id}: its acknowledged pickup was lost`);
    return problems;
  }

  /**
   * One round: join both rooms, check, then race every unplaced item into both rooms and pick up
   * every placed one, and kill -9 the server once `random()` of the answers have arrived.
   */
  async round(random: () => number): Promise<{ problems: string[]; seen: Observations; answered: number; total: number }> {
    const probes = await this.#join();
    const seen: Observations = { placedIn: new Map(), pickedUp: new Set() };
    const rows = new Map((await this.#rows()).map((r) => [r.id, r]));
    let answered = 0;
    let total = 0;
    let reached: (() => void) | undefined;
    let killAfter = Infinity;
    const count = () => {
      if (++answered >= killAfter) reached?.();
    };
    for (const [n, id] of this.items.entries()) {
      const row = rows.get(id)!;
      if (row.room === null) {
        seen.placedIn.set(id, new Set());
        for (const [r, p] of probes.entries()) {
          total++;
          const since = p.mark();
          p.send(CLIENT_MESSAGES.placeObject, { inventory_item_id: id, x: 60 + 60 * n, y: 100 + 200 * r, rotation: 0 });
          void p
            .answer(since, CLIENT_MESSAGES.placeObject, (m) => m.type === SERVER_MESSAGES.objectPlaced && m.payload.object.id === id)
            .then((a) => (a.ok ? seen.placedIn.get(id)!.add(this.roomIds[r]!) : undefined), () => undefined)
            .finally(count);
        }
      } else {
        total++;
        const p = probes[this.roomIds.indexOf(row.room)]!;
        const since = p.mark();
        // Half by the tool in the room, half over REST.
        const done =
          n % 2 === 0
            ? (p.send(CLIENT_MESSAGES.useTool, { target_object_id: id, action: "pickup" }),
              p.answer(since, CLIENT_MESSAGES.useTool, (m) => m.type === SERVER_MESSAGES.toolUsed && m.payload.target_object_id === id).then((a) => a.ok))
            : this.#api("DELETE", `/api/v1/objects/${id}`).then(() => true);
        void done.then((ok) => (ok ? seen.pickedUp.add(id) : undefined), () => undefined).finally(count);
      }
    }
    killAfter = Math.floor(random() * (total + 1));
    // Every command gets an answer (success or error) while the server lives, so this resolves.
    if (answered < killAfter) await new Promise<void>((resolve) => (reached = resolve));
    const answeredAtKill = answered;
    await this.server.kill();
    await Promise.all(probes.map((p) => p.left));
    this.server = await startServerProcess(this.#env);
    const after = await this.#join();
    const problems = await this.check(after, seen);
    await Promise.all(after.map((p) => p.leave()));
    return { problems, seen, answered: answeredAtKill, total };
  }

  async close(): Promise<void> {
    await this.server.kill();
    await this.#db.drop();
  }
}
