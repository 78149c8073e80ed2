// Chat: the room's history on entry, live messages from both protocols, and a box to write in.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { CHAT } from "../../../shared/src/constants.ts";
import type { GameController } from "../game/controller.ts";
import { language, useT } from "../i18n/index.ts";
import type { GameStores } from "../state/game.ts";
import { session } from "../state/session.ts";
import { useStore } from "../state/store.ts";

function time(iso: string, lang: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
}

export function ChatPanel({ stores, controller }: { stores: GameStores; controller: GameController }) {
  const t = useT();
  const lang = useStore(language);
  const lines = useStore(stores.chat);
  const me = useStore(session)?.user.id;
  const [text, setText] = useState("");
  const whisperTo = useStore(stores.whisperTo);
  const log = useRef<HTMLOListElement>(null);

  // Follow new messages, unless the reader scrolled up.
  useEffect(() => {
    const el = log.current;
    if (!el) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 80 || lines.length < 3) el.scrollTop = el.scrollHeight;
  }, [lines]);
  // A hidden log (a phone's panel sheet shows one panel at a time) loses its scroll position:
  // shown again, it starts at the newest line.
  useEffect(() => {
    const el = log.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    let wasHidden = el.clientHeight === 0;
    const watch = new ResizeObserver(() => {
      if (wasHidden && el.clientHeight > 0) el.scrollTop = el.scrollHeight;
      wasHidden = el.clientHeight === 0;
    });
    watch.observe(el);
    return () => watch.disconnect();
  }, []);

  function send(e: FormEvent) {
    e.preventDefault();
    if (controller.activity.say(text, whisperTo?.user_id)) setText("");
  }

  function keys(e: KeyboardEvent<HTMLInputElement>) {
    // Escape hands the keyboard back to walking.
    if (e.key === "Escape") e.currentTarget.blur();
  }

  return (
    <section className="panel chat" data-testid="chat-panel">
      <h2>{t("chat.title")}</h2>
      <ol className="chat-log" ref={log} data-testid="chat-log" aria-live="polite">
        {lines.length === 0 && <li className="muted">{t("chat.empty")}</li>}
        {lines.map((line) =>
          line.kind === "chat" && line.message ? (
            <li key={line.key} className={`chat-line ${line.message.user_id === me ? "mine" : ""}`} data-testid="chat-line">
              <span className="chat-time muted">{time(line.message.created_at, lang)}</span>
              <strong className="chat-name">{line.message.username}</strong>
              {line.message.to_user_id !== undefined && (
                <span className="chat-whisper muted" data-testid="chat-whisper">
                  ({t("chat.whisper")})
                </span>
              )}
              <span className="chat-text">{line.message.message}</span>
            </li>
          ) : (
            <li key={line.key} className="chat-line system" data-testid="chat-system">
              {line.text}
            </li>
          ),
        )}
      </ol>
      {whisperTo && (
        <p className="whisper-to" data-testid="whisper-to">
          {t("chat.whisperTo", { name: whisperTo.display_name })}{" "}
          <button type="button" className="link-button" onClick={() => stores.whisperTo.set(null)}>
            {t("chat.whisperCancel")}
          </button>
        </p>
      )}
      <form className="chat-form" onSubmit={send}>
        <input
          data-testid="chat-input"
          value={text}
          maxLength={CHAT.maxLength}
          placeholder={t("chat.placeholder")}
          aria-label={t("chat.placeholder")}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={keys}
        />
        <button type="submit" data-testid="chat-send" disabled={!text.trim()}>
          {t("chat.send")}
        </button>
      </form>
    </section>
  );
}
