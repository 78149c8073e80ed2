// The room list: search, live online counts, create; owners edit and delete their rooms.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import type { RoomOut } from "../../../shared/src/api.ts";
import { ROOM } from "../../../shared/src/constants.ts";
import { errorText, useT } from "../i18n/index.ts";
import { api, ApiError, type RoomInput } from "../net/api.ts";
import { session } from "../state/session.ts";
import { useStore } from "../state/store.ts";
import { toast } from "../state/toasts.ts";
import { Header } from "./Header.tsx";
import { navigate } from "./router.ts";

const REFRESH_MS = 10_000;
const EMPTY: RoomInput = {
  name: "",
  description: "",
  width: ROOM.defaultWidth,
  height: ROOM.defaultHeight,
  max_users: ROOM.defaultMaxUsers,
  is_private: false,
};

function fail(err: unknown): void {
  if (err instanceof ApiError && err.status !== 401) toast(err.status === 422 ? err.message : errorText(err));
}

export function RoomsPage() {
  const t = useT();
  const me = useStore(session)!.user;
  const [query, setQuery] = useState("");
  const [rooms, setRooms] = useState<RoomOut[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);

  const load = useCallback(async (q: string) => {
    try {
      const { data } = await api.listRooms(q);
      setRooms(data);
    } catch (err) {
      fail(err);
    }
  }, []);

  // Search as you type (debounced), and keep the online counts fresh.
  useEffect(() => {
    const first = setTimeout(() => void load(query), query ? 250 : 0);
    const every = setInterval(() => void load(query), REFRESH_MS);
    return () => {
      clearTimeout(first);
      clearInterval(every);
    };
  }, [query, load]);

  async function create(input: RoomInput) {
    try {
      const room = await api.createRoom(input);
      toast(t("rooms.created", { name: room.name }), "info");
      setCreating(false);
      await load(query);
    } catch (err) {
      fail(err);
    }
  }

  async function save(id: number, input: RoomInput) {
    try {
      await api.updateRoom(id, input);
      toast(t("rooms.saved"), "info");
      setEditing(null);
      await load(query);
    } catch (err) {
      fail(err);
    }
  }

  async function remove(room: RoomOut) {
    if (!confirm(t("rooms.confirmDelete", { name: room.name }))) return;
    try {
      await api.deleteRoom(room.id);
      toast(t("rooms.deleted"), "info");
      await load(query);
    } catch (err) {
      fail(err);
    }
  }

  return (
    <>
      <Header />
      <main className="rooms-page">
        <div className="rooms-toolbar">
          <h1>{t("rooms.title")}</h1>
          <input
            type="search"
            className="search"
            data-testid="room-search"
            placeholder={t("rooms.search")}
            aria-label={t("rooms.search")}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <button type="button" className="primary" data-testid="room-create-open" onClick={() => setCreating((v) => !v)}>
            {t("rooms.create")}
          </button>
        </div>
        {creating && <RoomForm initial={EMPTY} submitLabel={t("rooms.create")} onSubmit={create} onCancel={() => setCreating(false)} testId="room-create-form" />}
        {rooms === null ? (
          <p className="muted">{t("rooms.loading")}</p>
        ) : rooms.length === 0 ? (
          <p className="empty" data-testid="rooms-empty">
            {query ? t("rooms.noMatch", { q: query }) : t("rooms.empty")}
          </p>
        ) : (
          <ul className="room-list" data-testid="room-list">
            {rooms.map((room) =>
              editing === room.id ? (
                <li key={room.id} className="room-card editing">
                  <RoomForm
                    initial={room}
                    submitLabel={t("rooms.save")}
                    onSubmit={(input) => save(room.id, input)}
                    onCancel={() => setEditing(null)}
                    testId="room-edit-form"
                  />
                </li>
              ) : (
                <RoomCard key={room.id} room={room} mine={room.owner_id === me.id} onEdit={() => setEditing(room.id)} onDelete={() => remove(room)} />
              ),
            )}
          </ul>
        )}
      </main>
    </>
  );
}

function RoomCard({ room, mine, onEdit, onDelete }: { room: RoomOut; mine: boolean; onEdit: () => void; onDelete: () => void }) {
  const t = useT();
  const full = room.online >= room.max_users;
  return (
    <li className="room-card" data-testid="room-card" data-room-id={room.id} data-room-name={room.name}>
      <div className="room-main">
        <h2>
          {room.name}
          {room.is_private && <span className="badge">{t("rooms.private")}</span>}
          {mine && <span className="badge badge-mine">{t("rooms.yours")}</span>}
        </h2>
        {room.description && <p className="room-description">{room.description}</p>}
        <p className="room-meta">
          <span className={`online ${room.online > 0 ? "live" : ""}`} data-testid="room-online">
            {t("rooms.online", { online: room.online, max: room.max_users })}
          </span>
          <span className="muted">{t("rooms.size", { w: room.width, h: room.height })}</span>
        </p>
      </div>
      <div className="room-actions">
        {mine && (
          <>
            <button type="button" onClick={onEdit} data-testid="room-edit">
              {t("rooms.edit")}
            </button>
            <button type="button" className="danger" onClick={onDelete} data-testid="room-delete">
              {t("rooms.delete")}
            </button>
          </>
        )}
        <button type="button" className="primary" disabled={full} data-testid="room-enter" onClick={() => navigate(`/game/${room.id}`)}>
          {t("rooms.enter")}
        </button>
      </div>
    </li>
  );
}

function RoomForm(props: { initial: RoomInput; submitLabel: string; onSubmit: (input: RoomInput) => void; onCancel: () => void; testId: string }) {
  const t = useT();
  const [v, setV] = useState<RoomInput>({
    name: props.initial.name,
    description: props.initial.description,
    width: props.initial.width,
    height: props.initial.height,
    max_users: props.initial.max_users,
    is_private: props.initial.is_private,
  });
  const set = <K extends keyof RoomInput>(key: K, value: RoomInput[K]) => setV((prev) => ({ ...prev, [key]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit({ ...v, name: v.name.trim() });
  };
  return (
    <form className="room-form" onSubmit={submit} data-testid={props.testId}>
      <label className="wide">
        {t("rooms.name")}
        <input data-testid="room-name" required maxLength={ROOM.nameMax} value={v.name} onChange={(e) => set("name", e.target.value)} autoFocus />
      </label>
      <label className="wide">
        {t("rooms.description")}
        <textarea data-testid="room-description" maxLength={ROOM.descriptionMax} rows={2} value={v.description} onChange={(e) => set("description", e.target.value)} />
      </label>
      <label>
        {t("rooms.width")}
        <input type="number" data-testid="room-width" min={ROOM.minSize} max={ROOM.maxSize} required value={v.width} onChange={(e) => set("width", Number(e.target.value))} />
      </label>
      <label>
        {t("rooms.height")}
        <input type="number" data-testid="room-height" min={ROOM.minSize} max={ROOM.maxSize} required value={v.height} onChange={(e) => set("height", Number(e.target.value))} />
      </label>
      <label>
        {t("rooms.capacity")}
        <input type="number" data-testid="room-capacity" min={ROOM.minUsers} max={ROOM.maxUsers} required value={v.max_users} onChange={(e) => set("max_users", Number(e.target.value))} />
      </label>
      <label className="checkbox wide">
        <input type="checkbox" data-testid="room-private" checked={v.is_private} onChange={(e) => set("is_private", e.target.checked)} />
        {t("rooms.isPrivate")}
      </label>
      <div className="form-actions wide">
        <button type="button" onClick={props.onCancel}>
          {t("rooms.cancel")}
        </button>
        <button type="submit" className="primary" data-testid="room-submit">
          {props.submitLabel}
        </button>
      </div>
    </form>
  );
}
