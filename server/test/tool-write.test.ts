// A tool's pickup and inspect in one statement must decide exactly as the careful path's rules do
// (shared/src/rights.ts), write the change and its log row together and once, and take one round
// trip; a refusal still gets its name from the careful path. On both databases.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { BUILD_POLICIES, can, canChangeObject, ROOM_ROLES, type RoomRole } from "../../shared/src/rights.ts";
import type { Viewer } from "../src/services/access.ts";
import { inspectText, inspectWithTool, PICKUP_RESULT, pickUpWithTool } from "../src/services/tool-write.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";

const STANDINGS = ["admin", "owner", ...ROOM_ROLES, "stranger"] as const;
type Standing = (typeof STANDINGS)[number];

describe.each(DB_KINDS)("tool use in one statement on %s", (kind) => {
  let t: TestApp;
  const viewers = {} as Record<Standing, Viewer>;
  let spot = 0;

  const viewerOf = (u: TestUser, isAdmin = false): Viewer => ({ id: u.id, username: u.username, isAdmin });
  const sql = <T>(text: string, params: unknown[] = []) => t.app.orm.em.fork().execute<T[]>(text, params);
  /** A chair of `owner` standing in the room, written directly (this test is about tool use, not placing). */
  const placedChair = async (owner: Viewer, roomId: number) => {
    spot += 1;
    const rows = await sql<{ id: number }>(
      "insert into items (type, name, owner_id, room_id, x, y, rotation, created_at) values ('chair', 'Chair', ?, ?, ?, ?, 0, now()) returning id",
      [owner.id, roomId, 20 + (spot % 20) * 36, 20 + Math.floor(spot / 20) * 36],
    );
    return rows[0]!.id;
  };
  const logRows = (objectId: number) => sql<{ user_id: number; action: string; result: string }>("select user_id, action, result from tool_logs where target_object_id = ?", [objectId]);
  const roomOf = async (objectId: number) => (await sql<{ room_id: number | null }>("select room_id from items where id = ?", [objectId]))[0]!.room_id;
  /** Queries the app has sent so far (every statement, BEGIN and COMMIT included, is one). */
  const queries = async () => {
    const metric = await t.app.metrics.registry.getSingleMetric("cafe_db_query_duration_seconds")!.get();
    const count = metric.values.find((v) => (v as { metricName?: string }).metricName === "cafe_db_query_duration_seconds_count");
    if (!count) throw new Error("no query count in the metrics");
    return count.value;
  };

  beforeAll(async () => {
    t = await startTestApp(kind);
    viewers.admin = viewerOf(await t.admin(), true);
    for (const s of STANDINGS.filter((s) => s !== "admin")) viewers[s] = viewerOf(await t.register(s));
    for (const v of Object.values(viewers)) await t.app.services.items.grant(v, { type: "tool" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("picks up exactly when the rules allow it, for every standing, build policy, privacy and owner", async () => {
    const ownerToken = t.app.services.tokens.issue(viewers.owner.id, viewers.owner.username);
    let picked = 0;
    for (const build_policy of BUILD_POLICIES) {
      for (const is_private of [false, true]) {
        const created = await t.api("POST", "/api/v1/rooms", { token: ownerToken, body: { name: `${build_policy} ${is_private}`, build_policy, is_private } });
        const roomId = created.body.id as number;
        for (const role of ROOM_ROLES) {
          await sql("insert into room_members (room_id, user_id, role, added_at) values (?, ?, ?, now())", [roomId, viewers[role].id, role]);
        }
        const rights = { owner_id: viewers.owner.id, is_private, build_policy };
        for (const standing of STANDINGS) {
          const v = viewers[standing];
          const role = (ROOM_ROLES as readonly string[]).includes(standing) ? (standing as RoomRole) : null;
          for (const own of [true, false]) {
            const objectOwner = own ? v : standing === "stranger" ? viewers.member : viewers.stranger;
            const id = await placedChair(objectOwner, roomId);
            const expected = can(v, rights, role, "see") && canChangeObject(v, rights, role, objectOwner.id, "pickup");
            const logId = await pickUpWithTool(t.app.orm.em.fork(), v, roomId, id);
            const label = `${standing} ${own ? "own" : "other's"} in ${build_policy} ${is_private ? "private" : "public"}`;
            expect({ label, picked: logId !== null }).toEqual({ label, picked: expected });
            // The change and its log row, both or neither.
            expect({ label, inRoom: (await roomOf(id)) !== null }).toEqual({ label, inRoom: !expected });
            expect(await logRows(id)).toEqual(expected ? [{ user_id: v.id, action: "pickup", result: PICKUP_RESULT }] : []);
            if (expected) picked += 1;
          }
        }
      }
    }
    // Both outcomes must occur often, or agreement proves little.
    expect(picked).toBeGreaterThan(20);
    expect(picked).toBeLessThan(60);
  });

  it("needs a tool, an object in that room, and writes once", async () => {
    const toolless = viewerOf(await t.register("toolless"));
    const roomId = (await t.api("POST", "/api/v1/rooms", { token: t.app.services.tokens.issue(toolless.id, toolless.username), body: { name: "No tools" } })).body.id as number;
    const id = await placedChair(toolless, roomId);
    expect(await pickUpWithTool(t.app.orm.em.fork(), toolless, roomId, id)).toBeNull();
    expect(await inspectWithTool(t.app.orm.em.fork(), toolless, roomId, id)).toBeNull();
    expect(await logRows(id)).toEqual([]);
    await t.app.services.items.grant(toolless, { type: "tool" });
    expect(await pickUpWithTool(t.app.orm.em.fork(), toolless, roomId + 1, id)).toBeNull(); // another room
    expect(await pickUpWithTool(t.app.orm.em.fork(), toolless, roomId, id)).not.toBeNull();
    expect(await pickUpWithTool(t.app.orm.em.fork(), toolless, roomId, id)).toBeNull(); // exactly once
    expect((await logRows(id)).length).toBe(1);
  });

  it("inspects in one statement with the careful path's words", async () => {
    const roomId = (await t.api("POST", "/api/v1/rooms", { token: t.app.services.tokens.issue(viewers.owner.id, viewers.owner.username), body: { name: "Inspect" } })).body.id as number;
    const id = await placedChair(viewers.member, roomId);
    await sql("update items set name = ?, rotation = 270 where id = ?", ["100% 'odd' %s chair", id]);
    const row = (await sql<{ name: string; type: string; x: number; y: number; rotation: number }>("select name, type, x, y, rotation from items where id = ?", [id]))[0]!;
    const logged = await inspectWithTool(t.app.orm.em.fork(), viewers.stranger, roomId, id);
    expect(logged?.result).toBe(inspectText(row, viewers.member.username));
    expect(await logRows(id)).toEqual([{ user_id: viewers.stranger.id, action: "inspect", result: logged!.result }]);
  });

  it("takes one round trip for a pickup and an inspect; a refusal is still named", async () => {
    const roomId = (await t.api("POST", "/api/v1/rooms", { token: t.app.services.tokens.issue(viewers.owner.id, viewers.owner.username), body: { name: "Round trips" } })).body.id as number;
    const tools = t.app.services.tools;
    const id = await placedChair(viewers.owner, roomId);
    let before = await queries();
    const inspected = await tools.use(viewers.owner, roomId, { target_object_id: id, action: "inspect" }, []);
    expect(await queries()).toBe(before + 1);
    before = await queries();
    const picked = await tools.use(viewers.owner, roomId, { target_object_id: id, action: "pickup" }, []);
    expect(await queries()).toBe(before + 1);
    expect(picked).toEqual({ id: picked.id, user_id: viewers.owner.id, target_object_id: id, action: "pickup", result: PICKUP_RESULT });
    expect(picked.id).toBeGreaterThan(inspected.id);
    await expect(tools.use(viewers.owner, roomId, { target_object_id: id, action: "pickup" }, [])).rejects.toMatchObject({ status: 404, code: "not_found" });
    const theirs = await placedChair(viewers.owner, roomId);
    await expect(tools.use(viewers.stranger, roomId, { target_object_id: theirs, action: "pickup" }, [])).rejects.toMatchObject({ status: 403, code: "forbidden" });
    const toolless = viewerOf(await t.register("toolless"));
    await expect(tools.use(toolless, roomId, { target_object_id: theirs, action: "inspect" }, [])).rejects.toMatchObject({ status: 403, code: "no_tool" });
    expect(await roomOf(theirs)).toBe(roomId);
    expect(await logRows(theirs)).toEqual([]);
  });

  it("moves and rotates in one transaction with their log row; a refused move writes neither", async () => {
    const roomId = (await t.api("POST", "/api/v1/rooms", { token: t.app.services.tokens.issue(viewers.owner.id, viewers.owner.username), body: { name: "Moves" } })).body.id as number;
    const tools = t.app.services.tools;
    const id = await placedChair(viewers.owner, roomId);
    const moved = await tools.use(viewers.owner, roomId, { target_object_id: id, action: "move", x: 300, y: 200 }, []);
    expect(moved.result).toBe("moved to (300, 200)");
    await tools.use(viewers.owner, roomId, { target_object_id: id, action: "rotate" }, []);
    expect((await sql("select x, y, rotation from items where id = ?", [id]))[0]).toEqual({ x: 300, y: 200, rotation: 90 });
    await expect(tools.use(viewers.owner, roomId, { target_object_id: id, action: "move", x: 5000, y: 200 }, [])).rejects.toMatchObject({ code: "out_of_bounds" });
    await expect(tools.use(viewers.stranger, roomId, { target_object_id: id, action: "rotate" }, [])).rejects.toMatchObject({ code: "forbidden" });
    expect((await sql("select x, y, rotation from items where id = ?", [id]))[0]).toEqual({ x: 300, y: 200, rotation: 90 });
    expect((await logRows(id)).map((l) => l.action)).toEqual(["move", "rotate"]);
  });
});
