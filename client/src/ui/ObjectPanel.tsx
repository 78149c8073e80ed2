// The object you clicked: rotate or pick up your own, or use a tool on any.
import { useEffect, useState } from "react";
import type { GameController } from "../game/controller.ts";
import { typeName, useT } from "../i18n/index.ts";
import { api } from "../net/api.ts";
import type { GameStores } from "../state/game.ts";
import { useStore } from "../state/store.ts";
import { Swatch } from "./InventoryPanel.tsx";

export function ObjectPanel({ stores, controller, me }: { stores: GameStores; controller: GameController; me: number }) {
  const t = useT();
  const selected = useStore(stores.selected);
  const people = useStore(stores.people);
  const room = useStore(stores.room);
  const inventory = useStore(stores.inventory);
  const [owner, setOwner] = useState<string | null>(null);

  const ownerId = selected?.owner_id;
  useEffect(() => {
    if (ownerId === undefined) return;
    const known = people.get(ownerId);
    if (known) return setOwner(known);
    setOwner(null);
    let live = true;
    api
      .userName(ownerId)
      .then((name) => live && setOwner(name))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [ownerId, people]);

  if (!selected) return null;
  const mine = selected.owner_id === me;
  const mayChange = mine || room?.ownerId === me;
  const hasTool = inventory?.some((i) => i.type === "tool") ?? false;

  return (
    <section className="panel object" data-testid="object-panel" data-object-id={selected.id}>
      <h2>
        {t("object.title")}
        <button type="button" className="icon" aria-label={t("object.close")} onClick={() => controller.activity.select(null)}>
          ×
        </button>
      </h2>
      <p className="object-line">
        <Swatch type={selected.type} />
        <strong>{selected.name}</strong>
        {selected.name !== typeName(selected.type) && <span className="muted">{typeName(selected.type)}</span>}
      </p>
      <p className="muted small">
        {t("object.owner", { name: mine ? t("object.mine") : (owner ?? `#${selected.owner_id}`) })} · ({selected.x}, {selected.y}) · {selected.rotation}°
      </p>
      {mayChange && (
        <div className="panel-actions">
          <button type="button" data-testid="object-rotate" onClick={() => void controller.activity.rotate(selected.id)}>
            ⟳ {t("object.rotate")}
          </button>
          <button type="button" data-testid="object-pickup" onClick={() => void controller.activity.pickUp(selected.id)}>
            ⤓ {t("object.pickup")}
          </button>
        </div>
      )}
      <h3>{t("object.tools")}</h3>
      {hasTool ? (
        <div className="panel-actions">
          <button type="button" data-testid="tool-inspect" onClick={() => controller.activity.useTool(selected.id, "inspect")}>
            {t("object.toolInspect")}
          </button>
          <button type="button" data-testid="tool-rotate" onClick={() => controller.activity.useTool(selected.id, "rotate")}>
            {t("object.toolRotate")}
          </button>
          <button type="button" data-testid="tool-pickup" onClick={() => controller.activity.useTool(selected.id, "pickup")}>
            {t("object.toolPickup")}
          </button>
        </div>
      ) : (
        <p className="muted small">{t("object.needTool")}</p>
      )}
    </section>
  );
}
