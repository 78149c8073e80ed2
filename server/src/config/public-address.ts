// Where clients reach this process's rooms when several processes share Redis. A seat reserved on
// one process for a room hosted by another names the host's publicAddress; without one, Colyseus
// falls back to an address the client cannot use and the join fails ("seat reservation expired").
import { networkInterfaces, type NetworkInterfaceInfo } from "node:os";
import { ConfigError } from "./errors.ts";
import type { Config } from "./index.ts";

export interface PublicAddress {
  address: string | undefined;
  /** Set when the address was picked from the machine's interfaces: worth one startup log line. */
  note?: string;
}

const WILDCARDS = new Set(["0.0.0.0", "::", "[::]"]);

function hostPort(host: string, port: number): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The machine's first non-internal address, IPv4 before IPv6. */
export function firstExternalAddress(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces()): string | undefined {
  const all = Object.values(interfaces).flatMap((list) => list ?? []).filter((i) => !i.internal);
  return (all.find((i) => i.family === "IPv4") ?? all.find((i) => i.family === "IPv6" && !i.address.startsWith("fe80")))?.address;
}

/**
 * PUBLIC_ADDRESS when set; else, with REDIS_URL, HOST:PORT for a concrete HOST or the first
 * non-internal address for a wildcard HOST. Refuses (naming PUBLIC_ADDRESS) when none can be found.
 */
export function resolvePublicAddress(
  config: Pick<Config, "publicAddress" | "redisUrl" | "host" | "port">,
  external: () => string | undefined = firstExternalAddress,
): PublicAddress {
  if (config.publicAddress || !config.redisUrl) return { address: config.publicAddress };
  if (config.port === 0) throw new ConfigError("PUBLIC_ADDRESS", "is required with REDIS_URL when PORT=0 (the port is not known in advance)");
  if (!WILDCARDS.has(config.host)) return { address: hostPort(config.host, config.port) };
  const found = external();
  if (!found) {
    throw new ConfigError("PUBLIC_ADDRESS", `is required with REDIS_URL: HOST=${config.host} and this machine has no non-internal address to use instead`);
  }
  const address = hostPort(found, config.port);
  return { address, note: `PUBLIC_ADDRESS not set: other processes send clients to ${address} (this machine's first non-internal address)` };
}
