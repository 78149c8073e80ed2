// For the owner, moderators and admins: the room's settings, its members and their roles, invites
// (create, copy the link, revoke) and bans. Each part shows only to those the server would allow.
import { useEffect, useState, type FormEvent } from "react";
import type { RoomOut } from "../../../shared/src/api.ts";
import { ROOM } from "../../../shared/src/constants.ts";
import { BUILD_POLICIES, canActOn, canGrant, INVITE_ROLES, ROOM_ROLES, type BuildPolicy, type InviteRole, type RoomRole } from "../../../shared/src/rights.ts";
import type { InviteOut, RoomBanOut } from "../../../shared/src/room-sharing.ts";
import { errorText, useT } from "../i18n/index.ts";
import { api } from "../net/api.ts";
import { sharing } from "../net/sharing-api.ts";
import type { RoomRights } from "../state/rights.ts";
import { toast } from "../state/toasts.ts";

const fail = (err: unknown) => toast(errorText(err as { code: string; message: string }));

export function RoomSettingsPanel({ rights }: { rights: RoomRights }) {
  const t = useT();
  if (!rights.room || !rights.can("manage_invites")) return null;
  return (
    <section className="panel settings" data-testid="room-settings-panel">
      <h2>{t("settings.title")}</h2>
      {rights.can("manage_room") && <SettingsForm room={rights.room} onSaved={rights.reload} />}
      <Members rights={rights} />
      <Invites roomId={rights.room.id} />
      <Bans roomId={rights.room.id} version={rights.version} />
    </section>
  );
}

function SettingsForm({ room, onSaved }: { room: RoomOut; onSaved: () => void }) {
  const t = useT();
  const [form, setForm] = useState({ ...room });
  useEffect(() => setForm({ ...room }), [room]);
  async function save(e: FormEvent) {
    e.preventDefault();
    try {
      const { name, description, width, height, max_users, is_private, build_policy } = form;
      await api.updateRoom(room.id, { name, description, width, height, max_users, is_private, build_policy });
      toast(t("settings.saved"), "info");
      onSaved();
    } catch (err) {
      fail(err);
    }
  }
  const num = (key: "width" | "height" | "max_users") => (e: { target: { value: string } }) => setForm({ ...form, [key]: Number(e.target.value) });
  return (
    <form className="settings-form" data-testid="room-settings-form" onSubmit={save}>
      <label>
        {t("rooms.name")}
        <input data-testid="settings-name" value={form.name} maxLength={ROOM.nameMax} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </label>
      <label>
        {t("rooms.description")}
        <input value={form.description} maxLength={ROOM.descriptionMax} onChange={(e) => setForm({ ...form, description: e.target.value })} />
      </label>
      <span className="row">
        <label>
          {t("rooms.width")}
          <input type="number" min={ROOM.minSize} max={ROOM.maxSize} value={form.width} onChange={num("width")} />
        </label>
        <label>
          {t("rooms.height")}
          <input type="number" min={ROOM.minSize} max={ROOM.maxSize} value={form.height} onChange={num("height")} />
        </label>
        <label>
          {t("rooms.capacity")}
          <input type="number" min={ROOM.minUsers} max={ROOM.maxUsers} value={form.max_users} onChange={num("max_users")} />
        </label>
      </span>
      <label className="check">
        <input type="checkbox" checked={form.is_private} onChange={(e) => setForm({ ...form, is_private: e.target.checked })} />
        {t("rooms.private")}
      </label>
      <label>
        {t("settings.buildPolicy")}
        <select data-testid="settings-build-policy" value={form.build_policy} onChange={(e) => setForm({ ...form, build_policy: e.target.value as BuildPolicy })}>
          {BUILD_POLICIES.map((p) => (
            <option key={p} value={p}>
              {t(`settings.policy.${p}`)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="primary" data-testid="settings-save">
        {t("profile.save")}
      </button>
    </form>
  );
}

function Members({ rights }: { rights: RoomRights }) {
  const t = useT();
  const roomId = rights.room!.id;
  const [newId, setNewId] = useState("");
  const change = (run: () => Promise<unknown>) => run().then(rights.reload, fail);
  return (
    <div className="settings-part" data-testid="settings-members">
      <h3>{t("settings.members")}</h3>
      {rights.members.length === 0 && <p className="muted">{t("settings.noMembers")}</p>}
      <ul>
        {rights.members.map((m) => {
          const mayChange = canActOn(rights.standing, m.role);
          return (
            <li key={m.user_id} data-testid="member" data-user-id={m.user_id}>
              <span>{m.display_name}</span>
              <select
                data-testid="member-role"
                value={m.role}
                disabled={!mayChange}
                onChange={(e) => void change(() => sharing.setRole(roomId, m.user_id, e.target.value as RoomRole))}
              >
                {ROOM_ROLES.filter((r) => r === m.role || canGrant(rights.standing, r)).map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
              {mayChange && (
                <button type="button" className="icon" aria-label={t("role.remove")} onClick={() => void change(() => sharing.removeMember(roomId, m.user_id))}>
                  ×
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          const id = Number(newId);
          if (id > 0) void change(() => sharing.setRole(roomId, id, "member")).then(() => setNewId(""));
        }}
      >
        <input type="number" min={1} placeholder={t("settings.addMember")} aria-label={t("settings.addMember")} value={newId} onChange={(e) => setNewId(e.target.value)} />
        <button type="submit">+</button>
      </form>
    </div>
  );
}

function Invites({ roomId }: { roomId: number }) {
  const t = useT();
  const [invites, setInvites] = useState<InviteOut[]>([]);
  const [role, setRole] = useState<InviteRole>("member");
  const [uses, setUses] = useState("");
  const [expiry, setExpiry] = useState("");
  const load = () => void sharing.invites(roomId).then(setInvites, fail);
  useEffect(load, [roomId]);
  const link = (i: InviteOut) => new URL(i.url, window.location.origin).href;
  async function create(e: FormEvent) {
    e.preventDefault();
    try {
      await sharing.createInvite(roomId, { role, ...(uses ? { max_uses: Number(uses) } : {}), ...(expiry ? { expires_minutes: Number(expiry) } : {}) });
      load();
    } catch (err) {
      fail(err);
    }
  }
  return (
    <div className="settings-part" data-testid="settings-invites">
      <h3>{t("settings.invites")}</h3>
      <form className="invite-form" onSubmit={create}>
        <select data-testid="invite-role" aria-label={t("settings.inviteRole")} value={role} onChange={(e) => setRole(e.target.value as InviteRole)}>
          {INVITE_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
        <input type="number" min={1} max={1000} placeholder={t("settings.inviteUses")} aria-label={t("settings.inviteUses")} value={uses} onChange={(e) => setUses(e.target.value)} />
        <input type="number" min={1} max={43200} placeholder={t("settings.inviteExpiry")} aria-label={t("settings.inviteExpiry")} value={expiry} onChange={(e) => setExpiry(e.target.value)} />
        <button type="submit" className="primary" data-testid="invite-create">
          {t("settings.createInvite")}
        </button>
      </form>
      {invites.length === 0 && <p className="muted">{t("settings.noInvites")}</p>}
      <ul>
        {invites.map((i) => (
          <li key={i.code} data-testid="invite" data-url={link(i)}>
            <span className="badge">{t(`role.${i.role}`)}</span>
            <code className="invite-link">{link(i)}</code>
            {i.max_uses !== null && <span className="muted">{t("settings.inviteUsed", { uses: i.uses, max: i.max_uses })}</span>}
            <button
              type="button"
              data-testid="invite-copy"
              onClick={() => void navigator.clipboard?.writeText(link(i)).then(() => toast(t("settings.copied"), "info"), () => undefined)}
            >
              {t("settings.copy")}
            </button>
            <button type="button" data-testid="invite-revoke" onClick={() => void sharing.revokeInvite(roomId, i.code).then(load, fail)}>
              {t("settings.revoke")}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Bans({ roomId, version }: { roomId: number; version: number }) {
  const t = useT();
  const [bans, setBans] = useState<RoomBanOut[]>([]);
  const load = () => void sharing.bans(roomId).then(setBans, () => undefined);
  useEffect(load, [roomId, version]);
  if (!bans.length) return null;
  return (
    <div className="settings-part" data-testid="settings-bans">
      <h3>{t("settings.bans")}</h3>
      <ul>
        {bans.map((b) => (
          <li key={b.user_id} data-testid="ban">
            <span>{b.username}</span>
            <span className="muted">{b.until ? t("settings.until", { time: new Date(b.until).toLocaleString() }) : t("settings.forever")}</span>
            <button type="button" onClick={() => void sharing.unban(roomId, b.user_id).then(load, fail)}>
              {t("settings.unban")}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
