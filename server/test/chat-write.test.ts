// The one-statement chat write must decide exactly as the careful path's rules do: the room visible
// to the sender (shared/src/rights.ts "see"), no room mute or account mute in force, and a
// whisper's recipient present. Every combination is tried on both databases; each refusal is then
// confirmed by the service itself (ChatService.post names it), and each success is stored once.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Viewer } from "../src/services/access.ts";
import { postInOneStatement } from "../src/services/chat-write.ts";
import { AppError } from "../src/services/errors.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";

const HOUR = 3_600_000;
type Mute = "none" | "active" | "expired" | "forever";
const MUTES: Mute[] = ["none", "active", "expired", "forever"];
const ACCOUNT_MUTES = ["none", "active", "expired"] as const;
const WHISPERS = ["none", "present", "absent"] as const;

describe.each(DB_KINDS)("chat in one statement on %s", (kind) => {
  let t: TestApp;
  let owner: TestUser;
  let member: TestUser;
  let stranger: TestUser;
  let admin: TestUser;
  let present: TestUser;
  let absent: TestUser;
  const rooms: { id: number; isPrivate: boolean }[] = [];
  const sql = (text: string, params: unknown[] = []) => t.app.orm.em.fork().execute(text, params);
  const viewerOf = (u: TestUser, isAdmin = false): Viewer => ({ id: u.id, username: u.username, isAdmin });

  beforeAll(async () => {
    t = await startTestApp(kind);
    [owner, member, stranger, present, absent] = [await t.register("owner"), await t.register("member"), await t.register("stranger"), await t.register("present"), await t.register("absent")];
    admin = await t.admin();
    for (const isPrivate of [false, true]) {
      const id = (await t.api("POST", "/api/v1/rooms", { token: owner.token, body: { name: isPrivate ? "Hidden" : "Open", is_private: isPrivate } })).body.id as number;
      rooms.push({ id, isPrivate });
      await sql("insert into room_members (room_id, user_id, role, added_at) values (?, ?, 'member', now())", [id, member.id]);
      // The whisper's recipient is in the room now; the other one left.
      await sql("insert into room_visits (room_id, user_id, x, y, process_id, joined_at) values (?, ?, 10, 10, 'test', now())", [id, present.id]);
      await sql("insert into room_visits (room_id, user_id, x, y, process_id, joined_at, left_at) values (?, ?, 10, 10, 'test', now(), now())", [id, absent.id]);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it("stores exactly the messages the rules allow, and nothing else", async () => {
    const senders = [
      { who: "owner", user: () => owner, isAdmin: false },
      { who: "member", user: () => member, isAdmin: false },
      { who: "stranger", user: () => stranger, isAdmin: false },
      { who: "admin", user: () => admin, isAdmin: true },
    ];
    let tried = 0;
    let stored = 0;
    for (const room of rooms) {
      for (const sender of senders) {
        const v = viewerOf(sender.user(), sender.isAdmin);
        for (const mute of MUTES) {
          await sql("delete from room_sanctions where room_id = ? and user_id = ?", [room.id, v.id]);
          if (mute !== "none") {
            const until = mute === "forever" ? null : new Date(Date.now() + (mute === "active" ? HOUR : -HOUR));
            await sql("insert into room_sanctions (room_id, user_id, kind, until, by_user_id, created_at) values (?, ?, 'mute', ?, ?, now())", [room.id, v.id, until, owner.id]);
          }
          for (const accountMute of ACCOUNT_MUTES) {
            const until = accountMute === "none" ? null : new Date(Date.now() + (accountMute === "active" ? HOUR : -HOUR));
            await sql("update users set muted_until = ? where id = ?", [until, v.id]);
            for (const whisper of WHISPERS) {
              const toUserId = whisper === "none" ? null : whisper === "present" ? present.id : absent.id;
              const sees = !room.isPrivate || sender.who !== "stranger";
              const allowed = sees && (mute === "none" || mute === "expired") && accountMute !== "active" && whisper !== "absent";
              const message = `m${++tried}`;
              const id = await postInOneStatement(t.app.orm.em.fork(), { viewer: v, roomId: room.id, message, toUserId, createdAt: new Date() });
              const label = `${room.isPrivate ? "private" : "public"} room, ${sender.who}, room mute ${mute}, account mute ${accountMute}, whisper ${whisper}`;
              expect({ label, stored: id !== null }).toEqual({ label, stored: allowed });
              const rows = await sql("select id, user_id, to_user_id from chat_messages where message = ?", [message]);
              expect(rows.length).toBe(allowed ? 1 : 0);
              if (allowed) {
                stored++;
                expect(Number(rows[0]!["id"])).toBe(id);
                expect(rows[0]!["to_user_id"] ?? null).toBe(toUserId);
              } else {
                // The careful path agrees, and names why.
                const refusal = await t.app.services.chat.post(v, room.id, message, toUserId ?? undefined).then(
                  () => "stored",
                  (err: unknown) => (err instanceof AppError ? err.code : String(err)),
                );
                expect({ label, refusal }).toEqual({ label, refusal: !sees || whisper === "absent" ? "not_found" : "muted" });
              }
            }
          }
        }
      }
    }
    await sql("update users set muted_until = null");
    expect(tried).toBe(2 * 4 * 4 * 3 * 3);
    expect(stored).toBeGreaterThan(20);
  });
});
