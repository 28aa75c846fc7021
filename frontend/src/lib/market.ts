/**
 * The market page's logic: listings joined with brands, tokens and reference rates; filters; sorting; per-brand
 * comparison; the discount history. Pure: no React, no browser APIs. Everything here is O(n) or O(n log n) in the
 * number of listings, so 1,000 listings filter and sort in a few milliseconds.
 */
import type { Address } from "viem";
import { DAY, type TokenInfo } from "./format.ts";
import { discountOf, type RefRates } from "./pricing.ts";

/** A voucher is "near expiry" from this many days before it expires. */
export const NEAR_EXPIRY_DAYS = 30;

export interface Brand {
  id: number;
  name: string;
  category: string;
  currency: string;
  issuer: Address;
  active: boolean;
}

/** One element of `activeListings(fromId, count)`. */
export interface Listing {
  listingId: bigint;
  tokenId: bigint;
  seller: Address;
  payToken: Address;
  price: bigint;
  brandId: number;
  faceValue: bigint;
  expiresAt: bigint;
  issuerBacked: boolean;
}

export interface MarketRow extends Listing {
  brand: Brand | undefined;
  token: TokenInfo | undefined;
  /** 0.08 = 8% below face value; undefined without a reference rate. */
  discount: number | undefined;
  secondsLeft: number;
  nearExpiry: boolean;
}

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
      discount,
      secondsLeft: Number(listing.expiresAt) - now,
      nearExpiry: isNearExpiry(listing.expiresAt, now),
    };
  });
}

export type ExpiryFilter = "any" | "near" | "90" | "180" | "long";
export type KindFilter = "all" | "coded" | "issuer";

export interface MarketFilters {
  brandId?: number;
  category?: string;
  /** Face value bounds in the card's own currency, major units (e.g. 100 = ¥100.00). */
  minFace?: number;
  maxFace?: number;
  /** Minimum discount as a ratio (0.05 = at least 5% below face value). */
  minDiscount?: number;
  expiry?: ExpiryFilter;
  kind?: KindFilter;
  payToken?: string;
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

/** Discounts are float ratios: 1 - 90/100 is 0.0999…, which must still pass a "10% or more" filter. */
const DISCOUNT_TOLERANCE = 1e-9;

export function filterRows(rows: readonly MarketRow[], filters: MarketFilters): MarketRow[] {
  const minFace = filters.minFace === undefined ? undefined : BigInt(Math.round(filters.minFace * 100));
  const maxFace = filters.maxFace === undefined ? undefined : BigInt(Math.round(filters.maxFace * 100));
  const payToken = filters.payToken === undefined ? undefined : tokenKey(filters.payToken);
  return rows.filter(
    (row) =>
      row.secondsLeft > 0 &&
      (filters.brandId === undefined || row.brandId === filters.brandId) &&
      (filters.category === undefined || row.brand?.category === filters.category) &&
      (minFace === undefined || row.faceValue >= minFace) &&
      (maxFace === undefined || row.faceValue <= maxFace) &&
      (filters.minDiscount === undefined ||
        (row.discount !== undefined && row.discount >= filters.minDiscount - DISCOUNT_TOLERANCE)) &&
      expiryMatches(filters.expiry ?? "any", row.secondsLeft) &&
      (filters.kind === undefined ||
        filters.kind === "all" ||
        (filters.kind === "issuer" ? row.issuerBacked : !row.issuerBacked)) &&
      (payToken === undefined || tokenKey(row.payToken) === payToken),
  );
}

export type SortKey = "discount" | "expiry" | "face" | "newest";

export const SORT_LABELS: Record<SortKey, string> = {
  discount: "Biggest discount",
  expiry: "Expiring soonest",
  face: "Highest face value",
  newest: "Newest",
};

/** Sorted copy; ties fall back to the listing id so the order is stable across refreshes. */
export function sortRows(rows: readonly MarketRow[], key: SortKey): MarketRow[] {
  const byId = (a: MarketRow, b: MarketRow) => (a.listingId < b.listingId ? -1 : a.listingId > b.listingId ? 1 : 0);
  const compare: Record<SortKey, (a: MarketRow, b: MarketRow) => number> = {
    discount: (a, b) => (b.discount ?? Number.NEGATIVE_INFINITY) - (a.discount ?? Number.NEGATIVE_INFINITY),
    expiry: (a, b) => a.secondsLeft - b.secondsLeft,
    face: (a, b) => (a.faceValue === b.faceValue ? 0 : a.faceValue < b.faceValue ? 1 : -1),
    newest: (a, b) => -byId(a, b),
  };
  return [...rows].sort((a, b) => compare[key](a, b) || byId(a, b));
}

/** A settled sale as the history shows it. */
export interface Sale {
  orderId: bigint;
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
  lastSale: (Sale & { discount: number | undefined }) | undefined;
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
  const byBrand = new Map<number, BrandComparison & { discountSum: number; discountCount: number }>();
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
      (sale.timestamp === e.lastSale.timestamp && sale.orderId > e.lastSale.orderId)
    ) {
      e.lastSale = { ...sale, discount: saleDiscount(sale, brand, tokens, rates) };
    }
  }
  return [...byBrand.values()]
    .map(({ discountSum, discountCount, ...comparison }) => ({
      ...comparison,
      averageDiscount: discountCount > 0 ? discountSum / discountCount : undefined,
    }))
    .sort((a, b) => b.listings - a.listings || a.brand.id - b.brand.id);
}

/** Discounts of a brand's active asks and sales: the samples a price suggestion averages. */
export function brandDiscounts(
  brandId: number,
  rows: readonly MarketRow[],
  sales: readonly Sale[],
  brands: ReadonlyMap<number, Brand>,
  tokens: ReadonlyMap<string, TokenInfo>,
  rates: RefRates,
): number[] {
  const brand = brands.get(brandId);
  if (!brand) return [];
  const asks = rows.filter((r) => r.brandId === brandId && r.discount !== undefined).map((r) => r.discount!);
  const sold = sales
    .filter((s) => s.brandId === brandId)
    .map((s) => saleDiscount(s, brand, tokens, rates))
    .filter((d): d is number => d !== undefined);
  return [...asks, ...sold];
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
