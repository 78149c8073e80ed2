// Rooms people own and share: members and their roles, invites, and moderation by the room.
import { IdParams, Pagination } from "../../../../shared/src/api.ts";
import { MemberOut, MemberParams, PutMemberBody } from "../../../../shared/src/room-sharing.ts";
import type { Services } from "../../services/index.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

const tag = "room sharing";

export function roomSharingRoutes(services: Services): AnyRoute[] {
  return [...memberRoutes(services)];
}

function memberRoutes({ members }: Services): AnyRoute[] {
  return [
    defineRoute({
      method: "get",
      path: "/rooms/{id}/members",
      tag,
      summary: "The room's members and their roles (member, builder, moderator); anyone who can see the room",
      params: IdParams,
      query: Pagination,
      response: MemberOut.array(),
      list: true,
      errors: [404],
      handler: ({ viewer, params, query }) => members.list(viewer, params.id, query),
    }),
    defineRoute({
      method: "put",
      path: "/rooms/{id}/members/{user_id}",
      tag,
      summary: "Give a user a role in the room (owner or admin; moderators give member and builder only)",
      params: MemberParams,
      body: PutMemberBody,
      response: MemberOut,
      errors: [403, 404],
      handler: ({ viewer, params, body }) => members.put(viewer, params.id, params.user_id, body.role),
    }),
    defineRoute({
      method: "delete",
      path: "/rooms/{id}/members/{user_id}",
      tag,
      summary: "Remove a member (same rights as giving the role), or leave the room's members yourself",
      params: MemberParams,
      status: 204,
      errors: [403, 404],
      handler: ({ viewer, params }) => members.remove(viewer, params.id, params.user_id),
    }),
  ];
}
