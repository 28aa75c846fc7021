/**
 * The app's one indexer client, and the market's first page asked of it before anything renders. start.ts asks for the
 * page the address shows (features/market/firstPage.ts) while the rest of the app's code is still loading. If it has
 * arrived by the first render, main.tsx puts it in the query cache (`seedFirstPage`); else the market's first request
 * takes the request under way instead of asking again. Either way the first rows wait on one request that started at
 * once. Imports nothing heavy: it runs before React, wagmi and the chain reads are loaded.
 */
import { createIndexerClient, queryString, type IndexerClient, type MarketPage, type MarketQuery } from "#sdk/indexer";

/** Where the indexer answers; `npm start` serves it on 127.0.0.1:42069. Empty: chain reads only. */
export const INDEXER_URL: string = import.meta.env.VITE_INDEXER_URL ?? "http://127.0.0.1:42069";

/** Listings per indexer page ("show more" loads the next). */
export const MARKET_PAGE = 100;

let client: IndexerClient | undefined;
export function indexerClient(): IndexerClient | undefined {
  if (!INDEXER_URL) return undefined;
  client ??= createIndexerClient(INDEXER_URL, { timeoutMs: 3000 });
  return client;
}

const pageQuery = (query: MarketQuery, offset: number): MarketQuery => ({ ...query, offset, limit: MARKET_PAGE });

/** The market page at `offset` (MARKET_PAGE rows) of `query`. */
export function marketPage(api: IndexerClient, query: MarketQuery, offset: number): Promise<MarketPage> {
  return api.market(pageQuery(query, offset));
}

interface EarlyPage {
  query: MarketQuery;
  key: string;
  page: Promise<MarketPage>;
  /** The page, once it has arrived. */
  answer?: MarketPage;
}
let early: EarlyPage | undefined;

/** Asks now for the first page of `query`, for the market's first request to take (`takeFirstPage`). */
export function askFirstPage(query: MarketQuery): void {
  const api = indexerClient();
  if (!api) return;
  const asked: EarlyPage = { query, key: queryString(pageQuery(query, 0)), page: marketPage(api, query, 0) };
  // Whoever takes it handles a failure; untaken, it is no error.
  asked.page.then(
    (answer) => {
      asked.answer = answer;
    },
    () => undefined,
  );
  early = asked;
}

/** The first page asked for at start if it has arrived already, with its query; taking it drops it. */
export function takeArrivedFirstPage(): { query: MarketQuery; page: MarketPage } | undefined {
  const asked = early;
  if (!asked?.answer) return undefined;
  early = undefined;
  return { query: asked.query, page: asked.answer };
}

/**
 * The first page asked for at start, if it is the first page of `query`. Only the first request may take it: whatever
 * it asks, the early answer is dropped then, so no later view is ever served from it.
 */
export function takeFirstPage(query: MarketQuery): Promise<MarketPage> | undefined {
  const asked = early;
  early = undefined;
  return asked && asked.key === queryString(pageQuery(query, 0)) ? asked.page : undefined;
}
