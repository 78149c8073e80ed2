// Reference 2: a plain Colyseus room with float positions and no tuning: default patch rate, no
// validation, no database. The same engine as Cafe, without Cafe's rules.
import { defineRoom, defineServer, Room, type Client } from "@colyseus/core";
import { schema, t, type SchemaType } from "@colyseus/schema";
import { WebSocketTransport } from "@colyseus/ws-transport";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const Player = schema({ x: t.number(), y: t.number(), ack: t.number() }, "PlainPlayer");
type Player = SchemaType<typeof Player>;
const State = schema({ players: t.map(Player) }, "PlainState");
type State = SchemaType<typeof State>;

class PlainRoom extends Room<{ state: State }> {
  override state = new State();
  override maxClients = 500;
  override messages = {
    update_position: (client: Client, p: { x: number; y: number; seq: number }) => {
      const player = this.state.players.get(client.sessionId);
      if (!player) return;
      player.x = p.x;
      player.y = p.y;
      player.ack = p.seq;
    },
  };
  override onJoin(client: Client, options: { x?: number; y?: number }): void {
    this.state.players.set(client.sessionId, new Player({ x: options.x ?? 100, y: options.y ?? 100, ack: 0 }));
  }
  override onLeave(client: Client): void {
    this.state.players.delete(client.sessionId);
  }
}

const http = createServer();
const transport = new WebSocketTransport({ server: http });
const server = defineServer({ transport, rooms: { plain: defineRoom(PlainRoom).filterBy(["room"]) }, greet: false });
await server.listen(0, "127.0.0.1");
console.error(`plain listening on http://127.0.0.1:${(http.address() as AddressInfo).port}`);
process.on("SIGTERM", () => process.exit(0));
