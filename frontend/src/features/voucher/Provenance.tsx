/** The voucher's history from its events, newest last: minted, listed, sold, delivered, confirmed, redeemed… */
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { Address } from "viem";
import { Spinner } from "../../components/ui.tsx";
import { useDeployment, usePayTokens, useProvenance } from "../../hooks/queries.ts";
import { formatDateTime, formatFaceValue, shortAddress } from "../../lib/format.ts";
import { tokenKey, type Brand } from "../../lib/market.ts";
import { formatMoney } from "../../lib/money.ts";
import { buildTimeline } from "../../lib/provenance.ts";
import { demoAccountOf } from "../../app/demoAccounts.ts";
import { loose } from "../../i18n/text.ts";

export function Provenance({ tokenId, brand, you }: { tokenId: bigint; brand: Brand | undefined; you?: Address }) {
  const { t } = useTranslation();
  const d = useDeployment();
  const provenance = useProvenance(tokenId);
  const tokens = usePayTokens();
  const timeline = useMemo(
    () =>
      buildTimeline(provenance.data ?? [], d.voucherExchange, {
        address: (a) =>
          you && a.toLowerCase() === you.toLowerCase()
            ? t("common.youName")
            : (demoAccountOf(a)?.name ?? shortAddress(a)),
        amount: (payToken, amount) => {
          const token = tokens.byAddress.get(tokenKey(payToken));
          return token ? formatMoney(amount, token) : amount.toString();
        },
        face: (faceValue) => (brand ? formatFaceValue(faceValue, brand.currency) : faceValue.toString()),
      }),
    [provenance.data, tokens.byAddress, brand, you, d.voucherExchange, t],
  );
  if (provenance.isLoading) return <Spinner />;
  return (
    <ol className="timeline" data-testid="timeline">
      {timeline.map((entry) => (
        <li key={entry.key} className={`timeline-item tone-${entry.tone}`}>
          <span className="timeline-dot" />
          <div>
            <strong>{t(`timeline.${entry.kind}.title`)}</strong>
            <span className="muted small block">
              {loose(t)(`timeline.${entry.kind}.detail`, entry.values)}
              {entry.timestamp ? ` · ${formatDateTime(entry.timestamp)}` : ""} ·{" "}
              {t("timeline.block", { number: entry.blockNumber.toString() })}
            </span>
          </div>
        </li>
      ))}
    </ol>
  );
}
