// Every limit of the contract, defined once. Server validation, the OpenAPI document,
// the client and the README all read these values.

// Furniture types and their rules live in the catalog; re-exported here for older imports.
export { BLOCKING_TYPES, ITEM_TYPES, SEAT_TYPES, type ItemType } from "./catalog.ts";

export const ROTATIONS = [0, 90, 180, 270] as const;
export type Rotation = (typeof ROTATIONS)[number];

export const TOOL_ACTIONS = ["move", "rotate", "pickup", "inspect"] as const;
export type ToolAction = (typeof TOOL_ACTIONS)[number];

export const ROOM = {
  defaultWidth: 800,
  defaultHeight: 600,
  minSize: 200,
  maxSize: 4000,
  defaultMaxUsers: 50,
  minUsers: 1,
  maxUsers: 500,
  nameMax: 100,
  descriptionMax: 1000,
} as const;

export const PLAYER_RADIUS = 12;
export const TILE_SIZE = 32;
/** Walking speed in pixels per second. */
export const WALK_SPEED = 200;

export const USER = {
  usernameMin: 3,
  usernameMax: 32,
  usernamePattern: /^[A-Za-z0-9_.-]+$/,
  passwordMin: 8,
  passwordMax: 128,
  emailMax: 254,
  displayNameMax: 64,
  avatarColorPattern: /^#[0-9a-fA-F]{6}$/,
} as const;

export const CHAT = { minLength: 1, maxLength: 500 } as const;
export const ITEM_NAME_MAX = 64;

export const PAGINATION = { defaultLimit: 50, maxLimit: 200 } as const;

/** Largest JSON body the REST API accepts. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Largest WebSocket message (SDK or JSON protocol); a larger one closes the socket with 1009. */
export const MAX_MESSAGE_BYTES = 16 * 1024;

/** Largest id a path or body may name (ids are PostgreSQL `integer`). */
export const MAX_ID = 2_147_483_647;

/** Most items one user may hold (inventory and placed together). */
export const MAX_ITEMS_PER_USER = 500;
