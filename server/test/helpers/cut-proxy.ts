// A TCP proxy that a test puts between the server and a dependency (PostgreSQL, Redis) and can cut
// and restore, like the dependency stopping and starting again:
// - "refuse": open connections are reset and the port stops listening (new connects: ECONNREFUSED),
// - "reset": open connections are reset and new ones are accepted then reset at once.
// The dependency itself is never touched: the machine's PostgreSQL and Redis are shared.
import net from "node:net";

export type CutMode = "refuse" | "reset";

export interface CutProxy {
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  through(url: string): string;
  cut(mode?: CutMode): Promise<void>;
  restore(): Promise<void>;
  /** Connections opened through the proxy so far (to show the server really reconnected). */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startCutProxy(target: { host: string; port: number }): Promise<CutProxy> {
  const open = new Set<net.Socket>();
  let mode: CutMode | "open" = "open";
  let accepted = 0;

  const onConnection = (client: net.Socket) => {
    if (mode === "reset") return void client.resetAndDestroy();
    accepted++;
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on("close", () => open.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  };

  let server = net.createServer(onConnection);
  await listen(server, 0);
  const port = (server.address() as net.AddressInfo).port;

  const resetAll = () => {
    for (const s of open) s.resetAndDestroy();
    open.clear();
  };

  return {
    port,
    through(url) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    async cut(how = "refuse") {
      mode = how;
      resetAll();
      if (how === "refuse" && server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async restore() {
      mode = "open";
      if (!server.listening) {
        server = net.createServer(onConnection);
        await listen(server, port);
      }
    },
    get accepted() {
      return accepted;
    },
    async close() {
      resetAll();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}
