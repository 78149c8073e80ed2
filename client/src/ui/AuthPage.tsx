// Log in or create an account. Errors say what went wrong in the user's language.
import { useState, type FormEvent } from "react";
import { USER } from "../../../shared/src/constants.ts";
import { useT } from "../i18n/index.ts";
import { api, ApiError } from "../net/api.ts";
import { logIn, sessionEndReason } from "../state/session.ts";
import { useStore } from "../state/store.ts";
import { Header } from "./Header.tsx";
import { Link, navigate } from "./router.ts";

type Mode = "login" | "register";

function authError(err: unknown, mode: Mode, t: ReturnType<typeof useT>): string {
  if (!(err instanceof ApiError)) return t("error.generic", { message: String(err) });
  if (err.code === "network") return t("error.network");
  if (err.status === 401) return t("auth.wrongPassword");
  if (err.status === 429) return t("auth.throttled", { seconds: err.retryAfter ?? 60 });
  if (err.status === 409 && mode === "register") return /email/i.test(err.message) ? t("auth.emailTaken") : t("auth.usernameTaken");
  if (err.status === 422) return err.message;
  return t("error.generic", { message: err.message });
}

export function AuthPage({ mode }: { mode: Mode }) {
  const t = useT();
  const ended = useStore(sessionEndReason);
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = mode === "login" ? await api.login(username.trim(), password) : await api.register(username.trim(), email.trim(), password);
      logIn({ token: result.access_token, user: result.user });
      navigate("/rooms", { replace: true });
    } catch (err) {
      setError(authError(err, mode, t));
    } finally {
      setBusy(false);
    }
  }

  const register = mode === "register";
  return (
    <>
      <Header />
      <main className="auth-page">
        <section className="auth-card">
          <h1>{register ? t("auth.register") : t("auth.login")}</h1>
          <p className="muted">{t("auth.tagline")}</p>
          {ended === "expired" && !error && (
            <p className="notice" data-testid="session-expired">
              {t("auth.expired")}
            </p>
          )}
          <form onSubmit={submit} data-testid="auth-form">
            <label>
              {t("auth.username")}
              <input
                data-testid="auth-username"
                name="username"
                autoComplete="username"
                required
                minLength={register ? USER.usernameMin : 1}
                maxLength={USER.usernameMax}
                title={register ? t("auth.usernameRule") : undefined}
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                autoFocus
              />
              {register && <small className="muted">{t("auth.usernameRule")}</small>}
            </label>
            {register && (
              <label>
                {t("auth.email")}
                <input
                  data-testid="auth-email"
                  name="email"
                  type="email"
                  autoComplete="email"
                  required
                  maxLength={USER.emailMax}
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                />
              </label>
            )}
            <label>
              {t("auth.password")}
              <input
                data-testid="auth-password"
                name="password"
                type="password"
                autoComplete={register ? "new-password" : "current-password"}
                required
                minLength={register ? USER.passwordMin : 1}
                maxLength={USER.passwordMax}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
              {register && <small className="muted">{t("auth.passwordRule", { min: USER.passwordMin })}</small>}
            </label>
            {error && (
              <p className="form-error" role="alert" data-testid="auth-error">
                {error}
              </p>
            )}
            <button type="submit" className="primary" data-testid="auth-submit" disabled={busy}>
              {register ? t("auth.submitRegister") : t("auth.submitLogin")}
            </button>
          </form>
          <p className="auth-switch">
            <Link to={register ? "/login" : "/register"} data-testid="auth-switch">
              {register ? t("auth.toLogin") : t("auth.toRegister")}
            </Link>
          </p>
        </section>
      </main>
    </>
  );
}
