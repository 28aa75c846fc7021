/**
 * One dispute: the bond, the evidence — opened in the arbiter's browser with the arbiter's own key (the buyer sealed
 * its order key to it), then checked: it is the buyer's order key, a card was delivered, its number matches the
 * voucher's card-number fingerprint, its PIN matches the PIN commitment — and the ruling, refund or release, each
 * confirmed in a second step. Anyone else sees the dispute and its bond, never the evidence or the card.
 */
import { useTranslation } from "react-i18next";
import { Money } from "../../components/Money.tsx";
import { AddressText, Badge, ConfirmButton, CopyButton, TxStatus } from "../../components/ui.tsx";
import { VoucherTile } from "../../components/VoucherTile.tsx";
import { voucherExchangeAbi, verifyEvidence } from "#sdk";
import type { OrderDetails } from "../../chain/reads.ts";
import { queryKeys, useBrands, useDeployment, usePayTokens } from "../../hooks/queries.ts";
import { href } from "../../hooks/useRoute.ts";
import { contractCall, useTx } from "../../hooks/useTx.tsx";
import { useBrandText, useLanguage } from "../../i18n/hooks.ts";
import { formatDateTime, formatDuration, formatFaceValue } from "../../lib/format.ts";
import { tokenKey } from "../../lib/market.ts";
import { formatMoney } from "../../lib/money.ts";
import { demoAccountOf } from "../../app/demoAccounts.ts";

const CHANGES = [
  queryKeys.disputes,
  queryKeys.trades,
  queryKeys.wallets,
  queryKeys.vouchers,
  queryKeys.sales,
  queryKeys.listings,
  queryKeys.balances,
  queryKeys.distributions,
];

function YesNo({ ok, testId }: { ok: boolean; testId: string }) {
  const { t } = useTranslation();
  return (
    <Badge tone={ok ? "success" : "danger"}>
      <span data-testid={testId} data-value={ok ? "yes" : "no"}>
        {ok ? t("common.yes") : t("common.no")}
      </span>
    </Badge>
  );
}

export function DisputeCard({
  order,
  isArbiter,
  arbiterSecret,
  now,
}: {
  order: OrderDetails;
  isArbiter: boolean;
  /** The arbiter's secret key, once derived: only with it is the evidence opened. */
  arbiterSecret: Uint8Array | undefined;
  now: number;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const brandText = useBrandText();
  const d = useDeployment();
  const { byId } = useBrands();
  const { byAddress } = usePayTokens();
  const tx = useTx();
  const brand = order.voucher ? byId.get(order.voucher.brandId) : undefined;
  const token = byAddress.get(tokenKey(order.trade.payToken));
  const evidence = arbiterSecret ? verifyEvidence(order, arbiterSecret) : undefined;
  const open = now <= order.trade.deadline;
  const id = order.id.toString();
  const amount = token ? formatMoney(order.trade.price, token) : order.trade.price.toString();
  const bond = order.bond !== undefined && token ? formatMoney(order.bond, token) : "—";
  // The reading, from the checks: what the evidence shows, in plain words.
  const reading = !evidence
    ? undefined
    : !evidence.evidenceOpened
      ? "sealedElsewhere"
      : !evidence.keyMatches
        ? "keyMismatch"
        : !evidence.delivered
          ? "notDelivered"
          : !evidence.deliveryOpened
            ? "undecryptable"
            : evidence.cardMatches && evidence.codeMatches
              ? "codeMatches"
              : !evidence.cardMatches
                ? "cardMismatch"
                : "codeMismatch";

  const resolve = (refundBuyer: boolean) =>
    tx.send(contractCall(d.voucherExchange, voucherExchangeAbi, "resolve", [order.id, refundBuyer]), {
      label: t(refundBuyer ? "arbiter.tx.refund" : "arbiter.tx.release", { id }),
      invalidates: CHANGES,
    });

  return (
    <article className="order dispute" data-testid="dispute" data-order={id}>
      <div className="order-main">
        <VoucherTile brand={brand} faceValue={order.voucher?.faceValue ?? 0n} small />
        <div className="order-info">
          <div className="order-title">
            <a href={href("voucher", order.trade.tokenId)}>
              {t("orders.orderNumber", { id })} · {brandText.name(brand)}{" "}
              {brand && order.voucher ? formatFaceValue(order.voucher.faceValue, brand.currency) : ""}
            </a>
            <Badge tone="danger">{t("orders.status.disputed")}</Badge>
          </div>
          <div className="muted small">
            {t("arbiter.inEscrow")} <Money value={order.trade.price} token={token} currency={brand?.currency} /> ·{" "}
            {t("arbiter.bond", { bond })} · {t("orders.buyer")}{" "}
            <AddressText address={order.buyer} name={demoAccountOf(order.buyer)?.name} /> · {t("orders.seller")}{" "}
            <AddressText address={order.trade.seller} name={demoAccountOf(order.trade.seller)?.name} />
          </div>
          <div className="muted small">
            {open
              ? t("arbiter.window", {
                  left: formatDuration(order.trade.deadline - now, language),
                  until: formatDateTime(order.trade.deadline),
                })
              : t("arbiter.windowPassed")}
          </div>
        </div>
      </div>
      {evidence ? (
        <>
          <dl className="evidence" data-testid="evidence">
            {(
              [
                ["keyMatches", evidence.keyMatches, "key-matches"],
                ["delivered", evidence.delivered, "delivered"],
                ["cardMatches", evidence.cardMatches, "card-matches"],
                ["codeMatches", evidence.codeMatches, "code-matches"],
              ] as const
            ).map(([check, ok, testId]) => (
              <div key={check}>
                <dt>{t(`arbiter.evidence.${check}`)}</dt>
                <dd>
                  <YesNo ok={ok} testId={testId} />
                </dd>
              </div>
            ))}
          </dl>
          {evidence.card && (
            <dl className="revealed-card evidence-card" title={t("arbiter.evidence.decrypted")}>
              {(
                [
                  ["cardNumber", evidence.card.cardNumber, "evidence-card-number"],
                  ["code", evidence.card.code, "evidence-code"],
                ] as const
              ).map(([field, text, testId]) => (
                <div key={field}>
                  <dt>{t(`arbiter.evidence.${field}`)}</dt>
                  <dd className="code-box">
                    <code data-testid={testId}>{text}</code>
                    <CopyButton text={text} />
                  </dd>
                </div>
              ))}
            </dl>
          )}
          <p className="small">
            <strong>{t("arbiter.reading")}</strong> {t(`arbiter.verdict.${reading!}`)}
          </p>
        </>
      ) : (
        <p className="muted small" data-testid="evidence-sealed">
          {t(isArbiter ? "arbiter.openFirst" : "arbiter.sealed")}
        </p>
      )}
      <div className="row-gap dispute-actions">
        {open ? (
          <>
            <ConfirmButton
              action="refund"
              label={t("arbiter.refund")}
              className="btn btn-small btn-danger"
              title={t("arbiter.refundTitle")}
              confirmLabel={t("arbiter.refundConfirm", { amount })}
              onConfirm={() => resolve(true)}
              disabled={!isArbiter || tx.busy}
              tone="danger"
            >
              {t("arbiter.refundBody", { amount })}
            </ConfirmButton>
            <ConfirmButton
              action="release"
              label={t("arbiter.release")}
              title={t("arbiter.releaseTitle")}
              confirmLabel={t("arbiter.releaseConfirm", { amount })}
              confirmClassName="btn btn-small btn-primary"
              onConfirm={() => resolve(false)}
              disabled={!isArbiter || tx.busy}
            >
              {t("arbiter.releaseBody", { amount })}
            </ConfirmButton>
            {!isArbiter && <span className="muted small">{t("arbiter.onlyArbiter")}</span>}
          </>
        ) : (
          <button
            type="button"
            className="btn btn-small"
            disabled={tx.busy}
            onClick={() =>
              tx.send(contractCall(d.voucherExchange, voucherExchangeAbi, "expireDispute", [order.id]), {
                label: t("orders.tx.expireDispute", { id }),
                invalidates: CHANGES,
              })
            }
          >
            {t("arbiter.closeAsRelease")}
          </button>
        )}
      </div>
      <TxStatus state={tx.state} />
    </article>
  );
}
