// The pure projection of durable room events into a live room's state: what changes in the state
// and which effects (messages, closes, media teardown) the room is asked to perform, in order.
import { beforeEach, describe, expect, it } from "@jest/globals";
import type { ChatMessageOut, ItemOut, RoomOut, UserOut } from "../src/api.ts";
import { defaultAvatar } from "../src/appearance.ts";
import { loadObject, project, putObject, type ProjectedRoom } from "../src/projection.ts";
import { CLOSE_CODES } from "../src/protocol.ts";
import { snapshotOf } from "../src/room-snapshot.ts";
import { RoomLayout } from "../src/sim/layout.ts";
import { playerInsideRoom } from "../src/sim/movement.ts";
import { AvatarState, CafeState, PlayerState } from "../src/state.ts";

const item = (over: Partial<ItemOut> & Pick<ItemOut, "id" | "type">): ItemOut => ({
  name: over.type,
  owner_id: 1,
  room_id: 7,
  x: 100,
  y: 100,
  rotation: 0,
  ...over,
});

const roomOut = (over: Partial<RoomOut> = {}): RoomOut => ({
  id: 7,
  name: "Lobby",
  description: "",
  owner_id: 1,
  width: 800,
  height: 600,
  max_users: 50,
  talk_radius: 150,
  is_private: false,
  build_policy: "owner",
  theme: { floor: "wood", wall_color: "#6d4c41" },
  online: 0,
  created_at: "2026-01-01T00:00:00Z",
  ...over,
});

const chat = (over: Partial<ChatMessageOut> = {}): ChatMessageOut => ({
  id: 1,
  room_id: 7,
  user_id: 1,
  username: "alice",
  message: "hi",
  created_at: "2026-01-01T00:00:00Z",
  ...over,
});

/** A room with seated players keyed "s<userId>", as sessions are keyed in the real state. */
function liveRoom(...seated: { userId: number; x: number; y: number }[]): ProjectedRoom {
  const state = new CafeState();
  Object.assign(state, { room_id: 7, name: "Lobby", width: 800, height: 600, floor: "wood", wall_color: "#6d4c41", talk_radius: 150 });
  for (const s of seated) {
    const avatar = new AvatarState(defaultAvatar(s.userId));
    state.players.set(`s${s.userId}`, new PlayerState({ user_id: s.userId, username: `u${s.userId}`, display_name: `u${s.userId}`, color: "#000000", x: s.x, y: s.y, sitting_on: 0, avatar, admin: false }));
  }
  const byUser = (userId: number) => [...state.players.values()].find((p) => p.user_id === userId);
  return {
    state,
    layout: new RoomLayout(() => state.objects.values()),
    settings: { maxUsers: 50 },
    versions: new Map(),
    held: new Map(),
    playerOf: byUser,
  };
}

describe("objects", () => {
  let room: ProjectedRoom;
  beforeEach(() => {
    room = liveRoom({ userId: 1, x: 100, y: 100 }, { userId: 2, x: 300, y: 300 });
  });

  it("places an object, seats whoever stands on it, and asks for object_placed to all", () => {
    const chair = item({ id: 5, type: "chair" });
    const effects = project(room, { type: "object_placed", object: chair, version: 1 });
    expect(room.state.objects.get("5")?.toJSON()).toEqual({ id: 5, type: "chair", name: "chair", owner_id: 1, x: 100, y: 100, rotation: 0 });
    expect(room.playerOf(1)?.sitting_on).toBe(5);
    expect(room.playerOf(2)?.sitting_on).toBe(0);
    expect(effects).toEqual([{ kind: "broadcast", message: "object_placed", payload: { object: chair } }]);
  });

  it("updates a placed object in place and reseats people", () => {
    project(room, { type: "object_placed", object: item({ id: 5, type: "chair" }), version: 1 });
    const shown = room.state.objects.get("5");
    const moved = item({ id: 5, type: "chair", x: 300, y: 300, rotation: 90 });
    const effects = project(room, { type: "object_updated", object: moved, version: 2 });
    expect(room.state.objects.get("5")).toBe(shown);
    expect(shown?.toJSON()).toMatchObject({ x: 300, y: 300, rotation: 90 });
    expect([room.playerOf(1)?.sitting_on, room.playerOf(2)?.sitting_on]).toEqual([0, 5]);
    expect(effects).toEqual([{ kind: "broadcast", message: "object_updated", payload: { object: moved } }]);
  });

  it("removes an object, stands its sitter up, and asks for object_removed to all", () => {
    project(room, { type: "object_placed", object: item({ id: 5, type: "chair" }), version: 1 });
    const effects = project(room, { type: "object_removed", objectId: 5, version: 2 });
    expect(room.state.objects.has("5")).toBe(false);
    expect(room.playerOf(1)?.sitting_on).toBe(0);
    expect(effects).toEqual([{ kind: "broadcast", message: "object_removed", payload: { object_id: 5 } }]);
  });

  it("keeps the layout's blocking tiles in step with the objects", () => {
    expect(room.layout.blockers()).toEqual([]);
    project(room, { type: "object_placed", object: item({ id: 6, type: "wall", x: 208, y: 208 }), version: 1 });
    expect(room.layout.blockers()).toEqual([{ x: 208, y: 208 }]);
    project(room, { type: "object_updated", object: item({ id: 6, type: "wall", x: 240, y: 208 }), version: 2 });
    expect(room.layout.blockers()).toEqual([{ x: 240, y: 208 }]);
    project(room, { type: "object_removed", objectId: 6, version: 3 });
    expect(room.layout.blockers()).toEqual([]);
  });

  it("applies an object's events in version order: a pickup that arrives before its placement waits for it", () => {
    // The database: placed (v1), then picked up (v2); the two publishes crossed on the way.
    expect(project(room, { type: "object_removed", objectId: 5, version: 2 })).toEqual([]);
    expect(room.held.get(5)).toHaveLength(1);
    const chair = item({ id: 5, type: "chair" });
    // The placement arrives: both apply, in order, so the placer gets its answer and everyone ends without it.
    expect(project(room, { type: "object_placed", object: chair, version: 1 })).toEqual([
      { kind: "broadcast", message: "object_placed", payload: { object: chair } },
      { kind: "broadcast", message: "object_removed", payload: { object_id: 5 } },
    ]);
    expect(room.state.objects.has("5")).toBe(false);
    expect(room.held.size).toBe(0);
    // A replay of either changes nothing.
    expect(project(room, { type: "object_placed", object: chair, version: 1 })).toEqual([]);
    expect(project(room, { type: "object_removed", objectId: 5, version: 2 })).toEqual([]);
  });

  it("holds a move until the move before it, and starts afresh with a placement from another room's history", () => {
    project(room, { type: "object_placed", object: item({ id: 5, type: "chair", x: 200 }), version: 3 });
    const third = item({ id: 5, type: "chair", x: 400 });
    expect(project(room, { type: "object_updated", object: third, version: 5 })).toEqual([]);
    const second = item({ id: 5, type: "chair", x: 300 });
    expect(project(room, { type: "object_updated", object: second, version: 4 }).map((e) => e.kind === "broadcast" && e.payload)).toEqual([
      { object: second },
      { object: third },
    ]);
    expect(room.state.objects.get("5")?.x).toBe(400);
    project(room, { type: "object_removed", objectId: 5, version: 6 });
    // Placed again after visits to other rooms (versions 7–9 happened elsewhere).
    project(room, { type: "object_placed", object: item({ id: 5, type: "chair", x: 120 }), version: 10 });
    expect(room.state.objects.get("5")?.x).toBe(120);
  });

  it("loads objects at their versions: an older event that arrives after the load is dropped", () => {
    loadObject(room, item({ id: 8, type: "table", x: 300 }), 4);
    expect(project(room, { type: "object_removed", objectId: 8, version: 3 })).toEqual([]);
    expect(project(room, { type: "object_updated", object: item({ id: 8, type: "table", x: 100 }), version: 4 })).toEqual([]);
    expect(room.state.objects.get("8")?.x).toBe(300);
    expect(room.held.size).toBe(0);
    expect(project(room, { type: "object_removed", objectId: 8, version: 5 })).toHaveLength(1);
    expect(room.state.objects.has("8")).toBe(false);
  });

  it("shows an object without a position at the origin (putObject, also used when a room loads)", () => {
    putObject(room, item({ id: 9, type: "plant", x: null, y: null, rotation: null }));
    expect(room.state.objects.get("9")?.toJSON()).toMatchObject({ x: 0, y: 0, rotation: 0 });
  });
});

describe("the room itself", () => {
  it("applies a room's new name, size, theme and settings, and brings players left outside back in", () => {
    const room = liveRoom({ userId: 1, x: 700, y: 500 }, { userId: 2, x: 100, y: 100 });
    const effects = project(room, {
      type: "room_updated",
      room: roomOut({ name: "Small", width: 400, height: 300, max_users: 3, talk_radius: 90, theme: { floor: "stone", wall_color: "#123456" } }),
    });
    expect(effects).toEqual([]);
    expect(room.state.toJSON()).toMatchObject({ name: "Small", width: 400, height: 300, floor: "stone", wall_color: "#123456", talk_radius: 90 });
    expect(room.settings).toEqual({ maxUsers: 3 });
    const outsider = room.playerOf(1)!;
    expect({ x: outsider.x, y: outsider.y }).toEqual({ x: 388, y: 288 });
    expect(playerInsideRoom(outsider, room.state)).toBe(true);
    expect({ x: room.playerOf(2)!.x, y: room.playerOf(2)!.y }).toEqual({ x: 100, y: 100 });
  });

  it("closes every seat and the room when the room is deleted", () => {
    const room = liveRoom({ userId: 1, x: 100, y: 100 });
    expect(project(room, { type: "room_deleted" })).toEqual([{ kind: "close_room", code: CLOSE_CODES.roomDeleted, reason: "The room was deleted" }]);
  });
});

describe("people", () => {
  const profile = (over: Partial<UserOut>): UserOut => ({
    id: 1,
    username: "u1",
    email: null,
    display_name: "Alice",
    avatar_color: "#ff0000",
    avatar: { ...defaultAvatar(1), hair: "mohawk" },
    created_at: "2026-01-01T00:00:00Z",
    ...over,
  });

  it("restyles a seated person's avatar, replacing the avatar whole", () => {
    const room = liveRoom({ userId: 1, x: 100, y: 100 });
    const before = room.playerOf(1)!.avatar;
    expect(project(room, { type: "profile_updated", user: profile({}) })).toEqual([]);
    const player = room.playerOf(1)!;
    expect([player.display_name, player.color, player.avatar.hair]).toEqual(["Alice", "#ff0000", "mohawk"]);
    expect(player.avatar).not.toBe(before);
  });

  it("ignores a profile change of someone not in the room", () => {
    const room = liveRoom({ userId: 1, x: 100, y: 100 });
    const before = JSON.stringify(room.state.toJSON());
    expect(project(room, { type: "profile_updated", user: profile({ id: 2 }) })).toEqual([]);
    expect(JSON.stringify(room.state.toJSON())).toBe(before);
  });

  it("tells a removed user why, after their media is torn down, then closes their seat", () => {
    const room = liveRoom({ userId: 1, x: 100, y: 100 });
    const removal = (reason: "kicked" | "banned" | "deleted", byRoom: boolean) =>
      project(room, { type: "user_removed", userId: 1, reason, ...(byRoom ? { scope: "room" as const } : {}) });
    const expected = (code: string, message: string, close: number, why: string) => [
      { kind: "drop_media", userId: 1 },
      { kind: "send", userId: 1, message: "error", payload: { code, message } },
      { kind: "close", userId: 1, code: close, reason: why },
    ];
    expect(removal("kicked", false)).toEqual(expected("forbidden", "An admin removed you from this room", CLOSE_CODES.kicked, "Removed by an admin"));
    expect(removal("kicked", true)).toEqual(
      expected("forbidden", "The room's moderators removed you from this room", CLOSE_CODES.kicked, "Removed by the room's moderators"),
    );
    expect(removal("banned", false)).toEqual(expected("banned", "This account is banned", CLOSE_CODES.banned, "Account banned"));
    expect(removal("banned", true)).toEqual(expected("banned", "You are banned from this room", CLOSE_CODES.banned, "Banned from this room"));
    expect(removal("deleted", false)).toEqual(expected("unauthorized", "This account was deleted", CLOSE_CODES.accountDeleted, "Account deleted"));
  });

  it("asks nothing for the removal of someone without a seat here", () => {
    expect(project(liveRoom(), { type: "user_removed", userId: 1, reason: "banned" })).toEqual([]);
  });
});

describe("chat", () => {
  it("sends a public message to everyone", () => {
    const message = chat();
    expect(project(liveRoom(), { type: "chat", message })).toEqual([{ kind: "broadcast", message: "message_received", payload: message }]);
  });

  it("sends a whisper to its sender and its target only, each once, if they are here", () => {
    const room = liveRoom({ userId: 1, x: 100, y: 100 }, { userId: 2, x: 300, y: 300 });
    const whisper = chat({ to_user_id: 2 });
    expect(project(room, { type: "chat", message: whisper })).toEqual([
      { kind: "send", userId: 1, message: "message_received", payload: whisper },
      { kind: "send", userId: 2, message: "message_received", payload: whisper },
    ]);
    const toAbsent = chat({ to_user_id: 3 });
    expect(project(room, { type: "chat", message: toAbsent })).toEqual([{ kind: "send", userId: 1, message: "message_received", payload: toAbsent }]);
    const toSelf = chat({ to_user_id: 1 });
    expect(project(room, { type: "chat", message: toSelf })).toEqual([{ kind: "send", userId: 1, message: "message_received", payload: toSelf }]);
  });
});

describe("room_state", () => {
  it("is the state as plain JSON, with no chair as null", () => {
    const room = liveRoom({ userId: 1, x: 100, y: 100 }, { userId: 2, x: 300, y: 300 });
    project(room, { type: "object_placed", object: item({ id: 5, type: "chair" }), version: 1 });
    const snap = snapshotOf(room.state);
    expect(snap).toMatchObject({ room_id: 7, name: "Lobby", width: 800, height: 600, floor: "wood", wall_color: "#6d4c41", talk_radius: 150 });
    expect(snap.players["s1"]).toEqual({ user_id: 1, username: "u1", display_name: "u1", color: "#000000", x: 100, y: 100, sitting_on: 5, avatar: defaultAvatar(1), admin: false });
    expect(snap.players["s2"]?.sitting_on).toBeNull();
    expect(snap.objects["5"]).toEqual({ id: 5, type: "chair", name: "chair", owner_id: 1, x: 100, y: 100, rotation: 0 });
  });
});
