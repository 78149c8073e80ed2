// The top bar: the app's name, what the page adds, the language switch and the account.
import type { ReactNode } from "react";
import { language, LANGUAGES, useT } from "../i18n/index.ts";
import { logOut, session } from "../state/session.ts";
import { useStore } from "../state/store.ts";
import { Link } from "./router.ts";

export function LanguageSwitch() {
  const lang = useStore(language);
  const t = useT();
  return (
    <div className="lang-switch" role="group" aria-label={t("app.language")}>
      {LANGUAGES.map((l) => (
        <button
          key={l.code}
          type="button"
          className={l.code === lang ? "active" : ""}
          aria-pressed={l.code === lang}
          data-testid={`lang-${l.code}`}
          onClick={() => language.set(l.code)}
        >
          {l.label}
        </button>
      ))}
    </div>
  );
}

export function Header({ children }: { children?: ReactNode }) {
  const current = useStore(session);
  const t = useT();
  return (
    <header className="topbar">
      <Link to={current ? "/rooms" : "/login"} className="brand">
        <span className="brand-cup" aria-hidden>
          ☕
        </span>
        <span className="brand-name">{t("app.title")}</span>
      </Link>
      <div className="topbar-middle">{children}</div>
      <LanguageSwitch />
      {current && (
        <div className="account">
          <Link to="/profile" className="account-name" data-testid="current-user" title={t("app.loggedInAs", { name: current.user.username })}>
            {current.user.display_name || current.user.username}
          </Link>
          <Link to="/profile" data-testid="profile-link">
            {t("profile.link")}
          </Link>
          <Link to="/account" className="link-button" data-testid="account-link">
            {t("leave.account")}
          </Link>
          <button type="button" className="link-button" data-testid="logout" onClick={() => logOut()}>
            {t("app.logout")}
          </button>
        </div>
      )}
    </header>
  );
}
