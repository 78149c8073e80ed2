// What a page change resets: notices belong to the page that raised them.
import { clearToasts } from "../state/toasts.ts";
import { location } from "./router.ts";

/** Clears the toasts whenever the path changes (links, navigate(), back/forward). Returns the unsubscribe. */
export function clearToastsOnPageChange(): () => void {
  return location.subscribe(clearToasts);
}
