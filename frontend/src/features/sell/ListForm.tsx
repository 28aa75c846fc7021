/**
 * Step 2 of selling: list vouchers you hold at your price, in the currency you want to be paid in. Each selected card
 * gets a suggested price (the median discount of the brand's completed sales, outliers out, else the discount guide),
 * prefilled and one click away. A card whose code was disclosed in a dispute, or a coded card that would expire before
 * an order could settle, is shown with the reason it cannot be sold.
 * Approving the exchange (once) and listing run as visible steps.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Address } from "viem";
import { Badge, Empty, Field, Spinner, Steps, TxStatus } from "../../components/ui.tsx";
import { REF_RATES } from "../../config.ts";
import { voucherExchangeAbi } from "#sdk";
import {
  queryKeys,
  useBrands,
  useChainTime,
  useDeployment,
  usePayTokens,
  useSales,
  useSettings,
  useWallet,
} from "../../hooks/queries.ts";
import { href } from "../../hooks/useRoute.ts";
import { useSteps } from "../../hooks/useSteps.ts";
import { contractCall, useTx } from "../../hooks/useTx.tsx";
import { useErrorText, useLanguage, useProblemText } from "../../i18n/hooks.ts";
import { CURRENCY_SYMBOLS, formatPercent, formatUnits, type TokenInfo } from "../../lib/format.ts";
import { brandSaleDiscounts, tokenKey } from "../../lib/market.ts";
import { formatMoney, pegOf } from "../../lib/money.ts";
import { DISCOUNT_GUIDE, priceAtDiscount, suggestDiscount } from "../../lib/pricing.ts";
import { MAX_BATCH, validatePrice, type Problem } from "../../lib/validation.ts";
import { VoucherPick } from "./VoucherPick.tsx";
import { voucherApprovalStep } from "./voucherApproval.ts";

const priceText = (price: bigint, token: TokenInfo) =>
  formatUnits(price, token.decimals, token.decimals).replace(/,/g, "");

export function ListForm({ account }: { account: Address }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const problemText = useProblemText();
  const { currency: readerCurrency } = useLanguage();
  const d = useDeployment();
  const wallet = useWallet(account);
  const brands = useBrands();
  const tokens = usePayTokens();
  const sales = useSales();
  const settings = useSettings();
  const now = useChainTime();
  const tx = useTx();
  const flow = useSteps(errorText);
  const [tokenAddress, setTokenAddress] = useState<string>("");
  const [selected, setSelected] = useState<Record<string, boolean>>({});
  const [prices, setPrices] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, Problem>>({});
  const [listed, setListed] = useState<number>();

  // Paid in the reader's own currency by default (kCNY for a Chinese reader), when the exchange accepts it.
  const preferred = tokens.tokens.find((tk) => pegOf(tk) === readerCurrency) ?? tokens.tokens[0];
  const token: TokenInfo = tokens.byAddress.get(tokenKey(tokenAddress)) ?? preferred;
  const vouchers = (wallet.data?.vouchers ?? []).filter((v) => Number(v.expiresAt) > now);
  // A coded order needs the delivery and confirm windows before the card expires (ExpiresBeforeSettlement).
  const windows = settings.data?.windows;
  const settleBy = windows ? now + windows.delivery + windows.confirm : now;
  const unsellable = (v: (typeof vouchers)[number]): "disclosed" | "tooLate" | undefined =>
    v.disclosed ? "disclosed" : !v.issuerBacked && Number(v.expiresAt) < settleBy ? "tooLate" : undefined;

  const suggestion = (tokenId: bigint) => {
    const v = vouchers.find((x) => x.tokenId === tokenId);
    const brand = v && brands.byId.get(v.brandId);
    if (!v || !brand) return undefined;
    const samples = brandSaleDiscounts(v.brandId, sales.data ?? [], brands.byId, tokens.byAddress, REF_RATES);
    const suggested = suggestDiscount(samples, v.expiresAt, now);
    const price = priceAtDiscount(v.faceValue, brand.currency, suggested.discount, token, REF_RATES, token.minPrice);
    return price === undefined ? undefined : { ...suggested, price };
  };

  const toggle = (tokenId: bigint, on: boolean) => {
    const key = tokenId.toString();
    setSelected((s) => ({ ...s, [key]: on }));
    if (on && !prices[key]) {
      const s = suggestion(tokenId);
      if (s) setPrices((p) => ({ ...p, [key]: priceText(s.price, token) }));
    }
  };

  const chosen = vouchers.filter((v) => selected[v.tokenId.toString()] && !unsellable(v));

  const list = async () => {
    setListed(undefined);
    const checked = chosen.map((v) => ({ v, price: validatePrice(prices[v.tokenId.toString()] ?? "", token) }));
    const found: Record<string, Problem> = {};
    for (const c of checked) if (!c.price.ok) found[c.v.tokenId.toString()] = c.price.error;
    if (chosen.length > MAX_BATCH) found.all = { key: "batchTooLarge", values: { max: MAX_BATCH } };
    setErrors(found);
    if (chosen.length === 0 || Object.keys(found).length > 0) return;
    const ids = checked.map((c) => c.v.tokenId);
    const amounts = checked.map((c) => (c.price.ok ? c.price.value : 0n));
    const done = await flow.run([
      voucherApprovalStep({ t, tx, deployment: d, approved: wallet.data?.approved }),
      {
        label: t("sell.list.stepList", { count: ids.length, token: token.symbol }),
        run: async () => {
          const options = {
            label: t("sell.list.tx", { count: ids.length }),
            invalidates: [queryKeys.listings, queryKeys.wallets, queryKeys.vouchers],
          };
          const call =
            ids.length === 1
              ? contractCall(d.voucherExchange, voucherExchangeAbi, "list", [ids[0], token.address, amounts[0]])
              : contractCall(d.voucherExchange, voucherExchangeAbi, "listBatch", [ids, token.address, amounts]);
          return !!(await tx.send(call, options));
        },
      },
    ]);
    if (done) {
      setListed(ids.length);
      setSelected({});
      setPrices({});
    }
  };

  const peg = pegOf(token);
  const unit = peg ? (CURRENCY_SYMBOLS[peg] ?? peg) : token.symbol;

  return (
    <section className="card" data-testid="list">
      <h2>{t("sell.list.title")}</h2>
      {wallet.isLoading ? (
        <Spinner />
      ) : vouchers.length === 0 ? (
        <Empty title={t("sell.list.emptyTitle")}>{t("sell.list.emptyBody")}</Empty>
      ) : (
        <>
          <div className="form-grid">
            <Field label={t("sell.list.payIn")} hint={t("sell.list.payInHint")}>
              <select
                value={token.address}
                onChange={(e) => setTokenAddress(e.target.value)}
                aria-label={t("sell.list.payToken")}
              >
                {tokens.tokens.map((tk) => (
                  <option key={tk.address} value={tk.address}>
                    {pegOf(tk) ? `${tk.symbol} (${CURRENCY_SYMBOLS[pegOf(tk)!] ?? pegOf(tk)})` : tk.symbol}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <ul className="sell-list">
            {vouchers.map((v) => {
              const key = v.tokenId.toString();
              const brand = brands.byId.get(v.brandId);
              const blocked = unsellable(v);
              const on = !!selected[key] && !blocked;
              const s = on ? suggestion(v.tokenId) : undefined;
              return (
                <li key={key} className={`sell-item${on ? " selected" : ""}`} data-testid="sell-row" data-token={key}>
                  <label className="sell-pick">
                    <input
                      type="checkbox"
                      checked={on}
                      disabled={blocked !== undefined}
                      onChange={(e) => toggle(v.tokenId, e.target.checked)}
                      aria-label={t("sell.list.select", { id: key })}
                    />
                    <VoucherPick voucher={v} brand={brand} showVerified>
                      {blocked && (
                        <span className="small block field-message" data-testid="unsellable">
                          {t(`sell.list.unsellable.${blocked}`)}
                        </span>
                      )}
                    </VoucherPick>
                  </label>
                  {on && (
                    <div className="sell-price">
                      <Field label={t("sell.list.price", { unit })} error={problemText(errors[key])}>
                        <input
                          inputMode="decimal"
                          value={prices[key] ?? ""}
                          onChange={(e) => setPrices((p) => ({ ...p, [key]: e.target.value }))}
                          aria-label={t("sell.list.priceFor", { id: key })}
                        />
                      </Field>
                      {s && (
                        <span className="small sell-suggestion">
                          {t("sell.list.suggested")}{" "}
                          <button
                            type="button"
                            className="link"
                            onClick={() => setPrices((p) => ({ ...p, [key]: priceText(s.price, token) }))}
                          >
                            {formatMoney(s.price, token)}
                          </button>
                          <span className="muted">
                            {" "}
                            (−{formatPercent(s.discount)} ·{" "}
                            {s.basis === "market"
                              ? t("sell.list.basisMarket", { count: s.samples })
                              : t("sell.list.basisGuide")}
                            )
                          </span>
                        </span>
                      )}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
          {errors.all && <p className="field-message">{problemText(errors.all)}</p>}
          <div className="row-gap">
            <button
              type="button"
              className="btn btn-primary"
              disabled={chosen.length === 0 || tx.busy || flow.running}
              onClick={list}
              data-testid="list-button"
            >
              {chosen.length > 0 ? t("sell.list.button", { count: chosen.length }) : t("sell.list.buttonNone")}
            </button>
          </div>
          <Steps steps={flow.steps} />
          <TxStatus state={tx.state} />
          {listed !== undefined && (
            <div className="alert alert-success">
              {t("sell.list.done", { count: listed })} <a href={href("market")}>{t("sell.list.seeMarket")}</a>
            </div>
          )}
          <details className="guide">
            <summary>{t("sell.guide.title")}</summary>
            <p className="muted small">{t("sell.guide.explain")}</p>
            <table className="table compact">
              <tbody>
                {DISCOUNT_GUIDE.map((tier, i) => (
                  <tr key={tier.maxDays}>
                    <td>{t(`sell.guide.tier${i + 1}` as "sell.guide.tier1")}</td>
                    <td className="num">
                      <Badge tone="info">−{formatPercent(tier.discount)}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
