import { useMemo, useState } from "react";
import { useConnection } from "wagmi";
import { BuyPanel } from "../components/BuyPanel.tsx";
import { AddressText, Badge, Empty, ErrorBox, Spinner } from "../components/ui.tsx";
import { REF_RATES } from "../config.ts";
import {
  useBrands,
  useChainTime,
  useDeployment,
  useOrder,
  usePayTokens,
  useProvenance,
  useVoucherDetails,
} from "../hooks/queries.ts";
import { href } from "../hooks/useRoute.ts";
import { describeError } from "../lib/errors.ts";
import {
  daysUntil,
  formatDate,
  formatDateTime,
  formatFaceValue,
  formatPercent,
  formatToken,
  shortAddress,
} from "../lib/format.ts";
import { isNearExpiry, tokenKey } from "../lib/market.ts";
import { nextStep, roleOf, STATUS_LABELS, STATUS_TONES, Status } from "../lib/orders.ts";
import { discountOf } from "../lib/pricing.ts";
import { buildTimeline } from "../lib/provenance.ts";
import { decodeTokenUri } from "../lib/tokenUri.ts";

export default function VoucherPage({ tokenId }: { tokenId: bigint }) {
  const d = useDeployment();
  const { address } = useConnection();
  const details = useVoucherDetails(tokenId);
  const provenance = useProvenance(tokenId);
  const brands = useBrands();
  const tokens = usePayTokens();
  const now = useChainTime();
  const listing = details.data?.listing;
  const info = details.data?.info;
  const [bought, setBought] = useState(false);
  const order = useOrder(listing && listing.status !== Status.Listed ? listing.listingId : undefined);

  const metadata = useMemo(() => {
    try {
      return details.data?.tokenUri ? decodeTokenUri(details.data.tokenUri) : undefined;
    } catch {
      return undefined;
    }
  }, [details.data?.tokenUri]);

  const timeline = useMemo(
    () =>
      buildTimeline(provenance.data ?? [], d.voucherExchange, {
        address: (a) => (address && a.toLowerCase() === address.toLowerCase() ? "you" : shortAddress(a)),
        amount: (payToken, amount) => {
          const token = tokens.byAddress.get(tokenKey(payToken));
          return token ? formatToken(amount, token) : amount.toString();
        },
        face: (faceValue) => {
          const brand = info ? brands.byId.get(info.brandId) : undefined;
          return brand ? formatFaceValue(faceValue, brand.currency) : faceValue.toString();
        },
      }),
    [provenance.data, tokens.byAddress, brands.byId, address, d.voucherExchange, info],
  );

  if (details.isLoading) return <Spinner label="Loading voucher…" />;
  if (details.error)
    return (
      <ErrorBox>
        Could not load voucher #{tokenId.toString()}: {describeError(details.error)}
      </ErrorBox>
    );
  if (!info) return <Empty title={`Voucher #${tokenId} does not exist`}>Check the link, or browse the market.</Empty>;

  const brand = brands.byId.get(info.brandId);
  const token = listing ? tokens.byAddress.get(tokenKey(listing.payToken)) : undefined;
  const owner = details.data?.owner;
  const inEscrow = owner?.toLowerCase() === d.voucherExchange.toLowerCase();
  const burned = owner === undefined;
  const days = daysUntil(info.expiresAt, now);
  const forSale = listing?.status === Status.Listed;
  const discount =
    forSale && brand && token ? discountOf(listing.price, token, info.faceValue, brand.currency, REF_RATES) : undefined;

  return (
    <div className="page voucher-page">
      <a className="back" href={href("market")}>
        ← Market
      </a>
      <div className="voucher-layout">
        <section className="voucher-art">
          {metadata ? (
            <img src={metadata.image} alt={metadata.name} className="card-image" data-testid="card-image" />
          ) : (
            <div className="card-image placeholder">
              {burned ? "Redeemed: this voucher was spent and burned." : "No image"}
            </div>
          )}
          <dl className="facts">
            <div>
              <dt>Brand</dt>
              <dd>
                {brand?.name ?? `#${info.brandId}`} <span className="muted">· {brand?.category}</span>
              </dd>
            </div>
            <div>
              <dt>Face value</dt>
              <dd>{brand ? formatFaceValue(info.faceValue, brand.currency) : info.faceValue.toString()}</dd>
            </div>
            <div>
              <dt>Expires</dt>
              <dd>
                {formatDate(info.expiresAt)}{" "}
                {days < 0 ? (
                  <Badge tone="danger">Expired</Badge>
                ) : isNearExpiry(info.expiresAt, now) ? (
                  <Badge tone="warning">Near expiry · {days} days</Badge>
                ) : (
                  <span className="muted">({days} days)</span>
                )}
              </dd>
            </div>
            <div>
              <dt>Kind</dt>
              <dd>
                {info.issuerBacked ? (
                  <>
                    <Badge tone="success">Issuer-backed</Badge>{" "}
                    <span className="muted small">the token is the card</span>
                  </>
                ) : (
                  <>
                    <Badge tone="info">Coded</Badge>{" "}
                    <span className="muted small">code delivered encrypted to the buyer</span>
                  </>
                )}
              </dd>
            </div>
            {info.codeHash && (
              <div>
                <dt>Code commitment</dt>
                <dd>
                  <code className="hash" title={info.codeHash}>
                    {shortAddress(info.codeHash)}
                  </code>
                </dd>
              </div>
            )}
            <div>
              <dt>Held by</dt>
              <dd>
                {burned ? (
                  "nobody (burned)"
                ) : inEscrow ? (
                  "the exchange (escrow)"
                ) : (
                  <AddressText address={owner} you={address} />
                )}
              </dd>
            </div>
            {brand && (
              <div>
                <dt>Issuer</dt>
                <dd>
                  <AddressText address={brand.issuer} />
                </dd>
              </div>
            )}
          </dl>
        </section>

        <section className="voucher-side">
          <div className="card">
            <h1 className="voucher-title">
              {brand?.name ?? "Voucher"} {brand && formatFaceValue(info.faceValue, brand.currency)}
              <span className="muted"> #{tokenId.toString()}</span>
            </h1>
            {forSale && listing && token ? (
              <>
                <div className="price-line">
                  <span className="price" data-testid="listing-price">
                    {formatToken(listing.price, token)}
                  </span>
                  {discount !== undefined && (
                    <Badge tone={discount >= 0 ? "success" : "warning"}>
                      {discount >= 0
                        ? `${formatPercent(discount)} below face value`
                        : `${formatPercent(-discount)} above face value`}
                    </Badge>
                  )}
                </div>
                <p className="muted small">
                  Listing #{listing.listingId.toString()} by <AddressText address={listing.seller} you={address} />
                </p>
                <BuyPanel listing={listing} token={token} now={now} onBought={() => setBought(true)} />
              </>
            ) : order.data ? (
              <div data-testid="order-status">
                {bought && (
                  <div className="alert alert-success" data-testid="buy-success">
                    {order.data.trade.issuerBacked
                      ? "Purchase complete: the voucher is in your wallet."
                      : "Paid into escrow. The seller now delivers the code to your order key; you confirm once it checks out."}{" "}
                    <a href={href("wallet")}>Go to your wallet →</a>
                  </div>
                )}
                <p>
                  Order #{order.data.id.toString()}{" "}
                  <Badge tone={STATUS_TONES[order.data.trade.status]}>{STATUS_LABELS[order.data.trade.status]}</Badge>
                </p>
                <p className="muted">
                  {
                    nextStep(
                      order.data.trade,
                      roleOf({ ...order.data.trade, buyer: order.data.buyer ?? order.data.trade.buyer }, address),
                      now,
                    ).note
                  }
                </p>
                {address &&
                  (order.data.buyer?.toLowerCase() === address.toLowerCase() ||
                    order.data.trade.seller.toLowerCase() === address.toLowerCase()) && (
                    <a className="btn" href={href("wallet")}>
                      Manage in your wallet
                    </a>
                  )}
              </div>
            ) : (
              <p className="muted">Not for sale right now.</p>
            )}
          </div>

          <div className="card">
            <h2>Provenance</h2>
            {provenance.isLoading ? (
              <Spinner />
            ) : (
              <ol className="timeline" data-testid="timeline">
                {timeline.map((entry) => (
                  <li key={entry.key} className={`timeline-item tone-${entry.tone}`}>
                    <span className="timeline-dot" />
                    <div>
                      <strong>{entry.title}</strong>
                      <span className="muted small block">
                        {entry.detail}
                        {entry.timestamp ? ` · ${formatDateTime(entry.timestamp)}` : ""} · block{" "}
                        {entry.blockNumber.toString()}
                      </span>
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </div>
        </section>
      </div>
    </div>
  );
}
