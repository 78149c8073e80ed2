// Browser tests need the built client (client/dist), which the server serves. CI builds it
// before `npm test`; a plain local `npm test` builds it here when it is missing or stale, by the
// same rule as `npm start` (client/build-if-stale.ts).
import { ensureClientBuilt as buildIfStale } from "../../build-if-stale.ts";

export function ensureClientBuilt(): void {
  buildIfStale({ quiet: true });
}
