// The furniture catalog: every fact about a type of furniture, once. ITEM_TYPES, the blocking and
// seat rules, default names, the REST/OpenAPI enum, the database check, the movement and placement
// simulation, the client's drawing and its i18n names are all derived from these entries.
// Adding a type: one entry here, one drawing (client/src/game/furniture.ts), two strings.

/** The seed's colour key: a chair reads white, a wall blue, every other type yellow. */
export type ColorKey = "white" | "blue" | "yellow";

export interface FurnitureSpec {
  /** Footprint in 32 px tiles at rotation 0 (width × height); 90° and 270° swap them. */
  readonly footprint: readonly [w: 1 | 2 | 3, h: 1 | 2 | 3];
  /** Blocks walking, and may not overlap another blocking piece or a player. */
  readonly blocks: boolean;
  /** Standing on it sits you down (`sitting_on`). */
  readonly seat: boolean;
  /** Holding one (unplaced) lets you use tools on objects. */
  readonly tool: boolean;
  /** Lies flat on the floor (a rug): drawn beneath everything, anything may stand on it. */
  readonly underlay: boolean;
  readonly defaultName: string;
  readonly color: ColorKey;
}

const piece = (p: Partial<FurnitureSpec> & Pick<FurnitureSpec, "defaultName">): FurnitureSpec => ({
  footprint: [1, 1],
  blocks: false,
  seat: false,
  tool: false,
  underlay: false,
  color: "yellow",
  ...p,
});

export const CATALOG = {
  // The five originals, in their original order (the seed's types).
  chair: piece({ defaultName: "Chair", seat: true, color: "white" }),
  wall: piece({ defaultName: "Wall", blocks: true, color: "blue" }),
  table: piece({ defaultName: "Table", blocks: true }),
  plant: piece({ defaultName: "Plant", blocks: true }),
  tool: piece({ defaultName: "Tool", tool: true }),
  // The café set.
  sofa: piece({ defaultName: "Sofa", footprint: [2, 1], seat: true }),
  armchair: piece({ defaultName: "Armchair", seat: true }),
  stool: piece({ defaultName: "Stool", seat: true }),
  desk: piece({ defaultName: "Desk", footprint: [2, 1], blocks: true }),
  counter: piece({ defaultName: "Counter", footprint: [2, 1], blocks: true }),
  coffee_machine: piece({ defaultName: "Coffee machine", blocks: true }),
  bookshelf: piece({ defaultName: "Bookshelf", footprint: [2, 1], blocks: true }),
  lamp: piece({ defaultName: "Lamp", blocks: true }),
  rug: piece({ defaultName: "Rug", footprint: [2, 2], underlay: true }),
  partition: piece({ defaultName: "Partition", footprint: [2, 1], blocks: true, color: "blue" }),
  // Proximity media: people standing on it hear only each other (shared/src/sim/proximity.ts).
  private_area: piece({ defaultName: "Private area", footprint: [3, 3], underlay: true }),
} as const satisfies Record<string, FurnitureSpec>;

export type ItemType = keyof typeof CATALOG;

export const ITEM_TYPES = Object.keys(CATALOG) as [ItemType, ...ItemType[]];

export function isItemType(type: string): type is ItemType {
  return Object.hasOwn(CATALOG, type);
}

/** The spec of a stored type; an unknown type (never stored, the database checks) reads as a 1×1 prop. */
export function specOf(type: string): FurnitureSpec {
  return isItemType(type) ? CATALOG[type] : UNKNOWN;
}

const UNKNOWN = piece({ defaultName: "Object" });

export const BLOCKING_TYPES: ReadonlySet<ItemType> = new Set(ITEM_TYPES.filter((t) => CATALOG[t].blocks));
export const SEAT_TYPES: ReadonlySet<ItemType> = new Set(ITEM_TYPES.filter((t) => CATALOG[t].seat));
export const TOOL_TYPES: readonly ItemType[] = ITEM_TYPES.filter((t) => CATALOG[t].tool);

/** The SQL check on `items.type`, derived so a new type cannot be forgotten (a migration carries it). */
export function itemTypeCheckSql(): string {
  return `type in (${ITEM_TYPES.map((t) => `'${t}'`).join(", ")})`;
}
