/** An i18next instance over the real catalogs for unit tests (no browser, no React). */
import { createInstance, type TFunction } from "i18next";
import en from "./en.json";
import zhCN from "./zh-CN.json";
import type { Language } from "./languages.ts";

export function testI18n(language: Language): TFunction {
  const instance = createInstance();
  void instance.init({
    lng: language,
    resources: { en: { translation: en }, "zh-CN": { translation: zhCN } },
    fallbackLng: false,
    initAsync: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
  });
  return instance.t;
}
