// The durable changes to a stored room that its live room projects into the synced state (see
// projection.ts). Services publish them after their commit, whether a live room or REST made the
// change; they travel between processes as JSON, so they hold plain API shapes only.
import type { ChatMessageOut, ItemOut, RoomOut, UserOut } from "./api.ts";

export type RoomEvent =
  | { type: "chat"; message: ChatMessageOut }
  // `version`: the item's version after the write (the database orders them); see projection.ts.
  | { type: "object_placed"; object: ItemOut; version: number }
  | { type: "object_updated"; object: ItemOut; version: number }
  | { type: "object_removed"; objectId: number; version: number }
  | { type: "room_updated"; room: RoomOut }
  | { type: "room_deleted" }
  | { type: "profile_updated"; user: UserOut }
  /** `scope: "room"`: by the room's own moderation (a room ban), not a site-wide one. */
  | { type: "user_removed"; userId: number; reason: RemovalReason; scope?: "room" };

/** Why a user's seat is closed for good: a moderator's kick or ban, or the account was deleted. */
export type RemovalReason = "kicked" | "banned" | "deleted";
