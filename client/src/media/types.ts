import type { z } from "zod";
import type { RtcMediaPayload } from "../../../shared/src/media.ts";

/** What we share: the rtc_media payload. */
export type MediaState = z.output<typeof RtcMediaPayload>;
export type MediaKind = keyof MediaState;
