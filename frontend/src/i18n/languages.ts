/** The app's languages and how a browser's language maps onto them. Pure: no React, no browser APIs. */

export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Shown when the browser prefers neither Chinese nor English. */
export const FALLBACK_LANGUAGE: Language = "en";

/** Where the language picked with the header switch is remembered. */
export const LANGUAGE_STORAGE_KEY = "kaquan.lang";

/**
 * A BCP 47 tag as one of the app's languages: any Chinese ("zh", "zh-CN", "zh-Hans-SG", even "zh-TW", which is better
 * served by simplified Chinese than by English) → zh-CN; any English → en; anything else is returned unchanged so
 * i18next can try the browser's next preference and then fall back.
 */
export function normalizeLanguage(tag: string): string {
  const lower = tag.trim().toLowerCase();
  if (lower === "zh" || lower.startsWith("zh-") || lower.startsWith("zh_")) return "zh-CN";
  if (lower === "en" || lower.startsWith("en-") || lower.startsWith("en_")) return "en";
  return tag;
}

/** The first of the browser's preferred languages the app speaks, else the fallback. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const language = normalizeLanguage(tag);
    if ((LANGUAGES as readonly string[]).includes(language)) return language as Language;
  }
  return FALLBACK_LANGUAGE;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** The fiat currency amounts are converted to by default: yuan for Chinese, US dollars for English. */
export function displayCurrency(language: string): "CNY" | "USD" {
  return language === "zh-CN" ? "CNY" : "USD";
}
