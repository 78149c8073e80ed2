// "Delete my account": a clear warning, the password to confirm, then the server deletes the account
// (DELETE /users/me) and this browser logs out. Its own component, so a profile page can embed it.
import { useState, type FormEvent } from "react";
import { USERNAME_RESERVED_DAYS } from "../../../shared/src/leaving.ts";
import { useT } from "../i18n/index.ts";
import { api, ApiError } from "../net/api.ts";
import { logOut } from "../state/session.ts";
import { toast } from "../state/toasts.ts";
import { navigate } from "./router.ts";

export function DeleteAccount() {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.deleteMe(password);
      logOut();
      navigate("/login", { replace: true });
      toast(t("leave.done"), "info");
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) setError(t("leave.wrongPassword"));
      else setError(t("error.generic", { message: err instanceof Error ? err.message : String(err) }));
      setBusy(false);
    }
  }

  return (
    <section className="panel danger-zone" data-testid="delete-account">
      <h2>{t("leave.title")}</h2>
      {!open ? (
        <button type="button" className="danger" data-testid="delete-account-open" onClick={() => setOpen(true)}>
          {t("leave.open")}
        </button>
      ) : (
        <form onSubmit={submit} data-testid="delete-account-form">
          <p className="warning" role="alert" data-testid="delete-account-warning">
            {t("leave.warning", { days: USERNAME_RESERVED_DAYS })}
          </p>
          <label>
            {t("leave.password")}
            <input
              type="password"
              autoComplete="current-password"
              required
              value={password}
              data-testid="delete-account-password"
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          {error && (
            <p className="form-error" data-testid="delete-account-error">
              {error}
            </p>
          )}
          <div className="form-actions">
            <button type="button" data-testid="delete-account-cancel" onClick={() => (setOpen(false), setPassword(""), setError(null))}>
              {t("leave.cancel")}
            </button>
            <button type="submit" className="danger" disabled={busy || !password} data-testid="delete-account-submit">
              {t("leave.confirm")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
