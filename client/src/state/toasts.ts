// Short notices in a corner: server errors, confirmations. Nothing the server says is swallowed.
import { createStore } from "./store.ts";

export interface Toast {
  id: number;
  kind: "error" | "info";
  text: string;
}

export const toasts = createStore<Toast[]>([]);
let nextId = 1;
const recent = new Map<string, number>();
const SHOW_MS = { error: 5000, info: 3000 } as const;
/** The same text within this window is shown once (a player pushing into a wall). */
const DEDUPE_MS = 3000;

export function toast(text: string, kind: Toast["kind"] = "error"): void {
  const now = Date.now();
  if ((recent.get(text) ?? 0) > now - DEDUPE_MS) return;
  recent.set(text, now);
  const id = nextId++;
  toasts.set((list) => [...list.slice(-3), { id, kind, text }]);
  setTimeout(() => dismiss(id), SHOW_MS[kind]);
}

export function dismiss(id: number): void {
  toasts.set((list) => list.filter((t) => t.id !== id));
}

/** Removes every notice (a page change: a room-list confirmation must not cover the room). */
export function clearToasts(): void {
  toasts.set((list) => (list.length ? [] : list));
}
