// The game page: React lays out the panels and mounts the Pixi scene once; the game controller
// does the rest.
import { useEffect, useRef, useState } from "react";
import { useT } from "../i18n/index.ts";
import { GameController } from "../game/controller.ts";
import { RoomConnection, type ConnectionState } from "../net/room-connection.ts";
import { createGameStores } from "../state/game.ts";
import { logOut, session } from "../state/session.ts";
import { useStore } from "../state/store.ts";
import { ChatPanel } from "./ChatPanel.tsx";
import { EmoteBar } from "./EmoteBar.tsx";
import { Header } from "./Header.tsx";
import { InventoryPanel } from "./InventoryPanel.tsx";
import { NearbyPanel } from "./NearbyPanel.tsx";
import { ObjectPanel } from "./ObjectPanel.tsx";
import { PeoplePanel } from "./PeoplePanel.tsx";
import { RoomSettingsPanel } from "./RoomSettingsPanel.tsx";
import { useRoomRights } from "../state/rights.ts";
import { Link } from "./router.ts";
import { MediaPanel } from "./MediaPanel.tsx";
import { NARROW_SCREEN, PanelDock, useMediaQuery, type DockPanel } from "./PanelDock.tsx";
import { MediaMesh } from "../media/mesh.ts";
import { bindMediaToScene } from "../game/media-view.ts";

export function GamePage({ roomId }: { roomId: number }) {
  const t = useT();
  const host = useRef<HTMLDivElement>(null);
  const current = useStore(session)!;
  const [stores] = useState(createGameStores);
  const [controller, setController] = useState<GameController | null>(null);
  const [mesh, setMesh] = useState<MediaMesh | null>(null);
  const status = useStore(stores.connection);
  const room = useStore(stores.room);
  const placing = useStore(stores.placing);
  const selected = useStore(stores.selected);
  const rights = useRoomRights(roomId, current.user.id);
  const narrow = useMediaQuery(NARROW_SCREEN);
  // Someone new in the room may be a new member (an invite just accepted): read roles again.
  const present = useStore(stores.roster).size;
  useEffect(() => rights.reload(), [present, rights.reload]);

  useEffect(() => {
    const connection = new RoomConnection({
      endpoint: window.location.origin,
      token: current.token,
      roomId,
      onUnauthorized: () => logOut("expired"),
    });
    const game = new GameController({ connection, stores, me: current.user, roomId });
    // Proximity media rides on the same connection; its failures stay inside the media bar.
    const media = new MediaMesh(connection, current.user.id);
    const unbind = bindMediaToScene(media, game.scene, () => game.talkRadius);
    (globalThis as { __cafeMedia?: unknown }).__cafeMedia = media.debugHook();
    void game.mount(host.current!);
    setController(game);
    setMesh(media);
    return () => {
      unbind();
      media.dispose();
      game.destroy();
      setController(null);
      setMesh(null);
    };
    // One scene per room and login; a refreshed profile must not rebuild it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [roomId, current.token, stores]);

  const media = mesh && <MediaPanel mesh={mesh} stores={stores} myName={current.user.display_name || current.user.username} />;
  const panels: DockPanel[] = [];
  if (controller) {
    panels.push(
      { id: "people", label: t("people.title"), node: <PeoplePanel stores={stores} controller={controller} rights={rights} me={current.user.id} /> },
      { id: "inventory", label: t("sheet.inventory"), node: <InventoryPanel stores={stores} controller={controller} canBuild={rights.can("build")} /> },
    );
    if (selected) panels.push({ id: "object", label: t("sheet.object"), node: <ObjectPanel stores={stores} controller={controller} me={current.user.id} /> });
    panels.push({ id: "chat", label: t("chat.title"), node: <ChatPanel stores={stores} controller={controller} /> });
  }
  if (rights.room && rights.can("manage_invites")) panels.push({ id: "settings", label: t("sheet.settings"), node: <RoomSettingsPanel rights={rights} /> });
  if (controller) panels.push({ id: "nearby", label: t("a11y.nearby"), node: <NearbyPanel stores={stores} controller={controller} /> });
  // On a phone the media bar and tiles leave the stage for a tab of the sheet.
  if (narrow && media) panels.push({ id: "media", label: t("sheet.media"), node: media });

  return (
    <>
      <Header>
        <Link to="/rooms" className="back" data-testid="back-to-rooms">
          ← {t("game.back")}
        </Link>
        <h1 className="room-title" data-testid="room-title">
          {room?.name ?? `#${roomId}`}
        </h1>
        <StatusPill state={status} />
      </Header>
      <main className="game-page">
        <section className="stage">
          <div className={`canvas-host ${placing ? "placing" : ""}`} ref={host} data-testid="canvas-host" role="application" aria-label={t("a11y.canvas")} />
          {placing && (
            <div className="stage-hint" data-testid="placing-hint">
              {t("game.placing", { name: placing.item.name })} {t("a11y.keysHint")}
            </div>
          )}
          {!placing && <div className="stage-hint subtle">{t("game.controls")}</div>}
          {controller && <EmoteBar controller={controller} />}
          {!narrow && media}
          <ConnectionOverlay state={status} onRetry={() => controller?.retryConnection()} />
        </section>
        <PanelDock panels={panels} stores={stores} narrow={narrow} />
      </main>
    </>
  );
}

function StatusPill({ state }: { state: ConnectionState }) {
  const t = useT();
  return (
    <span className={`status status-${state.status}`} data-testid="connection-status" data-status={state.status} role="status">
      <span className="dot" aria-hidden />
      {t(`game.status.${state.status}`)}
    </span>
  );
}

function ConnectionOverlay({ state, onRetry }: { state: ConnectionState; onRetry: () => void }) {
  const t = useT();
  if (state.status !== "lost" && state.status !== "left") return null;
  const reason =
    state.status === "lost"
      ? t("game.status.lost")
      : state.reason === "seatTakenOver"
        ? t("game.left.seatTakenOver")
        : state.reason === "roomDeleted"
          ? t("game.left.roomDeleted")
          : state.reason === "kicked"
            ? t("game.left.kicked")
            : state.reason === "banned"
              ? t("game.left.banned")
              : state.reason === "notFound"
            ? t("game.left.notFound")
            : state.reason === "full"
              ? t("game.left.full")
              : t("game.left.other");
  const canRetry = state.status === "lost" || state.reason === "seatTakenOver" || state.reason === "full" || state.reason === "kicked";
  return (
    <div className="overlay" data-testid="connection-overlay">
      <div className="overlay-card">
        <p>{reason}</p>
        <div className="form-actions">
          <Link to="/rooms">{t("game.back")}</Link>
          {canRetry && (
            <button type="button" className="primary" onClick={onRetry} data-testid="rejoin">
              {t("game.rejoin")}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
