/** A voucher the account holds: reveal its code, sell it, or redeem it (burn, with a confirmation). */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Address } from "viem";
import { Badge, ConfirmButton, TxStatus } from "../../components/ui.tsx";
import { VoucherTile } from "../../components/VoucherTile.tsx";
import { voucherTokenAbi, commitmentsOf } from "#sdk";
import { fetchOrder, fetchSealedCode, type OwnedVoucher } from "../../chain/reads.ts";
import { queryKeys, useBrands, useClient, useDeployment } from "../../hooks/queries.ts";
import { href } from "../../hooks/useRoute.ts";
import { contractCall, useTx } from "../../hooks/useTx.tsx";
import { useBrandText } from "../../i18n/hooks.ts";
import { daysUntil, formatDate, formatFaceValue } from "../../lib/format.ts";
import { isNearExpiry } from "../../lib/market.ts";
import { RevealCode } from "../orders/Reveal.tsx";

export function VoucherRow({ voucher, account, now }: { voucher: OwnedVoucher; account: Address; now: number }) {
  const { t } = useTranslation();
  const brandText = useBrandText();
  const d = useDeployment();
  const client = useClient();
  const { byId } = useBrands();
  const tx = useTx();
  const [revealing, setRevealing] = useState(false);
  const brand = byId.get(voucher.brandId);
  const expired = Number(voucher.expiresAt) <= now;
  const days = daysUntil(voucher.expiresAt, now);
  const id = voucher.tokenId.toString();
  // The vault copy is current when there is one (minted here, or re-sealed after a purchase); otherwise the delivery.
  const commitments = commitmentsOf(voucher);
  const source =
    commitments && (voucher.sealedToMe || voucher.boughtIn !== undefined)
      ? voucher.sealedToMe
        ? {
            purpose: "vault" as const,
            load: () => fetchSealedCode(client, d, voucher.tokenId, account),
            voucher: commitments,
          }
        : {
            purpose: `order:${voucher.boughtIn}` as const,
            load: async () => (await fetchOrder(client, d, voucher.boughtIn!)).delivery,
            voucher: commitments,
          }
      : undefined;

  const redeem = () =>
    tx.send(contractCall(d.voucherToken, voucherTokenAbi, "redeem", [voucher.tokenId]), {
      label: t("wallet.voucher.redeemTx", { id }),
      invalidates: [queryKeys.wallets, queryKeys.vouchers],
    });

  return (
    <article className="order" data-testid="my-voucher" data-token={id}>
      <div className="order-main">
        <VoucherTile brand={brand} faceValue={voucher.faceValue} small />
        <div className="order-info">
          <div className="order-title">
            <a href={href("voucher", voucher.tokenId)}>
              {brandText.name(brand)} {brand && formatFaceValue(voucher.faceValue, brand.currency)}
            </a>
            {voucher.issuerBacked ? (
              <Badge tone="success">{t("voucher.kind.issuerBacked")}</Badge>
            ) : (
              <Badge tone="info">{t("voucher.kind.coded")}</Badge>
            )}
            {voucher.attested && <Badge tone="success">{t("voucher.verified")}</Badge>}
            {voucher.disclosed && <Badge tone="danger">{t("voucher.disclosed")}</Badge>}
            {expired ? (
              <Badge tone="danger">{t("voucher.expired")}</Badge>
            ) : (
              isNearExpiry(voucher.expiresAt, now) && <Badge tone="warning">{t("voucher.nearExpiry")}</Badge>
            )}
          </div>
          <div className="muted small">
            {t("wallet.voucher.meta", { id, date: formatDate(voucher.expiresAt) })}
            {!expired && ` · ${t("market.daysLeft", { count: days })}`}
          </div>
        </div>
        <div className="order-actions">
          {source && !revealing && (
            <button type="button" className="btn btn-small" onClick={() => setRevealing(true)} data-action="reveal">
              {t("orders.action.reveal")}
            </button>
          )}
          {!expired && (
            <a className="btn btn-small btn-primary" href={href("sell")}>
              {t("wallet.voucher.sell")}
            </a>
          )}
          {!expired && (
            <ConfirmButton
              action="redeem"
              label={t("wallet.voucher.redeem")}
              className="btn btn-small btn-ghost"
              confirmClassName="btn btn-small btn-primary"
              title={t("wallet.voucher.redeemTitle")}
              confirmLabel={t("wallet.voucher.redeemConfirm")}
              cancelLabel={t("wallet.voucher.redeemCancel")}
              onConfirm={redeem}
              disabled={tx.busy}
            >
              {voucher.issuerBacked ? t("wallet.voucher.redeemIssuer") : t("wallet.voucher.redeemShop")}
            </ConfirmButton>
          )}
        </div>
      </div>
      {revealing && source && (
        <div className="order-reveal">
          <RevealCode source={source} />
        </div>
      )}
      <TxStatus state={tx.state} />
    </article>
  );
}
