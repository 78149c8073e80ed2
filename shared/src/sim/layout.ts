// Where a room's furniture blocks walking and where it seats people, as tiles expanded from the
// objects' footprints. Moves ask on every step, objects change rarely: the tiles are kept until
// the objects change (placed, moved, turned or removed) rather than rebuilt per move.
import { BLOCKING_TYPES, SEAT_TYPES, type ItemType } from "../catalog.ts";
import { footprintTiles, type Footed } from "./footprint.ts";
import type { Point } from "./geometry.ts";
import { chairUnder } from "./movement.ts";

/** A placed object as the layout sees it (the synced ObjectState is one). */
export interface LaidObject extends Footed {
  id: number;
}

interface Tiles {
  blockers: Point[];
  /** A seat's tiles carry its id. */
  chairs: (Point & { id: number })[];
}

export class RoomLayout {
  readonly #objects: () => Iterable<LaidObject>;
  #tiles: Tiles | undefined;

  /** `objects` is read again after each invalidate(). */
  constructor(objects: () => Iterable<LaidObject>) {
    this.#objects = objects;
  }

  /** The objects changed: the tiles are rebuilt on next use. */
  invalidate(): void {
    this.#tiles = undefined;
  }

  blockers(): Point[] {
    return this.#build().blockers;
  }

  /** Id of the seat under `p`, 0 when none. */
  chairAt(p: Point): number {
    return chairUnder(p, this.#build().chairs);
  }

  #build(): Tiles {
    if (this.#tiles) return this.#tiles;
    const tiles: Tiles = { blockers: [], chairs: [] };
    for (const o of this.#objects()) {
      if (BLOCKING_TYPES.has(o.type as ItemType)) tiles.blockers.push(...footprintTiles(o));
      else if (SEAT_TYPES.has(o.type as ItemType)) for (const tile of footprintTiles(o)) tiles.chairs.push({ ...tile, id: o.id });
    }
    return (this.#tiles = tiles);
  }
}
