import { IceServersOut } from "../../../../shared/src/media.ts";
import type { Services } from "../../services/index.ts";
import { defineRoute, type AnyRoute } from "../route.ts";

export function rtcRoutes(services: Services): AnyRoute[] {
  return [
    defineRoute({
      method: "get",
      path: "/rtc/ice-servers",
      tag: "media",
      summary: "STUN/TURN servers for proximity voice and video, with short-lived TURN credentials when TURN_SECRET is set",
      response: IceServersOut,
      handler: ({ viewer }) => services.ice.forUser(viewer.id),
    }),
  ];
}
