/**
 * Keeps what the page shows in step with the chain while it is open: every new block (polled each second) refetches
 * the chain reads on screen — orders, balances, listings — so a code delivered by the seller's agent shows as
 * delivered within about two seconds, with no reload and no window focus needed. Reads through the indexer wait until
 * it has indexed that block (hooks/useIndexer.ts). Queries not on screen are only
 * marked stale; derived dev-wallet addresses are not chain data and are left alone.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useWatchBlockNumber } from "wagmi";
import { appChain } from "../config.ts";
import { noteBlock } from "../hooks/useIndexer.ts";

/** Query keys that are not chain state. */
const NOT_CHAIN = new Set(["devAccounts"]);
/** Whole-market scans: a refetch already under way finishes rather than restarting at every block. */
const SCANS = new Set(["listings", "sales"]);

export const BLOCK_POLL_MS = 1_000;

export function useLiveChain(): void {
  const queryClient = useQueryClient();
  useWatchBlockNumber({
    chainId: appChain.id,
    pollingInterval: BLOCK_POLL_MS,
    onBlockNumber(blockNumber, previous) {
      // Indexer reads made from now on wait until the indexer has this block too.
      noteBlock(blockNumber);
      // The first poll only learns where the chain is; what is on screen was just read.
      if (previous === undefined) return;
      const root = (key: readonly unknown[]) => String(key[0]);
      void queryClient.invalidateQueries({
        predicate: (query) => !NOT_CHAIN.has(root(query.queryKey)) && !SCANS.has(root(query.queryKey)),
      });
      void queryClient.invalidateQueries(
        { predicate: (query) => SCANS.has(root(query.queryKey)) },
        { cancelRefetch: false },
      );
    },
  });
}
