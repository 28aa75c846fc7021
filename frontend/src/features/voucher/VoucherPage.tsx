/**
 * Voucher: title, price and the Buy button first (on a phone, above the fold), then the card and its facts, then its
 * history. The seller of a listing gets its price change and cancel here; buyer and seller of an order get its
 * next actions (the same card as in the wallet).
 */
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useConnection } from "wagmi";
import { Money } from "../../components/Money.tsx";
import { AddressText, Badge, Empty, ErrorBox, Spinner } from "../../components/ui.tsx";
import { REF_RATES } from "../../config.ts";
import {
  useBrands,
  useChainTime,
  useDeployment,
  useOrder,
  usePayTokens,
  useSales,
  useSellerRecords,
  useVoucherDetails,
} from "../../hooks/queries.ts";
import { href } from "../../hooks/useRoute.ts";
import { useBrandText, useErrorText, useLanguage } from "../../i18n/hooks.ts";
import { daysUntil, formatFaceValue, formatPercent } from "../../lib/format.ts";
import { brandSaleDiscounts, isImplausible, isNearExpiry, sellerRecordValues, tokenKey } from "../../lib/market.ts";
import { roleOf, STATUS_TONES, Status } from "../../lib/orders.ts";
import { discountOf, isExactDiscount, robustMedian } from "../../lib/pricing.ts";
import { decodeTokenUri } from "../../lib/tokenUri.ts";
import { demoAccountOf } from "../../app/demoAccounts.ts";
import { OrderCard } from "../orders/OrderCard.tsx";
import { orderNote, statusKey } from "../orders/orderNote.ts";
import { BuyPanel } from "./BuyPanel.tsx";
import { Provenance } from "./Provenance.tsx";
import { VoucherFacts } from "./VoucherFacts.tsx";
import "./voucher.css";

export default function VoucherPage({ tokenId }: { tokenId: bigint }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const errorText = useErrorText();
  const brandText = useBrandText();
  const d = useDeployment();
  const { address } = useConnection();
  const details = useVoucherDetails(tokenId);
  const brands = useBrands();
  const tokens = usePayTokens();
  const now = useChainTime();
  const listing = details.data?.listing;
  const info = details.data?.info;
  const [bought, setBought] = useState(false);
  const sellers = useSellerRecords(listing ? [listing.seller] : []);
  const sales = useSales(!!listing);
  const isSeller = !!address && listing?.seller.toLowerCase() === address.toLowerCase();
  // The order behind the latest trade: after a purchase, and for the seller's own listing (its actions live there).
  const order = useOrder(listing && (listing.status !== Status.Listed || isSeller) ? listing.tradeId : undefined);

  const metadata = useMemo(() => {
    try {
      return details.data?.tokenUri ? decodeTokenUri(details.data.tokenUri) : undefined;
    } catch {
      return undefined;
    }
  }, [details.data?.tokenUri]);

  if (details.isLoading) return <Spinner label={t("voucher.loading")} />;
  if (details.error)
    return <ErrorBox>{t("voucher.loadFailed", { id: tokenId.toString(), error: errorText(details.error) })}</ErrorBox>;
  if (!info)
    return <Empty title={t("voucher.missing.title", { id: tokenId.toString() })}>{t("voucher.missing.body")}</Empty>;

  const brand = brands.byId.get(info.brandId);
  const token = listing ? tokens.byAddress.get(tokenKey(listing.payToken)) : undefined;
  const owner = details.data?.owner;
  const inEscrow = owner?.toLowerCase() === d.voucherExchange.toLowerCase();
  const days = daysUntil(info.expiresAt, now);
  const forSale = listing?.status === Status.Listed;
  const discount =
    forSale && brand && token ? discountOf(listing.price, token, info.faceValue, brand.currency, REF_RATES) : undefined;
  const exact = !!brand && !!token && isExactDiscount(token, brand.currency);
  const sellerName = listing ? demoAccountOf(listing.seller)?.name : undefined;
  const sellerRecord = listing ? sellers.data?.get(listing.seller.toLowerCase()) : undefined;
  const verified = info.issuerBacked || info.attested;
  const brandMedian = brand
    ? robustMedian(brandSaleDiscounts(brand.id, sales.data ?? [], brands.byId, tokens.byAddress, REF_RATES)).median
    : undefined;
  const implausible = forSale && isImplausible({ verified, discount }, brandMedian);
  const orderRole = order.data
    ? roleOf({ ...order.data.trade, buyer: order.data.buyer ?? order.data.trade.buyer }, address)
    : "other";

  const orderPanel = order.data && (orderRole === "buyer" || orderRole === "seller") && address && (
    <OrderCard order={order.data} role={orderRole} now={now} account={address} brand={brand} token={token} />
  );

  return (
    <div className="page voucher-page">
      <a className="back" href={href("market")}>
        ← {t("voucher.back")}
      </a>
      <div className="voucher-layout">
        <section className="voucher-buy card">
          <h1 className="voucher-title">
            {brandText.name(brand, info.brandId)} {brand && formatFaceValue(info.faceValue, brand.currency)}
            <span className="muted"> #{tokenId.toString()}</span>
          </h1>
          {forSale && listing && token && (
            <div className="price-line">
              <span className="price" data-testid="listing-price">
                <Money value={listing.price} token={token} currency={brand?.currency} block />
              </span>
              {discount !== undefined && (
                <Badge tone={discount >= 0 ? "success" : "warning"}>
                  <span title={exact ? t("money.exactDiscountTitle") : t("money.approxDiscountTitle")}>
                    {t(
                      discount >= 0
                        ? exact
                          ? "voucher.belowFace"
                          : "voucher.belowFaceApprox"
                        : exact
                          ? "voucher.aboveFace"
                          : "voucher.aboveFaceApprox",
                      { percent: formatPercent(Math.abs(discount)) },
                    )}
                  </span>
                </Badge>
              )}
              {info.attested && (
                <span title={t("voucher.verifiedHint")} data-testid="verified-badge">
                  <Badge tone="success">{t("voucher.verified")}</Badge>
                </span>
              )}
            </div>
          )}
          {implausible && (
            <div className="alert alert-warning" data-testid="implausible">
              {t("market.implausibleHint")}
            </div>
          )}
          {forSale && listing && (
            <p className="muted small">
              {t("voucher.listedBy", { id: listing.tradeId.toString() })}{" "}
              <AddressText address={listing.seller} you={address} name={sellerName} />
              {sellerRecord && (
                <span className="block" data-testid="seller-record">
                  {t("seller.record", sellerRecordValues(sellerRecord))}
                </span>
              )}
            </p>
          )}
          {bought &&
            order.data &&
            (order.data.trade.issuerBacked || order.data.trade.status === Status.AwaitingDelivery) && (
              <div className="alert alert-success" data-testid="buy-success">
                {order.data.trade.issuerBacked ? t("voucher.bought.instant") : t("voucher.bought.escrow")}{" "}
                <a href={href("wallet")}>{t("voucher.goToWallet")}</a>
              </div>
            )}
          {forSale && listing && token && !isSeller ? (
            <BuyPanel listing={listing} token={token} now={now} onBought={() => setBought(true)} />
          ) : orderPanel ? (
            <div data-testid="order-status">{orderPanel}</div>
          ) : order.data ? (
            <div data-testid="order-status">
              <p>
                {t("orders.orderNumber", { id: order.data.id.toString() })}{" "}
                <Badge tone={STATUS_TONES[order.data.trade.status]}>
                  {t(`orders.status.${statusKey(order.data.trade.status)}`)}
                </Badge>
              </p>
              <p className="muted">
                {(() => {
                  const note = orderNote(order.data.trade, orderRole, now, language);
                  return t(`orders.note.${note.key}`, note.values);
                })()}
              </p>
            </div>
          ) : (
            !forSale && <p className="muted">{t("voucher.notForSale")}</p>
          )}
        </section>

        <section className="voucher-art">
          {metadata ? (
            <img src={metadata.image} alt={metadata.name} className="card-image" data-testid="card-image" />
          ) : (
            <div className="card-image placeholder">
              {owner === undefined ? t("voucher.redeemedImage") : t("voucher.noImage")}
            </div>
          )}
          <VoucherFacts
            info={info}
            brand={brand}
            days={days}
            nearExpiry={isNearExpiry(info.expiresAt, now)}
            owner={owner}
            inEscrow={inEscrow}
            you={address}
          />
        </section>

        <section className="voucher-history card">
          <h2>{t("voucher.history")}</h2>
          <Provenance tokenId={tokenId} brand={brand} you={address} />
        </section>
      </div>
    </div>
  );
}
