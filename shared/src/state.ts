// The delta-synced room state (@colyseus/schema 5), defined once for server and client.
// Positions are integer pixels (rooms are at most 4000 px wide): uint16 on the wire.
import { schema, t, type SchemaType } from "@colyseus/schema";
import type { RoomObject } from "./placed-object.ts";

/** The avatar's parts (see shared/src/appearance.ts); replaced whole when the person changes it. */
export const AvatarState = schema(
  {
    body: t.string(),
    skin: t.string(),
    hair: t.string(),
    hair_color: t.string(),
    outfit_color: t.string(),
    accessory: t.string(),
  },
  "Avatar",
);
export type AvatarState = SchemaType<typeof AvatarState>;

export const PlayerState = schema(
  {
    user_id: t.uint32(),
    username: t.string(),
    display_name: t.string(),
    color: t.string(),
    x: t.uint16(),
    y: t.uint16(),
    /** Id of the chair the player stands on; 0 when none (ids are positive). */
    sitting_on: t.uint32(),
    avatar: t.ref(AvatarState),
    /** A server admin (ADMIN_USERNAMES): shown with a badge, and no room role acts on them. */
    admin: t.boolean(),
  },
  "Player",
);
export type PlayerState = SchemaType<typeof PlayerState>;

/**
 * The wire types of a room object's fields (shared/src/placed-object.ts). `satisfies` makes the
 * compiler refuse a list that misses a field of the schema or names one it does not have;
 * `roomObjectOf` there is the one mapping that fills them.
 */
const OBJECT_FIELDS = {
  id: t.uint32(),
  type: t.string(),
  name: t.string(),
  owner_id: t.uint32(),
  x: t.uint16(),
  y: t.uint16(),
  rotation: t.uint16(),
} satisfies Record<keyof RoomObject, unknown>;

export const ObjectState = schema(OBJECT_FIELDS, "PlacedObject");
export type ObjectState = SchemaType<typeof ObjectState>;

export const CafeState = schema(
  {
    room_id: t.uint32(),
    name: t.string(),
    width: t.uint16(),
    height: t.uint16(),
    /** The room's theme: floor material and wall colour (shared/src/appearance.ts). */
    floor: t.string(),
    wall_color: t.string(),
    /** Proximity voice/video range in pixels (the room's `talk_radius`); changes live. */
    talk_radius: t.uint16(),
    /** Keyed by Colyseus sessionId. */
    players: t.map(PlayerState),
    /** Keyed by the object's id, as a string. */
    objects: t.map(ObjectState),
  },
  "CafeState",
);
export type CafeState = SchemaType<typeof CafeState>;

/**
 * The state of a hall (shared/src/interest.ts): the same fields on the wire as CafeState, so a
 * client decodes it as CafeState, but each connection receives only the players in its view.
 */
export const HallState = schema(
  {
    room_id: t.uint32(),
    name: t.string(),
    width: t.uint16(),
    height: t.uint16(),
    floor: t.string(),
    wall_color: t.string(),
    talk_radius: t.uint16(),
    players: t.map(PlayerState).view(),
    objects: t.map(ObjectState),
  },
  "CafeState",
);
