// Everyone in the room: colour, name, role; a search box, "find" (the camera centres on them) and
// "whisper". Moderators also see kick / mute for N minutes / ban on each person they may act on.
import { useState } from "react";
import { canActOn, type Standing } from "../../../shared/src/rights.ts";
import type { GameController } from "../game/controller.ts";
import { errorText, useT } from "../i18n/index.ts";
import { sharing } from "../net/sharing-api.ts";
import type { GameStores, RosterEntry } from "../state/game.ts";
import type { RoomRights } from "../state/rights.ts";
import { useStore } from "../state/store.ts";
import { toast } from "../state/toasts.ts";

export function PeoplePanel({ stores, controller, rights, me }: { stores: GameStores; controller: GameController; rights: RoomRights; me: number }) {
  const t = useT();
  const roster = useStore(stores.roster);
  const [q, setQ] = useState("");
  const people = [...roster.values()].sort((a, b) => a.display_name.localeCompare(b.display_name));
  const needle = q.trim().toLowerCase();
  const shown = needle ? people.filter((p) => `${p.display_name} ${p.username}`.toLowerCase().includes(needle)) : people;
  // As shared/src/rights.ts standingOf: an admin outranks the owner, whom no room role acts on.
  const standingOf = (userId: number): Standing =>
    roster.get(userId)?.admin ? "admin" : rights.room?.owner_id === userId ? "owner" : (rights.members.find((m) => m.user_id === userId)?.role ?? "none");

  return (
    <section className="panel people" data-testid="people-panel">
      <h2>
        {t("people.title")} <span className="muted" data-testid="people-count">{t("people.count", { count: roster.size })}</span>
      </h2>
      <input data-testid="people-search" placeholder={t("people.search")} aria-label={t("people.search")} value={q} onChange={(e) => setQ(e.target.value)} />
      <ul className="people-list">
        {shown.map((p) => (
          <Person
            key={p.user_id}
            person={p}
            self={p.user_id === me}
            standing={standingOf(p.user_id)}
            mayModerate={rights.can("moderate") && canActOn(rights.standing, standingOf(p.user_id))}
            onFind={() => controller.scene.find(p.user_id)}
            onWhisper={() => stores.whisperTo.set(p)}
            roomId={rights.room?.id ?? 0}
            onModerated={rights.reload}
          />
        ))}
      </ul>
    </section>
  );
}

function Person(props: {
  person: RosterEntry;
  self: boolean;
  standing: Standing;
  mayModerate: boolean;
  onFind: () => void;
  onWhisper: () => void;
  roomId: number;
  onModerated: () => void;
}) {
  const t = useT();
  const { person: p } = props;
  const [minutes, setMinutes] = useState(10);
  const act = async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      toast(done, "info");
      props.onModerated();
    } catch (err) {
      toast(errorText(err as { code: string; message: string }));
    }
  };
  return (
    <li className="person" data-testid="person" data-user-id={p.user_id}>
      <span className="person-dot" style={{ background: p.color }} aria-hidden />
      <span className="person-name">
        {p.display_name}
        {props.self && <span className="muted"> ({t("people.you")})</span>}
      </span>
      {props.standing !== "none" && <span className="badge" data-testid="person-role">{t(`role.${props.standing}` as "role.owner")}</span>}
      <span className="person-actions">
        <button type="button" data-testid="person-find" onClick={props.onFind}>
          {t("people.find")}
        </button>
        {!props.self && (
          <button type="button" data-testid="person-whisper" onClick={props.onWhisper}>
            {t("people.whisper")}
          </button>
        )}
      </span>
      {props.mayModerate && !props.self && (
        <span className="person-moderation" data-testid="person-moderation">
          <button type="button" data-testid="person-kick" onClick={() => void act(() => sharing.kick(props.roomId, p.user_id), t("people.kicked", { name: p.display_name }))}>
            {t("people.kick")}
          </button>
          <input
            type="number"
            min={1}
            max={43200}
            value={minutes}
            aria-label={t("people.muteMinutes")}
            data-testid="person-mute-minutes"
            onChange={(e) => setMinutes(Math.max(1, Math.round(Number(e.target.value) || 1)))}
          />
          <button type="button" data-testid="person-mute" onClick={() => void act(() => sharing.mute(props.roomId, p.user_id, minutes), t("people.muted", { name: p.display_name, minutes }))}>
            {t("people.mute")}
          </button>
          <button type="button" className="danger" data-testid="person-ban" onClick={() => void act(() => sharing.ban(props.roomId, p.user_id), t("people.banned", { name: p.display_name }))}>
            {t("people.ban")}
          </button>
        </span>
      )}
    </li>
  );
}
