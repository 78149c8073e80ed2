// Live looks: after a profile change commits, every live room the person is in hears of it, so
// others see the new avatar (and name) without anyone rejoining.
import type { UserOut } from "../../../shared/src/api.ts";
import { RoomVisit } from "../db/entities.ts";
import type { Orm } from "../db/orm.ts";
import type { RoomEventBus } from "./events.ts";

export class LooksService {
  readonly #orm: Orm;
  readonly #events: RoomEventBus;

  constructor(orm: Orm, events: RoomEventBus) {
    this.#orm = orm;
    this.#events = events;
  }

  /** Publishes `profile_updated` to each room where the user has an open visit. */
  async announce(user: UserOut): Promise<void> {
    const open = await this.#orm.em.fork().find(RoomVisit, { user: user.id, leftAt: null }, { fields: ["room"] });
    const rooms = new Set(open.map((v) => v.room));
    await Promise.all([...rooms].map((roomId) => this.#events.publish(roomId, { type: "profile_updated", user })));
  }
}
