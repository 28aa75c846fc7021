/**
 * The market read through the indexer (sdk/indexer.ts), with the chain as the fallback: when the indexer is not
 * configured (VITE_INDEXER_URL empty) or does not answer, the same page is computed from the chain reads
 * (`getListings`, which scans every trade id) so the market never goes blank. `useIndexerSync` says how far the
 * indexer is behind the chain ("N blocks behind"). Writes never go through here: every action simulates on chain.
 */
import * as sdk from "#sdk";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { REF_RATES } from "../config.ts";
import { useChainClock, useClient, useDeployment } from "./queries.ts";

/** Where the indexer answers; `npm start` serves it on 127.0.0.1:42069. Empty: chain reads only. */
export const INDEXER_URL: string = import.meta.env.VITE_INDEXER_URL ?? "http://127.0.0.1:42069";

let client: sdk.IndexerClient | undefined;
function indexer(): sdk.IndexerClient | undefined {
  if (!INDEXER_URL) return undefined;
  client ??= sdk.createIndexerClient(INDEXER_URL, { timeoutMs: 3000 });
  return client;
}

export type MarketSource = "indexer" | "chain";

/** The indexer's progress against the chain, polled every 5 s; `behind` is undefined while it is unreachable. */
export function useIndexerSync() {
  const { data, isError } = useQuery({
    queryKey: ["indexer", "sync"],
    queryFn: () => indexer()!.sync(),
    enabled: indexer() !== undefined,
    refetchInterval: 5000,
    retry: false,
  });
  return { reachable: data !== undefined && !isError, behind: isError ? undefined : data?.behind };
}

/** One page of the market: from the indexer, or from the chain when it is unreachable. */
export function useMarketPage(query: sdk.MarketQuery) {
  const publicClient = useClient();
  const deployment = useDeployment();
  const { now, loaded } = useChainClock();
  const kaquan = useMemo(() => ({ publicClient, deployment }), [publicClient, deployment]);
  const full: sdk.MarketQuery = { rates: REF_RATES, ...query, now: loaded ? Math.floor(now) : undefined };
  return useQuery({
    queryKey: ["listings", "page", sdk.queryString({ ...full, now: undefined })],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<sdk.MarketPage & { source: MarketSource }> => {
      const api = indexer();
      if (api) {
        try {
          return { ...(await api.market(full)), source: "indexer" };
        } catch (error) {
          if (!(error instanceof sdk.IndexerError)) throw error;
        }
      }
      return { ...(await chainPage(kaquan, full)), source: "chain" };
    },
  });
}

/** The fallback: every active listing from the chain, unexpired, newest first, paged (no discount without rates). */
async function chainPage(kaquan: sdk.KaquanReader, query: sdk.MarketQuery): Promise<sdk.MarketPage> {
  const [listings, head, brands] = await Promise.all([
    sdk.getListings(kaquan),
    kaquan.publicClient.getBlock(),
    sdk.getBrands(kaquan),
  ]);
  const now = query.now ?? Number(head.timestamp);
  const brandOf = new Map(brands.map((brand) => [brand.id, brand]));
  const rows = listings
    .filter((listing) => Number(listing.expiresAt) > now)
    .filter((listing) => query.brandId === undefined || listing.brandId === query.brandId)
    .sort((a, b) => Number(b.tradeId - a.tradeId));
  const offset = query.offset ?? 0;
  const limit = Math.min(query.limit ?? 50, sdk.MAX_MARKET_PAGE);
  return {
    rows: rows.slice(offset, offset + limit).map((listing) => ({
      ...listing,
      seller: listing.seller,
      tokenId: listing.tokenId,
      tokenSymbol: "",
      tokenDecimals: 18,
      category: brandOf.get(listing.brandId)?.category ?? "",
      currency: brandOf.get(listing.brandId)?.currency ?? "",
      expiresAt: BigInt(listing.expiresAt),
      attested: false,
      listedAt: 0,
      discount: null,
      sellerReputation: { sales: 0, purchases: 0, disputesLost: 0 },
    })),
    total: rows.length,
    now,
    indexedBlock: Number(head.number),
  };
}
