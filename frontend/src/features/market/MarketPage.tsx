/**
 * Market: the active listings (filters and sort kept in the address), then the per-brand comparison and the
 * discount chart. On a phone the first listings show above the fold; the comparison follows them.
 *
 * Two sources, one page. Through the indexer (hooks/useIndexer.ts) the indexer filters, sorts (trust included) and
 * pages the listings, and serves the brand statistics and sales history: the page costs what it shows, whatever the
 * market's history. When the indexer does not answer, the page says so and reads the chain instead (every trade id,
 * filtered and sorted here, as before the indexer); it returns to the indexer once it answers again. Either way the
 * chain stays the source of truth: every write simulates on chain first.
 */
import { useDeferredValue, useEffect, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Empty, ErrorBox, PageHeader, Spinner } from "../../components/ui.tsx";
import { REF_RATES } from "../../config.ts";
import {
  useBrands,
  useChainClock,
  useListings,
  usePayTokens,
  useSales,
  useSellerRecords,
} from "../../hooks/queries.ts";
import {
  MARKET_PAGE,
  useIndexedBrands,
  useIndexedHistory,
  useIndexedMarket,
  useIndexedTotal,
  useIndexerSync,
} from "../../hooks/useIndexer.ts";
import { useRoute, useSetQuery } from "../../hooks/useRoute.ts";
import { useBrandText, useErrorText, useLanguage } from "../../i18n/hooks.ts";
import {
  brandMedianDiscounts,
  compareBrands,
  comparisonFromIndex,
  discountHistory,
  filterRows,
  historyFromIndex,
  indexerQuery,
  indexerRates,
  needsBrands,
  rowsFromIndex,
  sortRows,
  toRows,
  viewFromQuery,
  viewToQuery,
  withIndexedReference,
  withTrust,
  type Brand,
  type BrandComparison as Comparison,
  type DiscountPoint,
  type Listing,
  type MarketFilters as Filters,
  type MarketRow,
  type MarketView,
  type SortKey,
} from "../../lib/market.ts";
import type { TokenInfo } from "../../lib/format.ts";
import { BrandComparison } from "./BrandComparison.tsx";
import { ListingTable, useProgressiveCount } from "./ListingTable.tsx";
import { MarketFilters } from "./MarketFilters.tsx";
import "./market.css";

/** What both sources need: the view, the reference data read from the chain, and how to draw the common parts. */
interface SourceProps {
  view: MarketView;
  currencies: string[];
  brandsById: ReadonlyMap<number, Brand>;
  tokensByAddress: ReadonlyMap<string, TokenInfo>;
  /** Brands and tokens are read from the chain. */
  reference: boolean;
  chosenBrand: Brand | undefined;
  filtersBar: ReactNode;
  onPick: (brandId: number) => void;
}

export function MarketPage() {
  const { t } = useTranslation();
  const { currency } = useLanguage();
  const brands = useBrands();
  const tokens = usePayTokens();
  const route = useRoute();
  const setQuery = useSetQuery();
  const queryText = route.query.toString();
  const view = useMemo(() => viewFromQuery(new URLSearchParams(queryText)), [queryText]);

  // The face-value currencies on the market, the reader's own first.
  const currencies = useMemo(() => {
    const all = [...new Set(brands.brands.map((b) => b.currency))].sort();
    return all.includes(currency) ? [currency, ...all.filter((c) => c !== currency)] : all;
  }, [brands.brands, currency]);
  const chosenBrand = view.filters.brandId !== undefined ? brands.byId.get(view.filters.brandId) : undefined;
  const faceCurrency = chosenBrand?.currency ?? view.filters.faceCurrency ?? currencies[0] ?? currency;
  const filters: Filters = { ...view.filters, faceCurrency };

  const update = (patch: Partial<Filters>, sort: SortKey = view.sort) =>
    setQuery(viewToQuery({ filters: { ...view.filters, ...patch }, sort }));

  // The indexer unless it is unreachable, or failed a read since its last sign of life.
  const sync = useIndexerSync();
  const [failedAt, setFailedAt] = useState<number>();
  const viaIndexer = !sync.unreachable && (failedAt === undefined || sync.updatedAt > failedAt);

  const props: SourceProps = {
    view: { filters, sort: view.sort },
    currencies,
    brandsById: brands.byId,
    tokensByAddress: tokens.byAddress,
    reference: !!brands.data && !!tokens.data,
    chosenBrand,
    onPick: (brandId) => update({ brandId }),
    filtersBar: (
      <MarketFilters
        filters={filters}
        sort={view.sort}
        brands={brands.brands}
        tokens={tokens.tokens}
        currencies={currencies}
        faceCurrency={faceCurrency}
        onChange={update}
        onReset={() => setQuery(new URLSearchParams())}
      />
    ),
  };

  return (
    <div className="page market-page">
      <PageHeader title={t("market.title")}>{t("market.lead")}</PageHeader>
      {viaIndexer ? (
        <IndexedMarket
          {...props}
          behind={sync.lagging ? sync.behind : undefined}
          brandsNeeded={needsBrands(view)}
          onFail={() => setFailedAt(Date.now())}
        />
      ) : (
        <ChainMarket {...props} />
      )}
    </div>
  );
}

/** The listings card: filters, a note, the count, the table (or why there is none), and what follows it. */
function ListingsCard({
  filtersBar,
  note,
  error,
  ready,
  count,
  rows,
  more,
  viewKey,
  busy,
}: {
  filtersBar: ReactNode;
  note?: ReactNode;
  error: unknown;
  ready: boolean;
  count: { shown: number; total: number };
  rows: MarketRow[];
  more?: ReactNode;
  /** The view the rows are for (its query string) and whether rows for it are still on their way. */
  viewKey: string;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { currency } = useLanguage();
  const shown = useProgressiveCount(rows.length);
  const drawn = ready && !error && rows.length > 0;
  useEffect(() => {
    if (drawn && performance.getEntriesByName("kaquan:market-rows").length === 0)
      performance.mark("kaquan:market-rows");
  }, [drawn]);
  useEffect(() => {
    if (ready && shown >= rows.length) performance.mark("kaquan:market-rendered");
  }, [ready, shown, rows.length]);
  return (
    <section className="card listings-card">
      {filtersBar}
      {note}
      {error ? (
        <ErrorBox>{t("market.loadFailed", { error: errorText(error) })}</ErrorBox>
      ) : !ready ? (
        <Spinner label={t("market.loading")} />
      ) : (
        <>
          <p className="muted small" data-testid="listing-count" data-view={viewKey} aria-busy={busy}>
            {count.shown === count.total
              ? t("market.count", { count: count.total })
              : t("market.countFiltered", { count: count.shown, total: count.total })}
          </p>
          {rows.length === 0 ? (
            <Empty title={t("market.empty.title")}>{t("market.empty.body")}</Empty>
          ) : (
            <ListingTable rows={rows} shown={shown} currency={currency} />
          )}
          {more}
        </>
      )}
    </section>
  );
}

function Comparison({
  comparison,
  history,
  chosenBrand,
  now,
  onPick,
  viaIndexer = false,
}: {
  comparison: Comparison[];
  history: DiscountPoint[];
  chosenBrand: Brand | undefined;
  now: number;
  onPick: (brandId: number) => void;
  viaIndexer?: boolean;
}) {
  const { t } = useTranslation();
  const brandText = useBrandText();
  if (comparison.length === 0) return null;
  return (
    <BrandComparison
      comparison={comparison}
      history={history}
      now={now}
      onPick={onPick}
      viaIndexer={viaIndexer}
      chartTitle={
        chosenBrand ? t("market.chart.titleBrand", { brand: brandText.name(chosenBrand) }) : t("market.chart.titleAll")
      }
    />
  );
}

const hasFilters = (filters: Filters) =>
  Object.entries(filters).some(
    ([key, value]) =>
      key !== "faceCurrency" && value !== undefined && value !== "any" && value !== "all" && value !== false,
  );

/** The market through the indexer: one page of rows per request, sorted and filtered there. */
function IndexedMarket({
  view,
  currencies,
  brandsById,
  tokensByAddress,
  reference,
  chosenBrand,
  filtersBar,
  onPick,
  behind,
  brandsNeeded,
  onFail,
}: SourceProps & {
  behind: number | undefined;
  /** The view's query changes once the chain's brands are read (`needsBrands`): its rows wait for them. */
  brandsNeeded: boolean;
  onFail: () => void;
}) {
  const { t } = useTranslation();
  const clock = useChainClock();
  const rates = useMemo(() => indexerRates(REF_RATES), []);
  const query = useMemo(() => indexerQuery(view, currencies, REF_RATES), [view, currencies]);
  const market = useIndexedMarket(query, true);
  const filtered = hasFilters(view.filters);
  const total = useIndexedTotal(rates, filtered);
  const stats = useIndexedBrands(rates, market.isSuccess);
  const history = useIndexedHistory(view.filters.brandId, rates, market.isSuccess);
  // The listings decide: without them the chain takes over. Statistics that fail just stay out of the page.
  // A failure still in the cache while a retry is under way (back from the fallback) is not a new one.
  const failed = (market.isError && !market.isFetching) || (total.isError && !total.isFetching);
  useEffect(() => {
    if (failed) onFail();
  }, [failed]);

  const pages = market.data?.pages;
  // Chain time once read (it may run ahead of the indexed block), else the time the indexer judged the page at.
  const now = clock.loaded ? clock.now : (pages?.[0]?.now ?? clock.now);
  const nowHour = now - (now % 3600);
  // Until the chain's brands and tokens are read, the rows are drawn with those the indexer's answer names.
  const known = useMemo(
    () => withIndexedReference(pages ?? [], brandsById, tokensByAddress),
    [pages, brandsById, tokensByAddress],
  );
  const rows = useMemo(
    () => rowsFromIndex(pages?.flatMap((page) => page.rows) ?? [], known.brands, known.tokens, REF_RATES, nowHour),
    [pages, known, nowHour],
  );
  const comparison = useMemo(
    () => comparisonFromIndex(stats.data ?? [], known.brands, known.tokens, REF_RATES, nowHour),
    [stats.data, known, nowHour],
  );
  const matching = pages?.[0]?.total ?? 0;
  const left = matching - rows.length;
  return (
    <>
      <ListingsCard
        filtersBar={filtersBar}
        note={
          behind !== undefined && (
            <p className="alert alert-warning small" role="status" data-testid="indexer-lag">
              {t("market.source.behind", { count: behind })}
            </p>
          )
        }
        error={undefined}
        ready={!!pages && (reference || !brandsNeeded)}
        count={{ shown: matching, total: filtered ? (total.data ?? matching) : matching }}
        rows={rows}
        viewKey={viewToQuery(view).toString()}
        busy={market.isPlaceholderData || (filtered && total.isPending)}
        more={
          left > 0 && (
            <p className="more-listings">
              <button
                type="button"
                className="btn"
                disabled={market.isFetchingNextPage}
                onClick={() => void market.fetchNextPage()}
                data-testid="more-listings"
              >
                {t("market.more", { count: Math.min(left, MARKET_PAGE) })}
              </button>
            </p>
          )
        }
      />
      <Comparison
        comparison={comparison}
        history={historyFromIndex(history.data ?? [])}
        chosenBrand={chosenBrand}
        now={now}
        onPick={onPick}
        viaIndexer
      />
    </>
  );
}

/** The market read from the chain: every active listing, filtered, sorted and judged here. */
function ChainMarket({
  view,
  currencies,
  brandsById,
  tokensByAddress,
  reference,
  chosenBrand,
  filtersBar,
  onPick,
}: SourceProps) {
  const { t } = useTranslation();
  const listings = useListings();
  // The sales history (brand comparison, chart) scans every log; it waits until the listings are in, so that the
  // node answers the listing pages first.
  const sales = useSales(listings.isSuccess && !listings.isFetching);
  const clock = useChainClock();
  const now = clock.now;
  // Chain time moves every few seconds; days-left and near-expiry only need it to the hour (and every change redraws
  // every row).
  const nowHour = now - (now % 3600);
  // One row object per listing object while brands, tokens and the hour stay the same (a new cache when they change):
  // when a listing page arrives, the rows already drawn keep their identity and their memoized <Row> is not redrawn.
  const rowCache = useMemo(() => new WeakMap<Listing, MarketRow>(), [brandsById, tokensByAddress, nowHour]);
  const rows = useMemo(
    () =>
      (listings.data ?? []).map((listing) => {
        let row = rowCache.get(listing);
        if (!row) {
          [row] = toRows([listing], brandsById, tokensByAddress, REF_RATES, nowHour);
          rowCache.set(listing, row);
        }
        return row;
      }),
    [listings.data, rowCache, brandsById, tokensByAddress, nowHour],
  );
  // Trust: each seller's record and each brand's median sale discount (an unverified card far below it is flagged).
  const sellers = useSellerRecords((listings.data ?? []).map((listing) => listing.seller));
  const medians = useMemo(
    () => brandMedianDiscounts(sales.data ?? [], brandsById, tokensByAddress, REF_RATES),
    [sales.data, brandsById, tokensByAddress],
  );
  const trusted = useMemo(() => withTrust(rows, sellers.data, medians), [rows, sellers.data, medians]);
  const deferred = useDeferredValue(JSON.stringify(view));
  const visible = useMemo(() => {
    const { filters, sort } = JSON.parse(deferred) as MarketView;
    return sortRows(filterRows(trusted, filters), sort, currencies);
  }, [trusted, deferred, currencies]);
  const comparison = useMemo(
    () => compareBrands(rows, sales.data ?? [], brandsById, tokensByAddress, REF_RATES),
    [rows, sales.data, brandsById, tokensByAddress],
  );
  const history = useMemo(
    () => discountHistory(sales.data ?? [], brandsById, tokensByAddress, REF_RATES, view.filters.brandId),
    [sales.data, brandsById, tokensByAddress, view.filters.brandId],
  );
  return (
    <>
      <ListingsCard
        filtersBar={filtersBar}
        note={
          <p className="alert alert-info small" role="status" data-testid="market-source">
            {t("market.source.chain")}
          </p>
        }
        error={listings.error}
        // One render with everything: a table drawn before chain time or tokens arrive would be redrawn row by row.
        ready={!!listings.data && reference && clock.loaded}
        count={{ shown: visible.length, total: rows.length }}
        rows={visible}
        viewKey={viewToQuery(view).toString()}
        busy={deferred !== JSON.stringify(view)}
      />
      <Comparison comparison={comparison} history={history} chosenBrand={chosenBrand} now={now} onPick={onPick} />
    </>
  );
}
