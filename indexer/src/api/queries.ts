/**
 * The reads the app needs, as typed functions of the indexer's database: each is one or two SQL queries over the
 * tables of ponder.schema.ts, with indexes on what they filter by, so they cost what the answer holds, not what
 * history holds. Amounts stay bigints (the HTTP layer writes them as decimal strings); shapes are the SDK's
 * (sdk/indexer.ts), so the client and the server cannot drift apart.
 */
import {
  and,
  asc,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNull,
  lte,
  ne,
  or,
  sql,
  type AnyPgColumn,
  type ReadonlyDrizzle,
} from "ponder";
import schema from "ponder:schema";
import type { Address } from "viem";
import { bestOfferByBrand, encodeRates, rankOpenOffers, Status } from "#sdk";
import {
  IMPLAUSIBLE_DISCOUNT,
  IMPLAUSIBLE_MARGIN,
  MAX_MARKET_PAGE,
  TRACK_RECORD_SALES,
  type BrandStats,
  type IndexedListing,
  type IndexedOffer,
  type IndexedOfferSale,
  type IndexedOrder,
  type IndexedSale,
  type IndexedVoucher,
  type MarketPage,
  type MarketQuery,
  type OfferQuery,
  type PricePoint,
  type Provenance,
  type RecyclerOffers,
  type RefRates,
  type Reputation,
  type SellerRecord,
  type WalletActivity,
} from "#sdk";

const {
  brand,
  trade,
  sale,
  reputation,
  voucher,
  voucherEvent,
  tradeEvent,
  distributor,
  earning,
  credit,
  offer,
  offerSale,
} = schema;
export type Db = ReadonlyDrizzle<typeof schema>;

const DAY = 86_400;
type SQL<T = unknown> = ReturnType<typeof sql<T>>;

export class BadQuery extends Error {}

/** A CASE over `column` mapping each rated key to its rate; NULL for keys without one. */
function rateOf(column: AnyPgColumn, rates: RefRates): SQL {
  const entries = Object.entries(rates).filter(([, rate]) => Number.isFinite(rate) && rate > 0);
  if (entries.length === 0) return sql`NULL::double precision`;
  return sql`(CASE ${column} ${sql.join(
    entries.map(([key, rate]) => sql`WHEN ${key} THEN ${rate}::double precision`),
    sql` `,
  )} ELSE NULL END)`;
}

/**
 * 1 − (price in dollars) / (face value in dollars): the discount of a price against a face value (minor units, two
 * decimals), like the app's lib/pricing.ts `discountOf`. NULL when the token or the currency has no rate.
 */
function discountSql(
  table: Record<"price" | "tokenDecimals" | "tokenSymbol" | "faceValue" | "currency", AnyPgColumn>,
  rates: RefRates,
): SQL<number | null> {
  return sql<number | null>`(1 - (${table.price}::double precision / power(10, ${table.tokenDecimals}) * ${rateOf(
    table.tokenSymbol,
    rates,
  )}) / NULLIF(${table.faceValue}::double precision / 100 * ${rateOf(table.currency, rates)}, 0))`;
}

const NO_REPUTATION: Reputation = { sales: 0, purchases: 0, disputesLost: 0 };
const NO_RECORD: SellerRecord = { ...NO_REPUTATION, listed: 0, verified: 0 };

/**
 * Each brand's median sale discount with outliers out, as the app's `robustMedian` computes it: from four sales on,
 * those outside Tukey's fences (1.5 × the interquartile range beyond the quartiles) are dropped first. Two aggregate
 * queries over the sales, whatever the number of listings.
 */
export async function brandMedians(db: Db, rates: RefRates): Promise<Map<number, number>> {
  const discount = discountSql(sale, rates);
  const rated = sql`${discount} IS NOT NULL`;
  const quartiles = await db
    .select({
      brandId: sale.brandId,
      n: sql<number>`count(*)::int`,
      q1: sql<number>`percentile_cont(0.25) WITHIN GROUP (ORDER BY ${discount})`,
      q3: sql<number>`percentile_cont(0.75) WITHIN GROUP (ORDER BY ${discount})`,
    })
    .from(sale)
    .where(rated)
    .groupBy(sale.brandId);
  if (quartiles.length === 0) return new Map();
  const kept = quartiles.map(({ brandId, n, q1, q3 }) => {
    if (n < 4) return eq(sale.brandId, brandId);
    const fence = 1.5 * (Number(q3) - Number(q1));
    return sql`(${sale.brandId} = ${brandId} AND ${discount} BETWEEN ${Number(q1) - fence - 1e-12} AND ${Number(q3) + fence + 1e-12})`;
  });
  const medians = await db
    .select({ brandId: sale.brandId, median: sql<number>`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${discount})` })
    .from(sale)
    .where(and(rated, or(...kept)))
    .groupBy(sale.brandId);
  return new Map(medians.map((row) => [row.brandId, Number(row.median)]));
}

/** The discount from which an unverified card of each brand is implausible: max(25%, brand median + 15%). */
function implausibleFrom(medians: ReadonlyMap<number, number>): SQL {
  if (medians.size === 0) return sql`${IMPLAUSIBLE_DISCOUNT}::double precision`;
  return sql`(CASE ${trade.brandId} ${sql.join(
    [...medians].map(
      ([brandId, median]) =>
        sql`WHEN ${brandId} THEN ${Math.max(IMPLAUSIBLE_DISCOUNT, median + IMPLAUSIBLE_MARGIN)}::double precision`,
    ),
    sql` `,
  )} ELSE ${IMPLAUSIBLE_DISCOUNT}::double precision END)`;
}

/**
 * Listings per seller and how many of those vouchers are attested: the rest of a seller's record. Cards sold into
 * offers were never listed and do not count (as on chain, where `getReputations` reads `Listed`).
 */
async function sellerListings(db: Db, sellers: Address[]): Promise<Map<string, { listed: number; verified: number }>> {
  if (sellers.length === 0) return new Map();
  const rows = await db
    .select({
      seller: trade.seller,
      listed: sql<number>`count(DISTINCT ${trade.tokenId})::int`,
      verified: sql<number>`(count(DISTINCT ${trade.tokenId}) FILTER (WHERE ${voucher.attested}))::int`,
    })
    .from(trade)
    .innerJoin(voucher, eq(voucher.tokenId, trade.tokenId))
    .where(and(inArray(trade.seller, sellers), isNull(trade.offerId)))
    .groupBy(trade.seller);
  return new Map(rows.map((row) => [row.seller, { listed: row.listed, verified: row.verified }]));
}

/**
 * What only a new block can change, computed once per indexed block rather than once per request: every filter and sort
 * of the market needs the brands' medians and the page's sellers' records again, and at 10,000 listings they cost more
 * than the page itself.
 */
const perBlock = new Map<string, { block: number; value: Promise<unknown> }>();
function oncePerBlock<T>(key: string, block: number, make: () => Promise<T>): Promise<T> {
  const hit = perBlock.get(key);
  if (hit && hit.block === block) return hit.value as Promise<T>;
  const value = make();
  value.catch(() => perBlock.delete(key));
  if (perBlock.size > 1_000) perBlock.clear();
  perBlock.set(key, { block, value });
  return value;
}

/** The listings on sale at `now`: listed, not expired. */
export async function market(
  db: Db,
  query: MarketQuery,
  indexedNow: number,
  indexedBlock: number,
): Promise<MarketPage> {
  const now = query.now ?? indexedNow;
  const rates = query.rates ?? {};
  const discount = discountSql(trade, rates);
  const where: (SQL | undefined)[] = [eq(trade.status, Status.Listed), gt(trade.expiresAt, BigInt(now))];
  if (query.brandId !== undefined) where.push(eq(trade.brandId, query.brandId));
  if (query.category !== undefined) where.push(eq(trade.category, query.category));
  if (query.currency !== undefined) where.push(eq(trade.currency, query.currency));
  if (query.minFace !== undefined || query.maxFace !== undefined) {
    if (query.currency === undefined && query.brandId === undefined) {
      throw new BadQuery(
        "A face value filter needs a currency (or a brand): face values in different currencies are not comparable",
      );
    }
    if (query.minFace !== undefined) where.push(gte(trade.faceValue, query.minFace));
    if (query.maxFace !== undefined) where.push(lte(trade.faceValue, query.maxFace));
  }
  if (query.minDiscount !== undefined) where.push(sql`${discount} >= ${query.minDiscount - 1e-9}`);
  if (query.maxDaysLeft !== undefined) where.push(lte(trade.expiresAt, BigInt(now + query.maxDaysLeft * DAY)));
  if (query.minDaysLeft !== undefined) where.push(gte(trade.expiresAt, BigInt(now + query.minDaysLeft * DAY)));
  if (query.kind !== undefined) where.push(eq(trade.issuerBacked, query.kind === "issuer"));
  if (query.payToken !== undefined) where.push(eq(trade.payToken, query.payToken.toLowerCase() as Address));
  const verified = sql<boolean>`(${trade.issuerBacked} OR ${voucher.attested})`;
  if (query.verified) where.push(verified);
  if (query.minSellerSales !== undefined) where.push(sql`coalesce(${reputation.sales}, 0) >= ${query.minSellerSales}`);
  if (query.cleanSellers) where.push(sql`coalesce(${reputation.disputesLost}, 0) = 0`);
  // Coded vouchers whose code was disclosed in a dispute are not sold as coded cards.
  where.push(or(eq(trade.issuerBacked, true), ne(voucher.disclosed, true)));

  const sort = query.sort ?? "discount";
  // Trust needs each brand's usual sale discount; without rates there is no discount to judge.
  const medians =
    Object.keys(rates).length > 0
      ? await oncePerBlock(`medians ${encodeRates(rates)}`, indexedBlock, () => brandMedians(db, rates))
      : new Map<number, number>();
  const implausible = sql<boolean>`coalesce(NOT ${verified} AND ${discount} >= ${implausibleFrom(medians)} - 1e-9, false)`;
  const trustRank = sql<number>`(CASE WHEN ${implausible} THEN 3 WHEN ${verified} THEN 0 WHEN coalesce(${reputation.sales}, 0) >= ${TRACK_RECORD_SALES} AND coalesce(${reputation.disputesLost}, 0) = 0 THEN 1 ELSE 2 END)`;
  const descending =
    (query.order ?? (sort === "expiry" || sort === "price" || sort === "trust" ? "asc" : "desc")) === "desc";
  const dir = (column: SQL | AnyPgColumn) => (descending ? desc(column) : asc(column));
  const discountOrder = (deepestFirst: boolean) =>
    deepestFirst ? sql`${discount} DESC NULLS LAST` : sql`${discount} ASC NULLS LAST`;
  const currencies = (query.currencyOrder ?? []).filter((c) => /^[A-Z]{3}$/.test(c));
  // An ORDER BY of a bare constant would name a column position: without an order, no rank at all.
  const currencyRank: SQL[] =
    currencies.length === 0
      ? []
      : [
          sql`(CASE ${trade.currency} ${sql.join(
            currencies.map((c, i) => sql`WHEN ${c} THEN ${i}`),
            sql` `,
          )} ELSE ${currencies.length} END) ASC`,
        ];
  const orderBy: SQL[] | undefined = {
    trust: [dir(trustRank), discountOrder(!descending)],
    discount: [discountOrder(descending)],
    expiry: [dir(trade.expiresAt)],
    // Face values compare only within a currency: group by currency (the reader's first), then by value.
    face: [...currencyRank, asc(trade.currency), dir(trade.faceValue)],
    // Prices compare only within a payment token.
    price: [asc(trade.payToken), dir(trade.price)],
    newest: [dir(trade.tradeId)],
  }[sort];
  if (orderBy === undefined) throw new BadQuery(`Unknown sort "${sort}"`);
  // Ties by listing id, oldest first (newest: the id is the sort), so the order is stable across refreshes.
  if (sort !== "newest") orderBy.push(asc(trade.tradeId));

  const limit = Math.min(Math.max(query.limit ?? 50, 1), MAX_MARKET_PAGE);
  const offset = Math.max(query.offset ?? 0, 0);
  const filter = and(...where);
  const [rows, [counted]] = await Promise.all([
    db
      .select({
        trade,
        attested: voucher.attested,
        discount,
        implausible,
        sales: reputation.sales,
        purchases: reputation.purchases,
        disputesLost: reputation.disputesLost,
      })
      .from(trade)
      .innerJoin(voucher, eq(voucher.tokenId, trade.tokenId))
      .leftJoin(reputation, eq(reputation.account, trade.seller))
      .where(filter)
      .orderBy(...orderBy)
      .limit(limit)
      .offset(offset),
    db
      .select({ total: sql<number>`count(*)::int` })
      .from(trade)
      .innerJoin(voucher, eq(voucher.tokenId, trade.tokenId))
      .leftJoin(reputation, eq(reputation.account, trade.seller))
      .where(filter),
  ]);
  const sellers = [...new Set(rows.map((row) => row.trade.seller))].sort();
  const [listed, brands] = await Promise.all([
    oncePerBlock(`sellers ${sellers.join(",")}`, indexedBlock, () => sellerListings(db, sellers)),
    oncePerBlock("brands", indexedBlock, () =>
      db
        .select({
          id: brand.id,
          name: brand.name,
          category: brand.category,
          currency: brand.currency,
          issuer: brand.issuer,
          active: brand.active,
        })
        .from(brand)
        .orderBy(asc(brand.id)),
    ),
  ]);
  const shown = new Set(rows.map((row) => row.trade.brandId));
  return {
    brands: brands.filter((b) => shown.has(b.id)),
    rows: rows.map((row) => {
      const reputation: Reputation =
        row.sales === null
          ? NO_REPUTATION
          : { sales: row.sales, purchases: row.purchases!, disputesLost: row.disputesLost! };
      const record: SellerRecord = { ...reputation, ...(listed.get(row.trade.seller) ?? { listed: 0, verified: 0 }) };
      return {
        ...listingOf(row.trade),
        attested: row.attested,
        discount: row.discount === null ? null : Number(row.discount),
        implausible: row.implausible,
        sellerReputation: record,
      };
    }),
    total: counted?.total ?? 0,
    now,
    indexedBlock,
  };
}

function listingOf(
  row: typeof trade.$inferSelect,
): Omit<IndexedListing, "attested" | "discount" | "implausible" | "sellerReputation"> {
  return {
    tradeId: row.tradeId,
    tokenId: row.tokenId,
    seller: row.seller,
    payToken: row.payToken,
    tokenSymbol: row.tokenSymbol,
    tokenDecimals: row.tokenDecimals,
    price: row.price,
    brandId: row.brandId,
    category: row.category,
    currency: row.currency,
    faceValue: row.faceValue,
    expiresAt: row.expiresAt,
    issuerBacked: row.issuerBacked,
    listedAt: row.listedAt,
  };
}

/** Per brand: active listings, the best ask, average discount, sales, the last sale and volume per token. */
export async function brandStats(db: Db, rates: RefRates, now: number): Promise<BrandStats[]> {
  const discount = discountSql(trade, rates);
  const saleDiscount = discountSql(sale, rates);
  const active = and(eq(trade.status, Status.Listed), gt(trade.expiresAt, BigInt(now)));
  const [brands, listingStats, best, saleStats, lastSales, volumes, medians] = await Promise.all([
    db.select().from(brand).orderBy(asc(brand.id)),
    db
      .select({
        brandId: trade.brandId,
        listings: sql<number>`count(*)::int`,
        averageDiscount: sql<number | null>`avg(${discount})`,
      })
      .from(trade)
      .where(active)
      .groupBy(trade.brandId),
    db
      .selectDistinctOn([trade.brandId], { trade, discount })
      .from(trade)
      .where(active)
      .orderBy(trade.brandId, sql`${discount} DESC NULLS LAST`, desc(trade.tradeId)),
    db
      .select({ brandId: sale.brandId, sales: sql<number>`count(*)::int` })
      .from(sale)
      .groupBy(sale.brandId),
    db
      .selectDistinctOn([sale.brandId], { sale, discount: saleDiscount })
      .from(sale)
      .orderBy(sale.brandId, desc(sale.timestamp), desc(sale.tradeId)),
    db
      .select({ brandId: sale.brandId, payToken: sale.payToken, volume: sql<string>`sum(${sale.price})::text` })
      .from(sale)
      .groupBy(sale.brandId, sale.payToken),
    brandMedians(db, rates),
  ]);
  const buying = rankOpenOffers((await liveOffers(db, undefined, now)).map(offerOf), 0n, now);
  const bestOffers = bestOfferByBrand(buying, now);
  const byBrand = <T extends { brandId: number }>(rows: T[]) => new Map(rows.map((row) => [row.brandId, row]));
  const listingsOf = byBrand(listingStats);
  const bestOf = new Map(best.map((row) => [row.trade.brandId, row]));
  const salesOf = byBrand(saleStats);
  const lastOf = new Map(lastSales.map((row) => [row.sale.brandId, row]));
  return brands.map((b) => {
    const bestRow = bestOf.get(b.id);
    const last = lastOf.get(b.id);
    const stats = listingsOf.get(b.id);
    return {
      brandId: b.id,
      name: b.name,
      category: b.category,
      currency: b.currency,
      active: b.active,
      listings: stats?.listings ?? 0,
      bestAsk: bestRow
        ? {
            ...listingOf(bestRow.trade),
            attested: false,
            discount: bestRow.discount === null ? null : Number(bestRow.discount),
            implausible: false,
            sellerReputation: NO_RECORD,
          }
        : null,
      averageDiscount: stats?.averageDiscount == null ? null : Number(stats.averageDiscount),
      medianDiscount: medians.get(b.id) ?? null,
      sales: salesOf.get(b.id)?.sales ?? 0,
      lastSale: last ? saleOf(last.sale, last.discount) : null,
      volume: Object.fromEntries(volumes.filter((v) => v.brandId === b.id).map((v) => [v.payToken, BigInt(v.volume)])),
      openOffers: buying.filter((o) => o.brandId === b.id).length,
      bestOffer: bestOffers.get(b.id) ?? null,
    };
  });
}

function saleOf(row: typeof sale.$inferSelect, discount: number | null): IndexedSale {
  return {
    tradeId: row.tradeId,
    tokenId: row.tokenId,
    brandId: row.brandId,
    currency: row.currency,
    faceValue: row.faceValue,
    payToken: row.payToken,
    tokenSymbol: row.tokenSymbol,
    tokenDecimals: row.tokenDecimals,
    price: row.price,
    timestamp: row.timestamp,
    discount: discount === null ? null : Number(discount),
  };
}

/** A brand's (or, `brandId` undefined, every brand's) sales per day over the last `days` days before `now`. */
export async function priceHistory(
  db: Db,
  brandId: number | undefined,
  rates: RefRates,
  days: number,
  now: number,
): Promise<PricePoint[]> {
  const discount = discountSql(sale, rates);
  // The day length inlined, not a parameter: GROUP BY must see the very expression the SELECT has.
  const day = sql<number>`(${sale.timestamp} / ${sql.raw(String(DAY))}) * ${sql.raw(String(DAY))}`;
  const rows = await db
    .select({
      day,
      sales: sql<number>`count(*)::int`,
      averageDiscount: sql<number | null>`avg(${discount})`,
      minDiscount: sql<number | null>`min(${discount})`,
      maxDiscount: sql<number | null>`max(${discount})`,
    })
    .from(sale)
    .where(and(brandId === undefined ? undefined : eq(sale.brandId, brandId), gte(sale.timestamp, now - days * DAY)))
    .groupBy(day)
    .orderBy(day);
  const num = (value: number | null) => (value === null ? null : Number(value));
  return rows.map((row) => ({
    day: Number(row.day),
    sales: row.sales,
    averageDiscount: num(row.averageDiscount),
    minDiscount: num(row.minDiscount),
    maxDiscount: num(row.maxDiscount),
  }));
}

function voucherOf(row: typeof voucher.$inferSelect): IndexedVoucher {
  const { seals: _seals, attestedFaceValue: _attested, ...rest } = row;
  return rest;
}

/** Every event that touched a voucher, oldest first. */
export async function provenance(db: Db, tokenId: bigint): Promise<Provenance> {
  const [[card], events] = await Promise.all([
    db.select().from(voucher).where(eq(voucher.tokenId, tokenId)),
    db
      .select()
      .from(voucherEvent)
      .where(eq(voucherEvent.tokenId, tokenId))
      .orderBy(asc(voucherEvent.blockNumber), asc(voucherEvent.logIndex)),
  ]);
  return {
    voucher: card ? voucherOf(card) : null,
    events: events.map(({ id: _id, tokenId: _tokenId, ...event }) => event),
  };
}

/** Trades with their state histories. */
async function orders(db: Db, rows: (typeof trade.$inferSelect)[]): Promise<IndexedOrder[]> {
  if (rows.length === 0) return [];
  const history = await db
    .select()
    .from(tradeEvent)
    .where(
      inArray(
        tradeEvent.tradeId,
        rows.map((row) => row.tradeId),
      ),
    )
    .orderBy(asc(tradeEvent.blockNumber), asc(tradeEvent.logIndex));
  return rows.map((row) => ({
    tradeId: row.tradeId,
    tokenId: row.tokenId,
    seller: row.seller,
    buyer: row.buyer,
    referrer: row.referrer,
    payToken: row.payToken,
    tokenSymbol: row.tokenSymbol,
    tokenDecimals: row.tokenDecimals,
    price: row.price,
    status: row.status,
    brandId: row.brandId,
    currency: row.currency,
    faceValue: row.faceValue,
    expiresAt: row.expiresAt,
    issuerBacked: row.issuerBacked,
    feeBps: row.feeBps,
    buyerKey: row.buyerKey,
    delivery: row.delivery,
    sealedEvidence: row.sealedEvidence,
    listedAt: row.listedAt,
    purchasedAt: row.purchasedAt,
    deliveredAt: row.deliveredAt,
    disputedAt: row.disputedAt,
    closedAt: row.closedAt,
    history: history
      .filter((event) => event.tradeId === row.tradeId)
      .map(({ event, status, timestamp, transactionHash }) => ({ event, status, timestamp, transactionHash })),
  }));
}

export async function order(db: Db, tradeId: bigint): Promise<IndexedOrder | null> {
  const rows = await db.select().from(trade).where(eq(trade.tradeId, tradeId));
  return (await orders(db, rows))[0] ?? null;
}

/** An account's orders as buyer and as seller (newest first), vouchers, reputation, distributor tree and money. */
export async function wallet(db: Db, account: Address): Promise<WalletActivity> {
  const who = account.toLowerCase() as Address;
  const [[rep], buying, selling, vouchers, [dist], downline, earnings, credits, soldToOffers] = await Promise.all([
    db.select().from(reputation).where(eq(reputation.account, who)),
    db.select().from(trade).where(eq(trade.buyer, who)).orderBy(desc(trade.tradeId)),
    db.select().from(trade).where(eq(trade.seller, who)).orderBy(desc(trade.tradeId)),
    db.select().from(voucher).where(eq(voucher.owner, who)).orderBy(desc(voucher.tokenId)),
    db.select().from(distributor).where(eq(distributor.account, who)),
    db.select({ account: distributor.account }).from(distributor).where(eq(distributor.upline, who)),
    db.select().from(earning).where(eq(earning.account, who)),
    db.select().from(credit).where(eq(credit.account, who)),
    offerSales(db, eq(offerSale.seller, who)),
  ]);
  return {
    account: who,
    reputation: rep ? { sales: rep.sales, purchases: rep.purchases, disputesLost: rep.disputesLost } : NO_REPUTATION,
    buying: await orders(db, buying),
    selling: await orders(db, selling),
    vouchers: vouchers.map(voucherOf),
    distributor: dist
      ? { upline: dist.upline, depth: dist.depth, joinedAt: dist.joinedAt, referredOrders: dist.referredOrders }
      : null,
    downline: downline.map((row) => row.account),
    earnings: Object.fromEntries(earnings.map((row) => [row.token, row.amount])),
    credits: Object.fromEntries(credits.map((row) => [row.token, { balance: row.balance, claimed: row.claimed }])),
    offerSales: soldToOffers,
  };
}

// ─── Recyclers' offers ───────────────────────────────────────────────────────────────────────────────────────────

/** An offer row as the contract's `offer(id)` view plus its history (sdk `IndexedOffer`). */
function offerOf(row: typeof offer.$inferSelect): IndexedOffer {
  return {
    offerId: row.offerId,
    recycler: row.recycler,
    brandId: row.brandId,
    payToken: row.payToken,
    unitPrice: row.unitPrice,
    cardsLeft: row.cardsLeft,
    // A uint32 on chain: a number, as the contract's view gives it.
    expiresAt: Number(row.expiresAt),
    attestedOnly: row.attestedOnly,
    open: row.open,
    deliveryKey: row.deliveryKey,
    budget: row.budget,
    schedule: {
      tiers: row.tiers,
      batchMinCount: row.batchMinCount,
      batchBonusBps: row.batchBonusBps,
      nearExpiryDays: row.nearExpiryDays,
      nearExpiryBps: row.nearExpiryBps,
    },
    tokenSymbol: row.tokenSymbol,
    tokenDecimals: row.tokenDecimals,
    maxCards: row.maxCards,
    cardsSold: row.cardsSold,
    sales: row.sales,
    minPrice: row.minPrice,
    funded: row.funded,
    spent: row.spent,
    refunded: row.refunded,
    postedAt: row.postedAt,
    closedAt: row.closedAt,
  };
}

/** Offers that may still buy at `now` (open, unexpired, cards and budget left), of one brand or all; unranked. */
function liveOffers(db: Db, brandId: number | undefined, now: number) {
  return db
    .select()
    .from(offer)
    .where(
      and(
        eq(offer.open, true),
        brandId === undefined ? undefined : eq(offer.brandId, brandId),
        gte(offer.expiresAt, BigInt(now)),
        gt(offer.cardsLeft, 0),
        gt(offer.budget, 0n),
      ),
    );
}

/** Open offers best first (the contract's `openOffers` order); without a brand, every brand's, by brand id. */
export async function openOffers(db: Db, query: OfferQuery, indexedNow: number): Promise<IndexedOffer[]> {
  if (query.faceValue !== undefined && query.brandId === undefined) {
    throw new BadQuery("A face value needs a brand: face values in different currencies are not comparable");
  }
  const now = query.now ?? indexedNow;
  const ranked = rankOpenOffers((await liveOffers(db, query.brandId, now)).map(offerOf), query.faceValue ?? 0n, now);
  // A stable sort: best first within each brand.
  return query.brandId === undefined ? ranked.sort((a, b) => a.brandId - b.brandId) : ranked;
}

export async function offerById(db: Db, offerId: bigint): Promise<IndexedOffer | null> {
  const [row] = await db.select().from(offer).where(eq(offer.offerId, offerId));
  return row ? offerOf(row) : null;
}

/** Cards sold into offers matching `filter`, newest first, each with its trade's status. */
async function offerSales(db: Db, filter: SQL | undefined): Promise<IndexedOfferSale[]> {
  const rows = await db
    .select({ sold: offerSale, status: trade.status })
    .from(offerSale)
    .innerJoin(trade, eq(trade.tradeId, offerSale.tradeId))
    .where(filter)
    .orderBy(desc(offerSale.tradeId));
  return rows.map(({ sold, status }) => ({
    tradeId: sold.tradeId,
    offerId: sold.offerId,
    recycler: sold.recycler,
    seller: sold.seller,
    tokenId: sold.tokenId,
    brandId: sold.brandId,
    currency: sold.currency,
    faceValue: sold.faceValue,
    issuerBacked: sold.issuerBacked,
    payToken: sold.payToken,
    tokenSymbol: sold.tokenSymbol,
    tokenDecimals: sold.tokenDecimals,
    price: sold.price,
    status,
    soldAt: sold.timestamp,
    transactionHash: sold.transactionHash,
  }));
}

/** A recycler's offers, newest first, and the cards sold into them, newest first. */
export async function recyclerOffers(db: Db, recycler: Address): Promise<RecyclerOffers> {
  const who = recycler.toLowerCase() as Address;
  const [offers, incoming] = await Promise.all([
    db.select().from(offer).where(eq(offer.recycler, who)).orderBy(desc(offer.offerId)),
    offerSales(db, eq(offerSale.recycler, who)),
  ]);
  return { recycler: who, offers: offers.map(offerOf), incoming };
}
