// Proximity voice and video in the game page: the media bar (microphone, camera, screen), the
// first-use prompt that comes before the browser's own permission request, and a tile per person
// we are connected with. The mesh does the work; this only shows it.
import { useEffect, useRef, useState } from "react";
import { useT, type StringKey } from "../i18n/index.ts";
import type { MediaMesh } from "../media/mesh.ts";
import type { MediaKind } from "../media/types.ts";
import type { GameStores } from "../state/game.ts";
import { useStore } from "../state/store.ts";

const CONSENT_KEY = "cafe.media.consent";
const BUTTONS: readonly { kind: MediaKind; testId: string; on: StringKey; off: StringKey }[] = [
  { kind: "audio", testId: "media-mic", on: "media.micOn", off: "media.micOff" },
  { kind: "video", testId: "media-camera", on: "media.cameraOn", off: "media.cameraOff" },
  { kind: "screen", testId: "media-screen", on: "media.screenOn", off: "media.screenOff" },
];

export function MediaPanel({ mesh, stores, myName }: { mesh: MediaMesh; stores: GameStores; myName: string }) {
  const t = useT();
  const view = useStore(mesh.view);
  const people = useStore(stores.people);
  const [asking, setAsking] = useState<MediaKind | null>(null);

  function toggle(kind: MediaKind) {
    const on = !view.local[kind];
    if (on && localStorage.getItem(CONSENT_KEY) !== "yes") return setAsking(kind);
    void mesh.set(kind, on);
  }

  function accept() {
    localStorage.setItem(CONSENT_KEY, "yes");
    if (asking) void mesh.set(asking, true);
    setAsking(null);
  }

  const connected = view.peers.filter((p) => p.state === "connected");
  return (
    <>
      <div className="media-bar" role="toolbar" aria-label={t("media.title")} data-testid="media-bar">
        {BUTTONS.map((b) => (
          <button
            key={b.kind}
            type="button"
            className={view.local[b.kind] ? "media-on" : ""}
            aria-pressed={view.local[b.kind]}
            data-testid={b.testId}
            onClick={() => toggle(b.kind)}
          >
            {t(view.local[b.kind] ? b.on : b.off)}
          </button>
        ))}
        <span className="media-count" data-testid="media-count">
          {t("media.connected", { count: connected.length })}
        </span>
        {view.error && (
          <span className="media-error" role="alert" data-testid="media-error">
            {t("media.error", { reason: view.error })}
          </span>
        )}
      </div>
      {asking && (
        <div className="overlay" data-testid="media-prompt">
          <div className="overlay-card" role="dialog" aria-modal="true" aria-label={t("media.promptTitle")}>
            <h2>{t("media.promptTitle")}</h2>
            <p>{t("media.promptText")}</p>
            <div className="form-actions">
              <button type="button" onClick={() => setAsking(null)} data-testid="media-prompt-cancel">
                {t("media.promptCancel")}
              </button>
              <button type="button" className="primary" onClick={accept} data-testid="media-prompt-accept">
                {t("media.promptAccept")}
              </button>
            </div>
          </div>
        </div>
      )}
      {(view.preview || connected.length > 0) && (
        <div className="media-tiles" data-testid="media-tiles">
          {view.preview && <Tile stream={view.preview} name={`${myName} (${t("game.you")})`} speaking={false} testId="media-tile-self" mirrored />}
          {connected.map((p) => (
            <Tile
              key={p.id}
              stream={p.screen ?? p.video}
              name={people.get(p.id) ?? `#${p.id}`}
              speaking={view.speaking.includes(p.id)}
              testId="media-tile"
              userId={p.id}
            />
          ))}
        </div>
      )}
    </>
  );
}

function Tile(props: { stream: MediaStream | null; name: string; speaking: boolean; testId: string; userId?: number; mirrored?: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = video.current;
    if (!el || el.srcObject === props.stream) return;
    el.srcObject = props.stream;
    // autoPlay alone does not start a stream assigned after the element was created.
    void el.play().catch(() => undefined);
  }, [props.stream]);
  return (
    <figure className={`media-tile ${props.speaking ? "speaking" : ""}`} data-testid={props.testId} data-user-id={props.userId}>
      {props.stream ? (
        <video ref={video} autoPlay playsInline muted className={props.mirrored ? "mirrored" : ""} />
      ) : (
        <div className="media-tile-initial" aria-hidden>
          {props.name.slice(0, 1).toUpperCase()}
        </div>
      )}
      <figcaption>{props.name}</figcaption>
    </figure>
  );
}
