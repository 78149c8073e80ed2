// The canvas as text: people and objects near you, with direction and distance, updated as you
// move. Objects open their panel; people are walked to. The live region beside it announces
// placements, emotes and the placement cursor (chat, joins and tool results are in the chat log).
import type { GameController } from "../game/controller.ts";
import { useT, typeName } from "../i18n/index.ts";
import type { GameStores } from "../state/game.ts";
import { useStore } from "../state/store.ts";

export function NearbyPanel({ stores, controller }: { stores: GameStores; controller: GameController }) {
  const t = useT();
  const nearby = useStore(stores.nearby);
  const announcement = useStore(stores.announcement);
  return (
    <section className="panel nearby" data-testid="nearby-panel" aria-labelledby="nearby-title">
      <h2 id="nearby-title">{t("a11y.nearby")}</h2>
      {nearby.length === 0 ? (
        <p className="muted">{t("a11y.nearbyEmpty")}</p>
      ) : (
        <ul className="nearby-list" data-testid="nearby-list">
          {nearby.map((e) => (
            <li key={`${e.kind}-${e.id}`}>
              <button
                type="button"
                className="link-button"
                data-testid={`nearby-${e.kind}`}
                onClick={() => (e.kind === "object" ? controller.activity.select(e.id) : controller.walkToPerson(e.id))}
              >
                {t(e.tiles === 1 ? "a11y.entryOne" : "a11y.entry", {
                  name: e.kind === "object" ? `${e.name} (${typeName(e.type ?? "")})` : e.name,
                  direction: t(`a11y.dir.${e.direction}`),
                  tiles: String(e.tiles),
                })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p className="visually-hidden" aria-live="polite" data-testid="announcer">
        {announcement?.text ?? ""}
      </p>
    </section>
  );
}
