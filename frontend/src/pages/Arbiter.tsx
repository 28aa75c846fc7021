import { useConnection } from "wagmi";
import type { Address } from "viem";
import { AddressText, Badge, Empty, ErrorBox, PageHeader, Spinner, TxStatus } from "../components/ui.tsx";
import { VoucherTile } from "../components/VoucherTile.tsx";
import { voucherExchangeAbi } from "../generated/contracts.ts";
import type { OrderDetails } from "../chain/reads.ts";
import {
  queryKeys,
  useBrands,
  useChainTime,
  useDeployment,
  useDisputes,
  usePayTokens,
  useSettings,
} from "../hooks/queries.ts";
import { href } from "../hooks/useRoute.ts";
import { contractCall, useTx } from "../hooks/useTx.tsx";
import { verifyEvidence } from "../lib/evidence.ts";
import { describeError } from "../lib/errors.ts";
import { formatDateTime, formatDuration, formatFaceValue, formatToken } from "../lib/format.ts";
import { tokenKey } from "../lib/market.ts";

const YesNo = ({ ok, testId }: { ok: boolean; testId: string }) => (
  <Badge tone={ok ? "success" : "danger"}>
    <span data-testid={testId}>{ok ? "yes" : "no"}</span>
  </Badge>
);

function DisputeCard({ order, isArbiter, now }: { order: OrderDetails; isArbiter: boolean; now: number }) {
  const d = useDeployment();
  const { byId } = useBrands();
  const { byAddress } = usePayTokens();
  const tx = useTx();
  const brand = order.voucher ? byId.get(order.voucher.brandId) : undefined;
  const token = byAddress.get(tokenKey(order.trade.payToken));
  const evidence = verifyEvidence(order);
  const open = now <= order.trade.deadline;
  const changes = [
    queryKeys.disputes,
    queryKeys.trades,
    queryKeys.wallets,
    queryKeys.vouchers,
    queryKeys.sales,
    queryKeys.listings,
    queryKeys.balances,
    queryKeys.distributions,
  ];

  const resolve = (refundBuyer: boolean) =>
    tx.send(contractCall(d.voucherExchange, voucherExchangeAbi, "resolve", [order.id, refundBuyer]), {
      label: `${refundBuyer ? "Refund" : "Release"} · order #${order.id}`,
      invalidates: changes,
    });

  return (
    <article className="order dispute" data-testid="dispute" data-order={order.id.toString()}>
      <div className="order-main">
        <VoucherTile brand={brand} faceValue={order.voucher?.faceValue ?? 0n} small />
        <div className="order-info">
          <div className="order-title">
            <a href={href("voucher", order.trade.tokenId)}>
              Order #{order.id.toString()} · {brand?.name}{" "}
              {brand && order.voucher ? formatFaceValue(order.voucher.faceValue, brand.currency) : ""}
            </a>
            <Badge tone="danger">Disputed</Badge>
          </div>
          <div className="muted small">
            {token ? formatToken(order.trade.price, token) : order.trade.price.toString()} in escrow · buyer{" "}
            <AddressText address={order.buyer} /> · seller <AddressText address={order.trade.seller} />
          </div>
          <div className="muted small">
            {open
              ? `Ruling window: ${formatDuration(order.trade.deadline - now)} left (until ${formatDateTime(order.trade.deadline)})`
              : "The ruling window has passed: anyone can close this dispute as a refund."}
          </div>
        </div>
      </div>
      <dl className="evidence">
        <div>
          <dt>Evidence key matches the buyer's order key</dt>
          <dd>
            <YesNo ok={evidence.keyMatches} testId="key-matches" />
          </dd>
        </div>
        <div>
          <dt>Code delivered</dt>
          <dd>
            <YesNo ok={evidence.delivered} testId="delivered" />
          </dd>
        </div>
        <div>
          <dt>Code matches commitment</dt>
          <dd>
            <YesNo ok={evidence.codeMatches} testId="code-matches" />
            {evidence.code !== undefined && (
              <code className="evidence-code" title="Decrypted with the published evidence key">
                {evidence.code}
              </code>
            )}
            {evidence.reason && <span className="muted small block">{evidence.reason}</span>}
          </dd>
        </div>
      </dl>
      <p className="small">
        <strong>Reading:</strong> {evidence.verdict}
      </p>
      <div className="row-gap">
        {open ? (
          <>
            <button
              type="button"
              className="btn btn-small btn-danger"
              disabled={!isArbiter || tx.busy}
              onClick={() => resolve(true)}
              data-action="refund"
            >
              Refund buyer
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={!isArbiter || tx.busy}
              onClick={() => resolve(false)}
              data-action="release"
            >
              Release to seller
            </button>
            {!isArbiter && <span className="muted small">Only the arbiter can rule.</span>}
          </>
        ) : (
          <button
            type="button"
            className="btn btn-small"
            disabled={tx.busy}
            onClick={() =>
              tx.send(contractCall(d.voucherExchange, voucherExchangeAbi, "expireDispute", [order.id]), {
                label: `Close expired dispute · order #${order.id}`,
                invalidates: changes,
              })
            }
          >
            Close as refund
          </button>
        )}
      </div>
      <TxStatus state={tx.state} />
    </article>
  );
}

export default function ArbiterPage() {
  const { address } = useConnection();
  const disputes = useDisputes();
  const settings = useSettings();
  const now = useChainTime();
  const arbiter: Address | undefined = settings.data?.arbiter;
  const isArbiter = !!address && !!arbiter && address.toLowerCase() === arbiter.toLowerCase();

  return (
    <div className="page">
      <PageHeader title="Arbiter">
        Every dispute publishes the buyer's order key, so the delivered code can be decrypted and checked against the
        voucher's on-chain commitment by anyone — here, in your browser.
      </PageHeader>
      <p className="muted small">
        Arbiter: <AddressText address={arbiter} you={address} />
        {!isArbiter && " — connect as the arbiter to rule; everyone can verify."}
      </p>
      {disputes.isLoading ? (
        <Spinner />
      ) : disputes.error ? (
        <ErrorBox>{describeError(disputes.error)}</ErrorBox>
      ) : (disputes.data ?? []).length === 0 ? (
        <Empty title="No open disputes" />
      ) : (
        <div className="orders">
          {disputes.data!.map((order) => (
            <DisputeCard key={order.id.toString()} order={order} isArbiter={isArbiter} now={now} />
          ))}
        </div>
      )}
    </div>
  );
}
