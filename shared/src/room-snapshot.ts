// The `room_state` reply: the synced state as plain JSON, for clients that do not decode
// Colyseus state (the JSON protocol above all).
import type { Avatar } from "./appearance.ts";
import { roomObjectOf } from "./placed-object.ts";
import type { RoomStatePayload } from "./protocol.ts";
import type { CafeState } from "./state.ts";

export function snapshotOf(state: CafeState): RoomStatePayload {
  const players: RoomStatePayload["players"] = {};
  for (const [key, p] of state.players) {
    players[key] = { user_id: p.user_id, username: p.username, display_name: p.display_name, color: p.color, x: p.x, y: p.y, sitting_on: p.sitting_on || null, avatar: p.avatar.toJSON() as Avatar, admin: p.admin };
  }
  const objects: RoomStatePayload["objects"] = {};
  for (const [key, o] of state.objects) {
    objects[key] = roomObjectOf(o);
  }
  const { room_id, name, width, height, floor, wall_color, talk_radius } = state;
  return { room_id, name, width, height, floor, wall_color, talk_radius, players, objects };
}
