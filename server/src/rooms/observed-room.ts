// The instrumentation layer under the cafe room: its log lines carry the room id, and every message
// sent and state patch is counted in the metrics. Kept apart so the room itself reads as rules.
import { Room, type Client, type RoomOptions } from "@colyseus/core";
import type { Logger } from "../observability/logger.ts";
import type { Metrics } from "../observability/metrics.ts";

export interface Observability {
  logger: Logger;
  metrics?: Metrics;
}

export abstract class ObservedRoom<T extends RoomOptions> extends Room<T> {
  protected abstract deps: Observability;
  #log: Logger | undefined;

  /** Lines logged after this carry `fields` (the stored room's id). */
  protected setLogContext(fields: Record<string, unknown>): void {
    this.#log = this.deps.logger.child({ ...fields, colyseus_room_id: this.roomId });
  }

  get log(): Logger {
    return this.#log ?? this.deps.logger;
  }

  /** Sends to one client, counted. */
  protected sendTo(client: Client, type: string, payload: unknown): void {
    this.deps.metrics?.messageOut(type, 1);
    client.send(type, payload);
  }

  override broadcast(...args: Parameters<Room<T>["broadcast"]>): void {
    const except = (args[2] as { except?: unknown } | undefined)?.except;
    const skipped = except === undefined ? 0 : Array.isArray(except) ? except.length : 1;
    this.deps.metrics?.messageOut(String(args[0]), this.clients.length - skipped);
    super.broadcast(...args);
  }

  override broadcastPatch(): boolean {
    const started = performance.now();
    const sent = super.broadcastPatch();
    if (sent) this.deps.metrics?.patchMs(performance.now() - started);
    return sent;
  }

  override onUncaughtException(error: Error & { cause?: unknown }, method: string): void {
    this.log.error({ err: (error.cause as Error | undefined) ?? error, method }, `uncaught exception in ${method}`);
  }
}
