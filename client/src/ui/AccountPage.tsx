// /account: who you are, and leaving. Issue 12's profile page may absorb <DeleteAccount />.
import { useT } from "../i18n/index.ts";
import { session } from "../state/session.ts";
import { useStore } from "../state/store.ts";
import { DeleteAccount } from "./DeleteAccount.tsx";
import { Header } from "./Header.tsx";
import { Link } from "./router.ts";

export function AccountPage() {
  const t = useT();
  const current = useStore(session);
  if (!current) return null;
  return (
    <>
      <Header />
      <main className="account-page">
        <p>
          <Link to="/rooms">← {t("leave.backToRooms")}</Link>
        </p>
        <section className="panel">
          <h1>{t("leave.account")}</h1>
          <p data-testid="account-username">{t("app.loggedInAs", { name: current.user.username })}</p>
        </section>
        <DeleteAccount />
      </main>
    </>
  );
}
