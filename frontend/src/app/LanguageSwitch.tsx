/** The header's language switch: 中文 / EN, remembered in this browser. */
import { useTranslation } from "react-i18next";
import { chooseLanguage } from "../i18n/index.ts";
import { LANGUAGES, type Language } from "../i18n/languages.ts";

const NAMES: Record<Language, { short: string; long: string }> = {
  "zh-CN": { short: "中文", long: "简体中文" },
  en: { short: "EN", long: "English" },
};

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = i18n.resolvedLanguage ?? i18n.language;
  return (
    <div className="lang-switch" role="group" aria-label={t("shell.language")} data-testid="language-switch">
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          title={NAMES[language].long}
          aria-pressed={current === language}
          className={current === language ? "active" : ""}
          onClick={() => void chooseLanguage(language)}
        >
          {NAMES[language].short}
        </button>
      ))}
    </div>
  );
}
