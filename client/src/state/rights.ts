// What the signed-in user may do in one room, from the shared rule (shared/src/rights.ts). The
// server decides; this only hides or disables what would be refused.
import { useCallback, useEffect, useState } from "react";
import type { RoomOut } from "../../../shared/src/api.ts";
import { can, standingOf, type RoomAction, type RoomRole, type Standing } from "../../../shared/src/rights.ts";
import type { MemberOut } from "../../../shared/src/room-sharing.ts";
import { api } from "../net/api.ts";
import { sharing } from "../net/sharing-api.ts";

export interface RoomRights {
  room: RoomOut | null;
  members: MemberOut[];
  role: RoomRole | null;
  standing: Standing;
  can: (action: RoomAction) => boolean;
  reload: () => void;
  /** Counts reloads: panels that show more of the room (bans) read again when it changes. */
  version: number;
}

/** Site admins are not known to the client: they see a member's view, and the server lets them do more. */
export function useRoomRights(roomId: number, me: number): RoomRights {
  const [room, setRoom] = useState<RoomOut | null>(null);
  const [members, setMembers] = useState<MemberOut[]>([]);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let alive = true;
    void Promise.all([api.getRoom(roomId), sharing.members(roomId)])
      .then(([r, m]) => alive && (setRoom(r), setMembers(m)))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [roomId, version]);

  const role = members.find((m) => m.user_id === me)?.role ?? null;
  const viewer = { id: me, isAdmin: false };
  return {
    room,
    members,
    role,
    standing: room ? standingOf(viewer, room, role) : "none",
    can: (action) => !!room && can(viewer, room, role, action),
    reload,
    version,
  };
}
