// Builds every service over one ORM and one event bus. Called once, from the composition root.
import type { Presence } from "@colyseus/core";
import type { ResolvedConfig } from "../config/index.ts";
import type { Orm } from "../db/orm.ts";
import { AccountService } from "./accounts.ts";
import { ChatService } from "./chat.ts";
import { RoomEventBus, type RoomEventBusOptions } from "./events.ts";
import { ItemService } from "./items.ts";
import { InviteService } from "./invites.ts";
import { MemberService } from "./members.ts";
import { LiveProfiles } from "./profiles.ts";
import { RoomModerationService } from "./room-moderation.ts";
import { LeavingService } from "./leaving.ts";
import { ModerationService } from "./moderation.ts";
import type { ScryptParams } from "./passwords.ts";
import { PresenceService, VisitLog } from "./presence.ts";
import { RetentionService } from "./retention.ts";
import { RoomService } from "./rooms.ts";
import { RoomTransferService } from "./room-transfer.ts";
import { TokenService } from "./tokens.ts";
import { JoinService } from "./joining.ts";
import { ToolService } from "./tools.ts";
import { IceService } from "./ice.ts";

export interface Services {
  tokens: TokenService;
  joins: JoinService;
  accounts: AccountService;
  rooms: RoomService;
  items: ItemService;
  chat: ChatService;
  tools: ToolService;
  presence: PresenceService;
  visits: VisitLog;
  events: RoomEventBus;
  moderation: ModerationService;
  members: MemberService;
  invites: InviteService;
  roomModeration: RoomModerationService;
  profiles: LiveProfiles;
  leaving: LeavingService;
  transfer: RoomTransferService;
  retention: RetentionService;
  ice: IceService;
}

export function createServices(
  orm: Orm,
  config: ResolvedConfig,
  presence: Presence,
  /** Read when a visit opens: Colyseus assigns the process id when the server starts listening. */
  processId: () => string,
  hashParams?: ScryptParams,
  log: (line: string) => void = () => {},
  /** With Redis: whether it is reachable now, and where failed publishes are logged. */
  bus: Omit<RoomEventBusOptions, "prefix"> = {},
): Services {
  const tokens = new TokenService(config.secretKey, config.algorithm, config.accessTokenExpireMinutes);
  const events = new RoomEventBus(presence, { ...bus, prefix: config.redisPrefix });
  const rooms = new RoomService(orm, events);
  const items = new ItemService(orm, rooms, events, { unguarded: config.unguardedPlacement });
  const accounts = new AccountService(orm, tokens, config.adminUsernames, hashParams);
  const visits = new VisitLog(orm, processId);
  const members = new MemberService(orm, (username) => accounts.isAdmin(username));
  const moderation = new ModerationService(orm, events, items, (username) => accounts.isAdmin(username), log);
  return {
    tokens,
    joins: new JoinService(orm, tokens, (username) => accounts.isAdmin(username)),
    events,
    accounts,
    moderation,
    transfer: new RoomTransferService(orm, rooms),
    retention: new RetentionService(orm, config.retention, log),
    leaving: new LeavingService(orm, events, (username) => accounts.isAdmin(username), log),
    rooms,
    items,
    chat: new ChatService(orm, rooms, events),
    tools: new ToolService(orm, rooms, items, events),
    presence: new PresenceService(orm, rooms),
    visits,
    profiles: new LiveProfiles(accounts, visits, events),
    members,
    invites: new InviteService(orm, rooms, members),
    roomModeration: new RoomModerationService(orm, events, members, moderation),
    ice: new IceService(config.ice),
  };
}
