// Placing an item from the inventory: "Place" then a click on the floor, or a drag from the
// inventory released over the floor. A ghost follows the pointer, checked with the server's own
// placement rule, red where the item cannot go.
import type { ItemOut } from "../../../shared/src/api.ts";
import { TILE_SIZE, type ItemType, type Rotation } from "../../../shared/src/constants.ts";
import { snapFootprint } from "../../../shared/src/sim/footprint.ts";
import type { Point } from "../../../shared/src/sim/geometry.ts";
import { checkPlacement, type PlacedTile, type PlacementError } from "../../../shared/src/sim/placement.ts";
import { errorText, t } from "../i18n/index.ts";
import type { Placing } from "../state/game.ts";
import { toast } from "../state/toasts.ts";
import type { GameContext } from "./context.ts";

/** Tiles snap to the floor grid: centres at 16, 48, 80… (outside the room stays outside). */
export function snapToGrid(p: Point): Point {
  const snap = (v: number) => Math.floor(v / TILE_SIZE) * TILE_SIZE + TILE_SIZE / 2;
  return { x: snap(p.x), y: snap(p.y) };
}

export class PlacementSystem {
  readonly #ctx: GameContext;
  /** The pointer over the floor, in room coordinates; null when it is elsewhere. */
  #pointer: Point | null = null;

  constructor(ctx: GameContext) {
    this.#ctx = ctx;
  }

  get active(): Placing | null {
    return this.#ctx.stores.placing.get();
  }

  start(item: ItemOut, mode: Placing["mode"]): void {
    this.#ctx.stores.selected.set(null);
    this.#ctx.scene.select(null);
    this.#ctx.stores.placing.set({ item, rotation: 0, mode });
  }

  cancel(): void {
    this.#ctx.stores.placing.set(null);
    this.#ctx.scene.hideGhost();
  }

  rotate(): void {
    this.#ctx.stores.placing.set((p) => (p ? { ...p, rotation: ((p.rotation + 90) % 360) as Rotation } : p));
  }

  /** The pointer moved (page coordinates), over the canvas or, during a drag, anywhere. */
  pointerAt(clientX: number, clientY: number): void {
    const { scene } = this.#ctx;
    this.#pointer = scene.containsClient(clientX, clientY) ? scene.toWorld(clientX, clientY) : null;
  }

  /**
   * Keyboard placing: moves the grid cursor one tile (starting next to you), the same cursor the
   * pointer moves, so the ghost and the rules are the same.
   */
  nudge(step: Point, from: Point): void {
    const start = this.#pointer ?? { x: from.x, y: from.y - TILE_SIZE };
    this.#pointer = { x: start.x + step.x * TILE_SIZE, y: start.y + step.y * TILE_SIZE };
  }

  /** Where the cursor is (room coordinates), for announcements. */
  get cursor(): Point | null {
    return this.#pointer ? { ...this.#pointer } : null;
  }

  pointerLeft(): void {
    this.#pointer = null;
    this.#ctx.scene.hideGhost();
  }

  /** The end of a drag: placed if released over a free spot of the floor. */
  dragEnd(clientX: number, clientY: number): void {
    this.pointerAt(clientX, clientY);
    if (this.#pointer) this.place();
    this.cancel();
  }

  /** Per frame: the ghost follows the pointer (people move, so where it may go changes too). */
  update(): void {
    const placing = this.active;
    if (!placing) return;
    const c = this.#candidate();
    if (!c) return this.#ctx.scene.hideGhost();
    this.#ctx.scene.showGhost(placing.item.type, placing.rotation, c.at, c.problem === null);
  }

  /** Places the item under the pointer; false (with a note) when it cannot go there. */
  place(): boolean {
    const placing = this.active;
    const c = this.#candidate();
    if (!placing || !c) return false;
    if (c.problem) {
      toast(`${t("game.cannotPlace")} ${errorText({ code: c.problem, message: "" })}`);
      return false;
    }
    if (!this.#ctx.connection.place(placing.item.id, c.at.x, c.at.y, placing.rotation)) {
      toast(t("game.status.reconnecting"));
      return false;
    }
    // It leaves the inventory now; the room's state brings the placed object.
    this.#ctx.stores.inventory.set((items) => items?.filter((i) => i.id !== placing.item.id) ?? items);
    return true;
  }

  #candidate(): { at: Point; problem: PlacementError | null } | null {
    const placing = this.active;
    const state = this.#ctx.state();
    if (!placing || !state || !this.#pointer) return null;
    const at = snapFootprint(this.#pointer, placing.item.type, placing.rotation);
    const others: PlacedTile[] = [...state.objects.values()].map((o) => ({ id: o.id, type: o.type as ItemType, x: o.x, y: o.y, rotation: o.rotation }));
    const players = this.#ctx.scene.people().map((p) => ({ x: p.x, y: p.y }));
    const room = { width: state.width, height: state.height };
    return { at, problem: checkPlacement({ type: placing.item.type, rotation: placing.rotation, ...at }, room, others, players) };
  }
}
