// Rooms people own and share: members and their roles, invites, and moderation by the room.
import { z } from "zod";
import { IdParams, Pagination, RoomOut } from "../../../../shared/src/api.ts";
import { ModerationActionOut } from "../../../../shared/src/moderation.ts";
import { ROOM_ROLES } from "../../../../shared/src/rights.ts";
import {
  CodeParams,
  CreateInviteBody,
  InviteOut,
  InviteParams,
  MemberOut,
  MemberParams,
  PutMemberBody,
  RoomBanBody,
  RoomBanOut,
  RoomKickBody,
  RoomMuteBody,
} from "../../../../shared/src/room-sharing.ts";
import type { Services } from "../../services/index.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

const tag = "room sharing";

export function roomSharingRoutes(services: Services): AnyRoute[] {
  return [...memberRoutes(services), ...inviteRoutes(services), ...moderationRoutes(services)];
}

const AcceptOut = z.object({ room: RoomOut, role: z.enum([...ROOM_ROLES, "owner"]) });

function inviteRoutes({ invites }: Services): AnyRoute[] {
  return [
    defineRoute({
      method: "post",
      path: "/rooms/{id}/invites",
      tag,
      summary: "Create an invite link (owner, moderators, admins); `url` is the client's /invite/{code} page",
      params: IdParams,
      body: CreateInviteBody,
      status: 201,
      response: InviteOut,
      errors: [403, 404],
      handler: ({ viewer, params, body }) => invites.create(viewer, params.id, body),
    }),
    defineRoute({
      method: "get",
      path: "/rooms/{id}/invites",
      tag,
      summary: "The room's invites that still work (owner, moderators, admins)",
      params: IdParams,
      query: Pagination,
      response: InviteOut.array(),
      list: true,
      errors: [403, 404],
      handler: ({ viewer, params, query }) => invites.list(viewer, params.id, query),
    }),
    defineRoute({
      method: "delete",
      path: "/rooms/{id}/invites/{code}",
      tag,
      summary: "Revoke an invite: accepting it then answers 404",
      params: InviteParams,
      status: 204,
      errors: [403, 404],
      handler: ({ viewer, params }) => invites.revoke(viewer, params.id, params.code),
    }),
    defineRoute({
      method: "post",
      path: "/invites/{code}/accept",
      tag,
      summary: "Accept an invite: you become a member with its role (never lowering yours); once per user. Expired, used-up or revoked → 404",
      params: CodeParams,
      response: AcceptOut,
      errors: [404],
      handler: ({ viewer, params }) => invites.accept(viewer, params.code),
    }),
  ];
}

function moderationRoutes({ roomModeration: m }: Services): AnyRoute[] {
  const who = "(owner, the room's moderators, admins; not on the owner or an admin, nor a moderator on a moderator)";
  return [
    defineRoute({
      method: "post",
      path: "/rooms/{id}/kick",
      tag,
      summary: `Close a user's seat in this room (4005); they may join again ${who}`,
      params: IdParams,
      body: RoomKickBody,
      status: 201,
      response: ModerationActionOut,
      errors: [403, 404],
      handler: ({ viewer, params, body }) => m.kick(viewer, params.id, body.user_id),
    }),
    defineRoute({
      method: "post",
      path: "/rooms/{id}/mute",
      tag,
      summary: `Mute a user in this room for N minutes: their chat here gets \`muted\` ${who}`,
      params: IdParams,
      body: RoomMuteBody,
      status: 201,
      response: ModerationActionOut,
      errors: [403, 404],
      handler: ({ viewer, params, body }) => m.mute(viewer, params.id, body.user_id, body.minutes),
    }),
    defineRoute({
      method: "post",
      path: "/rooms/{id}/ban",
      tag,
      summary: `Ban a user from this room (4006; joining answers 403 \`banned\`), for N minutes or until lifted ${who}`,
      params: IdParams,
      body: RoomBanBody,
      status: 201,
      response: ModerationActionOut,
      errors: [403, 404],
      handler: ({ viewer, params, body }) => m.ban(viewer, params.id, body.user_id, body.minutes),
    }),
    defineRoute({
      method: "delete",
      path: "/rooms/{id}/mutes/{user_id}",
      tag,
      summary: "Lift a mute in this room",
      params: MemberParams,
      status: 204,
      errors: [403, 404],
      handler: ({ viewer, params }) => m.lift(viewer, params.id, params.user_id, "mute"),
    }),
    defineRoute({
      method: "delete",
      path: "/rooms/{id}/bans/{user_id}",
      tag,
      summary: "Lift a ban in this room",
      params: MemberParams,
      status: 204,
      errors: [403, 404],
      handler: ({ viewer, params }) => m.lift(viewer, params.id, params.user_id, "ban"),
    }),
    defineRoute({
      method: "get",
      path: "/rooms/{id}/bans",
      tag,
      summary: "Bans in force in this room (owner, moderators, admins)",
      params: IdParams,
      query: Pagination,
      response: RoomBanOut.array(),
      list: true,
      errors: [403, 404],
      handler: ({ viewer, params, query }) => m.bans(viewer, params.id, query),
    }),
    defineRoute({
      method: "get",
      path: "/rooms/{id}/moderation-log",
      tag,
      summary: "This room's moderation audit entries, newest first (owner, moderators, admins)",
      params: IdParams,
      query: Pagination,
      response: ModerationActionOut.array(),
      list: true,
      errors: [403, 404],
      handler: ({ viewer, params, query }) => m.log(viewer, params.id, query),
    }),
  ];
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
