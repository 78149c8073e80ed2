// The language switch: English or Korean, remembered in localStorage, first guessed from the browser.
import { createStore, useStore } from "../state/store.ts";
import { en, ko, type StringKey } from "./strings.ts";

export type Lang = "en" | "ko";
export const LANGUAGES: readonly { code: Lang; label: string }[] = [
  { code: "en", label: "English" },
  { code: "ko", label: "한국어" },
];
export type { StringKey };

const KEY = "cafe.lang";
const tables: Record<Lang, Record<StringKey, string>> = { en, ko };

function initialLang(): Lang {
  const saved = globalThis.localStorage?.getItem(KEY);
  if (saved === "en" || saved === "ko") return saved;
  return globalThis.navigator?.language?.toLowerCase().startsWith("ko") ? "ko" : "en";
}

export const language = createStore<Lang>(initialLang());

language.subscribe(() => {
  localStorage.setItem(KEY, language.get());
  document.documentElement.lang = language.get();
});

export type Params = Record<string, string | number>;

export function hasString(key: string): key is StringKey {
  return Object.hasOwn(en, key);
}

export function translate(lang: Lang, key: StringKey, params: Params = {}): string {
  const template = tables[lang][key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** For code outside React (the Pixi scene): the current language. */
export function t(key: StringKey, params?: Params): string {
  return translate(language.get(), key, params);
}

/** For React: re-renders when the language changes. */
export function useT(): (key: StringKey, params?: Params) => string {
  const lang = useStore(language);
  return (key, params) => translate(lang, key, params);
}

/** An object type's name in the user's language. */
export function typeName(type: string): string {
  const key = `type.${type}`;
  return hasString(key) ? t(key) : type;
}

/** A server error in the user's language: known codes get their own sentence. */
export function errorText(e: { code: string; message: string }): string {
  if (e.code === "rate_limited") return t("error.rate_limited", { message: e.message });
  const key = `error.${e.code}`;
  return hasString(key) ? t(key, { message: e.message }) : t("error.generic", { message: e.message });
}
