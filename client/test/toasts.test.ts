// Notices belong to their page: a page change clears them.
import { afterEach, beforeEach, describe, expect, it, jest } from "@jest/globals";
import { toast, toasts } from "../src/state/toasts.ts";
import { clearToastsOnPageChange } from "../src/ui/page-change.ts";
import { location } from "../src/ui/router.ts";

describe("toasts", () => {
  let stop: () => void;
  beforeEach(() => {
    jest.useFakeTimers();
    stop = clearToastsOnPageChange();
  });
  afterEach(() => {
    stop();
    jest.useRealTimers();
  });

  it("raised on the rooms page are gone once the game page opens", () => {
    location.set("/rooms");
    toast("Room created", "info");
    toast("Saved", "info");
    expect(toasts.get().map((t) => t.text)).toEqual(["Room created", "Saved"]);
    location.set("/game/7");
    expect(toasts.get()).toEqual([]);
    toast("Something blocks the way");
    expect(toasts.get().map((t) => t.text)).toEqual(["Something blocks the way"]);
  });
});
