// A placed object (an item standing in a room), declared once. Everything else that carries one is
// derived from this schema: the REST item (ItemOut, and through it the OpenAPI document and the
// protocol's object_placed/inventory payloads), the room state's object (shared/src/state.ts, whose
// field list must name exactly these fields or it does not compile), the room_state snapshot, the
// export format (shared/src/room-export.ts), the server's serializers and the client's views.
import { z } from "zod";
import { ITEM_TYPES, type ItemType } from "./constants.ts";

export const PlacedObject = z.object({
  id: z.number().int(),
  type: z.enum(ITEM_TYPES),
  name: z.string(),
  owner_id: z.number().int(),
  room_id: z.number().int(),
  x: z.number().int(),
  y: z.number().int(),
  rotation: z.number().int(),
});
export type PlacedObject = z.infer<typeof PlacedObject>;

/** An item wherever it is: placed, or in an inventory, where it has no room and no position (null). */
export const ItemOut = PlacedObject.extend({
  room_id: PlacedObject.shape.room_id.nullable(),
  x: PlacedObject.shape.x.nullable(),
  y: PlacedObject.shape.y.nullable(),
  rotation: PlacedObject.shape.rotation.nullable(),
});
export type ItemOut = z.infer<typeof ItemOut>;

/** An object as a room holds it (state and room_state snapshot): the room is implicit. */
export const RoomObject = PlacedObject.omit({ room_id: true });
export type RoomObject = z.infer<typeof RoomObject>;

/** A room object as the client decodes it from the state, where `type` travels as a plain string. */
export type RoomObjectView = Omit<RoomObject, "type"> & { type: string };

/**
 * The one mapping into a room's object, from a service's item or a state instance: it is what the
 * room puts in its state and what room_state sends. Typed as RoomObject, so a field added to the
 * schema and not here does not compile. An item in an inventory has no position: 0 stands in.
 */
export function roomObjectOf(o: Omit<Pick<ItemOut, keyof RoomObject>, "type"> & { type: string }): RoomObject {
  return { id: o.id, type: o.type as ItemType, name: o.name, owner_id: o.owner_id, x: o.x ?? 0, y: o.y ?? 0, rotation: o.rotation ?? 0 };
}

/** The same item after it went back to its owner's inventory. */
export function unplaced(o: Pick<ItemOut, "id" | "type" | "name" | "owner_id">): ItemOut {
  return { id: o.id, type: o.type, name: o.name, owner_id: o.owner_id, room_id: null, x: null, y: null, rotation: null };
}

const ROOM_OBJECT_KEYS = Object.keys(RoomObject.shape) as (keyof RoomObject)[];

/** Whether a room object already shows exactly `o`, field by field of the schema (nothing to update). */
export function sameRoomObject(shown: RoomObjectView, o: RoomObject): boolean {
  return ROOM_OBJECT_KEYS.every((k) => shown[k] === o[k]);
}
