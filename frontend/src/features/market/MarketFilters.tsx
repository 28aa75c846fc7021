/**
 * The market's filters, kept in the page's address (a filtered view is a link to share). On phones only brand, sort
 * and a "filters" button show; the rest opens below it.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { CopyButton } from "../../components/ui.tsx";
import { useBrandText } from "../../i18n/hooks.ts";
import type { TokenInfo } from "../../lib/format.ts";
import {
  SORT_KEYS,
  type Brand,
  type ExpiryFilter,
  type KindFilter,
  type MarketFilters as Filters,
  type SortKey,
} from "../../lib/market.ts";
import { CURRENCY_SYMBOLS } from "../../lib/format.ts";
import { pegOf } from "../../lib/money.ts";

const toNumber = (text: string) => {
  const value = Number(text);
  return text.trim() === "" || !Number.isFinite(value) || value < 0 ? undefined : value;
};

/** A number typed into a filter: the text stays as typed ("12."), the filter gets the number. */
function NumberInput({
  value,
  onChange,
  label,
  placeholder,
}: {
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  label: string;
  placeholder?: string;
}) {
  const [text, setText] = useState(value === undefined ? "" : String(value));
  // Follow changes made elsewhere (reset, a shared link), not the echo of our own typing.
  useEffect(() => {
    if (toNumber(text) !== value) setText(value === undefined ? "" : String(value));
  }, [value]);
  return (
    <input
      inputMode="decimal"
      placeholder={placeholder}
      value={text}
      aria-label={label}
      onChange={(e) => {
        setText(e.target.value);
        onChange(toNumber(e.target.value));
      }}
    />
  );
}

export function MarketFilters({
  filters,
  sort,
  brands,
  tokens,
  currencies,
  faceCurrency,
  onChange,
  onReset,
}: {
  filters: Filters;
  sort: SortKey;
  brands: Brand[];
  tokens: TokenInfo[];
  /** The face-value currencies on the market, the reader's first. */
  currencies: string[];
  /** The currency face-value bounds are in (the chosen brand's, else the chosen one, else the reader's). */
  faceCurrency: string;
  onChange: (patch: Partial<Filters>, sort?: SortKey) => void;
  onReset: () => void;
}) {
  const { t } = useTranslation();
  const brandText = useBrandText();
  const [open, setOpen] = useState(false);
  const categories = [...new Set(brands.map((b) => b.category))].sort();
  const more =
    [filters.category, filters.minFace, filters.maxFace, filters.minDiscount, filters.payToken].filter(
      (v) => v !== undefined,
    ).length +
    (filters.expiry && filters.expiry !== "any" ? 1 : 0) +
    (filters.kind && filters.kind !== "all" ? 1 : 0);
  const brandLocked = filters.brandId !== undefined;

  return (
    <div className="filters" data-testid="filters">
      <div className="filters-main">
        <label>
          {t("market.filter.brand")}
          <select
            value={filters.brandId ?? ""}
            onChange={(e) => onChange({ brandId: e.target.value ? Number(e.target.value) : undefined })}
            aria-label={t("market.filter.brand")}
          >
            <option value="">{t("market.filter.allBrands")}</option>
            {brands.map((b) => (
              <option key={b.id} value={b.id}>
                {brandText.name(b)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("market.filter.sort")}
          <select
            value={sort}
            onChange={(e) => onChange({}, e.target.value as SortKey)}
            aria-label={t("market.filter.sort")}
          >
            {SORT_KEYS.map((key) => (
              <option key={key} value={key}>
                {t(`market.sort.${key}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter-check">
          <input
            type="checkbox"
            checked={filters.verified === true}
            onChange={(e) => onChange({ verified: e.target.checked || undefined })}
            data-testid="verified-only"
          />
          {t("market.filter.verifiedOnly")}
        </label>
        <button
          type="button"
          className="btn btn-small filters-toggle"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
          data-testid="filters-toggle"
        >
          {more > 0 ? t("market.filter.moreCount", { count: more }) : t("market.filter.more")}
        </button>
      </div>
      <div className={`filters-more${open ? " open" : ""}`}>
        <label>
          {t("market.filter.category")}
          <select
            value={filters.category ?? ""}
            onChange={(e) => onChange({ category: e.target.value || undefined })}
            aria-label={t("market.filter.category")}
          >
            <option value="">{t("market.filter.allCategories")}</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {brandText.category(c)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter-face">
          {t("market.filter.face", { symbol: CURRENCY_SYMBOLS[faceCurrency] ?? faceCurrency })}
          <span className="range">
            <select
              value={faceCurrency}
              disabled={brandLocked}
              onChange={(e) => onChange({ faceCurrency: e.target.value })}
              aria-label={t("market.filter.faceCurrency")}
              title={t("market.filter.faceCurrencyHint")}
            >
              {currencies.map((c) => (
                <option key={c} value={c}>
                  {CURRENCY_SYMBOLS[c] ?? ""} {c}
                </option>
              ))}
            </select>
            <NumberInput
              value={filters.minFace}
              onChange={(minFace) => onChange({ minFace, faceCurrency })}
              label={t("market.filter.minFace")}
              placeholder={t("market.filter.min")}
            />
            <NumberInput
              value={filters.maxFace}
              onChange={(maxFace) => onChange({ maxFace, faceCurrency })}
              label={t("market.filter.maxFace")}
              placeholder={t("market.filter.max")}
            />
          </span>
        </label>
        <label>
          {t("market.filter.minDiscount")}
          <NumberInput
            value={filters.minDiscount === undefined ? undefined : Math.round(filters.minDiscount * 10_000) / 100}
            onChange={(percent) => onChange({ minDiscount: percent === undefined ? undefined : percent / 100 })}
            label={t("market.filter.minDiscount")}
            placeholder={t("market.filter.minDiscountPlaceholder")}
          />
        </label>
        <label>
          {t("market.filter.expiry")}
          <select
            value={filters.expiry ?? "any"}
            onChange={(e) => onChange({ expiry: e.target.value as ExpiryFilter })}
            aria-label={t("market.filter.expiry")}
          >
            {(["any", "near", "90", "180", "long"] as const).map((key) => (
              <option key={key} value={key}>
                {t(`market.expiry.${key}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("market.filter.kind")}
          <select
            value={filters.kind ?? "all"}
            onChange={(e) => onChange({ kind: e.target.value as KindFilter })}
            aria-label={t("market.filter.kind")}
          >
            <option value="all">{t("market.filter.allKinds")}</option>
            <option value="coded">{t("voucher.kind.coded")}</option>
            <option value="issuer">{t("voucher.kind.issuerBacked")}</option>
          </select>
        </label>
        <label>
          {t("market.filter.payWith")}
          <select
            value={filters.payToken ?? ""}
            onChange={(e) => onChange({ payToken: e.target.value || undefined })}
            aria-label={t("market.filter.payWith")}
          >
            <option value="">{t("market.filter.anyToken")}</option>
            {tokens.map((token) => (
              <option key={token.address} value={token.address}>
                {pegOf(token) ? `${token.symbol} (${CURRENCY_SYMBOLS[pegOf(token)!] ?? pegOf(token)})` : token.symbol}
              </option>
            ))}
          </select>
        </label>
        <div className="filters-actions">
          <button type="button" className="btn btn-ghost btn-small" onClick={onReset}>
            {t("market.filter.reset")}
          </button>
          <CopyButton text={window.location.href} label={t("market.filter.share")} />
        </div>
      </div>
    </div>
  );
}
