import { CreateRoomBody, IdParams, RoomListQuery, RoomOut, RoomUserOut, RoomUsersQuery, UpdateRoomBody } from "../../../../shared/src/api.ts";
import type { Services } from "../../services/index.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

export function roomRoutes(services: Services): AnyRoute[] {
  return [
    defineRoute({
      method: "get",
      path: "/rooms",
      tag: "rooms",
      summary: "Rooms you may enter, with live online counts; `q` searches name and description",
      query: RoomListQuery,
      response: RoomOut.array(),
      list: true,
      handler: ({ viewer, query }) => services.rooms.list(viewer, query),
    }),
    defineRoute({
      method: "post",
      path: "/rooms",
      tag: "rooms",
      summary: "Create a room; you become its owner",
      body: CreateRoomBody,
      status: 201,
      response: RoomOut,
      handler: ({ viewer, body }) => services.rooms.create(viewer, body),
    }),
    defineRoute({
      method: "get",
      path: "/rooms/{id}",
      tag: "rooms",
      summary: "One room",
      params: IdParams,
      response: RoomOut,
      errors: [404],
      handler: ({ viewer, params }) => services.rooms.get(viewer, params.id),
    }),
    defineRoute({
      method: "patch",
      path: "/rooms/{id}",
      tag: "rooms",
      summary: "Change a room (owner or admin); it may not shrink past its placed objects",
      params: IdParams,
      body: UpdateRoomBody,
      response: RoomOut,
      errors: [403, 404, 409],
      handler: ({ viewer, params, body }) => services.rooms.update(viewer, params.id, body),
    }),
    defineRoute({
      method: "delete",
      path: "/rooms/{id}",
      tag: "rooms",
      summary: "Delete a room (owner or admin); its placed objects return to their owners' inventories",
      params: IdParams,
      status: 204,
      errors: [403, 404],
      handler: ({ viewer, params }) => services.rooms.delete(viewer, params.id),
    }),
    defineRoute({
      method: "get",
      path: "/room-users",
      tag: "rooms",
      summary: "Who is in a room now, with positions; `history=1` lists past and present visits, newest first",
      query: RoomUsersQuery,
      response: RoomUserOut.array(),
      list: true,
      errors: [404],
      handler: ({ viewer, query }) => services.presence.roomUsers(viewer, query),
    }),
  ];
}
