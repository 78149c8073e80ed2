// Your unplaced items: place one by "Place" then a click on the floor, or drag it onto the floor.
import { useState, type PointerEvent as ReactPointerEvent } from "react";
import type { ItemOut } from "../../../shared/src/api.ts";
import { ITEM_TYPES, type ItemType } from "../../../shared/src/constants.ts";
import type { GameController } from "../game/controller.ts";
import { colorOf } from "../game/furniture.ts";
import { typeName, useT } from "../i18n/index.ts";
import type { GameStores } from "../state/game.ts";
import { useStore } from "../state/store.ts";

const DRAG_THRESHOLD_PX = 5;
/** On a touch screen a drag starts with a long press (items take no scrolling gestures: touch-action none). */
const LONG_PRESS_MS = 400;

export function Swatch({ type }: { type: string }) {
  return <span className={`swatch swatch-${type}`} style={{ background: `#${colorOf(type).toString(16).padStart(6, "0")}` }} aria-hidden />;
}

export function InventoryPanel({ stores, controller, canBuild = true }: { stores: GameStores; controller: GameController; canBuild?: boolean }) {
  const t = useT();
  const items = useStore(stores.inventory);
  const placing = useStore(stores.placing);
  const [shopType, setShopType] = useState<ItemType>("table");
  const [chip, setChip] = useState<{ item: ItemOut; x: number; y: number } | null>(null);

  /** Press on an item and move: a drag that ends over the floor places it there. */
  function pressItem(item: ItemOut, e: ReactPointerEvent) {
    if (!canBuild || e.button !== 0 || (e.target as HTMLElement).closest("button")) return;
    e.preventDefault();
    const start = { x: e.clientX, y: e.clientY };
    const touch = e.pointerType === "touch";
    let dragging = false;
    let held = !touch;
    const begin = (x: number, y: number) => {
      dragging = true;
      controller.placement.start(item, "drag");
      document.body.classList.add("dragging");
      setChip({ item, x, y });
    };
    // A long press picks the item up where the finger is, before it moves.
    const timer = touch
      ? setTimeout(() => {
          held = true;
          begin(start.x, start.y);
        }, LONG_PRESS_MS)
      : undefined;
    const move = (ev: PointerEvent) => {
      const far = Math.hypot(ev.clientX - start.x, ev.clientY - start.y) >= DRAG_THRESHOLD_PX;
      if (!held) {
        if (far) up(ev, true); // a swipe before the long press: not a drag
        return;
      }
      if (!dragging && !far) return;
      if (!dragging) begin(ev.clientX, ev.clientY);
      controller.placement.pointerAt(ev.clientX, ev.clientY);
      setChip({ item, x: ev.clientX, y: ev.clientY });
    };
    const up = (ev: PointerEvent, abandon = false) => {
      clearTimeout(timer);
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      window.removeEventListener("pointercancel", up);
      document.body.classList.remove("dragging");
      setChip(null);
      if (dragging && !abandon) controller.placement.dragEnd(ev.clientX, ev.clientY);
      else if (dragging) controller.placement.cancel();
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    window.addEventListener("pointercancel", up);
  }

  return (
    <section className="panel inventory" data-testid="inventory-panel">
      <h2>{t("inventory.title")}</h2>
      <div className="panel-actions">
        <button type="button" data-testid="add-sample" onClick={() => void controller.activity.grant("chair")}>
          + {t("inventory.addSample")}
        </button>
        <span className="shop">
          <label className="visually-hidden" htmlFor="shop-type">
            {t("inventory.shop")}
          </label>
          <select id="shop-type" data-testid="shop-type" value={shopType} onChange={(e) => setShopType(e.target.value as ItemType)}>
            {ITEM_TYPES.map((type) => (
              <option key={type} value={type}>
                {typeName(type)}
              </option>
            ))}
          </select>
          <button type="button" data-testid="shop-get" onClick={() => void controller.activity.grant(shopType)}>
            {t("inventory.get")}
          </button>
        </span>
      </div>
      {!canBuild && (
        <p className="hint warning" data-testid="cannot-build">
          {t("rights.cannotBuild")}
        </p>
      )}
      {items && items.length === 0 && <p className="muted">{t("inventory.empty")}</p>}
      {items && items.length > 0 && (
        <>
          <ul className="items" data-testid="inventory-list">
            {items.map((item) => (
              <li
                key={item.id}
                className={`item ${placing?.item.id === item.id ? "active" : ""}`}
                data-testid="inventory-item"
                data-item-id={item.id}
                data-item-type={item.type}
                onPointerDown={(e) => pressItem(item, e)}
                title={t("inventory.dragHint")}
              >
                <Swatch type={item.type} />
                <span className="item-name">{item.name}</span>
                {item.name !== typeName(item.type) && <span className="item-type muted">{typeName(item.type)}</span>}
                <button
                  type="button"
                  data-testid="inventory-place"
                  className={placing?.item.id === item.id ? "primary" : ""}
                  disabled={!canBuild}
                  title={canBuild ? undefined : t("rights.cannotBuild")}
                  onClick={() => (placing?.item.id === item.id ? controller.placement.cancel() : controller.placement.start(item, "click"))}
                >
                  {t("inventory.place")}
                </button>
                <button type="button" className="icon" aria-label={t("inventory.discard")} title={t("inventory.discard")} onClick={() => void controller.activity.discard(item.id)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <p className="hint muted">{t("inventory.dragHint")}</p>
        </>
      )}
      {chip && (
        <div className="drag-chip" style={{ left: chip.x + 12, top: chip.y + 12 }} aria-hidden>
          <Swatch type={chip.item.type} /> {chip.item.name}
        </div>
      )}
    </section>
  );
}
