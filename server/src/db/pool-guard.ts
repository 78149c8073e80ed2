// Keeps PostgreSQL connections that die while checked out from leaking out of the pool.
// Kysely releases a transaction's connection only after a successful COMMIT or ROLLBACK (and not
// at all when BEGIN fails), so every transaction caught by a dropped connection would hold one of
// the pool's slots forever: after a few outages the pool is empty and Cafe never recovers. Here a
// checked-out client whose connection ends is handed back to the pool as broken (which discards
// it), and the holder's own release later becomes a no-op.
import type { EventEmitter } from "node:events";

interface PooledClient extends EventEmitter {
  release?: (err?: Error) => void;
}

interface PgPool extends EventEmitter {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export function releaseBrokenClients(pool: PgPool): void {
  const watching = new WeakMap<PooledClient, () => void>();
  pool.on("acquire", (client: PooledClient) => {
    const broken = (err?: Error) => {
      stop();
      // pg-pool sets `release` right after emitting "acquire": read it when the connection breaks.
      const release = client.release;
      client.release = () => {};
      release?.call(client, err ?? new Error("Connection terminated while checked out"));
    };
    const onEnd = () => broken();
    const stop = () => {
      client.off("error", broken);
      client.off("end", onEnd);
      watching.delete(client);
    };
    client.once("error", broken);
    client.once("end", onEnd);
    watching.set(client, stop);
  });
  pool.on("release", (_err: unknown, client: PooledClient) => watching.get(client)?.());
}

/** Connections handed out and not yet given back (a leak shows as a number that never returns to 0). */
export function checkedOut(pool: PgPool): number {
  return pool.totalCount - pool.idleCount;
}
