// A TCP proxy that holds every chunk from the client for `delayMs` before passing it on: in front
// of PostgreSQL it adds that much to every query round trip (a slow or distant database).
import net from "node:net";

export async function startSlowProxy(target: { host: string; port: number }, delayMs: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on("data", (chunk) => {
      setTimeout(() => upstream.writable && upstream.write(chunk), delayMs);
    });
    upstream.on("data", (chunk) => client.writable && client.write(chunk));
    client.on("end", () => setTimeout(() => upstream.end(), delayMs));
    upstream.on("end", () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
