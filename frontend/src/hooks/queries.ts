/**
 * TanStack Query keys and read hooks: thin React adapters over the SDK's reads (sdk/reads.ts). Keys are prefixes a
 * write invalidates (see useTx): a purchase invalidates ["listings"], ["sales"], ["trade", id], ["voucher"],
 * ["wallet"], ["credits"]… and nothing else.
 */
import * as sdk from "#sdk";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { usePublicClient } from "wagmi";
import { erc20Abi, type Address } from "viem";
import { appChain, deployment as configuredDeployment } from "../config.ts";
import * as reads from "../chain/reads.ts";
import { indexedProvenance } from "./useIndexer.ts";
import type { TokenInfo } from "../lib/format.ts";
import type { Brand, Listing } from "../lib/market.ts";
import { tokenKey } from "../lib/market.ts";

type Deployment = sdk.Deployment;

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
  quote: (tradeId: bigint, referrer: Address, buyer: Address | undefined) =>
    ["quote", tradeId.toString(), referrer.toLowerCase(), buyer?.toLowerCase() ?? ""] as const,
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

/** The SDK's reader on the app's client, or on a client of its own connection (`fast`, see chain/reads.ts). */
function useReader(fast?: "single" | "batched"): sdk.KaquanReader {
  const client = useClient();
  const deployment = useDeployment();
  return useMemo(
    () => ({ publicClient: fast ? reads.fastClient(client, fast) : client, deployment }),
    [client, deployment, fast],
  );
}

/** Reads through `fn(reader)` under `key`. */
function useRead<T>(
  key: readonly unknown[],
  fn: (kaquan: sdk.KaquanReader) => Promise<T>,
  enabled = true,
  fast?: "single" | "batched",
) {
  const kaquan = useReader(fast);
  return useQuery({ queryKey: key, queryFn: () => fn(kaquan), enabled });
}

/**
 * Chain time in unix seconds: the latest block's timestamp (deadlines are judged by it, and a local chain's clock may
 * run ahead of the wall clock), refreshed every 15 s and extrapolated in between. `loaded` is false until the first
 * block arrives (until then `now` is the wall clock).
 */
export function useChainClock(): { now: number; loaded: boolean } {
  const kaquan = useReader("single");
  const { data } = useQuery({
    queryKey: queryKeys.chainTime,
    queryFn: async () => ({ chain: await sdk.getChainTime(kaquan), local: Date.now() }),
    refetchInterval: 15_000,
  });
  if (!data) return { now: Math.floor(Date.now() / 1000), loaded: false };
  return { now: data.chain + Math.floor((Date.now() - data.local) / 1000), loaded: true };
}

export const useChainTime = (): number => useChainClock().now;

export function useBrands() {
  const query = useRead(queryKeys.brands, sdk.getBrands, true, "batched");
  const byId = useMemo(() => new Map<number, Brand>((query.data ?? []).map((b) => [b.id, b])), [query.data]);
  return { ...query, brands: query.data ?? [], byId };
}

export function usePayTokens() {
  const query = useRead(queryKeys.tokens, sdk.getPayTokens, true, "batched");
  const byAddress = useMemo(
    () => new Map<string, TokenInfo>((query.data ?? [sdk.ETH]).map((t) => [tokenKey(t.address), t])),
    [query.data],
  );
  return { ...query, tokens: query.data ?? [sdk.ETH], byAddress };
}

/**
 * Every active listing. On the first load each 250-id page shows as soon as it arrives (the query holds the pages read
 * so far while it is still fetching); a refetch replaces the list only once it is complete.
 */
export function useListings(enabled = true) {
  const kaquan = useReader("single");
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: queryKeys.listings,
    enabled,
    queryFn: (): Promise<Listing[]> => {
      const first = queryClient.getQueryData(queryKeys.listings) === undefined;
      const onPage = (partial: sdk.Listing[]) => queryClient.setQueryData<Listing[]>(queryKeys.listings, partial);
      return sdk.getListings(kaquan, first ? onPage : undefined);
    },
  });
}
/** `enabled: false` holds the sales history back (the market reads it after its listings: both scan the node). */
export const useSales = (enabled = true) => useRead(queryKeys.sales, sdk.getSales, enabled);
export const useSettings = () => useRead(queryKeys.settings, sdk.getSettings);

/**
 * Sellers' records (sales, disputes lost, share of verified cards), by lower-case address. Under the listings' key:
 * whatever changes a listing (a sale, a ruling) re-reads them.
 */
export function useSellerRecords(accounts: readonly Address[]) {
  const unique = [...new Set(accounts.map((a) => a.toLowerCase() as Address))].sort();
  return useRead(
    [...queryKeys.listings, "sellers", unique.join(",")],
    (kaquan) => sdk.getReputations(kaquan, unique),
    unique.length > 0,
  );
}
export const useDisputes = () => useRead(queryKeys.disputes, sdk.getDisputes);

export function useOrder(id: bigint | undefined) {
  return useRead(queryKeys.trade(id ?? 0n), (kaquan) => sdk.getOrder(kaquan, id!), id !== undefined);
}

export function useVoucherDetails(tokenId: bigint) {
  return useRead(queryKeys.voucher(tokenId), (kaquan) => sdk.getVoucherDetails(kaquan, tokenId));
}

export function useProvenance(tokenId: bigint) {
  return useRead([...queryKeys.voucher(tokenId), "provenance"], (kaquan) =>
    reads.fetchProvenance(kaquan, tokenId, indexedProvenance),
  );
}

/**
 * The account's vouchers and orders. Its coded cards sold into recyclers' offers are among its sales (the SDK reads
 * them), so their codes are delivered from the Wallet like any sale's.
 */
export function useWallet(account: Address | undefined) {
  return useRead(queryKeys.wallet(account ?? "0x"), (kaquan) => sdk.getWallet(kaquan, account!), account !== undefined);
}

export function useDistribution(account: Address | undefined) {
  return useRead(
    queryKeys.distribution(account ?? "0x"),
    (kaquan) => sdk.getDistribution(kaquan, account!),
    account !== undefined,
  );
}

export function useTokenBalance(account: Address | undefined, token: TokenInfo | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.balance(account ?? "0x", token?.address ?? "0x"),
    enabled: account !== undefined && token !== undefined,
    queryFn: async () => {
      if (token!.address === sdk.ETH.address) return client.getBalance({ address: account! });
      return client.readContract({
        address: token!.address,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [account!],
      });
    },
  });
}
