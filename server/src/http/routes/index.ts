import type { Services } from "../../services/index.ts";
import type { AuthLimits } from "../../limits/rate-limiter.ts";
import type { AnyRoute } from "../route.ts";
import { adminRoutes } from "./admin.ts";
import { authRoutes } from "./auth.ts";
import { chatAndToolRoutes } from "./chat.ts";
import { itemRoutes } from "./items.ts";
import { roomSharingRoutes } from "./room-sharing.ts";
import { roomTransferRoutes } from "./room-transfer.ts";
import { roomRoutes } from "./rooms.ts";
import { rtcRoutes } from "./rtc.ts";
import { userRoutes } from "./users.ts";

export function allRoutes(services: Services, limits: AuthLimits): AnyRoute[] {
  return [
    ...authRoutes(services, limits),
    ...userRoutes(services),
    ...roomTransferRoutes(services),
    ...roomRoutes(services),
    ...roomSharingRoutes(services),
    ...itemRoutes(services),
    ...chatAndToolRoutes(services),
    ...adminRoutes(services),
    ...rtcRoutes(services),
  ];
}
