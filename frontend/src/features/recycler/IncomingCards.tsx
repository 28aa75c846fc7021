/**
 * The cards sold into my offers, newest first: which card, from which offer, what it cost, who sold it, and where its
 * order stands (issuer-backed cards are completed in the sale; coded ones wait for the seller's code, then my recycler
 * agent — or I, from the Wallet — confirm).
 */
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Address } from "viem";
import { getVoucherInfos } from "#sdk";
import { AddressText, Badge, Empty, Spinner } from "../../components/ui.tsx";
import { demoAccountOf } from "../../app/demoAccounts.ts";
import { useIncomingCards, type Offer } from "../../hooks/offers.ts";
import { queryKeys, useBrands, useClient, useDeployment, usePayTokens } from "../../hooks/queries.ts";
import { href } from "../../hooks/useRoute.ts";
import { useBrandText, useLanguage } from "../../i18n/hooks.ts";
import { formatDuration, formatFaceValue } from "../../lib/format.ts";
import { tokenKey } from "../../lib/market.ts";
import { formatMoneyExact } from "../../lib/money.ts";
import { Status, STATUS_TONES } from "../../lib/orders.ts";
import { statusKey } from "../orders/orderNote.ts";

export function IncomingCards({
  account,
  offers,
  now,
}: {
  account: Address;
  offers: Offer[] | undefined;
  now: number;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const brandText = useBrandText();
  const brands = useBrands();
  const tokens = usePayTokens();
  const client = useClient();
  const deployment = useDeployment();
  const incoming = useIncomingCards(
    account,
    offers?.map((o) => o.offerId),
  );
  const tokenIds = (incoming.data ?? []).map((s) => s.tokenId);
  const vouchers = useQuery({
    queryKey: [...queryKeys.vouchers, "incoming", tokenIds.join(",")],
    enabled: tokenIds.length > 0,
    queryFn: () => getVoucherInfos({ publicClient: client, deployment }, tokenIds),
  });
  const byOffer = new Map((offers ?? []).map((o) => [o.offerId, o]));
  const waiting = (incoming.data ?? []).filter(
    (s) => !s.issuerBacked && (s.status === Status.AwaitingDelivery || s.status === Status.Delivered),
  ).length;

  return (
    <section className="card" data-testid="incoming">
      <div className="section-head">
        <h2>{t("recycler.incoming.title")}</h2>
        {waiting > 0 && (
          <a href={`${href("wallet")}?tab=buying`} className="small">
            {t("recycler.incoming.toWallet", { count: waiting })}
          </a>
        )}
      </div>
      <p className="muted small">{t("recycler.incoming.explain")}</p>
      {incoming.isLoading ? (
        <Spinner />
      ) : (incoming.data ?? []).length === 0 ? (
        <Empty title={t("recycler.incoming.empty")} />
      ) : (
        <ul className="incoming-list">
          {incoming.data!.map((sale) => {
            const offer = byOffer.get(sale.offerId);
            const token = offer && tokens.byAddress.get(tokenKey(offer.payToken));
            const voucher = vouchers.data?.get(sale.tokenId);
            const brand = brands.byId.get(voucher?.brandId ?? offer?.brandId ?? 0);
            return (
              <li
                key={sale.tradeId.toString()}
                data-testid="incoming-card"
                data-trade={sale.tradeId.toString()}
                data-status={sale.status}
              >
                <div className="incoming-line">
                  <a href={href("voucher", sale.tokenId)}>
                    {brandText.name(brand)} {voucher && brand && formatFaceValue(voucher.faceValue, brand.currency)} #
                    {sale.tokenId.toString()}
                  </a>
                  <strong>{token ? formatMoneyExact(sale.price, token) : sale.price.toString()}</strong>
                </div>
                <div className="incoming-line small">
                  <span className="muted">
                    {t("recycler.offer.number", { id: sale.offerId.toString() })} ·{" "}
                    {sale.issuerBacked ? t("voucher.kind.issuerBacked") : t("voucher.kind.coded")} ·{" "}
                    {t("common.ago", { duration: formatDuration(Math.max(0, now - sale.soldAt), language) })} ·{" "}
                    {t("recycler.incoming.from")}{" "}
                    <AddressText address={sale.seller} name={demoAccountOf(sale.seller)?.name} />
                  </span>
                  <Badge tone={STATUS_TONES[sale.status]}>{t(`orders.status.${statusKey(sale.status)}`)}</Badge>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
