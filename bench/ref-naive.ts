// Reference 1: the naive JSON-broadcast server of the product Cafe replaces. Every move is sent
// as a JSON event to everyone in the room, the mover included, at once, with no validation.
import { createServer } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";

const rooms = new Map<string, Set<WebSocket>>();
const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: http });
let nextUser = 1;
wss.on("connection", (ws, req) => {
  const room = new URL(req.url ?? "/", "http://x").searchParams.get("room") ?? "0";
  const userId = nextUser++;
  const members = rooms.get(room) ?? new Set();
  rooms.set(room, members);
  members.add(ws);
  ws.send(JSON.stringify({ event: "room_state", data: { user_id: userId } }));
  ws.on("message", (raw) => {
    const frame = JSON.parse(raw.toString());
    if (frame.event !== "update_position") return;
    const out = JSON.stringify({ event: "position_updated", data: { user_id: userId, x: frame.data.x, y: frame.data.y, seq: frame.data.seq } });
    for (const member of members) member.send(out);
  });
  ws.on("close", () => members.delete(ws));
});
http.listen(0, "127.0.0.1", () => {
  const address = http.address();
  console.error(`naive listening on http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`);
});
process.on("SIGTERM", () => process.exit(0));
