// Volume by distance: full inside most of the talking radius, fading to silence over its last
// part (RTC.fadeFraction), so walking away trails off instead of cutting out.
import { RTC } from "../../../shared/src/media.ts";

export function fadeVolume(distance: number, radius: number, fade: number = RTC.fadeFraction): number {
  const start = radius * (1 - fade);
  if (distance <= start) return 1;
  if (distance >= radius) return 0;
  return (radius - distance) / (radius - start);
}
