/**
 * Reads through the indexer (sdk/indexer.ts): the market paged, filtered and sorted by the indexer, its brand
 * statistics and sales history, recyclers' open offers, and how far it is behind the chain ("N blocks behind"). When the indexer is not
 * configured (VITE_INDEXER_URL empty) or does not answer, the market falls back to the chain reads of hooks/queries.ts
 * (see MarketPage). Writes never go through here: every action simulates on chain.
 *
 * Keys sit under the chain reads' prefixes (["listings"], ["sales"], ["offers"]): a write that changes listings (or
 * offers) refreshes them too.
 * Reads follow the chain the app sees: a query waits (up to CATCH_UP_MS) until the indexer has reached the newest block
 * the app knows of — its own writes' receipts and the heads useLiveChain polls — so a listing just bought does not
 * come back from a stale index.
 */
import * as sdk from "#sdk";
import {
  keepPreviousData,
  useInfiniteQuery,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { indexerClient, marketPage, takeArrivedFirstPage, takeFirstPage } from "../chain/indexer.ts";

export { INDEXER_URL, indexerClient, MARKET_PAGE } from "../chain/indexer.ts";

/** From this many blocks behind the chain the market says so (one block in flight is not lag). */
export const LAG_BLOCKS = 2;
/** How long a read waits for the indexer to reach the block the app knows of before it reads anyway. */
const CATCH_UP_MS = 2_000;

let wanted = 0;
let indexed = 0;

/** The app saw `block` (a head, or a write's receipt): indexer reads wait for it. */
export function noteBlock(block: bigint | number): void {
  wanted = Math.max(wanted, Number(block));
}

async function caughtUp(api: sdk.IndexerClient): Promise<void> {
  for (const deadline = Date.now() + CATCH_UP_MS; indexed < wanted && Date.now() < deadline;) {
    indexed = (await api.sync()).indexedBlock;
    if (indexed < wanted) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One indexer read, once it has caught up with what the app has seen. */
async function read<T>(fn: (api: sdk.IndexerClient) => Promise<T>): Promise<T> {
  const api = indexerClient();
  if (!api) throw new sdk.IndexerError("No indexer configured", undefined);
  await caughtUp(api);
  return fn(api);
}

/**
 * The indexer's progress, polled every 3 s (every second while it lags). `unreachable` once a poll failed twice in a
 * row, until one answers again; `behind` is the indexer's own count of blocks it has not indexed yet.
 */
export function useIndexerSync() {
  const configured = indexerClient() !== undefined;
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ["indexer", "sync"],
    queryFn: async () => {
      const status = await indexerClient()!.sync();
      indexed = Math.max(indexed, status.indexedBlock);
      return status;
    },
    enabled: configured,
    refetchInterval: (q) => ((q.state.data?.behind ?? 0) >= LAG_BLOCKS ? 1000 : 3000),
    // One slow answer (an indexer busy catching up) does not send the page to the chain: a second failure does.
    retry: 1,
    retryDelay: 500,
  });
  // What the indexer serves changes when it indexes a block, even when the app saw no new block (it was behind).
  const indexedBlock = query.data?.indexedBlock;
  const seen = useRef(indexedBlock);
  useEffect(() => {
    if (indexedBlock === undefined || indexedBlock === seen.current) return;
    const first = seen.current === undefined;
    seen.current = indexedBlock;
    if (first) return;
    for (const root of ["listings", "sales", "offers"]) {
      void queryClient.invalidateQueries({ queryKey: [root, "indexer"] }, { cancelRefetch: false });
    }
  }, [indexedBlock, queryClient]);
  const behind = query.isError ? undefined : query.data?.behind;
  return {
    configured,
    unreachable: !configured || query.isError,
    /** When the latest answer (or failure) came, to tell a recovery from the failure before it. */
    updatedAt: Math.max(query.dataUpdatedAt, query.errorUpdatedAt),
    behind,
    lagging: behind !== undefined && behind >= LAG_BLOCKS,
  };
}

const marketKey = (query: sdk.MarketQuery) => ["listings", "indexer", sdk.queryString(query)];

/**
 * Puts the market's first page, asked for at start (start.ts), in the cache if it has arrived already: the market's
 * first render then draws its rows, not a spinner. Called once, before that render (main.tsx).
 */
export function seedFirstPage(queryClient: QueryClient): void {
  const first = takeArrivedFirstPage();
  if (!first) return;
  queryClient.setQueryData<InfiniteData<sdk.MarketPage, number>>(marketKey(first.query), {
    pages: [first.page],
    pageParams: [0],
  });
}

/** The market as the indexer pages it: `pages` of MARKET_PAGE rows, the next one on `fetchNextPage`. */
export function useIndexedMarket(query: sdk.MarketQuery, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: marketKey(query),
    enabled,
    retry: false,
    placeholderData: keepPreviousData,
    initialPageParam: 0,
    // The first page may already be on its way: asked for at start (start.ts), before the market rendered.
    queryFn: ({ pageParam }) =>
      (pageParam === 0 && takeFirstPage(query)) || read((api) => marketPage(api, query, pageParam)),
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, page) => n + page.rows.length, 0);
      return loaded < last.total && last.rows.length > 0 ? loaded : undefined;
    },
  });
}

/** How many listings are on sale at all (the "n of m" of a filtered market). */
export function useIndexedTotal(rates: sdk.RefRates, enabled: boolean) {
  return useQuery({
    queryKey: ["listings", "indexer", "total"],
    enabled,
    retry: false,
    queryFn: () => read(async (api) => (await api.market({ rates, limit: 1 })).total),
  });
}

/** Per-brand statistics: listings, best ask, average and median discount, last sale. */
export function useIndexedBrands(rates: sdk.RefRates, enabled: boolean) {
  return useQuery({
    queryKey: ["listings", "indexer", "brands", sdk.encodeRates(rates)],
    enabled,
    retry: false,
    queryFn: () => read((api) => api.brands(rates)),
  });
}

/** Sales per day of one brand or of all (the discount chart), over the last year. */
export function useIndexedHistory(brandId: number | undefined, rates: sdk.RefRates, enabled: boolean) {
  return useQuery({
    queryKey: ["sales", "indexer", brandId ?? "all", sdk.encodeRates(rates)],
    enabled,
    retry: false,
    queryFn: () => read((api) => api.priceHistory(brandId, rates, 365)),
  });
}

/** Every brand's open offers, best first, by brand id (one request; brands without offers get an empty list). */
export async function indexedBrandOffers(brandIds: readonly number[]): Promise<Map<number, sdk.IndexedOffer[]>> {
  const all = await read((api) => api.offers());
  const byBrand = new Map(brandIds.map((id) => [id, [] as sdk.IndexedOffer[]]));
  for (const offer of all) byBrand.get(offer.brandId)?.push(offer);
  return byBrand;
}

/**
 * A voucher's provenance from the indexer, in the shape the chain read gives (sdk `provenanceFromIndex`); undefined
 * when no indexer is configured or it does not answer, and the caller reads the chain.
 */
export async function indexedProvenance(tokenId: bigint): Promise<sdk.ProvenanceEvent[] | undefined> {
  if (!indexerClient()) return undefined;
  try {
    return sdk.provenanceFromIndex((await read((api) => api.provenance(tokenId))).events);
  } catch (error) {
    if (error instanceof sdk.IndexerError) return undefined;
    throw error;
  }
}
