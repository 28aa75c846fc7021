/**
 * TanStack Query keys and read hooks. Keys are prefixes a write invalidates (see useTx): a purchase invalidates
 * ["listings"], ["sales"], ["trade", id], ["voucher"], ["wallet"], ["credits"]… and nothing else.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { usePublicClient } from "wagmi";
import { erc20Abi, type Address } from "viem";
import { appChain, deployment as configuredDeployment } from "../config.ts";
import type { Deployment } from "../generated/contracts.ts";
import * as reads from "../chain/reads.ts";
import type { TokenInfo } from "../lib/format.ts";
import type { Brand, Listing } from "../lib/market.ts";
import { tokenKey } from "../lib/market.ts";

export const queryKeys = {
  chainTime: ["chainTime"] as const,
  brands: ["brands"] as const,
  tokens: ["tokens"] as const,
  listings: ["listings"] as const,
  sales: ["sales"] as const,
  settings: ["settings"] as const,
  disputes: ["disputes"] as const,
  trade: (id: bigint) => ["trade", id.toString()] as const,
  trades: ["trade"] as const,
  voucher: (tokenId: bigint) => ["voucher", tokenId.toString()] as const,
  vouchers: ["voucher"] as const,
  wallet: (account: Address) => ["wallet", account.toLowerCase()] as const,
  wallets: ["wallet"] as const,
  distribution: (account: Address) => ["distribution", account.toLowerCase()] as const,
  distributions: ["distribution"] as const,
  balance: (account: Address, token: Address) => ["balance", account.toLowerCase(), token.toLowerCase()] as const,
  balances: ["balance"] as const,
  quote: (listingId: bigint, referrer: Address, buyer: Address | undefined) =>
    ["quote", listingId.toString(), referrer.toLowerCase(), buyer?.toLowerCase() ?? ""] as const,
  quotes: ["quote"] as const,
};

/** The deployment on the app chain; only called under <RequireDeployment>, so it is always there. */
export function useDeployment(): Deployment {
  if (!configuredDeployment) throw new Error("No Kaquan deployment for this chain");
  return configuredDeployment;
}

export function useClient(): reads.Client {
  return usePublicClient({ chainId: appChain.id }) as unknown as reads.Client;
}

/** Reads through `fn(client, deployment)` under `key`. */
function useRead<T>(key: readonly unknown[], fn: (client: reads.Client, d: Deployment) => Promise<T>, enabled = true) {
  const client = useClient();
  const d = useDeployment();
  return useQuery({ queryKey: key, queryFn: () => fn(client, d), enabled });
}

/**
 * Chain time in unix seconds: the latest block's timestamp (deadlines are judged by it, and a local chain's clock may
 * run ahead of the wall clock), refreshed every 15 s and extrapolated in between. `loaded` is false until the first
 * block arrives (until then `now` is the wall clock).
 */
export function useChainClock(): { now: number; loaded: boolean } {
  const client = useClient();
  const { data } = useQuery({
    queryKey: queryKeys.chainTime,
    queryFn: async () => ({ chain: await reads.fetchChainTime(client), local: Date.now() }),
    refetchInterval: 15_000,
  });
  if (!data) return { now: Math.floor(Date.now() / 1000), loaded: false };
  return { now: data.chain + Math.floor((Date.now() - data.local) / 1000), loaded: true };
}

export const useChainTime = (): number => useChainClock().now;

export function useBrands() {
  const query = useRead(queryKeys.brands, reads.fetchBrands);
  const byId = useMemo(() => new Map<number, Brand>((query.data ?? []).map((b) => [b.id, b])), [query.data]);
  return { ...query, brands: query.data ?? [], byId };
}

export function usePayTokens() {
  const query = useRead(queryKeys.tokens, reads.fetchPayTokens);
  const byAddress = useMemo(
    () => new Map<string, TokenInfo>((query.data ?? [reads.ETH_TOKEN]).map((t) => [tokenKey(t.address), t])),
    [query.data],
  );
  return { ...query, tokens: query.data ?? [reads.ETH_TOKEN], byAddress };
}

/**
 * Every active listing. On the first load each 250-id page shows as soon as it arrives (the query holds the pages read
 * so far while it is still fetching); a refetch replaces the list only once it is complete.
 */
export function useListings() {
  const client = useClient();
  const d = useDeployment();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: queryKeys.listings,
    queryFn: () => {
      const first = queryClient.getQueryData(queryKeys.listings) === undefined;
      return reads.fetchListings(
        client,
        d,
        first ? (partial) => queryClient.setQueryData<Listing[]>(queryKeys.listings, partial) : undefined,
      );
    },
  });
}
/** `enabled: false` holds the sales history back (the market reads it after its listings: both scan the node). */
export const useSales = (enabled = true) => useRead(queryKeys.sales, reads.fetchSales, enabled);
export const useSettings = () => useRead(queryKeys.settings, reads.fetchSettings);
export const useDisputes = () => useRead(queryKeys.disputes, reads.fetchDisputes);

export function useOrder(id: bigint | undefined) {
  return useRead(queryKeys.trade(id ?? 0n), (client, d) => reads.fetchOrder(client, d, id!), id !== undefined);
}

export function useVoucherDetails(tokenId: bigint) {
  return useRead(queryKeys.voucher(tokenId), (client, d) => reads.fetchVoucherDetails(client, d, tokenId));
}

export function useProvenance(tokenId: bigint) {
  return useRead([...queryKeys.voucher(tokenId), "provenance"], (client, d) =>
    reads.fetchProvenance(client, d, tokenId),
  );
}

export function useWallet(account: Address | undefined) {
  return useRead(
    queryKeys.wallet(account ?? "0x"),
    (client, d) => reads.fetchWallet(client, d, account!),
    account !== undefined,
  );
}

export function useDistribution(account: Address | undefined) {
  return useRead(
    queryKeys.distribution(account ?? "0x"),
    (client, d) => reads.fetchDistribution(client, d, account!),
    account !== undefined,
  );
}

export function useTokenBalance(account: Address | undefined, token: TokenInfo | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.balance(account ?? "0x", token?.address ?? "0x"),
    enabled: account !== undefined && token !== undefined,
    queryFn: async () => {
      if (token!.address === reads.ETH_TOKEN.address) return client.getBalance({ address: account! });
      return client.readContract({
        address: token!.address,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [account!],
      });
    },
  });
}
