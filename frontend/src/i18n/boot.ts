/**
 * Starts fetching the reader's catalog as the very first thing the app does (start.ts, the entry, imports this module
 * first, and it imports nothing heavy), so the file arrives while the rest of the app's modules are still loading.
 */
import { isLanguage, LANGUAGE_STORAGE_KEY, normalizeLanguage, pickLanguage, type Language } from "./languages.ts";

export const catalogs: Record<Language, () => Promise<{ default: object }>> = {
  en: () => import("./en.json"),
  "zh-CN": () => import("./zh-CN.json"),
};

function stored(): string | null {
  try {
    return window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * The language to start in: `?lang=` in the address, else the one picked with the header switch (remembered in this
 * browser), else the browser's first language we speak (any Chinese → zh-CN), else English.
 */
export function detectLanguage(): Language {
  const fromUrl = new URLSearchParams(window.location.search).get("lang");
  const candidates = [fromUrl, stored()].filter((l): l is string => !!l).map(normalizeLanguage);
  const chosen = candidates.find(isLanguage);
  return chosen ?? pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export const startLanguage: Language = detectLanguage();
export const startCatalog: Promise<{ default: object }> = catalogs[startLanguage]();
