/**
 * i18next in the reader's language (see boot.ts for how it is picked). Only that language's catalog is loaded before
 * the first render; the other one is fetched when the switch asks for it. Every user-facing sentence lives in en.json
 * and zh-CN.json under the same keys (a unit test checks).
 */
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { txWords } from "../hooks/useTx.tsx";
import { catalogs, startCatalog, startLanguage } from "./boot.ts";
import { errorText } from "./text.ts";
import type enCatalog from "./en.json";
import { LANGUAGE_STORAGE_KEY, type Language } from "./languages.ts";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof enCatalog };
  }
}

export const i18n = i18next;

async function load(language: Language): Promise<void> {
  if (i18next.hasResourceBundle(language, "translation")) return;
  const catalog = await catalogs[language]();
  i18next.addResourceBundle(language, "translation", catalog.default, true, true);
}

const applyToDocument = (language: string) => {
  document.documentElement.lang = language;
  document.title = i18next.t("app.title");
  // The transaction toasts (hooks/useTx.tsx) read their words at each render: keep them in the reader's language.
  for (const phase of ["simulating", "signing", "pending", "success", "error"] as const) {
    txWords.phase[phase] = i18next.t(`tx.phase.${phase}`);
  }
  txWords.dismiss = i18next.t("tx.dismiss");
  txWords.connectFirst = i18next.t("tx.connectFirst");
  txWords.failure = (state) =>
    state.failure ? errorText(i18next.t, state.failure, (key) => i18next.exists(key)) : (state.error ?? "");
};

/** Loads the starting language's catalog and starts i18next; render once it resolves. */
export async function initI18n(): Promise<void> {
  const language = startLanguage;
  const catalog = await startCatalog;
  await i18next.use(initReactI18next).init({
    lng: language,
    resources: { [language]: { translation: catalog.default } },
    fallbackLng: false,
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes
    // Brand names are keys (brandName.<on-chain name>): no namespace separator inside a key.
    nsSeparator: false,
  });
  applyToDocument(language);
  i18next.on("languageChanged", applyToDocument);
}

/** The header switch: loads the catalog if needed, changes the language and remembers it in this browser. */
export async function chooseLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  await load(language);
  await i18next.changeLanguage(language);
}
