/** Per-brand comparison (listings, best ask, average discount, last sale) and the discount-over-time chart. */
import { useTranslation } from "react-i18next";
import { Discount, Money } from "../../components/Money.tsx";
import { REF_RATES } from "../../config.ts";
import { href } from "../../hooks/useRoute.ts";
import { useBrandText, useLanguage } from "../../i18n/hooks.ts";
import { formatDuration } from "../../lib/format.ts";
import type { BrandComparison as Comparison, DiscountPoint } from "../../lib/market.ts";
import { formatFiat, rateOf } from "../../lib/money.ts";
import { DiscountChart } from "./DiscountChart.tsx";

/** "1 ETH ≈ ¥21,429 · 1 USD ≈ ¥7.14": the reference rates behind every "≈" figure, in the reader's currency. */
function RatesNote() {
  const { t } = useTranslation();
  const { currency } = useLanguage();
  const to = rateOf(currency, REF_RATES);
  const others = ["ETH", currency === "CNY" ? "USD" : "CNY"];
  const rates = others
    .map((code) => {
      const from = rateOf(code, REF_RATES);
      return from && to ? `1 ${code} ≈ ${formatFiat(from / to, currency)}` : undefined;
    })
    .filter(Boolean)
    .join(" · ");
  return <span className="muted small">{t("market.compare.rates", { rates })}</span>;
}

export function BrandComparison({
  comparison,
  history,
  chartTitle,
  now,
  onPick,
}: {
  comparison: Comparison[];
  history: DiscountPoint[];
  chartTitle: string;
  now: number;
  onPick: (brandId: number) => void;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const brandText = useBrandText();
  return (
    <section className="card" data-testid="comparison">
      <div className="section-head">
        <h2>{t("market.compare.title")}</h2>
        <RatesNote />
      </div>
      <div className="compare">
        <div className="table-wrap">
          <table className="table compact" data-testid="brand-comparison">
            <thead>
              <tr>
                <th>{t("market.compare.brand")}</th>
                <th className="num">{t("market.compare.listings")}</th>
                <th className="num">{t("market.compare.bestAsk")}</th>
                <th className="num">{t("market.compare.averageDiscount")}</th>
                <th className="num">{t("market.compare.lastSale")}</th>
              </tr>
            </thead>
            <tbody>
              {comparison.map((c) => (
                <tr key={c.brand.id}>
                  <td>
                    <button type="button" className="link" onClick={() => onPick(c.brand.id)}>
                      {brandText.name(c.brand)}
                    </button>
                    <span className="muted small block">{brandText.category(c.brand.category)}</span>
                  </td>
                  <td className="num">{c.listings}</td>
                  <td className="num">
                    {c.bestAsk ? (
                      <a href={href("voucher", c.bestAsk.tokenId)}>
                        <Money value={c.bestAsk.price} token={c.bestAsk.token} currency={c.brand.currency} block />
                        <span className="block">
                          <Discount value={c.bestAsk.discount} exact={c.bestAsk.discountExact} />
                        </span>
                      </a>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className="num">
                    <Discount value={c.averageDiscount} exact={c.averageExact} />
                  </td>
                  <td className="num">
                    {c.lastSale ? (
                      <>
                        <Discount value={c.lastSale.discount} exact={c.lastSale.discountExact} />
                        <span className="block small muted">
                          {t("common.ago", {
                            duration: formatDuration(Math.max(0, now - c.lastSale.timestamp), language),
                          })}
                        </span>
                      </>
                    ) : (
                      <span className="muted">{t("market.compare.noSales")}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <DiscountChart points={history} title={chartTitle} />
      </div>
    </section>
  );
}
