// The pure rights rule: who may act on whom, who may give which role, and roles never lowered.
import { describe, expect, it } from "@jest/globals";
import { canActOn, canGrant, strongerRole, type Standing } from "../src/rights.ts";

const STANDINGS: Standing[] = ["admin", "owner", "moderator", "builder", "member", "none"];

describe("rights on people", () => {
  it("lets only a stronger owner/moderator/admin act on someone, never on the owner or an admin", () => {
    // Rows: actor; columns: target, in STANDINGS order.
    const expected: Record<Standing, boolean[]> = {
      admin: [false, false, true, true, true, true],
      owner: [false, false, true, true, true, true],
      moderator: [false, false, false, true, true, true],
      builder: [false, false, false, false, false, false],
      member: [false, false, false, false, false, false],
      none: [false, false, false, false, false, false],
    };
    for (const actor of STANDINGS) expect([actor, STANDINGS.map((target) => canActOn(actor, target))]).toEqual([actor, expected[actor]]);
  });

  it("lets moderators give member and builder only, owners and admins every role", () => {
    const grants = (s: Standing) => (["member", "builder", "moderator"] as const).filter((r) => canGrant(s, r));
    expect(STANDINGS.map(grants)).toEqual([
      ["member", "builder", "moderator"],
      ["member", "builder", "moderator"],
      ["member", "builder"],
      [],
      [],
      [],
    ]);
  });

  it("never lowers a role when an invite is accepted", () => {
    expect(strongerRole(null, "member")).toBe("member");
    expect(strongerRole("member", "builder")).toBe("builder");
    expect(strongerRole("builder", "member")).toBe("builder");
    expect(strongerRole("moderator", "builder")).toBe("moderator");
  });
});
