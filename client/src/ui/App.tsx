// The page shell: which page the URL names, and who may see it.
import { useEffect } from "react";
import { useT } from "../i18n/index.ts";
import { api } from "../net/api.ts";
import { logIn, session } from "../state/session.ts";
import { useStore } from "../state/store.ts";
import { AccountPage } from "./AccountPage.tsx";
import { AuthPage } from "./AuthPage.tsx";
import { GamePage } from "./GamePage.tsx";
import { InvitePage, pendingInvite } from "./InvitePage.tsx";
import { ProfilePage } from "./ProfilePage.tsx";
import { RoomsPage } from "./RoomsPage.tsx";
import { navigate, useRoute } from "./router.ts";
import { Toasts } from "./Toasts.tsx";

export function App() {
  const route = useRoute();
  const current = useStore(session);
  const t = useT();

  // A token kept from an earlier visit may have expired: check it once (a 401 logs out).
  useEffect(() => {
    const token = session.get()?.token;
    if (!token) return;
    api
      .me()
      .then((user) => session.get()?.token === token && logIn({ token, user }))
      .catch(() => undefined);
  }, []);

  const needsLogin = route.page !== "login" && route.page !== "register";
  useEffect(() => {
    // An invitation opened while logged out is accepted right after logging in.
    if (!current && route.page === "invite") pendingInvite.set(route.code);
    const waiting = current ? pendingInvite.get() : null;
    if (waiting) return navigate(`/invite/${waiting}`, { replace: true });
    if (!current && needsLogin) navigate("/login", { replace: true });
    if (current && !needsLogin) navigate("/rooms", { replace: true });
    if (current && (route.page === "home" || route.page === "notFound")) navigate("/rooms", { replace: true });
  }, [current, needsLogin, route.page]);

  useEffect(() => {
    document.title = route.page === "game" ? `${t("app.title")} · #${route.roomId}` : t("app.title");
  });

  let page = null;
  if (!current) page = <AuthPage mode={route.page === "register" ? "register" : "login"} />;
  else if (route.page === "game") page = <GamePage key={route.roomId} roomId={route.roomId} />;
  else if (route.page === "rooms") page = <RoomsPage />;
  else if (route.page === "profile") page = <ProfilePage />;
  else if (route.page === "invite") page = <InvitePage key={route.code} code={route.code} />;
  else if (route.page === "account") page = <AccountPage />;

  return (
    <div className={`app page-${route.page}`}>
      {page}
      <Toasts />
    </div>
  );
}
