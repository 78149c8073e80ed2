// Compile-time guard: every furniture type in the catalog has a name in the strings (and so in
// every language, since each language must have every key). A new type without one fails tsc.
import type { ItemType } from "../../../shared/src/catalog.ts";
import type { StringKey } from "./strings.ts";

type MissingTypeNames = Exclude<`type.${ItemType}`, StringKey>;
export const EVERY_TYPE_IS_NAMED: [MissingTypeNames] extends [never] ? true : MissingTypeNames = true;
