// /invite/{code}: accept the invitation (after logging in if need be), then walk into the room.
import { useEffect, useState } from "react";
import { useT } from "../i18n/index.ts";
import { ApiError } from "../net/api.ts";
import { sharing } from "../net/sharing-api.ts";
import { toast } from "../state/toasts.ts";
import { Header } from "./Header.tsx";
import { Link, navigate } from "./router.ts";

/** An invitation opened while logged out waits here until the user has logged in. */
const PENDING_KEY = "cafe.pendingInvite";
export const pendingInvite = {
  get: () => globalThis.sessionStorage?.getItem(PENDING_KEY) ?? null,
  set: (code: string) => globalThis.sessionStorage?.setItem(PENDING_KEY, code),
  clear: () => globalThis.sessionStorage?.removeItem(PENDING_KEY),
};

export function InvitePage({ code }: { code: string }) {
  const t = useT();
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    pendingInvite.clear();
    let alive = true;
    sharing.acceptInvite(code).then(
      ({ room, role }) => {
        if (!alive) return;
        toast(t("invite.accepted", { name: room.name, role: t(`role.${role}`) }), "info");
        navigate(`/game/${room.id}`, { replace: true });
      },
      (err) => alive && err instanceof ApiError && err.status === 404 && setInvalid(true),
    );
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [code]);
  return (
    <>
      <Header />
      <main className="invite-page">
        <section className="panel" data-testid="invite-page">
          <h1>{t("invite.title")}</h1>
          <p data-testid={invalid ? "invite-invalid" : "invite-accepting"}>{invalid ? t("invite.invalid") : t("invite.accepting")}</p>
          <Link to="/rooms">{t("game.back")}</Link>
        </section>
      </main>
    </>
  );
}
