/** Amounts and discounts as people read them: "¥482.50", "0.0125 ETH ≈ ¥268.00", "−3.5%", "≈ −5.2%". */
import { useTranslation } from "react-i18next";
import { REF_RATES } from "../config.ts";
import { useLanguage } from "../i18n/hooks.ts";
import type { TokenInfo } from "../lib/format.ts";
import { formatPercent } from "../lib/format.ts";
import { approxFiat, formatMoney, formatMoneyExact } from "../lib/money.ts";

/**
 * A token amount; unless it is already in `currency` (the card's, else the reader's), the converted fiat figure
 * follows it, marked "≈" and titled as a reference-rate estimate.
 */
export function Money({
  value,
  token,
  currency,
  exact,
  block,
  testId,
}: {
  value: bigint;
  token: Pick<TokenInfo, "symbol" | "decimals"> | undefined;
  /** The fiat currency to show a converted figure in; the reader's by default. */
  currency?: string;
  /** Every digit (what a buyer signs for). */
  exact?: boolean;
  /** The converted figure on its own line. */
  block?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { currency: mine } = useLanguage();
  if (!token) return <span className="muted">—</span>;
  const approx = approxFiat(value, token, currency ?? mine, REF_RATES);
  return (
    <span className="money">
      <span className="money-main" data-testid={testId}>
        {exact ? formatMoneyExact(value, token) : formatMoney(value, token)}
      </span>
      {approx && (
        <span className={`money-approx${block ? " block" : ""}`} title={t("money.approxTitle")}>
          {" "}
          {approx}
        </span>
      )}
    </span>
  );
}

/** "−3.5%" below face value, "+2.0%" above it; "≈ " first when it went through reference rates. */
export function discountLabel(value: number, exact: boolean): string {
  const text = value >= 0 ? `−${formatPercent(value)}` : `+${formatPercent(-value)}`;
  return exact ? text : `≈ ${text}`;
}

/** A discount against face value: "−3.5%" (exact, same currency), "≈ −5.2%" (through reference rates). */
export function Discount({ value, exact }: { value: number | undefined; exact: boolean }) {
  const { t } = useTranslation();
  if (value === undefined) return <span className="muted">—</span>;
  return (
    <span
      className={value >= 0 ? "discount" : "premium"}
      title={exact ? t("money.exactDiscountTitle") : t("money.approxDiscountTitle")}
    >
      {discountLabel(value, exact)}
    </span>
  );
}
