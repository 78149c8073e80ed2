// The one-statement join must admit exactly whom the careful path admits (AccountService.authenticate
// then RoomService.assertJoinable), and hand the room the same profile and last position the
// careful path reads. Every combination is tried on both databases.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";

const HOUR = 3_600_000;
const BANS = ["none", "active", "expired", "forever"] as const;
const ACCOUNTS = ["ok", "banned", "deleted"] as const;

describe.each(DB_KINDS)("joining in one statement on %s", (kind) => {
  let t: TestApp;
  let owner: TestUser;
  const rooms: { id: number; isPrivate: boolean }[] = [];
  const sql = (text: string, params: unknown[] = []) => t.app.orm.em.fork().execute(text, params);
  /** The join's token check, then its one statement. */
  const admitToken = async (token: string, roomId: number) => {
    const userId = t.app.services.joins.userOf(token);
    return userId === null ? null : t.app.services.joins.admit(userId, roomId);
  };

  /** Raw statements (`em.execute`, which the join and visit services use) run while `fn` runs. */
  const countStatements = async (fn: () => Promise<void>): Promise<number> => {
    const em = t.app.orm.em;
    const fork = em.fork.bind(em);
    let statements = 0;
    em.fork = ((...args: Parameters<typeof em.fork>) => {
      const forked = fork(...args);
      const execute = forked.execute.bind(forked);
      forked.execute = ((...a: Parameters<typeof forked.execute>) => (statements++, execute(...a))) as typeof forked.execute;
      return forked;
    }) as typeof em.fork;
    try {
      await fn();
    } finally {
      em.fork = fork;
    }
    return statements;
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    owner = await t.register("owner");
    for (const isPrivate of [false, true]) {
      const id = (await t.api("POST", "/api/v1/rooms", { token: owner.token, body: { name: isPrivate ? "Hidden" : "Open", is_private: isPrivate } })).body.id as number;
      rooms.push({ id, isPrivate });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it("admits exactly whom the careful path admits, with the same profile and last position", async () => {
    const s = t.app.services;
    const senders = [
      { who: "owner", user: async () => owner },
      { who: "member", user: async () => t.register("member") },
      { who: "stranger", user: async () => t.register("stranger") },
      { who: "admin", user: async () => t.admin() },
    ];
    let tried = 0;
    let admitted = 0;
    for (const room of rooms) {
      for (const sender of senders) {
        for (const account of ACCOUNTS) {
          // A fresh member or stranger per case; the owner and the admin are reset after each.
          const user = await sender.user();
          if (sender.who === "member") await sql("insert into room_members (room_id, user_id, role, added_at) values (?, ?, 'member', now())", [room.id, user.id]);
          await sql("update users set banned_at = ?, deleted_at = ? where id = ?", [account === "banned" ? new Date() : null, account === "deleted" ? new Date() : null, user.id]);
          for (const ban of BANS) {
            await sql("delete from room_sanctions where room_id = ? and user_id = ?", [room.id, user.id]);
            if (ban !== "none") {
              const until = ban === "forever" ? null : new Date(Date.now() + (ban === "active" ? HOUR : -HOUR));
              await sql("insert into room_sanctions (room_id, user_id, kind, until, by_user_id, created_at) values (?, ?, 'ban', ?, ?, now())", [room.id, user.id, until, owner.id]);
            }
            tried++;
            const label = `${room.isPrivate ? "private" : "public"} room, ${sender.who}, account ${account}, room ban ${ban}`;
            const fast = await admitToken(user.token, room.id);
            const careful = await s.accounts.authenticate(user.token).then(
              async (viewer) => (await s.rooms.assertJoinable(viewer, room.id), viewer),
              () => null,
            ).catch(() => null);
            expect({ label, admitted: fast !== null }).toEqual({ label, admitted: careful !== null });
            if (fast && careful) {
              admitted++;
              expect(fast.viewer).toEqual(careful);
              const profile = await s.accounts.getProfile(careful, careful.id);
              expect(fast.profile).toEqual({ display_name: profile.display_name, avatar_color: profile.avatar_color, avatar: profile.avatar });
              expect(fast.lastPosition).toEqual(await s.visits.lastPosition(room.id, careful.id));
            }
          }
          await sql("update users set banned_at = null, deleted_at = null where id = ?", [user.id]);
        }
      }
    }
    await sql("delete from room_sanctions");
    expect(tried).toBe(2 * 4 * 3 * 4);
    expect(admitted).toBeGreaterThan(10);
  });

  it("answers joins asked together one by one, each as if asked alone, in fewer statements", async () => {
    const s = t.app.services;
    const [open, hidden] = [rooms[0]!.id, rooms[1]!.id];
    const member = await t.register("together-member");
    await sql("insert into room_members (room_id, user_id, role, added_at) values (?, ?, 'member', now())", [hidden, member.id]);
    const stranger = await t.register("together-stranger");
    const banned = await t.register("together-banned");
    await sql("insert into room_sanctions (room_id, user_id, kind, until, by_user_id, created_at) values (?, ?, 'ban', null, ?, now())", [open, banned.id, owner.id]);
    await sql("insert into room_visits (room_id, user_id, x, y, process_id, joined_at, left_at) values (?, ?, 33, 44, 'test', now(), now())", [open, stranger.id]);
    const asks: [number, number][] = [
      [owner.id, open], [member.id, hidden], [stranger.id, hidden], [stranger.id, open], [banned.id, open],
      [banned.id, hidden], [member.id, 999_999], [999_999, open], [stranger.id, open], [owner.id, hidden],
    ];
    const alone: Awaited<ReturnType<typeof s.joins.admit>>[] = [];
    for (const [user, room] of asks) alone.push(await s.joins.admit(user, room));
    expect(alone.map((a) => a !== null)).toEqual([true, true, false, true, false, false, false, false, true, true]);
    expect(alone[3]!.lastPosition).toEqual({ x: 33, y: 44 });

    // Count the statements the join service runs while all ten ask at once.
    const statements = await countStatements(async () => {
      const together = await Promise.all(asks.map(([user, room]) => s.joins.admit(user, room)));
      expect(together).toEqual(alone);
    });
    expect(statements).toBeGreaterThan(0);
    expect(statements).toBeLessThanOrEqual(2); // the first alone, the other nine together
    await sql("delete from room_sanctions");
  });

  it("closes visits that end together in fewer statements, each with its own time and place, never reopening one", async () => {
    const visits = t.app.services.visits;
    const room = rooms[0]!.id;
    const people = [];
    for (let i = 0; i < 8; i++) people.push(await t.register(`leaver${i}`));
    const ids: number[] = [];
    for (const p of people) ids.push(await visits.open(room, p.id, 10, 10));
    // One of them was closed already (an orphan sweep): a later close must not move it.
    await sql("update room_visits set left_at = '2026-01-01T00:00:00Z', x = 1, y = 2 where id = ?", [ids[7]]);
    const before = Date.now();
    const statements = await countStatements(() => Promise.all(ids.map((id, i) => visits.close(id, { x: 100 + i, y: 200 + i }))).then(() => undefined));
    expect(statements).toBeGreaterThan(0);
    expect(statements).toBeLessThanOrEqual(2); // the first alone, the other seven together
    const rows = (await sql(`select id, x, y, left_at from room_visits where id in (${ids.map(() => "?").join(", ")}) order by id`, ids)) as unknown as {
      id: number;
      x: number;
      y: number;
      left_at: Date;
    }[];
    expect(rows.map((r) => [Number(r.id), r.x, r.y])).toEqual(ids.map((id, i) => (i === 7 ? [id, 1, 2] : [id, 100 + i, 200 + i])));
    for (const r of rows.slice(0, 7)) expect(new Date(r.left_at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(rows[7]!.left_at).toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });

  it("reads the last position in this room, and refuses a bad or unknown token", async () => {
    const s = t.app.services;
    const room = rooms[0]!.id;
    const other = rooms[1]!.id;
    await sql("insert into room_visits (room_id, user_id, x, y, process_id, joined_at, left_at) values (?, ?, 40, 50, 'test', now(), now())", [room, owner.id]);
    await sql("insert into room_visits (room_id, user_id, x, y, process_id, joined_at, left_at) values (?, ?, 70, 80, 'test', now(), now())", [room, owner.id]);
    await sql("insert into room_visits (room_id, user_id, x, y, process_id, joined_at, left_at) values (?, ?, 90, 90, 'test', now(), now())", [other, owner.id]);
    expect((await admitToken(owner.token, room))!.lastPosition).toEqual({ x: 70, y: 80 });
    expect(s.joins.userOf("not a token")).toBeNull();
    expect(await admitToken(owner.token, 999_999)).toBeNull();
  });
});
