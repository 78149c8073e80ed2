// Your profile: display name, avatar colour and avatar parts, with a live preview drawn by the same
// code that draws avatars in rooms. Saved with PATCH /users/me; everyone in the rooms you are in
// sees the change at once (the server updates the synced player state).
import { useState, type FormEvent } from "react";
import type { Avatar } from "../../../shared/src/appearance.ts";
import { USER } from "../../../shared/src/constants.ts";
import { errorText, useT } from "../i18n/index.ts";
import { api } from "../net/api.ts";
import { logIn, session } from "../state/session.ts";
import { useStore } from "../state/store.ts";
import { toast } from "../state/toasts.ts";
import { AvatarEditor } from "./AvatarEditor.tsx";
import { DeleteAccount } from "./DeleteAccount.tsx";
import { Header } from "./Header.tsx";
import { Link } from "./router.ts";

export function ProfilePage() {
  const t = useT();
  const current = useStore(session)!;
  const [name, setName] = useState(current.user.display_name);
  const [color, setColor] = useState(current.user.avatar_color);
  const [avatar, setAvatar] = useState<Avatar>(current.user.avatar);
  const [busy, setBusy] = useState(false);

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const user = await api.updateMe({ display_name: name.trim(), avatar_color: color, avatar });
      logIn({ token: current.token, user });
      toast(t("profile.saved"), "info");
    } catch (err) {
      toast(errorText(err as { code: string; message: string }));
    } finally {
      setBusy(false);
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
        <form className="panel profile" data-testid="profile-form" onSubmit={(e) => void save(e)}>
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
          <AvatarEditor value={avatar} onChange={setAvatar} />
          <button type="submit" className="primary" data-testid="profile-save" disabled={busy || !name.trim()}>
            {t("profile.save")}
          </button>
        </form>
        <DeleteAccount />
      </main>
    </>
  );
}

/** Your name tag as others will see it, in your avatar colour. */
function ProfilePreview({ name, color }: { name: string; color: string }) {
  const t = useT();
  return (
    <figure className="profile-preview" data-testid="profile-preview" aria-label={t("profile.preview")}>
      <svg width="48" height="48" viewBox="-24 -24 48 48" aria-hidden>
        <circle r="16" fill={color} stroke="#1f2937" strokeWidth="3" />
      </svg>
      <figcaption>{name}</figcaption>
    </figure>
  );
}
