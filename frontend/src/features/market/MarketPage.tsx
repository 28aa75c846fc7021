/**
 * Market: the active listings (filters and sort kept in the address), then the per-brand comparison and the
 * discount chart. On a phone the first listings show above the fold; the comparison follows them.
 */
import { useDeferredValue, useEffect, useMemo } from "react";
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
import { useRoute, useSetQuery } from "../../hooks/useRoute.ts";
import { useBrandText, useErrorText, useLanguage } from "../../i18n/hooks.ts";
import {
  brandMedianDiscounts,
  compareBrands,
  discountHistory,
  filterRows,
  sortRows,
  toRows,
  viewFromQuery,
  viewToQuery,
  withTrust,
  type Listing,
  type MarketFilters as Filters,
  type MarketRow,
  type SortKey,
} from "../../lib/market.ts";
import { BrandComparison } from "./BrandComparison.tsx";
import { ListingTable, useProgressiveCount } from "./ListingTable.tsx";
import { MarketFilters } from "./MarketFilters.tsx";
import "./market.css";

export function MarketPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const brandText = useBrandText();
  const { currency } = useLanguage();
  const listings = useListings();
  const brands = useBrands();
  const tokens = usePayTokens();
  // The sales history (brand comparison, chart) scans every log; it waits until the listings are in, so that the
  // node answers the listing pages first.
  const sales = useSales(listings.isSuccess && !listings.isFetching);
  const clock = useChainClock();
  const now = clock.now;
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
  // Trust: each seller's record and each brand's median sale discount (an unverified card far below it is flagged).
  const sellers = useSellerRecords((listings.data ?? []).map((listing) => listing.seller));
  const medians = useMemo(
    () => brandMedianDiscounts(sales.data ?? [], brands.byId, tokens.byAddress, REF_RATES),
    [sales.data, brands.byId, tokens.byAddress],
  );
  const trusted = useMemo(() => withTrust(rows, sellers.data, medians), [rows, sellers.data, medians]);
  const deferred = useDeferredValue(JSON.stringify({ filters, sort: view.sort }));
  const visible = useMemo(() => {
    const { filters: f, sort } = JSON.parse(deferred) as { filters: Filters; sort: SortKey };
    return sortRows(filterRows(trusted, f), sort, currencies);
  }, [trusted, deferred, currencies]);
  const comparison = useMemo(
    () => compareBrands(rows, sales.data ?? [], brands.byId, tokens.byAddress, REF_RATES),
    [rows, sales.data, brands.byId, tokens.byAddress],
  );
  const history = useMemo(
    () => discountHistory(sales.data ?? [], brands.byId, tokens.byAddress, REF_RATES, filters.brandId),
    [sales.data, brands.byId, tokens.byAddress, filters.brandId],
  );
  const shown = useProgressiveCount(visible.length);

  // One render with everything: a table drawn before chain time or tokens arrive would be redrawn row by row.
  const ready = !!listings.data && !!brands.data && !!tokens.data && clock.loaded;
  useEffect(() => {
    if (ready && shown >= visible.length) performance.mark("kaquan:market-rendered");
  }, [ready, shown, visible.length]);

  return (
    <div className="page market-page">
      <PageHeader title={t("market.title")}>{t("market.lead")}</PageHeader>

      <section className="card listings-card">
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
        {listings.error ? (
          <ErrorBox>{t("market.loadFailed", { error: errorText(listings.error) })}</ErrorBox>
        ) : !ready ? (
          <Spinner label={t("market.loading")} />
        ) : (
          <>
            <p className="muted small" data-testid="listing-count">
              {visible.length === rows.length
                ? t("market.count", { count: rows.length })
                : t("market.countFiltered", { count: visible.length, total: rows.length })}
            </p>
            {visible.length === 0 ? (
              <Empty title={t("market.empty.title")}>{t("market.empty.body")}</Empty>
            ) : (
              <ListingTable rows={visible} shown={shown} currency={currency} />
            )}
          </>
        )}
      </section>

      {comparison.length > 0 && (
        <BrandComparison
          comparison={comparison}
          history={history}
          now={now}
          onPick={(brandId) => update({ brandId })}
          chartTitle={
            chosenBrand
              ? t("market.chart.titleBrand", { brand: brandText.name(chosenBrand) })
              : t("market.chart.titleAll")
          }
        />
      )}
    </div>
  );
}
