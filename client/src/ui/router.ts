// A tiny router over the History API: four pages, no library needed.
import { createElement, type AnchorHTMLAttributes, type MouseEvent } from "react";
import { createStore, useStore } from "../state/store.ts";

export type Route =
  | { page: "login" }
  | { page: "register" }
  | { page: "rooms" }
  | { page: "profile" }
  | { page: "game"; roomId: number }
  | { page: "invite"; code: string }
  | { page: "account" }
  | { page: "home" }
  | { page: "notFound" };

export const location = createStore(globalThis.location?.pathname ?? "/");
globalThis.addEventListener?.("popstate", () => location.set(globalThis.location.pathname));

export function parse(path: string): Route {
  const clean = path.replace(/\/+$/, "") || "/";
  if (clean === "/") return { page: "home" };
  if (clean === "/login") return { page: "login" };
  if (clean === "/register") return { page: "register" };
  if (clean === "/rooms") return { page: "rooms" };
  if (clean === "/profile") return { page: "profile" };
  const invite = /^\/invite\/([A-Za-z0-9_-]{1,64})$/.exec(clean);
  if (invite) return { page: "invite", code: invite[1]! };
  if (clean === "/account") return { page: "account" };
  const game = /^\/game\/(\d{1,10})$/.exec(clean);
  if (game) return { page: "game", roomId: Number(game[1]) };
  return { page: "notFound" };
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === globalThis.location.pathname) return;
  if (options.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  location.set(path);
}

export function useRoute(): Route {
  return parse(useStore(location));
}

/** An <a> that navigates without reloading the page. */
export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const { to, onClick, ...rest } = props;
  return createElement("a", {
    ...rest,
    href: to,
    onClick: (e: MouseEvent<HTMLAnchorElement>) => {
      onClick?.(e);
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(to);
    },
  });
}
