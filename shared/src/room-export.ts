// A room as a portable document (GET /rooms/{id}/export, POST /rooms/import), defined once. It holds
// no ids and no owners: an import creates a new room, owned by the importer, with new items.
import { z } from "zod";
import { CreateRoomBody, RotationSchema } from "./api.ts";
import { ITEM_NAME_MAX } from "./constants.ts";
import { PlacedObject } from "./placed-object.ts";

export const ROOM_EXPORT_FORMAT = "cafe.room";
/** Raised when the document's meaning changes; an importer refuses versions it does not know. */
export const ROOM_EXPORT_VERSION = 1;
/** Largest import body: 500 objects (MAX_ITEMS_PER_USER) take about 40 KB. */
export const ROOM_EXPORT_MAX_BYTES = 256 * 1024;

/** A placed object without what belongs to this server (id, owner, room); an import checks its name and rotation. */
export const ExportedObject = PlacedObject.pick({ type: true, name: true, x: true, y: true, rotation: true }).extend({
  name: z.string().trim().min(1).max(ITEM_NAME_MAX),
  rotation: RotationSchema,
});
export type ExportedObject = z.infer<typeof ExportedObject>;

export const RoomExport = z.object({
  format: z.literal(ROOM_EXPORT_FORMAT),
  version: z.literal(ROOM_EXPORT_VERSION, { error: `version must be ${ROOM_EXPORT_VERSION}` }),
  // talk_radius, build_policy and theme may be absent (then the defaults of a new room apply).
  room: CreateRoomBody.required().extend({
    talk_radius: CreateRoomBody.shape.talk_radius,
    build_policy: CreateRoomBody.shape.build_policy,
    theme: CreateRoomBody.shape.theme,
  }),
  objects: z.array(ExportedObject),
});
export type RoomExport = z.output<typeof RoomExport>;
