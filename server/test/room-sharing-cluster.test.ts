// Moderation by the room and live profiles across two processes on Redis: the REST call lands on
// one process, the room lives on the other, and the effect still reaches the seat.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Client } from "@colyseus/sdk";
import { CLOSE_CODES, ROOM_TYPE } from "../../shared/src/protocol.ts";
import { call, joinVia, startCluster, type Cluster, type ClusterPlayer, type Node } from "./helpers/cluster.ts";
import { leaveAll, playerOf } from "./helpers/sdk.ts";

interface User {
  id: number;
  username: string;
  token: string;
}

describe("rooms people share, across two processes", () => {
  let cluster: Cluster;
  let a: Node;
  let b: Node;
  let owner: User;
  let mod: User;
  let carol: User;
  let roomId: number;
  let watcher: ClusterPlayer;
  const players: ClusterPlayer[] = [];
  const register = async (node: Node, username: string): Promise<User> => {
    const res = await call(node.url, "POST", "/auth/register", {
      body: { username, email: `${username}@example.test`, password: "correct horse battery" },
    });
    expect(res.status).toBe(201);
    return { id: res.body.user.id, username, token: res.body.access_token };
  };
  const enter = async (user: User, x: number) => {
    const p = await joinVia(a, user, { room_id: roomId, x, y: 100 });
    players.push(p);
    await p.until((s) => playerOf(s, user.id) !== undefined, "own seat");
    return p;
  };
  /** REST through the process that does not host the room. */
  const viaB = (user: User, method: string, route: string, body?: unknown) =>
    call(b.url, method, route, { token: user.token, ...(body !== undefined ? { body } : {}) });

  beforeAll(async () => {
    cluster = await startCluster({ COLYSEUS_MAX_CONCURRENT_CREATE_ROOM_WAIT_TIME: "0" });
    [a, b] = await Promise.all([cluster.start("A"), cluster.start("B")]);
    [owner, mod, carol] = [await register(a, "owner"), await register(a, "moder"), await register(a, "carol")];
    roomId = (await call(a.url, "POST", "/rooms", { token: owner.token, body: { name: "Shared" } })).body.id;
    expect((await viaB(owner, "PUT", `/rooms/${roomId}/members/${mod.id}`, { role: "moderator" })).status).toBe(200);
    watcher = await enter(owner, 300);
    expect(watcher.hostPort).toBe(a.port);
  }, 90_000);
  afterAll(async () => {
    await leaveAll(players);
    await cluster?.stop();
  });

  it("mutes, kicks and bans a seat hosted by the other process", async () => {
    let c = await enter(carol, 200);
    expect((await viaB(mod, "POST", `/rooms/${roomId}/mute`, { user_id: carol.id, minutes: 3 })).status).toBe(201);
    let m = c.mark();
    c.send("send_message", { message: "hello" });
    expect((await c.next("error", (e) => e.event === "send_message", m)).code).toBe("muted");
    expect((await viaB(mod, "DELETE", `/rooms/${roomId}/mutes/${carol.id}`)).status).toBe(204);

    expect((await viaB(mod, "POST", `/rooms/${roomId}/kick`, { user_id: carol.id })).status).toBe(201);
    expect(await c.left).toBe(CLOSE_CODES.kicked);
    c = await enter(carol, 200);

    m = watcher.mark();
    expect((await viaB(mod, "POST", `/rooms/${roomId}/ban`, { user_id: carol.id, minutes: 60 })).status).toBe(201);
    expect(await c.left).toBe(CLOSE_CODES.banned);
    await watcher.next("user_left", (p) => p.user_id === carol.id, m);
    for (const node of [a, b]) {
      const client = new Client(node.url);
      client.auth.token = carol.token;
      await expect(client.joinOrCreate(ROOM_TYPE, { room_id: roomId })).rejects.toMatchObject({ code: 403 });
    }
    const bans = await call(a.url, "GET", `/rooms/${roomId}/bans`, { token: owner.token });
    expect(bans.body).toEqual([expect.objectContaining({ user_id: carol.id })]);
    expect(Date.parse(bans.body[0].until) - Date.now()).toBeGreaterThan(59 * 60_000);
  }, 60_000);

  it("shows a profile change at once in a room hosted by the other process", async () => {
    const res = await viaB(owner, "PATCH", "/users/me", { display_name: "The Owner", avatar_color: "#aa3366" });
    expect(res.status).toBe(200);
    await watcher.until((s) => playerOf(s, owner.id)?.display_name === "The Owner" && playerOf(s, owner.id)?.color === "#aa3366", "profile in state");
  }, 30_000);
});
