// Who sees whom in a hall. Each connection's StateView holds its own player (always) and the
// players within VIEW_RADIUS; a refresh adds those who came near and removes those who went past
// VIEW_EXIT_RADIUS. Players are bucketed in a grid of VIEW_EXIT_RADIUS cells, so a refresh looks
// at the 3 × 3 cells around each viewer instead of at everyone.
import type { StateView } from "@colyseus/schema";
import { VIEW_EXIT_RADIUS, VIEW_RADIUS } from "../../../shared/src/interest.ts";
import type { PlayerState } from "../../../shared/src/state.ts";

export interface Watcher {
  view: StateView;
  player: PlayerState;
}

const CELL = VIEW_EXIT_RADIUS;
const ENTER_SQ = VIEW_RADIUS * VIEW_RADIUS;
const EXIT_SQ = VIEW_EXIT_RADIUS * VIEW_EXIT_RADIUS;

export class Interest {
  /** Per view, the other players it currently shows. */
  readonly #seen = new WeakMap<StateView, Set<PlayerState>>();

  /** Recomputes every watcher's view from the current positions. */
  refresh(watchers: readonly Watcher[]): void {
    const grid = new Map<number, PlayerState[]>();
    for (const { player } of watchers) {
      const key = cellKey(Math.floor(player.x / CELL), Math.floor(player.y / CELL));
      const cell = grid.get(key);
      if (cell) cell.push(player);
      else grid.set(key, [player]);
    }
    const present = new Set(watchers.map((w) => w.player));
    for (const w of watchers) this.#refreshOne(w, grid, present);
  }

  #refreshOne({ view, player: me }: Watcher, grid: Map<number, PlayerState[]>, present: Set<PlayerState>): void {
    let seen = this.#seen.get(view);
    if (!seen) this.#seen.set(view, (seen = new Set()));
    const next = new Set<PlayerState>();
    const cx = Math.floor(me.x / CELL);
    const cy = Math.floor(me.y / CELL);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const other of grid.get(cellKey(cx + dx, cy + dy)) ?? []) {
          if (other === me) continue;
          const d2 = (other.x - me.x) ** 2 + (other.y - me.y) ** 2;
          if (d2 <= ENTER_SQ || (d2 <= EXIT_SQ && seen.has(other))) next.add(other);
        }
      }
    }
    for (const other of next) if (!seen.has(other)) view.add(other);
    // A player who left the room is gone from the state (and so from every view) already.
    for (const other of seen) if (!next.has(other) && present.has(other)) view.remove(other);
    this.#seen.set(view, next);
  }
}

/** Cells are at most 4000 / CELL + 2 apart on each axis: a small integer key suffices. */
function cellKey(cx: number, cy: number): number {
  return (cx + 1) * 1024 + (cy + 1);
}
