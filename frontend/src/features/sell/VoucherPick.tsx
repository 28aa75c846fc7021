/** A holder's voucher as the Sell page's pick lists show it: its tile, brand and face value, id, kind and expiry. */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { VoucherTile } from "../../components/VoucherTile.tsx";
import { useBrandText } from "../../i18n/hooks.ts";
import { formatDate, formatFaceValue } from "../../lib/format.ts";
import type { Brand } from "../../lib/market.ts";

export function VoucherPick({
  voucher: v,
  brand,
  showVerified = false,
  children,
}: {
  voucher: { tokenId: bigint; faceValue: bigint; expiresAt: bigint | number; issuerBacked: boolean; attested: boolean };
  brand: Brand | undefined;
  /** Add "verified" to the details line when the issuer attested the card. */
  showVerified?: boolean;
  /** More lines under the details (e.g. why the card cannot be listed). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const brandText = useBrandText();
  return (
    <>
      <VoucherTile brand={brand} faceValue={v.faceValue} small />
      <span>
        <strong>
          {brandText.name(brand)} {brand && formatFaceValue(v.faceValue, brand.currency)}
        </strong>
        <span className="muted small block">
          #{v.tokenId.toString()} · {v.issuerBacked ? t("voucher.kind.issuerBacked") : t("voucher.kind.coded")} ·{" "}
          {t("sell.list.expires", { date: formatDate(v.expiresAt) })}
          {showVerified && v.attested && <> · {t("voucher.verified")}</>}
        </span>
        {children}
      </span>
    </>
  );
}
