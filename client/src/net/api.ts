// The REST API (/api/v1), typed with the shared schemas. Every call goes through `request`,
// which adds the token and turns failures into ApiError; a 401 on an authenticated call ends
// the session (the token expired).
import type { AuthOut, ChatMessageOut, ItemOut, RoomOut, UserOut } from "../../../shared/src/api.ts";
import type { ItemType, Rotation } from "../../../shared/src/constants.ts";
import type { BuildPolicy } from "../../../shared/src/rights.ts";
import type { IceServersOut } from "../../../shared/src/media.ts";
import { logOut, session } from "../state/session.ts";

const BASE = "/api/v1";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds to wait, from Retry-After (429). */
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, retryAfter?: number) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

type Detail = string | { loc: (string | number)[]; msg: string }[];

function describe(detail: Detail | undefined, fallback: string): string {
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail) && detail.length) {
    return detail.map((d) => `${d.loc.filter((l) => l !== "body" && l !== "query").join(".")}: ${d.msg}`).join("; ");
  }
  return fallback;
}

interface Options {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Anonymous calls (login, register) never end a session on 401. */
  anonymous?: boolean;
}

export async function request<T>(method: string, path: string, options: Options = {}): Promise<{ data: T; total: number | null }> {
  const headers: Record<string, string> = {};
  const token = session.get()?.token;
  if (token && !options.anonymous) headers["authorization"] = `Bearer ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== "") query.set(k, String(v));
  const url = `${BASE}${path}${query.size ? `?${query}` : ""}`;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  } catch {
    throw new ApiError(0, "network", "Cannot reach the server");
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const body = (parsed ?? {}) as { detail?: Detail; code?: string };
    if (res.status === 401 && !options.anonymous) logOut("expired");
    const retry = Number(res.headers.get("retry-after"));
    throw new ApiError(res.status, body.code ?? "internal", describe(body.detail, res.statusText), Number.isFinite(retry) && retry > 0 ? retry : undefined);
  }
  const total = res.headers.get("x-total-count");
  return { data: parsed as T, total: total === null ? null : Number(total) };
}

export const call = async <T>(method: string, path: string, options?: Options): Promise<T> => (await request<T>(method, path, options)).data;

export interface RoomInput {
  name: string;
  description: string;
  width: number;
  height: number;
  max_users: number;
  is_private: boolean;
  build_policy?: BuildPolicy;
}

export const api = {
  login: (username: string, password: string) => call<AuthOut>("POST", "/auth/login", { body: { username, password }, anonymous: true }),
  register: (username: string, email: string, password: string) =>
    call<AuthOut>("POST", "/auth/register", { body: { username, email, password }, anonymous: true }),
  me: () => call<UserOut>("GET", "/users/me"),
  updateMe: (change: { display_name?: string; avatar_color?: string; avatar?: Partial<UserOut["avatar"]> }) => call<UserOut>("PATCH", "/users/me", { body: change }),
  deleteMe: (password: string) => call<void>("DELETE", "/users/me", { body: { password } }),

  listRooms: (q: string, limit = 200) => request<RoomOut[]>("GET", "/rooms", { query: { q, limit } }),
  getRoom: (id: number) => call<RoomOut>("GET", `/rooms/${id}`),
  createRoom: (input: RoomInput) => call<RoomOut>("POST", "/rooms", { body: input }),
  updateRoom: (id: number, input: Partial<RoomInput>) => call<RoomOut>("PATCH", `/rooms/${id}`, { body: input }),
  deleteRoom: (id: number) => call<void>("DELETE", `/rooms/${id}`),

  inventory: () => call<ItemOut[]>("GET", "/inventory", { query: { limit: 200 } }),
  grant: (type: ItemType) => call<ItemOut>("POST", "/inventory", { body: { type } }),
  discard: (id: number) => call<void>("DELETE", `/inventory/${id}`),
  moveObject: (id: number, change: { x?: number; y?: number; rotation?: Rotation }) =>
    call<ItemOut>("PATCH", `/objects/${id}`, { body: change }),
  pickUp: (id: number) => call<ItemOut>("DELETE", `/objects/${id}`),

  chatHistory: (roomId: number) => call<ChatMessageOut[]>("GET", "/chat", { query: { room_id: roomId, limit: 50 } }),
  userName: async (id: number) => (await call<UserOut>("GET", `/users/${id}`)).username,
  iceServers: () => call<IceServersOut>("GET", "/rtc/ice-servers"),
};
