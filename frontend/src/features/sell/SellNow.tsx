/**
 * Sell now (立即回收): the holder's cards against recyclers' standing offers. Each card shows the best instant quote it
 * gets alone; a selection is planned into sales (one per brand, into the offer paying the most, the batch bonus when
 * the batch earns it) and shown card by card — tier rate, batch bonus, near-expiry adjustment, rate, price — with the
 * fee and what the holder receives, and which recycler's offer buys them. The quote shown is pinned while the person
 * looks at it: if the chain's quote changes, the page says so and shows the new one only when asked; the sale is
 * checked against the chain first and sent with `minTotal` = the total shown, so a rate cut in front of it sells
 * nothing. Coded cards open escrowed orders: their codes are delivered from the Wallet's orders.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Address } from "viem";
import { voucherOffersAbi, type OwnedVoucher } from "#sdk";
import { AddressText, Badge, Empty, Spinner, Steps, TxStatus } from "../../components/ui.tsx";
import { demoAccountOf } from "../../app/demoAccounts.ts";
import { REF_RATES } from "../../config.ts";
import { offerKeys, useBrandOffers, type Offer } from "../../hooks/offers.ts";
import {
  queryKeys,
  useBrands,
  useChainTime,
  useClient,
  useDeployment,
  usePayTokens,
  useSettings,
  useWallet,
} from "../../hooks/queries.ts";
import { useReferrer } from "../../hooks/useReferrer.ts";
import { href } from "../../hooks/useRoute.ts";
import { useSteps } from "../../hooks/useSteps.ts";
import { contractCall, useTx } from "../../hooks/useTx.tsx";
import { useBrandText, useErrorText, useLanguage } from "../../i18n/hooks.ts";
import { formatBps, formatFaceValue, type TokenInfo } from "../../lib/format.ts";
import { tokenKey } from "../../lib/market.ts";
import { convert, formatMoneyExact } from "../../lib/money.ts";
import { bestOffer, planSales, type MatchContext, type PlannedSale } from "../../lib/offers.ts";
import { referrerFor } from "../../lib/referral.ts";
import { MIN_PRICE } from "../../lib/validation.ts";
import { VoucherPick } from "./VoucherPick.tsx";
import { voucherApprovalStep } from "./voucherApproval.ts";

const SALE_CHANGES = [
  offerKeys.all,
  queryKeys.wallets,
  queryKeys.trades,
  queryKeys.vouchers,
  queryKeys.balances,
  queryKeys.sales,
  queryKeys.distributions,
  ["credits"],
];

type Sale = PlannedSale<Offer, OwnedVoucher>;

/** A plan's identity: which cards go into which offer for how much (a changed quote changes it). */
const signature = (sales: readonly Sale[]) =>
  sales.map((s) => `${s.offer.offerId}:${s.cards.map((c) => c.tokenId).join(",")}:${s.quote.total}`).join("|");

/** "+3" / "−5" points, or "—" for none. */
const pointsText = (bps: number) => (bps === 0 ? "—" : `${bps > 0 ? "+" : "−"}${formatBps(Math.abs(bps))}`);

export function SellNow({ account }: { account: Address }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { currency } = useLanguage();
  const d = useDeployment();
  const client = useClient();
  const wallet = useWallet(account);
  const brands = useBrands();
  const tokens = usePayTokens();
  const settings = useSettings();
  const now = useChainTime();
  const referrer = referrerFor(useReferrer(), account);
  const tx = useTx();
  const flow = useSteps(errorText);
  const [selected, setSelected] = useState<Record<string, boolean>>({});
  const [pin, setPin] = useState<{ key: string; plan: ReturnType<typeof planSales<Offer, OwnedVoucher>> }>();
  const [sold, setSold] = useState<{
    count: number;
    received: { amount: bigint; token: TokenInfo }[];
    coded: number;
  }>();

  const vouchers = (wallet.data?.vouchers ?? []).filter((v) => Number(v.expiresAt) > now);
  const offers = useBrandOffers(vouchers.map((v) => v.brandId));
  const windows = settings.data?.windows;
  const tokenOf = (offer: Offer) => tokens.byAddress.get(tokenKey(offer.payToken));
  const context: MatchContext | undefined =
    windows && settings.data
      ? {
          now,
          settleWindow: windows.delivery + windows.confirm,
          feeBps: settings.data.feeBps,
          minPrice: (offer) => tokenOf(offer as Offer)?.minPrice ?? MIN_PRICE,
          value: (offer, amount) => {
            const token = tokenOf(offer as Offer);
            return token ? convert(amount, token, currency, REF_RATES) : undefined;
          },
        }
      : undefined;
  const allOffers = [...offers.byBrand.values()].flat();
  const bestAlone = (v: OwnedVoucher) =>
    context ? bestOffer(offers.byBrand.get(v.brandId) ?? [], [v], context) : undefined;

  const chosen = vouchers.filter((v) => selected[v.tokenId.toString()]);
  const selectionKey = chosen.map((v) => v.tokenId).join(",");
  const live = context && chosen.length > 0 ? planSales(allOffers, chosen, context) : undefined;
  // The quote shown stays as first shown for this selection until the person asks for the new one.
  if (live && pin?.key !== selectionKey) setPin({ key: selectionKey, plan: live });
  const shown = pin?.key === selectionKey ? pin.plan : live;
  const changed = live && shown && signature(live.sales) !== signature(shown.sales);

  const toggle = (v: OwnedVoucher, on: boolean) => {
    setSold(undefined);
    setSelected((s) => ({ ...s, [v.tokenId.toString()]: on }));
  };
  const sellable = vouchers.filter((v) => bestAlone(v));
  const count = shown?.sales.reduce((n, s) => n + s.cards.length, 0) ?? 0;
  const coded = shown?.sales.flatMap((s) => s.cards).filter((c) => !c.issuerBacked).length ?? 0;
  // What the seller receives, summed per payment token ("¥1,826.72", or "¥900.00 + 0.0125 ETH").
  const receives: { amount: bigint; token: TokenInfo }[] = [];
  for (const sale of shown?.sales ?? []) {
    const token = tokenOf(sale.offer)!;
    const same = receives.find((r) => r.token.address === token.address);
    if (same) same.amount += sale.quote.sellerReceives;
    else receives.push({ amount: sale.quote.sellerReceives, token });
  }
  const receiveText = receives.map((r) => formatMoneyExact(r.amount, r.token)).join(" + ");

  const sell = async () => {
    if (!shown || shown.sales.length === 0) return;
    const plan = shown.sales;
    const done = await flow.run([
      voucherApprovalStep({ t, tx, deployment: d, approved: wallet.data?.approved }),
      {
        label: t("sellNow.stepCheck"),
        run: async () => {
          // The chain's own quote now: a rate cut since the page showed this one stops here, before any signature.
          for (const sale of plan) {
            const quote = await client.readContract({
              address: d.voucherOffers,
              abi: voucherOffersAbi,
              functionName: "quote",
              args: [sale.offer.offerId, sale.cards.map((c) => c.tokenId)],
            });
            if (quote.total < sale.quote.total) {
              const token = tokenOf(sale.offer)!;
              return t("sellNow.rateCut", {
                now: formatMoneyExact(quote.total, token),
                shown: formatMoneyExact(sale.quote.total, token),
              });
            }
          }
        },
      },
      ...plan.map((sale) => {
        const token = tokenOf(sale.offer)!;
        return {
          label: t("sellNow.stepSell", {
            count: sale.cards.length,
            offer: sale.offer.offerId.toString(),
            amount: formatMoneyExact(sale.quote.total, token),
          }),
          run: async () =>
            !!(await tx.send(
              contractCall(d.voucherOffers, voucherOffersAbi, "sell", [
                sale.offer.offerId,
                sale.cards.map((c) => c.tokenId),
                // The total shown: a lower one (rates cut in front of this sale) reverts and sells nothing.
                sale.quote.total,
                referrer,
              ]),
              { label: t("sellNow.tx", { count: sale.cards.length }), invalidates: SALE_CHANGES },
            )),
        };
      }),
    ]);
    if (done) {
      setSold({ count, received: receives, coded });
      setSelected({});
      setPin(undefined);
    }
  };

  return (
    <section className="card" data-testid="sell-now">
      <h2>{t("sellNow.title")}</h2>
      <p className="muted small">{t("sellNow.lead")}</p>
      {wallet.isLoading || offers.isLoading ? (
        <Spinner label={t("sellNow.loading")} />
      ) : vouchers.length === 0 ? (
        <Empty title={t("sellNow.emptyTitle")}>{t("sell.list.emptyBody")}</Empty>
      ) : (
        <>
          {sellable.length > 1 && (
            <button
              type="button"
              className="link small"
              data-testid="sell-now-all"
              onClick={() => {
                setSold(undefined);
                setSelected(Object.fromEntries(sellable.map((v) => [v.tokenId.toString(), true])));
              }}
            >
              {t("sellNow.selectAll", { count: sellable.length })}
            </button>
          )}
          <ul className="sell-list">
            {vouchers.map((v) => {
              const key = v.tokenId.toString();
              const brand = brands.byId.get(v.brandId);
              const best = bestAlone(v);
              const token = best && tokenOf(best.offer);
              const on = !!selected[key];
              return (
                <li
                  key={key}
                  className={`sell-item now-item${on ? " selected" : ""}`}
                  data-testid="sell-now-row"
                  data-token={key}
                >
                  <label className="sell-pick">
                    <input
                      type="checkbox"
                      checked={on}
                      disabled={!best}
                      onChange={(e) => toggle(v, e.target.checked)}
                      aria-label={t("sellNow.select", { id: key })}
                    />
                    <VoucherPick voucher={v} brand={brand} />
                  </label>
                  <div className="now-best" data-testid="best-quote">
                    {best && token ? (
                      <>
                        <strong>{formatMoneyExact(best.quote.sellerReceives, token)}</strong>
                        <span className="muted small block">
                          {t("sellNow.rowBest", {
                            rate: formatBps(best.quote.cards[0].breakdown.rateBps),
                            offer: best.offer.offerId.toString(),
                          })}
                        </span>
                      </>
                    ) : (
                      <span className="muted small">{t("sellNow.rowNone")}</span>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>

          {shown && chosen.length > 0 && (
            <div className="now-plan" data-testid="sell-now-plan">
              {changed && (
                <div className="alert alert-warning" data-testid="quote-changed">
                  {t("sellNow.changed")}{" "}
                  <button type="button" className="btn btn-small" onClick={() => setPin(undefined)}>
                    {t("sellNow.showNew")}
                  </button>
                </div>
              )}
              {shown.sales.map((sale) => (
                <SaleBreakdown key={sale.offer.offerId.toString()} sale={sale} token={tokenOf(sale.offer)} />
              ))}
              {shown.unsold.length > 0 && (
                <div className="alert alert-info small" data-testid="sell-now-unsold">
                  {t("sellNow.unsoldTitle")}
                  <ul>
                    {shown.unsold.map((u) => (
                      <li key={u.card.tokenId.toString()}>
                        #{u.card.tokenId.toString()} {t(`sellNow.why.${u.why}` as "sellNow.why.noOffer")}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              {coded > 0 && (
                <p className="alert alert-info small" data-testid="sell-now-coded">
                  {t("sellNow.coded", { count: coded })}{" "}
                  <a href={`${href("wallet")}?tab=selling`}>{t("sellNow.toOrders")}</a>
                </p>
              )}
              {count > 0 && (
                <button
                  type="button"
                  className="btn btn-primary btn-block btn-wrap"
                  data-testid="sell-now-button"
                  disabled={tx.busy || flow.running}
                  onClick={sell}
                >
                  {t("sellNow.button", { count, amount: receiveText })}
                </button>
              )}
            </div>
          )}
        </>
      )}
      <Steps steps={flow.steps} />
      <TxStatus state={tx.state} />
      {sold && (
        <div className="alert alert-success" data-testid="sell-now-done">
          {t("sellNow.done", {
            count: sold.count,
            amount: sold.received.map((r) => formatMoneyExact(r.amount, r.token)).join(" + "),
          })}
          {sold.coded > 0 && (
            <>
              {" "}
              {t("sellNow.doneCoded", { count: sold.coded })}{" "}
              <a href={`${href("wallet")}?tab=selling`} data-testid="to-orders">
                {t("sellNow.toOrders")}
              </a>
            </>
          )}
        </div>
      )}
    </section>
  );
}

/** One planned sale: the recycler and offer, each card's rate part by part and price, the fee and what you receive. */
function SaleBreakdown({ sale, token }: { sale: Sale; token: TokenInfo | undefined }) {
  const { t } = useTranslation();
  const brandText = useBrandText();
  const brands = useBrands();
  const settings = useSettings();
  if (!token) return null;
  const recycler = demoAccountOf(sale.offer.recycler);
  const byId = new Map(sale.cards.map((c) => [c.tokenId, c]));
  return (
    <div className="now-sale" data-testid="sale" data-offer={sale.offer.offerId.toString()}>
      <div className="now-sale-head">
        <strong>{t("sellNow.saleTo", { offer: sale.offer.offerId.toString() })}</strong>{" "}
        <AddressText address={sale.offer.recycler} name={recycler?.name} />
      </div>
      <ul className="now-cards">
        {sale.quote.cards.map((c) => {
          const v = byId.get(c.tokenId)!;
          const brand = brands.byId.get(v.brandId);
          const b = c.breakdown;
          return (
            <li key={c.tokenId.toString()} data-testid="sale-card">
              <div className="now-card-line">
                <span>
                  {brandText.name(brand)} {brand && formatFaceValue(v.faceValue, brand.currency)}{" "}
                  <span className="muted">#{c.tokenId.toString()}</span>
                </span>
                <strong>{formatMoneyExact(c.price, token)}</strong>
              </div>
              <div className="muted small" data-testid="rate-parts">
                {t("sellNow.parts", {
                  tier: formatBps(b.tierRateBps),
                  batch: pointsText(b.batchBonusBps),
                  near: pointsText(b.nearExpiryBps),
                  rate: formatBps(b.rateBps),
                })}
                {b.nearExpiryBps !== 0 && (
                  <>
                    {" "}
                    <Badge tone="warning">{t("sellNow.nearBadge")}</Badge>
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      <dl className="now-total">
        <div>
          <dt>{t("sellNow.total")}</dt>
          <dd data-testid="sale-total">{formatMoneyExact(sale.quote.total, token)}</dd>
        </div>
        <div>
          <dt>{t("sellNow.fee", { rate: settings.data ? formatBps(settings.data.feeBps) : "…" })}</dt>
          <dd>−{formatMoneyExact(sale.quote.fee, token)}</dd>
        </div>
        <div className="now-receive">
          <dt>{t("sellNow.receive")}</dt>
          <dd data-testid="sale-receive">{formatMoneyExact(sale.quote.sellerReceives, token)}</dd>
        </div>
      </dl>
    </div>
  );
}
