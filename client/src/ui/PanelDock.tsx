// The game page's panels. Beside the stage on a wide screen; on a phone a bottom sheet: a tab
// bar picks one panel, and the handle (or the open tab again) folds the sheet down to a slim bar
// so the stage keeps the screen. Hidden panels stay mounted, so a half-typed message, the chat's
// place or a drag that started in the inventory survive switching.
import { Fragment, useEffect, useRef, useState, type ReactNode } from "react";
import { useT } from "../i18n/index.ts";
import type { GameStores } from "../state/game.ts";
import { useStore } from "../state/store.ts";

/** Where the panels leave the side for the sheet (styles.css says the same). */
export const NARROW_SCREEN = "(max-width: 640px)";

/** The sheet's tabs, left to right: a tapped object's panel comes first, where the eye is. */
const SHEET_ORDER = ["object", "chat", "people", "inventory", "nearby", "media", "settings"];
const rank = (id: string) => {
  const i = SHEET_ORDER.indexOf(id);
  return i < 0 ? SHEET_ORDER.length : i;
};

export interface DockPanel {
  id: string;
  /** The tab's name in the sheet. */
  label: string;
  node: ReactNode;
}

export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => globalThis.matchMedia?.(query).matches ?? false);
  useEffect(() => {
    const list = globalThis.matchMedia?.(query);
    if (!list) return;
    const change = () => setMatches(list.matches);
    change();
    list.addEventListener("change", change);
    return () => list.removeEventListener("change", change);
  }, [query]);
  return matches;
}

/** `narrow`: useMediaQuery(NARROW_SCREEN), which the page also needs (the media bar moves too). */
export function PanelDock({ panels, stores, narrow }: { panels: DockPanel[]; stores: GameStores; narrow: boolean }) {
  if (narrow) return <PanelSheet panels={panels} stores={stores} />;
  return (
    <aside className="side" data-testid="side-panels">
      {panels.map((p) => (
        <Fragment key={p.id}>{p.node}</Fragment>
      ))}
    </aside>
  );
}

function PanelSheet({ panels: given, stores }: { panels: DockPanel[]; stores: GameStores }) {
  const t = useT();
  const panels = [...given].sort((a, b) => rank(a.id) - rank(b.id));
  const [active, setActive] = useState("chat");
  const [expanded, setExpanded] = useState(false);
  const selectedId = useStore(stores.selected)?.id ?? null;
  const placingMode = useStore(stores.placing)?.mode ?? null;
  const before = useRef("chat");

  // A tapped object opens its panel; when it is let go, the sheet goes back to the panel before.
  useEffect(() => {
    if (selectedId !== null) {
      setActive((a) => {
        if (a !== "object") before.current = a;
        return "object";
      });
      setExpanded(true);
    } else {
      setActive((a) => (a === "object" ? before.current : a));
    }
  }, [selectedId]);
  // "Place", then a tap on the floor: the floor needs the screen. (A drag keeps the layout still
  // under the finger.)
  useEffect(() => {
    if (placingMode === "click") setExpanded(false);
  }, [placingMode]);

  const shown = panels.some((p) => p.id === active) ? active : (panels[0]?.id ?? "");
  // The tab bar scrolls sideways on a narrow phone: keep the open tab in sight.
  // (A block body: newer browsers return a promise from scrollIntoView, which React would take for a cleanup.)
  useEffect(() => {
    document.getElementById(`sheet-tab-${shown}`)?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [shown]);
  const pick = (id: string) => {
    if (id === shown && expanded) return setExpanded(false);
    setActive(id);
    setExpanded(true);
  };

  return (
    <aside className={`sheet ${expanded ? "expanded" : "collapsed"}`} data-testid="panel-sheet" aria-label={t("sheet.label")}>
      <button
        type="button"
        className="sheet-handle"
        data-testid="sheet-handle"
        aria-expanded={expanded}
        aria-controls="sheet-body"
        aria-label={t("sheet.toggle")}
        title={t(expanded ? "sheet.collapse" : "sheet.expand")}
        onClick={() => setExpanded((e) => !e)}
      >
        <span className="sheet-grabber" aria-hidden />
      </button>
      <div className="sheet-tabs" role="tablist" aria-label={t("sheet.label")}>
        {panels.map((p) => (
          <button
            key={p.id}
            type="button"
            role="tab"
            id={`sheet-tab-${p.id}`}
            className="sheet-tab"
            data-testid={`sheet-tab-${p.id}`}
            aria-selected={p.id === shown}
            aria-controls={`sheet-panel-${p.id}`}
            onClick={() => pick(p.id)}
          >
            {p.label}
          </button>
        ))}
      </div>
      <div className="sheet-body" id="sheet-body" data-testid="sheet-body" hidden={!expanded}>
        {panels.map((p) => (
          <div
            key={p.id}
            role="tabpanel"
            className={`sheet-panel sheet-panel-${p.id}`}
            id={`sheet-panel-${p.id}`}
            data-testid={`sheet-panel-${p.id}`}
            aria-labelledby={`sheet-tab-${p.id}`}
            hidden={p.id !== shown}
          >
            {p.node}
          </div>
        ))}
      </div>
    </aside>
  );
}
