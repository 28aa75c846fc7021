import { useState } from "react";
import { useConnection } from "wagmi";
import type { Address } from "viem";
import { CreditsTable, useAccountSummary } from "../components/Credits.tsx";
import { OrderCard } from "../components/OrderCard.tsx";
import { RevealCode } from "../components/Reveal.tsx";
import { Badge, Empty, ErrorBox, NotConnected, PageHeader, Spinner, TxStatus } from "../components/ui.tsx";
import { VoucherTile } from "../components/VoucherTile.tsx";
import { voucherTokenAbi } from "../generated/contracts.ts";
import { fetchOrder, fetchSealedCode, type OrderDetails, type OwnedVoucher } from "../chain/reads.ts";
import {
  queryKeys,
  useBrands,
  useChainTime,
  useClient,
  useDeployment,
  usePayTokens,
  useWallet,
} from "../hooks/queries.ts";
import { href } from "../hooks/useRoute.ts";
import { contractCall, useTx } from "../hooks/useTx.tsx";
import { describeError } from "../lib/errors.ts";
import { daysUntil, formatDate, formatFaceValue } from "../lib/format.ts";
import { isNearExpiry, tokenKey } from "../lib/market.ts";
import { nextStep, Status } from "../lib/orders.ts";

function VoucherRow({ voucher, account, now }: { voucher: OwnedVoucher; account: Address; now: number }) {
  const d = useDeployment();
  const client = useClient();
  const { byId } = useBrands();
  const tx = useTx();
  const [revealing, setRevealing] = useState(false);
  const [confirmRedeem, setConfirmRedeem] = useState(false);
  const brand = byId.get(voucher.brandId);
  const expired = Number(voucher.expiresAt) <= now;
  const days = daysUntil(voucher.expiresAt, now);
  // The vault copy is current when there is one (minted here, or re-sealed after a purchase); otherwise the delivery.
  const source =
    voucher.codeHash && (voucher.sealedToMe || voucher.boughtIn !== undefined)
      ? voucher.sealedToMe
        ? {
            purpose: "vault" as const,
            load: () => fetchSealedCode(client, d, voucher.tokenId, account),
            codeHash: voucher.codeHash,
          }
        : {
            purpose: `order:${voucher.boughtIn}` as const,
            load: async () => (await fetchOrder(client, d, voucher.boughtIn!)).delivery,
            codeHash: voucher.codeHash,
          }
      : undefined;

  const redeem = async () => {
    setConfirmRedeem(false);
    await tx.send(contractCall(d.voucherToken, voucherTokenAbi, "redeem", [voucher.tokenId]), {
      label: `Redeem voucher #${voucher.tokenId}`,
      invalidates: [queryKeys.wallets, queryKeys.vouchers],
    });
  };

  return (
    <article className="order" data-testid="my-voucher" data-token={voucher.tokenId.toString()}>
      <div className="order-main">
        <VoucherTile brand={brand} faceValue={voucher.faceValue} small />
        <div className="order-info">
          <div className="order-title">
            <a href={href("voucher", voucher.tokenId)}>
              {brand?.name ?? "Voucher"} {brand && formatFaceValue(voucher.faceValue, brand.currency)}
            </a>
            {voucher.issuerBacked ? <Badge tone="success">Issuer-backed</Badge> : <Badge tone="info">Coded</Badge>}
            {expired ? (
              <Badge tone="danger">Expired</Badge>
            ) : (
              isNearExpiry(voucher.expiresAt, now) && <Badge tone="warning">Near expiry</Badge>
            )}
          </div>
          <div className="muted small">
            Voucher #{voucher.tokenId.toString()} · expires {formatDate(voucher.expiresAt)}
            {!expired && ` (${days} days)`}
          </div>
        </div>
        <div className="order-actions">
          {source && !revealing && (
            <button type="button" className="btn btn-small" onClick={() => setRevealing(true)} data-action="reveal">
              Reveal code
            </button>
          )}
          {!expired && (
            <a className="btn btn-small" href={href("sell")}>
              Sell
            </a>
          )}
          {!expired && (
            <button
              type="button"
              className="btn btn-small btn-ghost"
              onClick={() => setConfirmRedeem(true)}
              disabled={tx.busy}
            >
              Redeem
            </button>
          )}
        </div>
      </div>
      {revealing && source && (
        <div className="order-reveal">
          <RevealCode source={source} />
        </div>
      )}
      {confirmRedeem && (
        <div className="alert alert-warning">
          Redeeming spends the voucher: it is burned and can never be sold again. Do it when you use the card at the
          {voucher.issuerBacked ? " issuer" : " shop"}.
          <div className="row-gap">
            <button type="button" className="btn btn-small btn-primary" onClick={redeem}>
              Redeem now
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirmRedeem(false)}>
              Not yet
            </button>
          </div>
        </div>
      )}
      <TxStatus state={tx.state} />
    </article>
  );
}

function OrderList({
  orders,
  role,
  account,
  now,
  empty,
}: {
  orders: OrderDetails[];
  role: "buyer" | "seller";
  account: Address;
  now: number;
  empty: string;
}) {
  const { byId } = useBrands();
  const { byAddress } = usePayTokens();
  if (orders.length === 0) return <Empty title={empty} />;
  return (
    <div className="orders">
      {orders.map((order) => (
        <OrderCard
          key={order.id.toString()}
          order={order}
          role={role}
          now={now}
          account={account}
          brand={order.voucher ? byId.get(order.voucher.brandId) : undefined}
          token={byAddress.get(tokenKey(order.trade.payToken))}
        />
      ))}
    </div>
  );
}

const isOpen = (o: OrderDetails) =>
  o.trade.status === Status.Listed ||
  o.trade.status === Status.AwaitingDelivery ||
  o.trade.status === Status.Delivered ||
  o.trade.status === Status.Disputed;

export default function WalletPage() {
  const { address } = useConnection();
  const wallet = useWallet(address);
  const summary = useAccountSummary(address);
  const now = useChainTime();
  const [showClosed, setShowClosed] = useState(false);

  if (!address) return <NotConnected what="see your vouchers and orders" />;
  if (wallet.isLoading) return <Spinner label="Loading your wallet…" />;
  if (wallet.error || !wallet.data)
    return <ErrorBox>Could not load your wallet: {describeError(wallet.error)}</ErrorBox>;
  const { vouchers, buying, selling } = wallet.data;
  const toDo =
    buying.filter((o) => nextStep(o.trade, "buyer", now).actions.some((a) => a !== "reveal")).length +
    selling.filter((o) => o.trade.status !== Status.Listed && nextStep(o.trade, "seller", now).actions.length > 0)
      .length;
  const filter = (orders: OrderDetails[]) => (showClosed ? orders : orders.filter(isOpen));
  const stats = summary.data?.stats;

  return (
    <div className="page">
      <PageHeader title="Wallet">Your vouchers, your orders and what each one needs next.</PageHeader>
      <div className="stat-grid">
        <div className="stat">
          <span className="stat-value">{vouchers.length}</span>
          <span className="stat-label">vouchers held</span>
        </div>
        <div className="stat">
          <span className="stat-value" data-testid="todo-count">
            {toDo}
          </span>
          <span className="stat-label">orders need you</span>
        </div>
        <div className="stat">
          <span className="stat-value">{stats ? `${stats.sales} / ${stats.purchases}` : "–"}</span>
          <span className="stat-label">completed sales / purchases</span>
        </div>
        <div className="stat">
          <span className="stat-value">{stats ? stats.disputesLost.toString() : "–"}</span>
          <span className="stat-label">disputes lost</span>
        </div>
      </div>

      <section className="card">
        <div className="section-head">
          <h2>My vouchers</h2>
          <a className="btn btn-small" href={href("sell")}>
            Tokenize a card
          </a>
        </div>
        {vouchers.length === 0 ? (
          <Empty title="No vouchers in this wallet">Buy one on the market, or tokenize a card you hold.</Empty>
        ) : (
          <div className="orders" data-testid="my-vouchers">
            {vouchers.map((v) => (
              <VoucherRow key={v.tokenId.toString()} voucher={v} account={address} now={now} />
            ))}
          </div>
        )}
      </section>

      <div className="section-toolbar">
        <label className="check">
          <input type="checkbox" checked={showClosed} onChange={(e) => setShowClosed(e.target.checked)} /> Show
          completed, refunded and cancelled
        </label>
      </div>

      <section className="card" data-testid="buying">
        <h2>Buying</h2>
        <OrderList orders={filter(buying)} role="buyer" account={address} now={now} empty="No open purchases" />
      </section>

      <section className="card" data-testid="selling">
        <h2>Selling</h2>
        <OrderList
          orders={filter(selling)}
          role="seller"
          account={address}
          now={now}
          empty="No open listings or sales"
        />
      </section>

      <section className="card">
        <h2>Balances on the exchange</h2>
        <p className="muted small">
          Sale proceeds are paid straight to you; a payment your address could not receive waits here as a credit, as do
          fee shares. Claim any time.
        </p>
        <CreditsTable account={address} />
      </section>
    </div>
  );
}
