/**
 * The indexer's HTTP API (Hono, served by `ponder start` next to its built-in /health, /ready and /status):
 *   GET /market                      the market: listings on sale, paged, filtered, sorted (sdk `MarketQuery`)
 *   GET /brands                      per-brand statistics (best ask, average discount, last sale, volume)
 *   GET /brands/:id/history          a brand's sales per day (discount over time); GET /history: every brand's
 *   GET /vouchers/:tokenId/provenance every event that touched a voucher
 *   GET /orders/:tradeId             a trade with its state history
 *   GET /accounts/:address           an account's orders, vouchers, reputation, distributor tree, earnings, credits,
 *                                    cards sold into recyclers' offers
 *   GET /offers                      open offers best first (`brandId`, `faceValue`, `now`: sdk `OfferQuery`)
 *   GET /offers/:id                  one offer, open or not
 *   GET /recyclers/:address/offers   a recycler's offers and the cards sold into them
 *   GET /sync                        the indexed block and the chain head: how far behind the indexer is
 * Bigints travel as decimal strings; sdk/indexer.ts is the typed client. Discounts use the reference rates the client
 * sends (`rates=ETH:3000,CNY:0.14`, US dollars per unit), else KAQUAN_REF_RATES, else none.
 */
import { Hono, type Context } from "hono";
import { cors } from "hono/cors";
import { sql } from "ponder";
import { db, publicClients } from "ponder:api";
import { stringifyIndexerJson, type MarketQuery, type MarketSort, type RefRates } from "#sdk";
import type { Address } from "viem";
import {
  BadQuery,
  brandStats,
  market,
  offerById,
  openOffers,
  order,
  priceHistory,
  provenance,
  recyclerOffers,
  wallet,
} from "./queries.ts";

const SCHEMA = process.env.DATABASE_SCHEMA || "public";

function parseRates(text: string | undefined): RefRates {
  const rates: Record<string, number> = {};
  for (const entry of (text ?? "").split(",")) {
    const [key, value] = entry.split(":").map((part) => part.trim());
    const rate = Number(value);
    if (key && value && Number.isFinite(rate) && rate > 0) rates[key] = rate;
  }
  return rates;
}
const DEFAULT_RATES = parseRates(process.env.KAQUAN_REF_RATES);

/** The latest indexed block and its timestamp, from Ponder's own checkpoint (see ponder's utils/checkpoint.ts). */
async function indexed(): Promise<{ block: number; timestamp: number }> {
  const result = await db.execute(sql.raw(`SELECT latest_checkpoint FROM "${SCHEMA}"."_ponder_checkpoint" LIMIT 1`));
  const rows = ((result as { rows?: unknown[] }).rows ?? result) as { latest_checkpoint: string }[];
  const checkpoint = rows[0]?.latest_checkpoint;
  if (!checkpoint) return { block: 0, timestamp: 0 };
  // 10 digits of block timestamp, 16 of chain id, 16 of block number, …
  return { timestamp: Number(checkpoint.slice(0, 10)), block: Number(checkpoint.slice(26, 42)) };
}

const json = (c: Context, value: unknown, status = 200) =>
  c.body(stringifyIndexerJson(value), status as 200, { "content-type": "application/json" });

const int = (value: string | undefined) => {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new BadQuery(`Not an integer: ${value}`);
  return n;
};
const num = (value: string | undefined) => {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new BadQuery(`Not a number: ${value}`);
  return n;
};
const big = (value: string | undefined) => {
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value)) throw new BadQuery(`Not an amount: ${value}`);
  return BigInt(value);
};
const bool = (value: string | undefined) => (value === undefined ? undefined : value === "true" || value === "1");

function marketQuery(q: Record<string, string>): MarketQuery {
  const kind = q.kind;
  if (kind !== undefined && kind !== "coded" && kind !== "issuer") throw new BadQuery(`Unknown kind "${kind}"`);
  const order = q.order;
  if (order !== undefined && order !== "asc" && order !== "desc") throw new BadQuery(`Unknown order "${order}"`);
  if (q.payToken !== undefined && !/^0x[0-9a-fA-F]{40}$/.test(q.payToken))
    throw new BadQuery("payToken: not an address");
  return {
    brandId: int(q.brandId),
    category: q.category,
    currency: q.currency,
    minFace: big(q.minFace),
    maxFace: big(q.maxFace),
    minDiscount: num(q.minDiscount),
    maxDaysLeft: num(q.maxDaysLeft),
    minDaysLeft: num(q.minDaysLeft),
    kind,
    payToken: q.payToken as Address | undefined,
    verified: bool(q.verified),
    minSellerSales: int(q.minSellerSales),
    cleanSellers: bool(q.cleanSellers),
    sort: q.sort as MarketSort | undefined,
    currencyOrder: q.currencyOrder?.split(",").map((c) => c.trim().toUpperCase()),
    order,
    offset: int(q.offset),
    limit: int(q.limit),
    now: int(q.now),
    rates: q.rates === undefined ? DEFAULT_RATES : parseRates(q.rates),
  };
}

const app = new Hono();
app.use("*", cors());
app.onError((error, c) =>
  error instanceof BadQuery ? c.json({ error: error.message }, 400) : c.json({ error: String(error) }, 500),
);

app.get("/market", async (c) => {
  const query = marketQuery(c.req.query());
  const at = await indexed();
  return json(c, await market(db, query, at.timestamp, at.block));
});

app.get("/brands", async (c) => {
  const rates = c.req.query("rates");
  const now = int(c.req.query("now")) ?? (await indexed()).timestamp;
  return json(c, await brandStats(db, rates === undefined ? DEFAULT_RATES : parseRates(rates), now));
});

const history = async (c: Context, brandId: number | undefined) => {
  const rates = c.req.query("rates");
  const days = num(c.req.query("days")) ?? 30;
  const now = int(c.req.query("now")) ?? (await indexed()).timestamp;
  return json(c, await priceHistory(db, brandId, rates === undefined ? DEFAULT_RATES : parseRates(rates), days, now));
};
app.get("/brands/:id/history", (c) => history(c, int(c.req.param("id"))!));
app.get("/history", (c) => history(c, undefined));

app.get("/vouchers/:tokenId/provenance", async (c) => json(c, await provenance(db, big(c.req.param("tokenId"))!)));

app.get("/orders/:tradeId", async (c) => json(c, await order(db, big(c.req.param("tradeId"))!)));

const addressParam = (value: string) => {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new BadQuery("Not an address");
  return value as Address;
};

app.get("/accounts/:address", async (c) => json(c, await wallet(db, addressParam(c.req.param("address")))));

app.get("/offers", async (c) => {
  const q = c.req.query();
  const query = { brandId: int(q.brandId), faceValue: big(q.faceValue), now: int(q.now) };
  return json(c, await openOffers(db, query, query.now ?? (await indexed()).timestamp));
});

app.get("/offers/:id", async (c) => json(c, await offerById(db, big(c.req.param("id"))!)));

app.get("/recyclers/:address/offers", async (c) =>
  json(c, await recyclerOffers(db, addressParam(c.req.param("address")))),
);

app.get("/sync", async (c) => {
  const client = publicClients.kaquan;
  // The head as the node says it now: viem caches block numbers for seconds, which would hide a lag (or invent one).
  const [at, head, chainId] = await Promise.all([
    indexed(),
    client.getBlockNumber({ cacheTime: 0 }),
    client.getChainId(),
  ]);
  return json(c, {
    chainId,
    indexedBlock: at.block,
    indexedTimestamp: at.timestamp,
    headBlock: Number(head),
    behind: Math.max(0, Number(head) - at.block),
  });
});

/** Every row of a table, for the replay test (KAQUAN_INDEXER_DUMP=1 only). */
if (process.env.KAQUAN_INDEXER_DUMP === "1") {
  app.get("/dump/:table", async (c) => {
    const table = c.req.param("table");
    if (!/^[a-z_]+$/.test(table)) throw new BadQuery("Not a table name");
    const result = await db.execute(sql.raw(`SELECT * FROM "${SCHEMA}"."${table}" ORDER BY 1, 2`));
    return json(c, (result as { rows?: unknown[] }).rows ?? result);
  });
}

export default app;
