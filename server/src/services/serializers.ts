// Entities → the contract's JSON shapes. Nothing else leaves the server, so no hash ever does.
import type { ChatMessageOut, ItemOut, RoomOut, RoomUserOut, ToolLogOut, UserOut } from "../../../shared/src/api.ts";
import { defaultAvatar, type Floor } from "../../../shared/src/appearance.ts";
import type { ItemType } from "../../../shared/src/constants.ts";
import type { BuildPolicy } from "../../../shared/src/rights.ts";
import type { ChatMessage, Item, Room, RoomVisit, ToolLog, User } from "../db/entities.ts";
import type { Viewer } from "./access.ts";

export function toUserOut(user: User, viewer?: Viewer): UserOut {
  const showEmail = !viewer || viewer.isAdmin || viewer.id === user.id;
  return {
    id: user.id,
    username: user.username,
    email: showEmail ? user.email : null,
    display_name: user.displayName,
    avatar_color: user.avatarColor,
    avatar: user.avatar ?? defaultAvatar(user.id),
    created_at: user.createdAt.toISOString(),
  };
}

export function toRoomOut(room: Room, online: number): RoomOut {
  return {
    id: room.id,
    name: room.name,
    description: room.description,
    owner_id: room.owner,
    width: room.width,
    height: room.height,
    max_users: room.maxUsers,
    talk_radius: room.talkRadius,
    is_private: room.isPrivate,
    build_policy: room.buildPolicy as BuildPolicy,
    theme: { floor: room.themeFloor as Floor, wall_color: room.wallColor },
    online,
    created_at: room.createdAt.toISOString(),
  };
}

export function toItemOut(item: Item): ItemOut {
  return {
    id: item.id,
    type: item.type as ItemType,
    name: item.name,
    owner_id: item.owner,
    room_id: item.room ?? null,
    x: item.x ?? null,
    y: item.y ?? null,
    rotation: item.rotation ?? null,
  };
}

export function toChatOut(message: ChatMessage): ChatMessageOut {
  return {
    id: message.id,
    room_id: message.room,
    user_id: message.user,
    username: message.username,
    message: message.message,
    ...(message.toUserId ? { to_user_id: message.toUserId } : {}),
    created_at: message.createdAt.toISOString(),
  };
}

export function toToolLogOut(log: ToolLog): ToolLogOut {
  return {
    id: log.id,
    room_id: log.room,
    user_id: log.user,
    target_object_id: log.targetObjectId,
    action: log.action,
    result: log.result,
    created_at: log.createdAt.toISOString(),
  };
}

export function toRoomUserOut(visit: RoomVisit, user: Pick<User, "username" | "displayName">, withLeftAt: boolean): RoomUserOut {
  return {
    user_id: visit.user,
    username: user.username,
    display_name: user.displayName,
    x: visit.x,
    y: visit.y,
    joined_at: visit.joinedAt.toISOString(),
    ...(withLeftAt ? { left_at: visit.leftAt ? visit.leftAt.toISOString() : null } : {}),
  };
}
