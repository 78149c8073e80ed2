// Who is logged in: the access token and the user, kept across reloads in localStorage.
import type { UserOut } from "../../../shared/src/api.ts";
import { createStore } from "./store.ts";

export interface Session {
  token: string;
  user: UserOut;
}

const KEY = "cafe.session";

function load(): Session | null {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Session;
    return typeof parsed?.token === "string" && parsed.user ? parsed : null;
  } catch {
    return null;
  }
}

export const session = createStore<Session | null>(load());

/** Why the last session ended when the user did not log out (shown on the login page). */
export const sessionEndReason = createStore<"expired" | null>(null);

session.subscribe(() => {
  const value = session.get();
  if (value) localStorage.setItem(KEY, JSON.stringify(value));
  else localStorage.removeItem(KEY);
});

export function logIn(value: Session): void {
  sessionEndReason.set(null);
  session.set(value);
}

export function logOut(reason: "expired" | null = null): void {
  sessionEndReason.set(reason);
  session.set(null);
}
