import { useT } from "../i18n/index.ts";
import { useStore } from "../state/store.ts";
import { dismiss, toasts } from "../state/toasts.ts";

export function Toasts() {
  const list = useStore(toasts);
  const t = useT();
  return (
    <div className="toasts" aria-live="polite">
      {list.map((item) => (
        <div key={item.id} className={`toast toast-${item.kind}`} data-testid="toast" role={item.kind === "error" ? "alert" : "status"}>
          <span>{item.text}</span>
          <button type="button" aria-label={t("object.close")} onClick={() => dismiss(item.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
