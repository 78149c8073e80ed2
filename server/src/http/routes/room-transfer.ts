// Room export and import: a room moves between servers as a versioned JSON document.
import { IdParams, RoomOut } from "../../../../shared/src/api.ts";
import { ROOM_EXPORT_MAX_BYTES, RoomExport } from "../../../../shared/src/room-export.ts";
import type { Services } from "../../services/index.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

export function roomTransferRoutes(services: Services): AnyRoute[] {
  return [
    defineRoute({
      method: "get",
      path: "/rooms/{id}/export",
      tag: "rooms",
      summary: "The room as a versioned JSON document: its fields and its objects (owner or admin)",
      params: IdParams,
      response: RoomExport,
      errors: [403, 404],
      handler: ({ viewer, params }) => services.transfer.export(viewer, params.id),
    }),
    defineRoute({
      method: "post",
      path: "/rooms/import",
      tag: "rooms",
      summary:
        "Create a room from an exported document, owned by you, with new items (counted against your item limit: 409 if over; 422 names the first object that breaks the placement rules); all or nothing",
      body: RoomExport,
      maxBodyBytes: ROOM_EXPORT_MAX_BYTES,
      status: 201,
      response: RoomOut,
      errors: [409, 413],
      handler: ({ viewer, body }) => services.transfer.import(viewer, body),
    }),
  ];
}
