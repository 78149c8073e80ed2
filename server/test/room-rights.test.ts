// Build rights and roles: every role against every guarded action, over REST and room messages,
// on both databases. The expected answers are written out by hand (not derived from the rule under
// test), so a wrong answer for any pair fails.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { BuildPolicy } from "../../shared/src/rights.ts";
import { startTestApp, type TestApp, type TestUser } from "./helpers/app.ts";
import { DB_KINDS } from "./helpers/db.ts";
import { expectError } from "./helpers/expect.ts";
import { join, leaveAll, playerOf, type Player } from "./helpers/sdk.ts";

const ROLES = ["admin", "owner", "moderator", "builder", "member", "stranger"] as const;
type Role = (typeof ROLES)[number];

/** ✓ = allowed. Columns follow ROLES: admin, owner, moderator, builder, member, stranger. */
const Y = true;
const N = false;
const EXPECTED: Record<BuildPolicy, Record<string, readonly boolean[]>> = {
  builders: {
    place_object: [Y, Y, Y, Y, N, N],
    "use_tool move (other's object)": [Y, Y, Y, Y, N, N],
    "use_tool rotate (other's object)": [Y, Y, Y, Y, N, N],
    "use_tool pickup (other's object)": [Y, Y, Y, Y, N, N],
    "use_tool pickup (own object)": [Y, Y, Y, Y, Y, Y],
    "use_tool inspect": [Y, Y, Y, Y, Y, Y],
    "PATCH /objects (other's object)": [Y, Y, Y, Y, N, N],
    "DELETE /objects (other's object)": [Y, Y, Y, Y, N, N],
    "PATCH /objects (own object)": [Y, Y, Y, Y, N, N],
    "DELETE /objects (own object)": [Y, Y, Y, Y, Y, Y],
    "PATCH /rooms": [Y, Y, N, N, N, N],
    "PUT member role builder": [Y, Y, Y, N, N, N],
    "PUT member role moderator": [Y, Y, N, N, N, N],
    "GET members": [Y, Y, Y, Y, Y, Y],
  },
  owner: {
    place_object: [Y, Y, N, N, N, N],
    "use_tool move (other's object)": [Y, Y, N, N, N, N],
    "use_tool pickup (own object)": [Y, Y, Y, Y, Y, Y],
    "PATCH /objects (other's object)": [Y, Y, N, N, N, N],
    "PATCH /objects (own object)": [Y, Y, N, N, N, N],
  },
  everyone: {
    place_object: [Y, Y, Y, Y, Y, Y],
    "use_tool move (other's object)": [Y, Y, Y, Y, N, N],
    "use_tool pickup (other's object)": [Y, Y, Y, Y, N, N],
    "PATCH /objects (other's object)": [Y, Y, Y, Y, N, N],
    "PATCH /objects (own object)": [Y, Y, Y, Y, Y, Y],
    "DELETE /objects (other's object)": [Y, Y, Y, Y, N, N],
  },
};

describe.each(DB_KINDS)("room rights on %s", (kind) => {
  let t: TestApp;
  const users = {} as Record<Role, TestUser>;
  const seats = {} as Record<Role, Player>;
  let roomId: number;
  let spot = 0;

  const viewer = (u: TestUser) => ({ id: u.id, username: u.username, isAdmin: u.username === "admin_ops" });
  const grant = async (u: TestUser, type: string) =>
    (await t.api("POST", "/api/v1/inventory", { token: u.token, body: { type } })).body as { id: number };
  let policyNow: BuildPolicy = "builders";
  const setPolicy = async (policy: BuildPolicy) => {
    const res = await t.api("PATCH", `/api/v1/rooms/${roomId}`, { token: users.owner.token, body: { build_policy: policy } });
    expect(res.body.build_policy).toBe(policy);
    policyNow = policy;
  };
  /** A placed chair of `owner`: a preparation, so it is put down while the room lets everyone build. */
  const placedChair = async (owner: TestUser) => {
    const item = await grant(owner, "chair");
    const i = spot++;
    const restore = policyNow;
    await t.app.services.rooms.update(viewer(users.owner), roomId, { build_policy: "everyone" });
    try {
      await t.app.services.items.place(viewer(owner), item.id, roomId, { x: 40 + (i % 20) * 36, y: 300 + Math.floor(i / 20) * 8, rotation: 0 });
    } finally {
      await t.app.services.rooms.update(viewer(users.owner), roomId, { build_policy: restore });
    }
    return item.id;
  };

  /** Sends a room message and resolves true on `success`, false on `error` forbidden; anything else fails. */
  const roomAttempt = async (role: Role, type: string, payload: Record<string, unknown>, success: (p: Player) => Promise<unknown>) => {
    const p = seats[role];
    const m = p.mark();
    p.send(type, payload);
    const outcome = await Promise.race([
      success(p).then(() => "ok"),
      p.next("error", (e) => e.event === type, m).then((e) => e.code as string),
    ]);
    if (outcome !== "ok" && outcome !== "forbidden") throw new Error(`${role} ${type}: unexpected error ${outcome}`);
    return outcome === "ok";
  };

  /** One action of the table: prepares what it needs (while everyone may build), then attempts it as `role`. */
  async function attempt(action: string, role: Role): Promise<boolean> {
    const u = users[role];
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await t.api(method, path, { token: u.token, ...(body !== undefined ? { body } : {}) });
      if (res.status === 403) return expectError(res, 403, "forbidden"), false;
      expect(res.status).toBeLessThan(300);
      return true;
    };
    const toolOn = (objectId: number, action: string, extra: Record<string, unknown> = {}) =>
      roomAttempt(role, "use_tool", { target_object_id: objectId, action, ...extra }, (p) =>
        p.next("tool_used", (e) => e.target_object_id === objectId && e.user_id === u.id),
      );
    switch (action) {
      case "place_object": {
        const item = await grant(u, "chair");
        const i = spot++;
        return roomAttempt(role, "place_object", { inventory_item_id: item.id, x: 40 + (i % 20) * 36, y: 60, rotation: 0 }, (p) =>
          p.next("object_placed", (e) => e.object.id === item.id),
        );
      }
      case "use_tool move (other's object)":
        return toolOn(await placedChair(users.owner), "move", { x: 700, y: 500 });
      case "use_tool rotate (other's object)":
        return toolOn(await placedChair(users.owner), "rotate");
      case "use_tool pickup (other's object)":
        return toolOn(await placedChair(users.owner), "pickup");
      case "use_tool pickup (own object)":
        return toolOn(await placedChair(u), "pickup");
      case "use_tool inspect":
        return toolOn(await placedChair(users.owner), "inspect");
      case "PATCH /objects (other's object)":
        return api("PATCH", `/api/v1/objects/${await placedChair(users.owner)}`, { rotation: 90 });
      case "PATCH /objects (own object)":
        return api("PATCH", `/api/v1/objects/${await placedChair(u)}`, { rotation: 90 });
      case "DELETE /objects (other's object)":
        return api("DELETE", `/api/v1/objects/${await placedChair(users.owner)}`);
      case "DELETE /objects (own object)":
        return api("DELETE", `/api/v1/objects/${await placedChair(u)}`);
      case "PATCH /rooms":
        return api("PATCH", `/api/v1/rooms/${roomId}`, { description: `by ${role}` });
      case "PUT member role builder":
        return api("PUT", `/api/v1/rooms/${roomId}/members/${(await t.register("fresh")).id}`, { role: "builder" });
      case "PUT member role moderator":
        return api("PUT", `/api/v1/rooms/${roomId}/members/${(await t.register("fresh")).id}`, { role: "moderator" });
      case "GET members":
        return api("GET", `/api/v1/rooms/${roomId}/members`);
    }
    throw new Error(`no such action ${action}`);
  }

  beforeAll(async () => {
    t = await startTestApp(kind);
    users.admin = await t.admin();
    for (const role of ROLES.slice(1)) users[role] = await t.register(role);
    roomId = (await t.api("POST", "/api/v1/rooms", { token: users.owner.token, body: { name: "Rights", width: 800, height: 600 } })).body.id;
    for (const role of ["moderator", "builder", "member"] as const) {
      const res = await t.api("PUT", `/api/v1/rooms/${roomId}/members/${users[role].id}`, { token: users.owner.token, body: { role } });
      expect(res.body).toMatchObject({ user_id: users[role].id, role, username: users[role].username });
    }
    for (const [i, role] of ROLES.entries()) {
      await grant(users[role], "tool");
      seats[role] = await join(t, users[role], { room_id: roomId, x: 60 + i * 100, y: 560 });
      await seats[role].until((s) => playerOf(s, users[role].id) !== undefined, `${role} seated`);
    }
  }, 60_000);
  afterAll(async () => {
    await leaveAll(Object.values(seats));
    await t?.close();
  });

  it("new rooms default to the builders policy, shown in the room's JSON", async () => {
    const res = await t.api("GET", `/api/v1/rooms/${roomId}`, { token: users.stranger.token });
    expect(res.body.build_policy).toBe("builders");
  });

  for (const policy of ["builders", "owner", "everyone"] as const) {
    it(`answers every role × action pair rightly under build_policy ${policy}`, async () => {
      await setPolicy(policy);
      const wrong: string[] = [];
      for (const [action, row] of Object.entries(EXPECTED[policy])) {
        for (const [i, role] of ROLES.entries()) {
          const got = await attempt(action, role);
          if (got !== row[i]) wrong.push(`${action} as ${role}: got ${got ? "allowed" : "forbidden"}`);
        }
      }
      expect(wrong).toEqual([]);
    }, 120_000);
  }
});
