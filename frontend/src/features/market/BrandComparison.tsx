/**
 * Per-brand comparison (listings, best ask, recyclers' best offer, average discount, last sale) and the
 * discount-over-time chart. The best offer is the open offer paying the most for a typical card of the brand (the best
 * ask's face value, else the brand's middle denomination), shown as its rate and what that card fetches; the offers
 * come through the indexer while the market does (`viaIndexer`), else from the chain.
 */
import { useTranslation } from "react-i18next";
import { Discount, Money } from "../../components/Money.tsx";
import { REF_RATES } from "../../config.ts";
import { useBrandOffers, type Offer } from "../../hooks/offers.ts";
import { useBrands, usePayTokens } from "../../hooks/queries.ts";
import { href } from "../../hooks/useRoute.ts";
import { useBrandText, useLanguage } from "../../i18n/hooks.ts";
import { formatBps, formatDuration, formatFaceValue, type TokenInfo } from "../../lib/format.ts";
import { tokenKey, type BrandComparison as Comparison, type DiscountPoint } from "../../lib/market.ts";
import { convert, formatFiat, formatMoney, rateOf } from "../../lib/money.ts";
import { typicalFace, typicalPrice } from "../../lib/offers.ts";
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

/** The offer paying the most for a `face` card of the brand, compared in the brand's currency. */
function bestFor(offers: readonly Offer[], face: bigint, currency: string, tokens: ReadonlyMap<string, TokenInfo>) {
  let best: { offer: Offer; token: TokenInfo; rateBps: number; price: bigint; worth: number } | undefined;
  for (const offer of offers) {
    const token = tokens.get(tokenKey(offer.payToken));
    const typical = token && typicalPrice(offer, face);
    if (!token || !typical || offer.cardsLeft === 0 || offer.budget < typical.price) continue;
    const worth = convert(typical.price, token, currency, REF_RATES) ?? -1;
    if (!best || worth > best.worth) best = { offer, token, ...typical, worth };
  }
  return best;
}

function BestOffer({ comparison, offers }: { comparison: Comparison; offers: readonly Offer[] }) {
  const { t } = useTranslation();
  const brands = useBrands();
  const tokens = usePayTokens();
  const { brand } = comparison;
  const face = comparison.bestAsk?.faceValue ?? typicalFace(brands.brands.find((b) => b.id === brand.id));
  const best = bestFor(offers, face, brand.currency, tokens.byAddress);
  if (!best) return <span className="muted">—</span>;
  return (
    <a href={href("sell")} data-testid="best-offer" data-offer={best.offer.offerId.toString()}>
      <span className="block">{t("market.compare.offerRate", { rate: formatBps(best.rateBps) })}</span>
      <span className="block small muted">
        {t("market.compare.offerFetches", {
          face: formatFaceValue(face, brand.currency),
          price: formatMoney(best.price, best.token),
        })}
      </span>
    </a>
  );
}

export function BrandComparison({
  comparison,
  history,
  chartTitle,
  now,
  onPick,
  viaIndexer = false,
}: {
  comparison: Comparison[];
  history: DiscountPoint[];
  chartTitle: string;
  now: number;
  onPick: (brandId: number) => void;
  viaIndexer?: boolean;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const brandText = useBrandText();
  const offers = useBrandOffers(
    comparison.map((c) => c.brand.id),
    true,
    viaIndexer,
  );
  return (
    <section className="card" data-testid="comparison">
      <div className="section-head">
        <h2>{t("market.compare.title")}</h2>
        <RatesNote />
      </div>
      <div className="compare">
        <div className="table-wrap">
          <table className="table compact brand-comparison" data-testid="brand-comparison">
            <thead>
              <tr>
                <th>{t("market.compare.brand")}</th>
                <th className="num">{t("market.compare.listings")}</th>
                <th className="num">{t("market.compare.bestAsk")}</th>
                <th className="num">{t("market.compare.bestOffer")}</th>
                <th className="num">{t("market.compare.averageDiscount")}</th>
                <th className="num">{t("market.compare.lastSale")}</th>
              </tr>
            </thead>
            <tbody>
              {comparison.map((c) => (
                <tr key={c.brand.id}>
                  <td className="c-brand">
                    <button type="button" className="link" onClick={() => onPick(c.brand.id)}>
                      {brandText.name(c.brand)}
                    </button>
                    <span className="muted small block">{brandText.category(c.brand.category)}</span>
                  </td>
                  <td className="num" data-label={t("market.compare.listings")}>
                    {c.listings}
                  </td>
                  <td className="num" data-label={t("market.compare.bestAsk")}>
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
                  <td className="num" data-label={t("market.compare.bestOffer")}>
                    <BestOffer comparison={c} offers={offers.byBrand.get(c.brand.id) ?? []} />
                  </td>
                  <td className="num" data-label={t("market.compare.averageDiscount")}>
                    <Discount value={c.averageDiscount} exact={c.averageExact} />
                  </td>
                  <td className="num" data-label={t("market.compare.lastSale")}>
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
