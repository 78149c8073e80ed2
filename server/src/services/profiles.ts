// Profile changes that show at once: after PATCH /users/me commits, every room where the user has
// a seat hears of it through the RoomEventBus (on whichever process hosts it) and updates the
// synced player state.
import type { z } from "zod";
import type { UpdateProfileBody, UserOut } from "../../../shared/src/api.ts";
import type { Viewer } from "./access.ts";
import type { AccountService } from "./accounts.ts";
import type { RoomEventBus } from "./events.ts";
import type { VisitLog } from "./presence.ts";

export class LiveProfiles {
  readonly #accounts: AccountService;
  readonly #visits: VisitLog;
  readonly #events: RoomEventBus;

  constructor(accounts: AccountService, visits: VisitLog, events: RoomEventBus) {
    this.#accounts = accounts;
    this.#visits = visits;
    this.#events = events;
  }

  async update(viewer: Viewer, patch: z.output<typeof UpdateProfileBody>): Promise<UserOut> {
    // Only a user seated somewhere needs Redis to tell rooms; anyone else may change their profile during an outage.
    const rooms = await this.#visits.roomsOf(viewer.id);
    if (rooms.length) this.#events.assertReady();
    const user = await this.#accounts.updateProfile(viewer, patch);
    const event = { type: "profile_updated" as const, user };
    await this.#events.publishEach(rooms.map((roomId) => [roomId, event] as const));
    return user;
  }
}
