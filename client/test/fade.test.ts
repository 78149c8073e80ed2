// Voice volume by distance: full, then fading over the last part of the talking radius.
import { describe, expect, it } from "@jest/globals";
import { RTC } from "../../shared/src/media.ts";
import { fadeVolume } from "../src/media/fade.ts";

describe("fadeVolume", () => {
  it("is full up to the fade, silent at the radius, and linear between", () => {
    const r = 160;
    const start = r * (1 - RTC.fadeFraction);
    expect(fadeVolume(0, r)).toBe(1);
    expect(fadeVolume(start, r)).toBe(1);
    expect(fadeVolume((start + r) / 2, r)).toBeCloseTo(0.5, 6);
    expect(fadeVolume(r, r)).toBe(0);
    expect(fadeVolume(r + 50, r)).toBe(0);
    expect(fadeVolume(start + 1, r)).toBeLessThan(1);
  });
});
