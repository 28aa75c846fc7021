/** React bindings of the sentence helpers: each returns a function that speaks the current language. */
import { useCallback } from "react";
import { appChain, LOCAL_CHAIN_ID } from "../config.ts";
import { useTranslation } from "react-i18next";
import type { Problem } from "../lib/validation.ts";
import { displayCurrency } from "./languages.ts";
import { errorText, problemText } from "./text.ts";

/** `(error) => sentence` for anything a read, a write or a wallet request threw. */
export function useErrorText(): (error: unknown) => string {
  const { t, i18n } = useTranslation();
  return useCallback((error: unknown) => errorText(t, error, (key) => i18n.exists(key)), [t, i18n]);
}

/** `(problem) => sentence` for a form problem; undefined in, undefined out (no problem, no message). */
export function useProblemText(): (problem: Problem | undefined) => string | undefined {
  const { t } = useTranslation();
  return useCallback((problem: Problem | undefined) => (problem ? problemText(t, problem) : undefined), [t]);
}

/** The current language and the fiat currency converted figures are shown in by default. */
export function useLanguage(): { language: string; currency: "CNY" | "USD" } {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return { language, currency: displayCurrency(language) };
}

/**
 * Brand names and categories are on-chain text; the well-known ones have the names people use in each language
 * (JD E-Card → 京东E卡), any other shows as registered.
 */
export function useBrandText(): {
  name: (brand: { name: string } | undefined, fallbackId?: number) => string;
  category: (category: string | undefined) => string;
} {
  const { t } = useTranslation();
  return {
    name: (brand, fallbackId) =>
      brand
        ? t(`brandName.${brand.name}` as "brandName.JD E-Card", { defaultValue: brand.name })
        : t("common.brandNumber", { id: fallbackId ?? "?" }),
    category: (category) =>
      category === undefined ? "" : t(`category.${category}` as "category.coffee", { defaultValue: category }),
  };
}

/** The app chain's name as people should read it ("本地测试链" for the local Hardhat node). */
export function useChainName(): string {
  const { t } = useTranslation();
  return appChain.id === LOCAL_CHAIN_ID ? t("shell.localChain") : appChain.name;
}
