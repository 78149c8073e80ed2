// Your profile: display name and avatar colour, with a preview of your avatar. Changes show at
// once in every room you are in (the server updates the synced player state).
import { useState, type FormEvent } from "react";
import { USER } from "../../../shared/src/constants.ts";
import { errorText, useT } from "../i18n/index.ts";
import { sharing } from "../net/sharing-api.ts";
import { logIn, session } from "../state/session.ts";
import { useStore } from "../state/store.ts";
import { toast } from "../state/toasts.ts";
import { Header } from "./Header.tsx";
import { Link } from "./router.ts";

export function ProfilePage() {
  const t = useT();
  const current = useStore(session)!;
  const [name, setName] = useState(current.user.display_name);
  const [color, setColor] = useState(current.user.avatar_color);

  async function save(e: FormEvent) {
    e.preventDefault();
    try {
      const user = await sharing.updateMe({ display_name: name.trim(), avatar_color: color });
      logIn({ token: current.token, user });
      toast(t("profile.saved"), "info");
    } catch (err) {
      toast(errorText(err as { code: string; message: string }));
    }
  }

  return (
    <>
      <Header>
        <Link to="/rooms" className="back">
          ← {t("game.back")}
        </Link>
      </Header>
      <main className="profile-page">
        <form className="panel profile" data-testid="profile-form" onSubmit={save}>
          <h1>{t("profile.title")}</h1>
          <label>
            {t("profile.displayName")}
            <input data-testid="profile-name" value={name} maxLength={USER.displayNameMax} required onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            {t("profile.color")}
            <input data-testid="profile-color" type="color" value={color} onChange={(e) => setColor(e.target.value)} />
          </label>
          <ProfilePreview name={name.trim() || current.user.username} color={color} />
          <button type="submit" className="primary" data-testid="profile-save" disabled={!name.trim()}>
            {t("profile.save")}
          </button>
        </form>
      </main>
    </>
  );
}

/** The avatar as others will see it. Issue 13 extends this with avatar parts. */
export function ProfilePreview({ name, color }: { name: string; color: string }) {
  const t = useT();
  return (
    <figure className="profile-preview" data-testid="profile-preview" aria-label={t("profile.preview")}>
      <svg width="96" height="96" viewBox="-48 -48 96 96" aria-hidden>
        <circle r="24" fill={color} stroke="#1f2937" strokeWidth="3" />
      </svg>
      <figcaption>{name}</figcaption>
    </figure>
  );
}
