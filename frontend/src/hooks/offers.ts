/**
 * Read hooks of recyclers' standing offers (chain/offers.ts). Every key starts with "offers": a sale, a post, a top-up,
 * a schedule change or a cancel invalidates `offerKeys.all` (and whatever else it changed). The market's comparison
 * reads brands' offers through the indexer (hooks/useIndexer.ts) while the market does, and from the chain when the
 * indexer does not answer.
 */
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { Address } from "viem";
import { getOfferSales, getOpenOffers, getRecyclerOffers, type Offer } from "#sdk";
import { useClient, useDeployment } from "./queries.ts";
import { indexedBrandOffers } from "./useIndexer.ts";

export type { Offer, OfferSale } from "#sdk";

export const offerKeys = {
  all: ["offers"] as const,
  brands: (brandIds: readonly number[]) => ["offers", "brands", brandIds.join(",")] as const,
  indexedBrands: (brandIds: readonly number[]) => ["offers", "indexer", "brands", brandIds.join(",")] as const,
  mine: (account: Address) => ["offers", "mine", account.toLowerCase()] as const,
  incoming: (account: Address) => ["offers", "incoming", account.toLowerCase()] as const,
};

function useReader() {
  const publicClient = useClient();
  const deployment = useDeployment();
  return useMemo(() => ({ publicClient, deployment }), [publicClient, deployment]);
}

/**
 * The open offers of each brand, best first, by brand id: from the chain, or through the indexer (`viaIndexer`, one
 * request for every brand) with the chain answering when the indexer does not.
 */
export function useBrandOffers(brandIds: readonly number[], enabled = true, viaIndexer = false) {
  const kaquan = useReader();
  const ids = [...new Set(brandIds)].sort((a, b) => a - b);
  const query = useQuery({
    queryKey: viaIndexer ? offerKeys.indexedBrands(ids) : offerKeys.brands(ids),
    enabled: enabled && ids.length > 0,
    queryFn: async (): Promise<Map<number, Offer[]>> => {
      if (viaIndexer) {
        try {
          return await indexedBrandOffers(ids);
        } catch {
          // The chain answers instead.
        }
      }
      const lists = await Promise.all(ids.map((id) => getOpenOffers(kaquan, id)));
      return new Map(ids.map((id, i) => [id, lists[i]]));
    },
  });
  return { ...query, byBrand: query.data ?? new Map<number, Offer[]>() };
}

/** The offers `account` posted, newest first. */
export function useMyOffers(account: Address | undefined) {
  const kaquan = useReader();
  return useQuery({
    queryKey: offerKeys.mine(account ?? "0x"),
    enabled: account !== undefined,
    queryFn: () => getRecyclerOffers(kaquan, account!),
  });
}

/** The cards sold into `offerIds` (`account`'s offers), newest first, with each trade's status. */
export function useIncomingCards(account: Address | undefined, offerIds: readonly bigint[] | undefined) {
  const kaquan = useReader();
  return useQuery({
    queryKey: [...offerKeys.incoming(account ?? "0x"), (offerIds ?? []).join(",")],
    enabled: account !== undefined && offerIds !== undefined,
    queryFn: async () => (await getOfferSales(kaquan, { offerId: offerIds! })).reverse(),
  });
}
