// The profile page: display name and avatar, with a live preview; saved with PATCH /users/me, and
// everyone in the rooms you are in sees the change at once.
import { useState, type FormEvent } from "react";
import { Avatar } from "../../../shared/src/appearance.ts";
import { useT } from "../i18n/index.ts";
import { api, ApiError } from "../net/api.ts";
import { logIn, session } from "../state/session.ts";
import { useStore } from "../state/store.ts";
import { toast } from "../state/toasts.ts";
import { AvatarEditor } from "./AvatarEditor.tsx";
import { Header } from "./Header.tsx";

export function ProfilePage() {
  const t = useT();
  const current = useStore(session)!;
  const [name, setName] = useState(current.user.display_name);
  const [avatar, setAvatar] = useState<Avatar>(current.user.avatar);
  const [busy, setBusy] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const user = await api.updateMe({ display_name: name, avatar });
      logIn({ token: current.token, user });
      toast(t("profile.saved"), "info");
    } catch (err) {
      toast(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Header />
      <main className="profile-page">
        <h1>{t("profile.title")}</h1>
        <form onSubmit={(e) => void save(e)} data-testid="profile-form">
          <label>
            {t("profile.displayName")}
            <input data-testid="profile-display-name" value={name} maxLength={64} required onChange={(e) => setName(e.target.value)} />
          </label>
          <AvatarEditor value={avatar} onChange={setAvatar} />
          <button type="submit" className="primary" disabled={busy} data-testid="profile-save">
            {t("profile.save")}
          </button>
        </form>
      </main>
    </>
  );
}
