/**
 * What a voucher is: brand, face value, expiry, kind, whether its issuer verified it (or its PIN was disclosed), its
 * commitments, who holds it, its issuer.
 */
import { useTranslation } from "react-i18next";
import type { Address } from "viem";
import { AddressText, Badge } from "../../components/ui.tsx";
import type { VoucherInfo } from "#sdk";
import { useBrandText } from "../../i18n/hooks.ts";
import { formatDate, formatFaceValue, shortAddress } from "../../lib/format.ts";
import type { Brand } from "../../lib/market.ts";

export function VoucherFacts({
  info,
  brand,
  days,
  nearExpiry,
  owner,
  inEscrow,
  you,
}: {
  info: VoucherInfo;
  brand: Brand | undefined;
  days: number;
  nearExpiry: boolean;
  owner: Address | undefined;
  inEscrow: boolean;
  you: Address | undefined;
}) {
  const { t } = useTranslation();
  const brandText = useBrandText();
  return (
    <dl className="facts">
      <div>
        <dt>{t("voucher.facts.brand")}</dt>
        <dd>
          {brandText.name(brand, info.brandId)} <span className="muted">· {brandText.category(brand?.category)}</span>
        </dd>
      </div>
      <div>
        <dt>{t("voucher.facts.face")}</dt>
        <dd>{brand ? formatFaceValue(info.faceValue, brand.currency) : info.faceValue.toString()}</dd>
      </div>
      <div>
        <dt>{t("voucher.facts.expires")}</dt>
        <dd>
          {formatDate(info.expiresAt)}{" "}
          {days < 0 ? (
            <Badge tone="danger">{t("voucher.expired")}</Badge>
          ) : nearExpiry ? (
            <Badge tone="warning">{t("voucher.nearExpiryDays", { count: days })}</Badge>
          ) : (
            <span className="muted">({t("market.daysLeft", { count: days })})</span>
          )}
        </dd>
      </div>
      <div>
        <dt>{t("voucher.facts.kind")}</dt>
        <dd>
          {info.issuerBacked ? (
            <>
              <Badge tone="success">{t("voucher.kind.issuerBacked")}</Badge>{" "}
              <span className="muted small">{t("voucher.kind.issuerBackedHint")}</span>
            </>
          ) : (
            <>
              <Badge tone="info">{t("voucher.kind.coded")}</Badge>{" "}
              <span className="muted small">{t("voucher.kind.codedHint")}</span>
            </>
          )}
        </dd>
      </div>
      {!info.issuerBacked && (
        <div>
          <dt>{t("voucher.facts.verification")}</dt>
          <dd data-testid="verification">
            {info.disclosed ? (
              <>
                <Badge tone="danger">{t("voucher.disclosed")}</Badge>{" "}
                <span className="muted small">{t("voucher.disclosedHint")}</span>
              </>
            ) : info.attested ? (
              <>
                <Badge tone="success">{t("voucher.verified")}</Badge>{" "}
                <span className="muted small">{t("voucher.verifiedHint")}</span>
              </>
            ) : (
              <>
                <Badge>{t("voucher.unverified")}</Badge>{" "}
                <span className="muted small">{t("voucher.unverifiedHint")}</span>
              </>
            )}
          </dd>
        </div>
      )}
      {info.codeHash && (
        <div>
          <dt>{t("voucher.facts.commitment")}</dt>
          <dd>
            <code className="hash" title={info.codeHash}>
              {shortAddress(info.codeHash)}
            </code>{" "}
            <span className="muted small">{t("voucher.facts.commitmentHint")}</span>
          </dd>
        </div>
      )}
      <div>
        <dt>{t("voucher.facts.heldBy")}</dt>
        <dd>
          {owner === undefined ? (
            t("voucher.facts.burned")
          ) : inEscrow ? (
            t("voucher.facts.escrow")
          ) : (
            <AddressText address={owner} you={you} />
          )}
        </dd>
      </div>
      {brand && (
        <div>
          <dt>{t("voucher.facts.issuer")}</dt>
          <dd>
            <AddressText address={brand.issuer} />
          </dd>
        </div>
      )}
    </dl>
  );
}
