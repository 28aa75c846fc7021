import { memo, startTransition, useDeferredValue, useEffect, useMemo, useState } from "react";
import { AddressText, Badge, Empty, ErrorBox, PageHeader, Spinner } from "../components/ui.tsx";
import { DiscountChart } from "../components/DiscountChart.tsx";
import { VoucherTile } from "../components/VoucherTile.tsx";
import { REF_RATES } from "../config.ts";
import { useBrands, useChainClock, useListings, usePayTokens, useSales } from "../hooks/queries.ts";
import { href } from "../hooks/useRoute.ts";
import { describeError } from "../lib/errors.ts";
import { formatDate, formatDuration, formatFaceValue, formatPercent, formatToken } from "../lib/format.ts";
import {
  compareBrands,
  discountHistory,
  filterRows,
  SORT_LABELS,
  sortRows,
  toRows,
  type ExpiryFilter,
  type KindFilter,
  type Listing,
  type MarketFilters,
  type MarketRow,
  type SortKey,
} from "../lib/market.ts";

const numberOrUndefined = (text: string) => {
  const value = Number(text);
  return text.trim() === "" || !Number.isFinite(value) ? undefined : value;
};

function Discount({ value }: { value: number | undefined }) {
  if (value === undefined) return <span className="muted">—</span>;
  return (
    <span className={value >= 0 ? "discount" : "premium"}>
      {value >= 0 ? `−${formatPercent(value)}` : `+${formatPercent(-value)}`}
    </span>
  );
}

const Row = memo(function Row({ row }: { row: MarketRow }) {
  const days = Math.max(0, Math.floor(row.secondsLeft / 86_400));
  return (
    <tr data-testid="listing-row" data-listing={row.listingId.toString()}>
      <td className="c-voucher">
        <a href={href("voucher", row.tokenId)} className="row-link">
          <VoucherTile brand={row.brand} faceValue={row.faceValue} small />
          <span>
            <strong>{row.brand?.name ?? `Brand #${row.brandId}`}</strong>
            <span className="muted small block">{row.brand?.category}</span>
          </span>
        </a>
      </td>
      <td className="c-face num">
        {row.brand ? formatFaceValue(row.faceValue, row.brand.currency) : row.faceValue.toString()}
      </td>
      <td className="c-price num strong">{row.token ? formatToken(row.price, row.token) : row.price.toString()}</td>
      <td className="c-discount num">
        <Discount value={row.discount} />
      </td>
      <td className="c-expiry">
        {formatDate(row.expiresAt)}
        <span className="block small muted">
          {days} day{days === 1 ? "" : "s"} left {row.nearExpiry && <Badge tone="warning">Near expiry</Badge>}
        </span>
      </td>
      <td className="c-kind">
        {row.issuerBacked ? <Badge tone="success">Issuer-backed</Badge> : <Badge tone="info">Coded</Badge>}
      </td>
      <td className="c-seller hide-sm">
        <AddressText address={row.seller} />
      </td>
      <td className="c-view">
        <a className="btn btn-small" href={href("voucher", row.tokenId)}>
          View
        </a>
      </td>
    </tr>
  );
});

/** Rows painted in the first frame; the rest follow in chunks, so 1,000 listings never block the page. */
const FIRST_ROWS = 60;
const ROW_CHUNK = 240;

function useProgressiveCount(total: number): number {
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

export function MarketPage() {
  const listings = useListings();
  const brands = useBrands();
  const tokens = usePayTokens();
  // The sales history (brand comparison, chart) scans every log; it waits until the listings are in, so that the
  // node answers the listing pages first.
  const sales = useSales(listings.isSuccess && !listings.isFetching);
  const clock = useChainClock();
  const now = clock.now;

  const [brandId, setBrandId] = useState("");
  const [category, setCategory] = useState("");
  const [minFace, setMinFace] = useState("");
  const [maxFace, setMaxFace] = useState("");
  const [minDiscount, setMinDiscount] = useState("");
  const [expiry, setExpiry] = useState<ExpiryFilter>("any");
  const [kind, setKind] = useState<KindFilter>("all");
  const [payToken, setPayToken] = useState("");
  const [sort, setSort] = useState<SortKey>("discount");

  // Chain time moves every few seconds; days-left and near-expiry only need it to the hour (and every change redraws
  // every row).
  const nowHour = now - (now % 3600);
  // One row object per listing object while brands, tokens and the hour stay the same (a new cache when they change):
  // when a listing page arrives, the rows already drawn keep their identity and their memoized <Row> is not redrawn.
  const rowCache = useMemo(() => new WeakMap<Listing, MarketRow>(), [brands.byId, tokens.byAddress, nowHour]);
  const rows = useMemo(
    () =>
      (listings.data ?? []).map((listing) => {
        let row = rowCache.get(listing);
        if (!row) {
          [row] = toRows([listing], brands.byId, tokens.byAddress, REF_RATES, nowHour);
          rowCache.set(listing, row);
        }
        return row;
      }),
    [listings.data, rowCache, brands.byId, tokens.byAddress, nowHour],
  );
  const filters: MarketFilters = {
    brandId: brandId ? Number(brandId) : undefined,
    category: category || undefined,
    minFace: numberOrUndefined(minFace),
    maxFace: numberOrUndefined(maxFace),
    minDiscount: numberOrUndefined(minDiscount) === undefined ? undefined : Number(minDiscount) / 100,
    expiry,
    kind,
    payToken: payToken || undefined,
  };
  const deferredFilters = useDeferredValue(JSON.stringify(filters));
  const visible = useMemo(
    () => sortRows(filterRows(rows, JSON.parse(deferredFilters) as MarketFilters), sort),
    [rows, deferredFilters, sort],
  );
  const comparison = useMemo(
    () => compareBrands(rows, sales.data ?? [], brands.byId, tokens.byAddress, REF_RATES),
    [rows, sales.data, brands.byId, tokens.byAddress],
  );
  const history = useMemo(
    () => discountHistory(sales.data ?? [], brands.byId, tokens.byAddress, REF_RATES, filters.brandId),
    [sales.data, brands.byId, tokens.byAddress, filters.brandId],
  );
  const shown = useProgressiveCount(visible.length);
  const categories = useMemo(() => [...new Set(brands.brands.map((b) => b.category))].sort(), [brands.brands]);

  // One render with everything: a table drawn before chain time or tokens arrive would be redrawn row by row.
  const ready = !!listings.data && !!brands.data && !!tokens.data && clock.loaded;
  useEffect(() => {
    if (ready && shown >= visible.length) performance.mark("kaquan:market-rendered");
  }, [ready, shown, visible.length]);

  const reset = () => {
    setBrandId("");
    setCategory("");
    setMinFace("");
    setMaxFace("");
    setMinDiscount("");
    setExpiry("any");
    setKind("all");
    setPayToken("");
  };

  return (
    <div className="page">
      <PageHeader title="Market">
        Gift cards, e-cards and coupons below face value. Your payment waits in escrow until the code checks out.
      </PageHeader>

      {comparison.length > 0 && (
        <section className="card">
          <div className="section-head">
            <h2>Compare brands</h2>
            <span className="muted small">
              Discounts use reference rates (
              {Object.entries(REF_RATES)
                .filter(([k]) => k === "ETH" || k === "CNY")
                .map(([k, v]) => `${k} ≈ $${v}`)
                .join(", ")}
              ).
            </span>
          </div>
          <div className="compare">
            <div className="table-wrap">
              <table className="table compact" data-testid="brand-comparison">
                <thead>
                  <tr>
                    <th>Brand</th>
                    <th className="num">Listings</th>
                    <th className="num">Best ask</th>
                    <th className="num">Avg. discount</th>
                    <th className="num">Last sale</th>
                  </tr>
                </thead>
                <tbody>
                  {comparison.map((c) => (
                    <tr key={c.brand.id}>
                      <td>
                        <button type="button" className="link" onClick={() => setBrandId(String(c.brand.id))}>
                          {c.brand.name}
                        </button>
                        <span className="muted small block">{c.brand.category}</span>
                      </td>
                      <td className="num">{c.listings}</td>
                      <td className="num">
                        {c.bestAsk ? (
                          <a href={href("voucher", c.bestAsk.tokenId)}>
                            {c.bestAsk.token ? formatToken(c.bestAsk.price, c.bestAsk.token) : "—"}{" "}
                            <Discount value={c.bestAsk.discount} />
                          </a>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td className="num">
                        <Discount value={c.averageDiscount} />
                      </td>
                      <td className="num">
                        {c.lastSale ? (
                          <>
                            <Discount value={c.lastSale.discount} />
                            <span className="block small muted">
                              {formatDuration(Math.max(0, now - c.lastSale.timestamp))} ago
                            </span>
                          </>
                        ) : (
                          <span className="muted">no sales yet</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <DiscountChart
              points={history}
              title={
                filters.brandId
                  ? `${brands.byId.get(filters.brandId)?.name ?? "Brand"}: discount over time`
                  : "Discount over time, all brands"
              }
            />
          </div>
        </section>
      )}

      <section className="card">
        <div className="filters" data-testid="filters">
          <label>
            Brand
            <select value={brandId} onChange={(e) => setBrandId(e.target.value)} aria-label="Brand">
              <option value="">All brands</option>
              {brands.brands.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Category
            <select value={category} onChange={(e) => setCategory(e.target.value)} aria-label="Category">
              <option value="">All categories</option>
              {categories.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <label>
            Face value
            <span className="range">
              <input
                inputMode="decimal"
                placeholder="min"
                value={minFace}
                onChange={(e) => setMinFace(e.target.value)}
                aria-label="Minimum face value"
              />
              <input
                inputMode="decimal"
                placeholder="max"
                value={maxFace}
                onChange={(e) => setMaxFace(e.target.value)}
                aria-label="Maximum face value"
              />
            </span>
          </label>
          <label>
            Min. discount %
            <input
              inputMode="decimal"
              placeholder="e.g. 5"
              value={minDiscount}
              onChange={(e) => setMinDiscount(e.target.value)}
              aria-label="Minimum discount"
            />
          </label>
          <label>
            Expiry
            <select value={expiry} onChange={(e) => setExpiry(e.target.value as ExpiryFilter)} aria-label="Expiry">
              <option value="any">Any</option>
              <option value="near">Within 30 days</option>
              <option value="90">Within 90 days</option>
              <option value="180">Within 180 days</option>
              <option value="long">More than 180 days</option>
            </select>
          </label>
          <label>
            Kind
            <select value={kind} onChange={(e) => setKind(e.target.value as KindFilter)} aria-label="Kind">
              <option value="all">All</option>
              <option value="coded">Coded</option>
              <option value="issuer">Issuer-backed</option>
            </select>
          </label>
          <label>
            Pay with
            <select value={payToken} onChange={(e) => setPayToken(e.target.value)} aria-label="Payment token">
              <option value="">Any token</option>
              {tokens.tokens.map((t) => (
                <option key={t.address} value={t.address}>
                  {t.symbol}
                </option>
              ))}
            </select>
          </label>
          <label>
            Sort
            <select value={sort} onChange={(e) => setSort(e.target.value as SortKey)} aria-label="Sort">
              {(Object.keys(SORT_LABELS) as SortKey[]).map((key) => (
                <option key={key} value={key}>
                  {SORT_LABELS[key]}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn btn-ghost btn-small" onClick={reset}>
            Reset
          </button>
        </div>

        {listings.error ? (
          <ErrorBox>Could not load listings: {describeError(listings.error)}</ErrorBox>
        ) : !ready ? (
          <Spinner label="Loading listings…" />
        ) : (
          <>
            <p className="muted small" data-testid="listing-count">
              {visible.length === rows.length
                ? `${rows.length} active listing${rows.length === 1 ? "" : "s"}`
                : `${visible.length} of ${rows.length} listings match`}
            </p>
            {visible.length === 0 ? (
              <Empty title="No listings match">Try fewer filters, or list a voucher of your own.</Empty>
            ) : (
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
                      <th>Voucher</th>
                      <th className="num">Face value</th>
                      <th className="num">Price</th>
                      <th className="num">Discount</th>
                      <th>Expires</th>
                      <th>Kind</th>
                      <th className="hide-sm">Seller</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {visible.slice(0, shown).map((row) => (
                      <Row key={row.listingId.toString()} row={row} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </section>
    </div>
  );
}
