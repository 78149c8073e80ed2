// Several processes on one Redis without PUBLIC_ADDRESS: each derives where clients reach its
// rooms (HOST:PORT, or the machine's first non-internal address for a wildcard HOST), or refuses
// to start with one line naming PUBLIC_ADDRESS.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { resolvePublicAddress } from "../src/config/public-address.ts";
import { call, joinVia, startCluster, type Cluster, type ClusterPlayer, type Node } from "./helpers/cluster.ts";
import { describeIf } from "./helpers/gate.ts";
import { leaveAll, playerOf } from "./helpers/sdk.ts";

describe("PUBLIC_ADDRESS when unset", () => {
  const base = { publicAddress: undefined, redisUrl: "redis://127.0.0.1:6379", host: "127.0.0.1", port: 8123 };

  it("is not needed by a single process, and a set one wins", () => {
    expect(resolvePublicAddress({ ...base, redisUrl: undefined }).address).toBeUndefined();
    expect(resolvePublicAddress({ ...base, publicAddress: "cafe.example.com/node-1" }).address).toBe("cafe.example.com/node-1");
  });

  it("is HOST:PORT for a concrete HOST, and the first non-internal address for a wildcard", () => {
    expect(resolvePublicAddress(base)).toEqual({ address: "127.0.0.1:8123" });
    expect(resolvePublicAddress({ ...base, host: "::1" }).address).toBe("[::1]:8123");
    const derived = resolvePublicAddress({ ...base, host: "0.0.0.0" }, () => "10.1.2.3");
    expect(derived.address).toBe("10.1.2.3:8123");
    expect(derived.note).toMatch(/PUBLIC_ADDRESS not set: .*10\.1\.2\.3:8123/);
    expect(resolvePublicAddress({ ...base, host: "::" }, () => "10.1.2.3").address).toBe("10.1.2.3:8123");
  });

  it("refuses to start, naming PUBLIC_ADDRESS, when no address can be found", () => {
    expect(() => resolvePublicAddress({ ...base, host: "0.0.0.0" }, () => undefined)).toThrow(/^Configuration error: PUBLIC_ADDRESS is required with REDIS_URL/);
    expect(() => resolvePublicAddress({ ...base, port: 0 })).toThrow(/^Configuration error: PUBLIC_ADDRESS/);
  });

  it("stops `npm start` with that one line", async () => {
    // PORT=0 with REDIS_URL cannot be derived; the check runs before any connection is made.
    const child = spawn(process.execPath, ["server/src/index.ts"], {
      env: { PATH: process.env["PATH"] ?? "", NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", REDIS_URL: "redis://127.0.0.1:1", SECRET_KEY: "x".repeat(40), DATA_DIR: "/nonexistent-cafe" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([expect.stringMatching(/^Configuration error: PUBLIC_ADDRESS /)]);
  });
});

describeIf("postgresql", "redis")("two processes with only REDIS_URL, DATABASE_URL, HOST and PORT", () => {
  let cluster: Cluster;
  let a: Node;
  let b: Node;
  const players: ClusterPlayer[] = [];
  const register = async (node: Node, username: string) => {
    const res = await call(node.url, "POST", "/auth/register", { body: { username, email: `${username}@example.test`, password: "correct horse battery" } });
    expect(res.status).toBe(201);
    return { id: res.body.user.id as number, username, token: res.body.access_token as string };
  };

  beforeAll(async () => {
    cluster = await startCluster({ PUBLIC_ADDRESS: "" }); // empty = unset
    [a, b] = [await cluster.start("A"), await cluster.start("B")];
  });
  afterAll(async () => {
    await leaveAll(players);
    await cluster?.stop();
  });

  it("act as one server: a join matched on one process reaches a room hosted by the other", async () => {
    const alice = await register(a, "pa_alice");
    const bob = await register(b, "pa_bob");
    const roomId = (await call(a.url, "POST", "/rooms", { token: alice.token, body: { name: "No address" } })).body.id as number;
    const pa = await joinVia(a, alice, { room_id: roomId, x: 100, y: 100 });
    players.push(pa);
    expect(pa.hostPort).toBe(a.port);
    const pb = await joinVia(b, bob, { room_id: roomId, x: 300, y: 300 });
    players.push(pb);
    expect(pb.hostPort).toBe(a.port);
    expect(pb.room.roomId).toBe(pa.room.roomId);
    await pa.until((s) => playerOf(s, bob.id) !== undefined, "bob seen by alice");
    await pb.until((s) => playerOf(s, alice.id) !== undefined, "alice seen by bob");
  });
});
