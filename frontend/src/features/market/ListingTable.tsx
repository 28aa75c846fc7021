/**
 * The listings: a table on wide screens, one card per listing on phones (same markup, see market.css). Rows are
 * memoized and drawn progressively, so 1,000 listings never block the page; their words come in one `RowText` made
 * once per language, not from a translation hook in each of a thousand rows.
 */
import { memo, startTransition, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { discountLabel } from "../../components/Money.tsx";
import { Badge } from "../../components/ui.tsx";
import { VoucherTile } from "../../components/VoucherTile.tsx";
import { REF_RATES } from "../../config.ts";
import { href } from "../../hooks/useRoute.ts";
import { useBrandText } from "../../i18n/hooks.ts";
import { formatDate, formatFaceValue, shortAddress } from "../../lib/format.ts";
import { sellerRecordValues, trustRank, type MarketRow } from "../../lib/market.ts";
import { approxFiat, formatMoney } from "../../lib/money.ts";

interface RowText {
  brand: (row: MarketRow) => string;
  category: (row: MarketRow) => string;
  daysLeft: (days: number) => string;
  nearExpiry: string;
  coded: string;
  issuerBacked: string;
  verified: string;
  verifiedTitle: string;
  implausible: string;
  implausibleTitle: string;
  record: (row: MarketRow) => string | undefined;
  recordTitle: (row: MarketRow) => string | undefined;
  view: string;
  approxTitle: string;
}

const Row = memo(function Row({ row, text, currency }: { row: MarketRow; text: RowText; currency: string }) {
  const days = Math.max(0, Math.floor(row.secondsLeft / 86_400));
  const approx = row.token ? approxFiat(row.price, row.token, row.currency ?? currency, REF_RATES) : undefined;
  return (
    <tr data-testid="listing-row" data-listing={row.tradeId.toString()} data-trust={trustRank(row)}>
      <td className="c-voucher">
        <a href={href("voucher", row.tokenId)} className="row-link">
          <VoucherTile brand={row.brand} faceValue={row.faceValue} small />
          <span className="row-name">
            <strong>{text.brand(row)}</strong>
            <span className="muted small block">
              {row.brand ? formatFaceValue(row.faceValue, row.brand.currency) : ""} · {text.category(row)}
            </span>
          </span>
        </a>
      </td>
      <td className="c-face num">
        {row.brand ? formatFaceValue(row.faceValue, row.brand.currency) : row.faceValue.toString()}
      </td>
      <td className="c-price num">
        <strong>{row.token ? formatMoney(row.price, row.token) : row.price.toString()}</strong>
        {approx && (
          <span className="block small muted" title={text.approxTitle}>
            {approx}
          </span>
        )}
      </td>
      <td className="c-discount num">
        {row.discount === undefined ? (
          <span className="muted">—</span>
        ) : (
          <span className={row.discount >= 0 ? "discount" : "premium"}>
            {discountLabel(row.discount, row.discountExact)}
          </span>
        )}
        {row.implausible && (
          <span className="block" title={text.implausibleTitle} data-testid="implausible">
            <Badge tone="danger">{text.implausible}</Badge>
          </span>
        )}
      </td>
      <td className="c-expiry">
        {formatDate(row.expiresAt)}
        <span className="block small muted">
          {text.daysLeft(days)} {row.nearExpiry && <Badge tone="warning">{text.nearExpiry}</Badge>}
        </span>
      </td>
      <td className="c-kind">
        {row.issuerBacked ? <Badge tone="success">{text.issuerBacked}</Badge> : <Badge tone="info">{text.coded}</Badge>}
        {row.attested && (
          <span title={text.verifiedTitle} data-testid="verified-badge">
            {" "}
            <Badge tone="success">{text.verified}</Badge>
          </span>
        )}
      </td>
      <td className="c-seller hide-sm">
        <span className="address" title={row.seller}>
          {shortAddress(row.seller)}
        </span>
        {row.sellerRecord && (
          <span className="seller-record small muted" title={text.recordTitle(row)} data-testid="seller-record">
            {text.record(row)}
          </span>
        )}
      </td>
      <td className="c-view">
        <a className="btn btn-small" href={href("voucher", row.tokenId)}>
          {text.view}
        </a>
      </td>
    </tr>
  );
});

/** Rows painted in the first frame; the rest follow in chunks. */
const FIRST_ROWS = 60;
const ROW_CHUNK = 240;

export function useProgressiveCount(total: number): number {
  const [shown, setShown] = useState(FIRST_ROWS);
  // Fewer rows (a filter) start over from the first screen; more rows (a listing page arrived) keep what is drawn.
  const [lastTotal, setLastTotal] = useState(total);
  if (total !== lastTotal) {
    setLastTotal(total);
    if (total < lastTotal) setShown(FIRST_ROWS);
  }
  useEffect(() => {
    if (shown >= total) return;
    const timer = setTimeout(() => startTransition(() => setShown((n) => n + ROW_CHUNK)), 0);
    return () => clearTimeout(timer);
  }, [shown, total]);
  return Math.min(shown, total);
}

export function ListingTable({ rows, shown, currency }: { rows: MarketRow[]; shown: number; currency: string }) {
  const { t } = useTranslation();
  const brandText = useBrandText();
  // One set of words per language: every memoized row keeps it while nothing changes. Brand names, categories and
  // "n days left" are worked out once per brand, category or day count, not once per row.
  const text = useMemo<RowText>(() => {
    const names = new Map<number, string>();
    const categories = new Map<string, string>();
    const days = new Map<number, string>();
    const cached = <K,>(cache: Map<K, string>, key: K, make: () => string) => {
      let value = cache.get(key);
      if (value === undefined) {
        value = make();
        cache.set(key, value);
      }
      return value;
    };
    return {
      brand: (row) => cached(names, row.brandId, () => brandText.name(row.brand, row.brandId)),
      category: (row) => cached(categories, row.brand?.category ?? "", () => brandText.category(row.brand?.category)),
      daysLeft: (n) => cached(days, n, () => t("market.daysLeft", { count: n })),
      nearExpiry: t("voucher.nearExpiry"),
      coded: t("voucher.kind.coded"),
      issuerBacked: t("voucher.kind.issuerBacked"),
      verified: t("voucher.verified"),
      verifiedTitle: t("voucher.verifiedHint"),
      implausible: t("market.implausible"),
      implausibleTitle: t("market.implausibleHint"),
      record: (row) => row.sellerRecord && t("seller.recordShort", sellerRecordValues(row.sellerRecord)),
      recordTitle: (row) => row.sellerRecord && t("seller.record", sellerRecordValues(row.sellerRecord)),
      view: t("market.view"),
      approxTitle: t("money.approxTitle"),
    };
    // brandText speaks through `t`: a new language is a new `t`.
  }, [t]);
  return (
    <div className="table-wrap">
      <table className="table listings">
        {/* Fixed column widths: the browser lays out 1,000 rows without measuring every cell first. */}
        <colgroup>
          <col className="col-voucher" />
          <col className="col-face" />
          <col className="col-price" />
          <col className="col-discount" />
          <col className="col-expiry" />
          <col className="col-kind" />
          <col className="col-seller hide-sm" />
          <col className="col-view" />
        </colgroup>
        <thead>
          <tr>
            <th>{t("market.column.voucher")}</th>
            <th className="num">{t("market.column.face")}</th>
            <th className="num">{t("market.column.price")}</th>
            <th className="num">{t("market.column.discount")}</th>
            <th>{t("market.column.expiry")}</th>
            <th>{t("market.column.kind")}</th>
            <th className="hide-sm">{t("market.column.seller")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, shown).map((row) => (
            <Row key={row.tradeId.toString()} row={row} text={text} currency={currency} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
