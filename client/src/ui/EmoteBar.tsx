// The emote bar over the stage: one button per emote (number keys 1–6 do the same), and zoom.
import { EMOTES } from "../../../shared/src/protocol.ts";
import type { GameController } from "../game/controller.ts";
import { EMOTE_SVG } from "../game/emote-icons.ts";
import { useT } from "../i18n/index.ts";

export function EmoteBar({ controller }: { controller: GameController }) {
  const t = useT();
  return (
    <div className="emote-bar" role="toolbar" aria-label={t("emote.bar")} data-testid="emote-bar">
      {EMOTES.map((emote, i) => (
        <button
          key={emote}
          type="button"
          data-testid={`emote-${emote}`}
          aria-label={`${t(`emote.${emote}`)} (${i + 1})`}
          title={`${t(`emote.${emote}`)} (${i + 1})`}
          onClick={() => controller.emote(emote)}
        >
          <span className="emote-icon" aria-hidden dangerouslySetInnerHTML={{ __html: EMOTE_SVG[emote] }} />
        </button>
      ))}
      <span className="emote-sep" aria-hidden />
      <button type="button" data-testid="zoom-out" aria-label={t("zoom.out")} title={`${t("zoom.out")} (−)`} onClick={() => controller.scene.zoomBy(0.8)}>
        −
      </button>
      <button type="button" data-testid="zoom-in" aria-label={t("zoom.in")} title={`${t("zoom.in")} (+)`} onClick={() => controller.scene.zoomBy(1.25)}>
        +
      </button>
    </div>
  );
}
