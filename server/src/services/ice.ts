// ICE servers for proximity media. Browsers on one machine or one network need none; behind NAT
// they need a TURN server. With TURN_SECRET, TURN entries get short-lived credentials in the
// standard scheme coturn implements (`use-auth-secret`): username "<expiry>:<user id>",
// password base64(HMAC-SHA1(secret, username)). The secret itself never leaves the server.
import { createHmac } from "node:crypto";
import type { IceServer, IceServersOut } from "../../../shared/src/media.ts";

export interface IceConfig {
  servers: IceServer[];
  turnSecret: string | undefined;
  turnTtlSeconds: number;
}

export function turnCredentials(secret: string, userId: number, expiresAtSeconds: number): { username: string; credential: string } {
  const username = `${expiresAtSeconds}:${userId}`;
  return { username, credential: createHmac("sha1", secret).update(username).digest("base64") };
}

const isTurn = (server: IceServer) => [server.urls].flat().some((url) => /^turns?:/.test(url));

export class IceService {
  readonly #config: IceConfig;
  readonly #now: () => number;

  constructor(config: IceConfig, now: () => number = Date.now) {
    this.#config = config;
    this.#now = now;
  }

  /** The configured list; TURN entries without their own credentials get fresh ones for this user. */
  forUser(userId: number): IceServersOut {
    const { servers, turnSecret, turnTtlSeconds } = this.#config;
    const expires = Math.floor(this.#now() / 1000) + turnTtlSeconds;
    let minted = false;
    const ice_servers = servers.map((server) => {
      if (!turnSecret || !isTurn(server) || server.credential !== undefined) return server;
      minted = true;
      return { ...server, ...turnCredentials(turnSecret, userId, expires) };
    });
    return { ice_servers, expires_at: minted ? new Date(expires * 1000).toISOString() : null };
  }
}
