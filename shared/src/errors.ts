/** Machine codes of the contract, used in REST `code` and in a room's `error.code`. */
export const ERROR_CODES = [
  "invalid_payload",
  "unknown_message",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "payload_too_large",
  "room_full",
  "out_of_bounds",
  "blocked",
  "too_fast",
  "not_in_inventory",
  "already_placed",
  "no_tool",
  "muted",
  "banned",
  "internal",
  /** A dependency (database, Redis) is down: try again shortly (REST: 503 with Retry-After). */
  "unavailable",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The codes that refuse a message for its form, not its effect: they put a connection in the server's slow lane. */
export const MALFORMED = new Set<string>(["invalid_payload", "unknown_message"] satisfies ErrorCode[]);
