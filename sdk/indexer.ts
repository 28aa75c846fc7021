/**
 * A typed client for the Kaquan indexer (indexer/, a Ponder project): the market paged, filtered and sorted, brand
 * statistics and price history, a voucher's provenance, a wallet's orders and earnings, recyclers' standing offers and
 * the cards sold into them, and how far the indexer is behind the chain. Framework-free (`fetch` only). The chain stays the source of truth: read here, simulate every write
 * on chain (the actions in actions.ts do). The wire format is JSON with bigints as decimal strings; this module turns
 * them back into bigints, so callers see the same types as the chain reads in reads.ts.
 */
import type { Address, Hex } from "viem";
import type { Offer, OfferSale } from "./offers.ts";

/**
 * Market sort keys. `face` sorts by currency first (`currencyOrder`, then by code), then face value: values in
 * different currencies are never compared. `trust` ranks verified cards first, then unverified ones from sellers with a
 * track record (TRACK_RECORD_SALES sales, no dispute lost), then the rest, and implausible discounts last (see
 * `IndexedListing.implausible`); deepest discount first within a rank.
 */
export type MarketSort = "trust" | "discount" | "expiry" | "face" | "price" | "newest";

/** A seller with at least this many completed sales and no lost dispute has a track record (the `trust` sort). */
export const TRACK_RECORD_SALES = 3;
/**
 * An unverified card priced this far below face value, or this far below its brand's median sale discount (outliers
 * out, whichever is deeper), is implausible: the classic sign of a used or invented code.
 */
export const IMPLAUSIBLE_DISCOUNT = 0.25;
export const IMPLAUSIBLE_MARGIN = 0.15;

/** US dollars per unit of a currency (ISO code) or payment token (symbol): what discounts are computed with. */
export type RefRates = Readonly<Record<string, number>>;

export interface MarketQuery {
  brandId?: number;
  category?: string;
  /** ISO-4217 code; needed (or `brandId`) to filter by face value. */
  currency?: string;
  /** Face value bounds in minor units of `currency` (or of the brand's currency). */
  minFace?: bigint;
  maxFace?: bigint;
  /** Minimum discount as a ratio (0.05 = at least 5% below face value); needs `rates`. */
  minDiscount?: number;
  /** Only vouchers expiring within this many days (e.g. 30: near expiry). */
  maxDaysLeft?: number;
  /** Only vouchers with at least this many days left. */
  minDaysLeft?: number;
  kind?: "coded" | "issuer";
  payToken?: Address;
  /** Trust: only issuer-backed or issuer-attested vouchers. */
  verified?: boolean;
  /** Trust: sellers with at least this many completed sales. */
  minSellerSales?: number;
  /** Trust: sellers that never lost a dispute. */
  cleanSellers?: boolean;
  sort?: MarketSort;
  /** Currencies the `face` sort puts first, in this order (the reader's own); the others follow by code. */
  currencyOrder?: readonly string[];
  /** Default: descending for discount, face and newest; ascending for expiry and price (trust: best first). */
  order?: "asc" | "desc";
  offset?: number;
  /** Rows per page, at most MAX_MARKET_PAGE. */
  limit?: number;
  /** Chain time (unix seconds) that decides what has expired; default: the latest indexed block's timestamp. */
  now?: number;
  rates?: RefRates;
}

export const MAX_MARKET_PAGE = 200;

export interface Reputation {
  sales: number;
  purchases: number;
  disputesLost: number;
}

/** A seller's record as buyers see it: reputation plus how many distinct vouchers it listed and how many are verified. */
export interface SellerRecord extends Reputation {
  listed: number;
  verified: number;
}

export interface IndexedListing {
  tradeId: bigint;
  tokenId: bigint;
  seller: Address;
  payToken: Address;
  tokenSymbol: string;
  tokenDecimals: number;
  price: bigint;
  brandId: number;
  category: string;
  currency: string;
  faceValue: bigint;
  expiresAt: bigint;
  issuerBacked: boolean;
  attested: boolean;
  listedAt: number;
  /** 0.08 = 8% below face value, from `rates`; null without a rate for the token or the currency. */
  discount: number | null;
  /** Unverified, and its discount is at least max(IMPLAUSIBLE_DISCOUNT, brand median + IMPLAUSIBLE_MARGIN). */
  implausible: boolean;
  sellerReputation: SellerRecord;
}

/** A brand as the indexer holds it (from its registration and updates). */
export interface IndexedBrand {
  id: number;
  name: string;
  category: string;
  currency: string;
  issuer: Address;
  active: boolean;
}

export interface MarketPage {
  rows: IndexedListing[];
  /** The brands of these rows, so a page can be drawn from this answer alone (names, currencies). */
  brands: IndexedBrand[];
  /** Listings matching the filters (all pages). */
  total: number;
  /** The chain time the page was judged at. */
  now: number;
  indexedBlock: number;
}

export interface BrandStats {
  brandId: number;
  name: string;
  category: string;
  currency: string;
  active: boolean;
  listings: number;
  /** The active listing with the deepest discount (needs rates), else the newest. */
  bestAsk: IndexedListing | null;
  averageDiscount: number | null;
  /** Median discount of its completed sales, outliers (Tukey's fences) out; null without rated sales. */
  medianDiscount: number | null;
  sales: number;
  lastSale: IndexedSale | null;
  /** All-time sales volume per payment token (lower-case address → base units). */
  volume: Record<string, bigint>;
  /** Offers still buying the brand's cards now. */
  openOffers: number;
  /** The best of them for any face value (the contract's `openOffers(brandId, 0, …)` order), or null. */
  bestOffer: IndexedOffer | null;
}

/**
 * A recycler's standing offer: the contract's `offer(id)` view (addresses in lower case) plus its history in numbers.
 * Sales move `budget` and `cardsLeft` as on chain; `funded − spent − refunded = budget`.
 */
export interface IndexedOffer extends Offer {
  tokenSymbol: string;
  tokenDecimals: number;
  maxCards: number;
  cardsSold: number;
  /** Sales into it (a batch is one). */
  sales: number;
  /** The payment token's minimum price when it was posted: no card sells below it. */
  minPrice: bigint;
  funded: bigint;
  spent: bigint;
  refunded: bigint;
  postedAt: number;
  closedAt: number | null;
}

/** A card sold into an offer (`SoldToOffer`) and where its trade stands: the chain's `OfferSale` and more. */
export interface IndexedOfferSale extends OfferSale, SoldCard {
  recycler: Address;
}

/** Open offers: of one brand (else every brand's, by brand), for a face value (else any), at chain time `now`. */
export interface OfferQuery {
  brandId?: number;
  /** Minor units of the brand's currency; needs `brandId`. */
  faceValue?: bigint;
  /** Chain time (unix seconds) that decides what has expired; default: the latest indexed block's timestamp. */
  now?: number;
}

/** A recycler's offers (newest first) and the cards sold into them (newest first). */
export interface RecyclerOffers {
  recycler: Address;
  offers: IndexedOffer[];
  incoming: IndexedOfferSale[];
}

/** The card a sale moved and the token it was paid in. */
export interface SoldCard {
  brandId: number;
  currency: string;
  faceValue: bigint;
  payToken: Address;
  tokenSymbol: string;
  tokenDecimals: number;
}

export interface IndexedSale extends SoldCard {
  tradeId: bigint;
  tokenId: bigint;
  price: bigint;
  timestamp: number;
  discount: number | null;
}

/** One day of a brand's sales: the discount-over-time chart. */
export interface PricePoint {
  /** Start of the day (unix seconds, UTC). */
  day: number;
  sales: number;
  averageDiscount: number | null;
  minDiscount: number | null;
  maxDiscount: number | null;
}

export interface IndexedEvent {
  event: string;
  tradeId: bigint | null;
  /** The event's arguments with the contract's names; amounts as bigints. Trade events carry `payToken`. */
  args: Record<string, unknown>;
  blockNumber: bigint;
  logIndex: number;
  timestamp: number;
  transactionHash: Hex;
}

export interface IndexedVoucher {
  tokenId: bigint;
  brandId: number;
  faceValue: bigint;
  expiresAt: bigint;
  issuerBacked: boolean;
  codeHash: Hex | null;
  owner: Address;
  creator: Address;
  createdAt: number;
  redeemedAt: number | null;
  attested: boolean;
  disclosed: boolean;
  lastTradeId: bigint | null;
}

export interface Provenance {
  voucher: IndexedVoucher | null;
  events: IndexedEvent[];
}

export interface IndexedOrder {
  tradeId: bigint;
  tokenId: bigint;
  seller: Address;
  buyer: Address | null;
  referrer: Address | null;
  payToken: Address;
  tokenSymbol: string;
  tokenDecimals: number;
  price: bigint;
  status: number;
  brandId: number;
  currency: string;
  faceValue: bigint;
  expiresAt: bigint;
  issuerBacked: boolean;
  feeBps: number | null;
  buyerKey: Hex | null;
  delivery: Hex | null;
  /** The buyer's order key sealed to the arbiter (only the arbiter opens it). */
  sealedEvidence: Hex | null;
  listedAt: number;
  purchasedAt: number | null;
  deliveredAt: number | null;
  disputedAt: number | null;
  closedAt: number | null;
  /** Every state the trade went through, oldest first. */
  history: { event: string; status: number; timestamp: number; transactionHash: Hex }[];
}

export interface WalletActivity {
  account: Address;
  reputation: Reputation;
  buying: IndexedOrder[];
  selling: IndexedOrder[];
  /** Vouchers it holds now (not in escrow), newest first. */
  vouchers: IndexedVoucher[];
  distributor: { upline: Address; depth: number; joinedAt: number; referredOrders: number } | null;
  downline: Address[];
  /** Referral earnings per token, all time (lower-case address → base units). */
  earnings: Record<string, bigint>;
  /** Claimable credits and what was claimed, per token. */
  credits: Record<string, { balance: bigint; claimed: bigint }>;
  /** Cards it sold into recyclers' offers, newest first (also in `selling`, as orders). */
  offerSales: IndexedOfferSale[];
}

export interface SyncStatus {
  chainId: number;
  indexedBlock: number;
  indexedTimestamp: number;
  /** The chain's head as the indexer's RPC sees it. */
  headBlock: number;
  /** headBlock - indexedBlock: what "N blocks behind" shows. */
  behind: number;
}

/** Fields the wire carries as decimal strings. */
const BIGINT_FIELDS = new Set([
  "tradeId",
  "tokenId",
  "price",
  "faceValue",
  "expiresAt",
  "blockNumber",
  "lastTradeId",
  "balance",
  "claimed",
  "amount",
  "offerId",
  "unitPrice",
  "budget",
  "minPrice",
  "funded",
  "spent",
  "refunded",
]);
const BIGINT_MAPS = new Set(["volume", "earnings"]);

/** Parses the indexer's JSON, turning the bigint fields (and the values of volume/earnings maps) back into bigints. */
export function parseIndexerJson<T>(text: string): T {
  return JSON.parse(text, function (this: Record<string, unknown>, key, value) {
    if (typeof value === "string" && BIGINT_FIELDS.has(key) && /^-?\d+$/.test(value)) return BigInt(value);
    if (BIGINT_MAPS.has(key) && value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, BigInt(v as string)]));
    }
    return value;
  }) as T;
}

/** JSON with bigints as decimal strings: the indexer's wire format. */
export function stringifyIndexerJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
}

/** "ETH:3000,CNY:0.14" ⇄ rates (the query parameter). */
export function encodeRates(rates: RefRates): string {
  return Object.entries(rates)
    .map(([key, rate]) => `${key}:${rate}`)
    .join(",");
}

/** A query string (without "?") from defined values; rates as `encodeRates`. */
export function queryString(query: object): string {
  return Object.entries(query)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text =
        key === "rates" ? encodeRates(value as RefRates) : Array.isArray(value) ? value.join(",") : String(value);
      return `${encodeURIComponent(key)}=${encodeURIComponent(text)}`;
    })
    .join("&");
}

/** The part of `fetch` the client uses (the SDK is typed without DOM or Node types). */
export type IndexerFetch = (
  url: string,
  init?: { signal?: unknown },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

interface FetchGlobals {
  fetch: IndexerFetch;
  AbortSignal: { timeout(ms: number): unknown };
}

export class IndexerError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "IndexerError";
  }
}

export interface IndexerClientOptions {
  /** Milliseconds before a request counts as failed (default 5000): the app then falls back to chain reads. */
  timeoutMs?: number;
  fetch?: IndexerFetch;
}

/** The indexer's reads, each one HTTP GET. Throws IndexerError when the indexer is unreachable or answers an error. */
export interface IndexerClient {
  readonly url: string;
  market(query?: MarketQuery): Promise<MarketPage>;
  brands(rates?: RefRates): Promise<BrandStats[]>;
  /** Sales per day of one brand, or of every brand (`brandId` undefined). */
  priceHistory(brandId: number | undefined, rates?: RefRates, days?: number): Promise<PricePoint[]>;
  provenance(tokenId: bigint): Promise<Provenance>;
  order(tradeId: bigint): Promise<IndexedOrder | null>;
  wallet(account: Address): Promise<WalletActivity>;
  /** Open offers best first, as the contract's `openOffers` ranks them (every brand's: by brand, then best first). */
  offers(query?: OfferQuery): Promise<IndexedOffer[]>;
  offer(offerId: bigint): Promise<IndexedOffer | null>;
  recyclerOffers(recycler: Address): Promise<RecyclerOffers>;
  sync(): Promise<SyncStatus>;
}

export function createIndexerClient(url: string, options: IndexerClientOptions = {}): IndexerClient {
  const base = url.replace(/\/+$/, "");
  const globals = globalThis as unknown as FetchGlobals;
  const get = async <T>(path: string, query: object = {}): Promise<T> => {
    const search = queryString(query);
    const target = `${base}${path}${search ? `?${search}` : ""}`;
    let response: Awaited<ReturnType<IndexerFetch>>;
    try {
      const signal = globals.AbortSignal.timeout(options.timeoutMs ?? 5000);
      response = await (options.fetch ?? globals.fetch)(target, { signal });
    } catch (error) {
      throw new IndexerError(`Indexer unreachable at ${base}: ${(error as Error).message}`, undefined);
    }
    const text = await response.text();
    if (!response.ok)
      throw new IndexerError(`Indexer ${path}: ${response.status} ${text.slice(0, 200)}`, response.status);
    return parseIndexerJson<T>(text);
  };
  return {
    url: base,
    market: (query = {}) => get("/market", query),
    brands: (rates) => get("/brands", { rates }),
    priceHistory: (brandId, rates, days) =>
      get(brandId === undefined ? "/history" : `/brands/${brandId}/history`, { rates, days }),
    provenance: (tokenId) => get(`/vouchers/${tokenId}/provenance`),
    order: (tradeId) => get(`/orders/${tradeId}`),
    wallet: (account) => get(`/accounts/${account.toLowerCase()}`),
    offers: (query = {}) => get("/offers", query),
    offer: (offerId) => get(`/offers/${offerId}`),
    recyclerOffers: (recycler) => get(`/recyclers/${recycler.toLowerCase()}/offers`),
    sync: () => get("/sync"),
  };
}
