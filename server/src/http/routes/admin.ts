// Moderation for admins (ADMIN_USERNAMES). Anyone else gets 403; every action lands in the audit log.
import { IdParams } from "../../../../shared/src/api.ts";
import { KickBody, ModerationActionOut, ModerationLogQuery, MuteBody, ReasonBody } from "../../../../shared/src/moderation.ts";
import type { Services } from "../../services/index.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

const tag = "admin";

export function adminRoutes(services: Services): AnyRoute[] {
  const m = services.moderation;
  return [
    defineRoute({
      method: "post",
      path: "/admin/rooms/{id}/kick",
      tag,
      summary: "Close a user's seat in a room now (they may join again); 404 unless they are in it",
      params: IdParams,
      body: KickBody,
      status: 201,
      response: ModerationActionOut,
      errors: [403, 404],
      handler: ({ viewer, params, body }) => m.kick(viewer, params.id, body.user_id, body.reason),
    }),
    defineRoute({
      method: "post",
      path: "/admin/users/{id}/mute",
      tag,
      summary: "Mute a user for N minutes: their chat gets an error with code `muted`",
      params: IdParams,
      body: MuteBody,
      status: 201,
      response: ModerationActionOut,
      errors: [403, 404],
      handler: ({ viewer, params, body }) => m.mute(viewer, params.id, body.minutes, body.reason),
    }),
    defineRoute({
      method: "post",
      path: "/admin/users/{id}/unmute",
      tag,
      summary: "Lift a mute",
      params: IdParams,
      body: ReasonBody,
      status: 201,
      response: ModerationActionOut,
      errors: [403, 404],
      handler: ({ viewer, params, body }) => m.unmute(viewer, params.id, body.reason),
    }),
    defineRoute({
      method: "post",
      path: "/admin/users/{id}/ban",
      tag,
      summary: "Ban an account: its tokens are refused (code `banned`) and its live seats are closed",
      params: IdParams,
      body: ReasonBody,
      status: 201,
      response: ModerationActionOut,
      errors: [403, 404],
      handler: ({ viewer, params, body }) => m.ban(viewer, params.id, body.reason),
    }),
    defineRoute({
      method: "post",
      path: "/admin/users/{id}/unban",
      tag,
      summary: "Lift a ban",
      params: IdParams,
      body: ReasonBody,
      status: 201,
      response: ModerationActionOut,
      errors: [403, 404],
      handler: ({ viewer, params, body }) => m.unban(viewer, params.id, body.reason),
    }),
    defineRoute({
      method: "post",
      path: "/admin/objects/{id}/remove",
      tag,
      summary: "Take any placed object back into its owner's inventory",
      params: IdParams,
      body: ReasonBody,
      status: 201,
      response: ModerationActionOut,
      errors: [403, 404],
      handler: ({ viewer, params, body }) => m.removeObject(viewer, params.id, body.reason),
    }),
    defineRoute({
      method: "get",
      path: "/admin/actions",
      tag,
      summary: "The moderation audit log, newest first (`user_id` filters by target)",
      query: ModerationLogQuery,
      response: ModerationActionOut.array(),
      list: true,
      errors: [403],
      handler: ({ viewer, query }) => m.actions(viewer, query),
    }),
  ];
}
