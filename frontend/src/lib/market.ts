/**
 * The market page's logic: listings joined with brands, tokens and reference rates; trust (verified cards, sellers'
 * records, discounts too good to be true); filters; sorting; per-brand comparison; the discount history; the filters
 * as a shareable query string. Pure: no React, no browser APIs.
 * Everything here is O(n) or O(n log n) in the number of listings, so 1,000 listings filter and sort in a few
 * milliseconds. Face values are only ever compared within one currency.
 */
import {
  IMPLAUSIBLE_DISCOUNT,
  IMPLAUSIBLE_MARGIN,
  TRACK_RECORD_SALES,
  type BrandStats,
  type IndexedBrand,
  type IndexedListing,
  type MarketPage,
  type MarketQuery,
  type PricePoint,
} from "#sdk/indexer";
import type { Address } from "viem";
import { DAY, type TokenInfo } from "./format.ts";
import { PEGS, rateOf } from "./money.ts";
import { discountOf, isExactDiscount, robustMedian, type RefRates } from "./pricing.ts";

/** A voucher is "near expiry" from this many days before it expires. */
export const NEAR_EXPIRY_DAYS = 30;

/** A brand as the market shows it: the indexer's fields, which the chain's brand reads fill the same way. */
export type Brand = IndexedBrand;

/** One element of `activeListings(fromId, count)`. */
export interface Listing {
  tradeId: bigint;
  tokenId: bigint;
  seller: Address;
  payToken: Address;
  price: bigint;
  brandId: number;
  faceValue: bigint;
  expiresAt: bigint;
  issuerBacked: boolean;
  /** The brand's issuer checked this self-declared card in its own records. */
  attested: boolean;
}

/** A seller's record as buyers see it (the SDK's `getReputations`). */
export interface SellerRecord {
  sales: bigint;
  disputesLost: bigint;
  /** Distinct vouchers it ever listed, and how many of them are verified by their issuer. */
  listed: number;
  verified: number;
}

/** A seller's record as the values of `seller.record`: sales, disputes lost, the share of verified cards ("—" with none). */
export function sellerRecordValues(record: SellerRecord): { sales: string; lost: string; verified: string } {
  return {
    sales: record.sales.toString(),
    lost: record.disputesLost.toString(),
    verified: record.listed === 0 ? "—" : `${Math.round((record.verified / record.listed) * 100)}%`,
  };
}

/**
 * The trust thresholds, shared with the indexer's `trust` sort (sdk/indexer.ts): a seller with TRACK_RECORD_SALES
 * completed sales and no lost dispute has a track record; an unverified card priced IMPLAUSIBLE_DISCOUNT below face
 * value, or IMPLAUSIBLE_MARGIN below its brand's usual sale discount (whichever is deeper), is flagged.
 */
export { IMPLAUSIBLE_DISCOUNT, IMPLAUSIBLE_MARGIN, TRACK_RECORD_SALES } from "#sdk/indexer";

export interface MarketRow extends Listing {
  brand: Brand | undefined;
  token: TokenInfo | undefined;
  /** The face value's currency (the brand's), undefined for an unknown brand. */
  currency: string | undefined;
  /** 0.08 = 8% below face value; undefined without a reference rate. */
  discount: number | undefined;
  /** The price is in a stablecoin of the card's own currency: the discount needs no reference rate. */
  discountExact: boolean;
  secondsLeft: number;
  nearExpiry: boolean;
  /** Issuer-backed (the brand issued it) or attested by the brand's issuer. */
  verified: boolean;
  /** The seller's record, once read. */
  sellerRecord: SellerRecord | undefined;
  /** An unverified coded card far cheaper than its brand usually sells for: flagged, and ranked last by "trust". */
  implausible: boolean;
}

/**
 * How much a buyer can trust a listing, as a rank (0 first): 0 verified card; 1 unverified card from a seller with a
 * track record (TRACK_RECORD_SALES sales, no dispute lost); 2 any other; 3 an implausible discount.
 */
export function trustRank(row: Pick<MarketRow, "verified" | "sellerRecord" | "implausible">): number {
  if (row.implausible) return 3;
  if (row.verified) return 0;
  const record = row.sellerRecord;
  return record && record.sales >= BigInt(TRACK_RECORD_SALES) && record.disputesLost === 0n ? 1 : 2;
}

/** Whether an unverified coded card's discount is too good to be true, against its brand's median sale discount. */
export function isImplausible(row: Pick<MarketRow, "verified" | "discount">, brandMedian: number | undefined): boolean {
  if (row.verified || row.discount === undefined) return false;
  const threshold = Math.max(IMPLAUSIBLE_DISCOUNT, (brandMedian ?? 0) + IMPLAUSIBLE_MARGIN);
  return row.discount >= threshold - DISCOUNT_TOLERANCE;
}

/**
 * Rows with their sellers' records and the implausible-discount flag (against each brand's median sale discount):
 * the trust columns, added on top of `toRows` once the records and the sales history are read.
 */
export function withTrust(
  rows: readonly MarketRow[],
  records: ReadonlyMap<string, SellerRecord> | undefined,
  brandMedians: ReadonlyMap<number, number>,
): MarketRow[] {
  return rows.map((row) => {
    const sellerRecord = records?.get(row.seller.toLowerCase());
    const implausible = isImplausible(row, brandMedians.get(row.brandId));
    return sellerRecord === row.sellerRecord && implausible === row.implausible
      ? row
      : { ...row, sellerRecord, implausible };
  });
}

/** Discounts are float ratios: 1 - 90/100 is 0.0999…, which must still pass a "10% or more" filter. */
const DISCOUNT_TOLERANCE = 1e-9;

export function isNearExpiry(expiresAt: bigint, now: number): boolean {
  const left = Number(expiresAt) - now;
  return left >= 0 && left <= NEAR_EXPIRY_DAYS * DAY;
}

export function tokenKey(address: string): string {
  return address.toLowerCase();
}

export function toRows(
  listings: readonly Listing[],
  brands: ReadonlyMap<number, Brand>,
  tokens: ReadonlyMap<string, TokenInfo>,
  rates: RefRates,
  now: number,
): MarketRow[] {
  return listings.map((listing) => {
    const brand = brands.get(listing.brandId);
    const token = tokens.get(tokenKey(listing.payToken));
    const discount =
      brand && token ? discountOf(listing.price, token, listing.faceValue, brand.currency, rates) : undefined;
    return {
      ...listing,
      brand,
      token,
      currency: brand?.currency,
      discount,
      discountExact: !!brand && !!token && isExactDiscount(token, brand.currency),
      secondsLeft: Number(listing.expiresAt) - now,
      nearExpiry: isNearExpiry(listing.expiresAt, now),
      verified: listing.issuerBacked || listing.attested,
      sellerRecord: undefined,
      implausible: false,
    };
  });
}

export type ExpiryFilter = "any" | "near" | "90" | "180" | "long";
export type KindFilter = "all" | "coded" | "issuer";

export interface MarketFilters {
  brandId?: number;
  category?: string;
  /**
   * Face value bounds in major units of `faceCurrency` (e.g. 100 = ¥100.00). With a currency, cards in any other
   * currency are left out (¥500 is not "more than 200" dollars); without one the bounds apply to every card in its own
   * currency.
   */
  minFace?: number;
  maxFace?: number;
  faceCurrency?: string;
  /** Minimum discount as a ratio (0.05 = at least 5% below face value). */
  minDiscount?: number;
  expiry?: ExpiryFilter;
  kind?: KindFilter;
  payToken?: string;
  /** Only verified cards: issuer-backed, or attested by the brand's issuer. */
  verified?: boolean;
}

function expiryMatches(filter: ExpiryFilter, secondsLeft: number): boolean {
  const days = secondsLeft / DAY;
  switch (filter) {
    case "any":
      return true;
    case "near":
      return days <= NEAR_EXPIRY_DAYS;
    case "90":
      return days <= 90;
    case "180":
      return days <= 180;
    case "long":
      return days > 180;
  }
}

export function filterRows(rows: readonly MarketRow[], filters: MarketFilters): MarketRow[] {
  const minFace = filters.minFace === undefined ? undefined : BigInt(Math.round(filters.minFace * 100));
  const maxFace = filters.maxFace === undefined ? undefined : BigInt(Math.round(filters.maxFace * 100));
  const payToken = filters.payToken === undefined ? undefined : tokenKey(filters.payToken);
  const faceCurrency = minFace === undefined && maxFace === undefined ? undefined : filters.faceCurrency;
  return rows.filter(
    (row) =>
      row.secondsLeft > 0 &&
      (filters.brandId === undefined || row.brandId === filters.brandId) &&
      (filters.category === undefined || row.brand?.category === filters.category) &&
      (faceCurrency === undefined || row.currency === faceCurrency) &&
      (minFace === undefined || row.faceValue >= minFace) &&
      (maxFace === undefined || row.faceValue <= maxFace) &&
      (filters.minDiscount === undefined ||
        (row.discount !== undefined && row.discount >= filters.minDiscount - DISCOUNT_TOLERANCE)) &&
      expiryMatches(filters.expiry ?? "any", row.secondsLeft) &&
      (filters.kind === undefined ||
        filters.kind === "all" ||
        (filters.kind === "issuer" ? row.issuerBacked : !row.issuerBacked)) &&
      (payToken === undefined || tokenKey(row.payToken) === payToken) &&
      (!filters.verified || row.verified),
  );
}

export const SORT_KEYS = ["trust", "discount", "expiry", "face", "newest"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/**
 * Sorted copy; ties fall back to the listing id so the order is stable across refreshes. "trust" (the default) ranks
 * by `trustRank` first and discount second: a verified card at 5% off comes before an unverified one at 8%, and a
 * too-good-to-be-true discount comes last. "face" sorts within each
 * currency (highest first), the currencies in `currencyOrder` first (the reader's own), then the others by code: a
 * ¥500 card never ranks against a $200 one.
 */
export function sortRows(rows: readonly MarketRow[], key: SortKey, currencyOrder: readonly string[] = []): MarketRow[] {
  const byId = (a: MarketRow, b: MarketRow) => (a.tradeId < b.tradeId ? -1 : a.tradeId > b.tradeId ? 1 : 0);
  const rank = (currency: string | undefined) => {
    const i = currency === undefined ? -1 : currencyOrder.indexOf(currency);
    return i === -1 ? currencyOrder.length : i;
  };
  const byCurrency = (a: MarketRow, b: MarketRow) =>
    rank(a.currency) - rank(b.currency) || (a.currency ?? "~").localeCompare(b.currency ?? "~");
  const compare: Record<SortKey, (a: MarketRow, b: MarketRow) => number> = {
    trust: (a, b) => trustRank(a) - trustRank(b) || compare.discount(a, b),
    discount: (a, b) => (b.discount ?? Number.NEGATIVE_INFINITY) - (a.discount ?? Number.NEGATIVE_INFINITY),
    expiry: (a, b) => a.secondsLeft - b.secondsLeft,
    face: (a, b) => byCurrency(a, b) || (a.faceValue === b.faceValue ? 0 : a.faceValue < b.faceValue ? 1 : -1),
    newest: (a, b) => -byId(a, b),
  };
  return [...rows].sort((a, b) => compare[key](a, b) || byId(a, b));
}

const EXPIRY_FILTERS: readonly ExpiryFilter[] = ["any", "near", "90", "180", "long"];
const KIND_FILTERS: readonly KindFilter[] = ["all", "coded", "issuer"];

/** What the market shows: its filters and its sort, as the page's address keeps them. */
export interface MarketView {
  filters: MarketFilters;
  sort: SortKey;
}

export const DEFAULT_SORT: SortKey = "trust";

const numberParam = (text: string | null) => {
  if (text === null || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
};

/**
 * The market's filters and sort from a query string (`brand=1&fmin=100&fcur=CNY&sort=face`), so a filtered view can be
 * shared as a link. Unknown or malformed values are ignored. The minimum discount travels as a percentage.
 */
export function viewFromQuery(params: URLSearchParams): MarketView {
  const brand = numberParam(params.get("brand"));
  const discount = numberParam(params.get("disc"));
  const expiry = params.get("exp") as ExpiryFilter | null;
  const kind = params.get("kind") as KindFilter | null;
  const sort = params.get("sort") as SortKey | null;
  const currency = params.get("fcur")?.trim().toUpperCase();
  return {
    filters: {
      brandId: brand !== undefined && Number.isInteger(brand) ? brand : undefined,
      category: params.get("cat") || undefined,
      minFace: numberParam(params.get("fmin")),
      maxFace: numberParam(params.get("fmax")),
      faceCurrency: currency && /^[A-Z]{3}$/.test(currency) ? currency : undefined,
      minDiscount: discount === undefined ? undefined : discount / 100,
      expiry: expiry && EXPIRY_FILTERS.includes(expiry) ? expiry : undefined,
      kind: kind && KIND_FILTERS.includes(kind) ? kind : undefined,
      payToken: params.get("pay") || undefined,
      ...(params.get("ver") === "1" ? { verified: true } : {}),
    },
    sort: sort && (SORT_KEYS as readonly string[]).includes(sort) ? sort : DEFAULT_SORT,
  };
}

/** The query string of a market view, defaults left out (an unfiltered market is just "#/market"). */
export function viewToQuery({ filters, sort }: MarketView): URLSearchParams {
  const params = new URLSearchParams();
  const put = (key: string, value: string | number | undefined) => {
    if (value !== undefined && value !== "") params.set(key, String(value));
  };
  put("brand", filters.brandId);
  put("cat", filters.category);
  put("fmin", filters.minFace);
  put("fmax", filters.maxFace);
  if (filters.minFace !== undefined || filters.maxFace !== undefined) put("fcur", filters.faceCurrency);
  put("disc", filters.minDiscount === undefined ? undefined : Math.round(filters.minDiscount * 10_000) / 100);
  if (filters.expiry !== "any") put("exp", filters.expiry);
  if (filters.kind !== "all") put("kind", filters.kind);
  put("pay", filters.payToken);
  if (filters.verified) put("ver", 1);
  if (sort !== DEFAULT_SORT) put("sort", sort);
  return params;
}

/** A settled sale as the history shows it. */
export interface Sale {
  tradeId: bigint;
  tokenId: bigint;
  brandId: number;
  faceValue: bigint;
  payToken: Address;
  price: bigint;
  /** Block timestamp of the settlement. */
  timestamp: number;
}

export interface BrandComparison {
  brand: Brand;
  listings: number;
  /** The active listing with the deepest discount. */
  bestAsk: MarketRow | undefined;
  averageDiscount: number | undefined;
  /** Every listing averaged is priced in a stablecoin of the brand's currency: no reference rate in the average. */
  averageExact: boolean;
  lastSale: (Sale & { discount: number | undefined; discountExact: boolean }) | undefined;
}

function saleDiscount(sale: Sale, brand: Brand, tokens: ReadonlyMap<string, TokenInfo>, rates: RefRates) {
  const token = tokens.get(tokenKey(sale.payToken));
  return token ? discountOf(sale.price, token, sale.faceValue, brand.currency, rates) : undefined;
}

/** One row per brand that has listings or sales, brands with the most listings first. */
export function compareBrands(
  rows: readonly MarketRow[],
  sales: readonly Sale[],
  brands: ReadonlyMap<number, Brand>,
  tokens: ReadonlyMap<string, TokenInfo>,
  rates: RefRates,
): BrandComparison[] {
  const byBrand = new Map<
    number,
    Omit<BrandComparison, "averageExact"> & { discountSum: number; discountCount: number; approximate: number }
  >();
  const entry = (brand: Brand) => {
    let found = byBrand.get(brand.id);
    if (!found) {
      found = {
        brand,
        listings: 0,
        bestAsk: undefined,
        averageDiscount: undefined,
        lastSale: undefined,
        discountSum: 0,
        discountCount: 0,
        approximate: 0,
      };
      byBrand.set(brand.id, found);
    }
    return found;
  };
  for (const row of rows) {
    if (!row.brand || row.secondsLeft <= 0) continue;
    const e = entry(row.brand);
    e.listings += 1;
    if (row.discount !== undefined) {
      e.discountSum += row.discount;
      e.discountCount += 1;
      if (!row.discountExact) e.approximate += 1;
      if (e.bestAsk?.discount === undefined || row.discount > e.bestAsk.discount) e.bestAsk = row;
    } else if (!e.bestAsk) {
      e.bestAsk = row;
    }
  }
  for (const sale of sales) {
    const brand = brands.get(sale.brandId);
    if (!brand) continue;
    const e = entry(brand);
    if (
      !e.lastSale ||
      sale.timestamp > e.lastSale.timestamp ||
      (sale.timestamp === e.lastSale.timestamp && sale.tradeId > e.lastSale.tradeId)
    ) {
      const token = tokens.get(tokenKey(sale.payToken));
      e.lastSale = {
        ...sale,
        discount: saleDiscount(sale, brand, tokens, rates),
        discountExact: !!token && isExactDiscount(token, brand.currency),
      };
    }
  }
  return [...byBrand.values()]
    .map(({ discountSum, discountCount, approximate, ...comparison }) => ({
      ...comparison,
      averageDiscount: discountCount > 0 ? discountSum / discountCount : undefined,
      averageExact: discountCount > 0 && approximate === 0,
    }))
    .sort((a, b) => b.listings - a.listings || a.brand.id - b.brand.id);
}

/** Discounts of a brand's completed sales: the samples a price suggestion takes the median of. */
export function brandSaleDiscounts(
  brandId: number,
  sales: readonly Sale[],
  brands: ReadonlyMap<number, Brand>,
  tokens: ReadonlyMap<string, TokenInfo>,
  rates: RefRates,
): number[] {
  const brand = brands.get(brandId);
  if (!brand) return [];
  return sales
    .filter((s) => s.brandId === brandId)
    .map((s) => saleDiscount(s, brand, tokens, rates))
    .filter((d): d is number => d !== undefined);
}

/** Each brand's median sale discount, outliers out (`robustMedian`): what a listing's discount is judged against. */
export function brandMedianDiscounts(
  sales: readonly Sale[],
  brands: ReadonlyMap<number, Brand>,
  tokens: ReadonlyMap<string, TokenInfo>,
  rates: RefRates,
): Map<number, number> {
  const medians = new Map<number, number>();
  for (const brandId of new Set(sales.map((s) => s.brandId))) {
    const median = robustMedian(brandSaleDiscounts(brandId, sales, brands, tokens, rates)).median;
    if (median !== undefined) medians.set(brandId, median);
  }
  return medians;
}

export interface DiscountPoint {
  /** UTC day start, unix seconds. */
  day: number;
  averageDiscount: number;
  sales: number;
}

/** Average sale discount per UTC day (optionally for one brand), oldest first: the discount-over-time chart. */
export function discountHistory(
  sales: readonly Sale[],
  brands: ReadonlyMap<number, Brand>,
  tokens: ReadonlyMap<string, TokenInfo>,
  rates: RefRates,
  brandId?: number,
): DiscountPoint[] {
  const days = new Map<number, { sum: number; count: number }>();
  for (const sale of sales) {
    if (brandId !== undefined && sale.brandId !== brandId) continue;
    const brand = brands.get(sale.brandId);
    const discount = brand ? saleDiscount(sale, brand, tokens, rates) : undefined;
    if (discount === undefined) continue;
    const day = sale.timestamp - (sale.timestamp % DAY);
    const bucket = days.get(day) ?? { sum: 0, count: 0 };
    bucket.sum += discount;
    bucket.count += 1;
    days.set(day, bucket);
  }
  return [...days.entries()]
    .sort(([a], [b]) => a - b)
    .map(([day, { sum, count }]) => ({ day, averageDiscount: sum / count, sales: count }));
}

/**
 * Reference rates as the indexer takes them: the app's rates plus each pegged stablecoin under its own symbol (kCNY at
 * the yuan's rate), so the indexer's discounts, filters and sorts agree with `discountOf` here.
 */
export function indexerRates(rates: RefRates): RefRates {
  const out: Record<string, number> = { ...rates };
  for (const symbol of Object.keys(PEGS)) {
    const rate = rateOf(symbol, rates);
    if (rate !== undefined) out[symbol] = rate;
  }
  return out;
}

/** The indexer's query for a market view: the same filters and sort `filterRows` and `sortRows` apply. */
export function indexerQuery(
  { filters, sort }: MarketView,
  currencyOrder: readonly string[],
  rates: RefRates,
): MarketQuery {
  const bounded = filters.minFace !== undefined || filters.maxFace !== undefined;
  const expiry = filters.expiry ?? "any";
  return {
    brandId: filters.brandId,
    category: filters.category,
    currency: bounded ? filters.faceCurrency : undefined,
    minFace: filters.minFace === undefined ? undefined : BigInt(Math.round(filters.minFace * 100)),
    maxFace: filters.maxFace === undefined ? undefined : BigInt(Math.round(filters.maxFace * 100)),
    minDiscount: filters.minDiscount,
    maxDaysLeft: expiry === "near" ? NEAR_EXPIRY_DAYS : expiry === "90" ? 90 : expiry === "180" ? 180 : undefined,
    minDaysLeft: expiry === "long" ? 180 : undefined,
    kind: filters.kind === undefined || filters.kind === "all" ? undefined : filters.kind,
    payToken: filters.payToken as Address | undefined,
    verified: filters.verified || undefined,
    sort,
    currencyOrder: sort === "face" ? currencyOrder : undefined,
    rates: indexerRates(rates),
  };
}

/**
 * Whether the indexer's query for `view` depends on the brands read from the chain: the face sort (the currencies on
 * the market, the reader's first) and face-value bounds in a brand's or the market's first currency. Other views ask
 * the same before the brands are read as after, so their rows need not wait for them.
 */
export function needsBrands({ filters, sort }: MarketView): boolean {
  const bounded = filters.minFace !== undefined || filters.maxFace !== undefined;
  return sort === "face" || (bounded && (filters.brandId !== undefined || filters.faceCurrency === undefined));
}

/**
 * The brands and payment tokens an indexer page names, under those read from the chain (which win, once read): the
 * first rows are drawn from the indexer's answer alone, without waiting for the chain reads.
 */
export function withIndexedReference(
  pages: readonly Pick<MarketPage, "rows" | "brands">[],
  brands: ReadonlyMap<number, Brand>,
  tokens: ReadonlyMap<string, TokenInfo>,
): { brands: ReadonlyMap<number, Brand>; tokens: ReadonlyMap<string, TokenInfo> } {
  const indexedBrands = pages.flatMap((page) => page.brands).map((brand) => [brand.id, brand] as const);
  const indexedTokens = pages
    .flatMap((page) => page.rows)
    .map(({ payToken, tokenSymbol, tokenDecimals }) => {
      const token: TokenInfo = { address: payToken, symbol: tokenSymbol, decimals: tokenDecimals };
      return [tokenKey(payToken), token] as const;
    });
  return {
    brands: indexedBrands.length === 0 ? brands : new Map([...indexedBrands, ...brands]),
    tokens: indexedTokens.length === 0 ? tokens : new Map([...indexedTokens, ...tokens]),
  };
}

/**
 * The indexer's listings as market rows: the same row `toRows` makes from a chain listing (discount, days left, badges
 * worked out here, with the app's rates), plus the seller's record and the implausible-discount flag the indexer
 * judged against each brand's sales.
 */
export function rowsFromIndex(
  listings: readonly IndexedListing[],
  brands: ReadonlyMap<number, Brand>,
  tokens: ReadonlyMap<string, TokenInfo>,
  rates: RefRates,
  now: number,
): MarketRow[] {
  return listings.map((listing) => {
    const [row] = toRows([listing], brands, tokens, rates, now);
    const record = listing.sellerReputation;
    return {
      ...row,
      sellerRecord: {
        sales: BigInt(record.sales),
        disputesLost: BigInt(record.disputesLost),
        listed: record.listed,
        verified: record.verified,
      },
      implausible: listing.implausible,
    };
  });
}

/** The indexer's brand statistics as the comparison table's rows (brands with listings or sales, most listed first). */
export function comparisonFromIndex(
  stats: readonly BrandStats[],
  brands: ReadonlyMap<number, Brand>,
  tokens: ReadonlyMap<string, TokenInfo>,
  rates: RefRates,
  now: number,
): BrandComparison[] {
  return stats
    .filter((s) => (s.listings > 0 || s.sales > 0) && brands.has(s.brandId))
    .map((s) => {
      const brand = brands.get(s.brandId)!;
      const sale = s.lastSale;
      const saleToken = sale ? tokens.get(tokenKey(sale.payToken)) : undefined;
      return {
        brand,
        listings: s.listings,
        bestAsk: s.bestAsk ? rowsFromIndex([s.bestAsk], brands, tokens, rates, now)[0] : undefined,
        averageDiscount: s.averageDiscount ?? undefined,
        // Averaged by the indexer over every listing, some maybe at a reference rate: shown as approximate.
        averageExact: false,
        lastSale: sale
          ? {
              tradeId: sale.tradeId,
              tokenId: sale.tokenId,
              brandId: sale.brandId,
              faceValue: sale.faceValue,
              payToken: sale.payToken,
              price: sale.price,
              timestamp: sale.timestamp,
              discount: saleDiscount(sale, brand, tokens, rates),
              discountExact: !!saleToken && isExactDiscount(saleToken, brand.currency),
            }
          : undefined,
      };
    })
    .sort((a, b) => b.listings - a.listings || a.brand.id - b.brand.id);
}

/** The indexer's sales per day as the discount chart's points (days without a rated sale left out). */
export function historyFromIndex(points: readonly PricePoint[]): DiscountPoint[] {
  return points
    .filter((p) => p.averageDiscount !== null)
    .map((p) => ({ day: p.day, averageDiscount: p.averageDiscount!, sales: p.sales }));
}
