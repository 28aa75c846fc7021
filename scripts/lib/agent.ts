/**
 * The seller's delivery agent: it watches the exchange for purchases of the seller's coded vouchers and delivers each
 * card from the seller's sealed vault (the latest `CodeSealed` to the seller, opened with the vault key the seller's
 * signature derives), sealed to the order's `buyerKey`. Progress is saved after every delivery and every scanned
 * range, and each order's on-chain status is re-read right before delivering, so a restart — even one between
 * sending a delivery and saving it — never delivers twice.
 */
import { getAddress, type Hash, type Hex } from "viem";
import {
  commitmentsOf,
  deliverCode,
  deriveKey,
  getSealedCode,
  getTrade,
  prepareDelivery,
  statusName,
  Status,
  voucherExchangeAbi,
  voucherTokenAbi,
  type KeyPair,
  type Kaquan,
} from "#sdk";
import { assertNothingPending, startWatcher } from "./watcher.js";
import type { WatcherOptions, WatcherRun, WatcherState } from "./watcher.js";

/** The seller is `account`: an account index of the node (`3`) or an address it signs for; or `privateKey`. */
export type AgentOptions = WatcherOptions;

/** What the delivery agent remembers between runs, per chain, deployment and seller. */
export interface AgentState extends WatcherState {
  /** Orders the seller's code reached, by id: the delivery transaction, or "on-chain" when found already delivered. */
  delivered: Record<string, Hash | "on-chain">;
  /** Orders the agent will not deliver, with the reason (no code in the vault, window closed, refunded…). */
  skipped: Record<string, string>;
}

/** Starts a delivery agent for the seller `options.account` (see the file's header). */
export function startAgent(options: AgentOptions = {}): Promise<WatcherRun<AgentState>> {
  return startWatcher<AgentState>(options, "seller", async (kaquan, log) => {
    const vault = await deriveKey(kaquan, "vault");
    let alreadyDelivered = 0;
    return {
      name: "Delivery agent",
      contract: kaquan.deployment.voucherExchange,
      fresh: () => ({ delivered: {}, skipped: {} }),
      progress: (state) => `${Object.keys(state.delivered).length} orders delivered so far`,
      scan: async (fromBlock, toBlock, state, save) => {
        const range = { fromBlock, toBlock, strict: true } as const;
        const exchange = { address: kaquan.deployment.voucherExchange, abi: voucherExchangeAbi } as const;
        const purchases = await kaquan.publicClient.getContractEvents({
          ...exchange,
          ...range,
          eventName: "Purchased",
        });
        for (const purchase of purchases) {
          const orderId = purchase.args.tradeId;
          if (state.delivered[`${orderId}`] !== undefined || state.skipped[`${orderId}`] !== undefined) continue;
          const outcome = await deliver(kaquan, vault, orderId, purchase.args.buyerKey);
          if (outcome === undefined) continue;
          if (outcome.kind === "skipped") {
            state.skipped[`${orderId}`] = outcome.reason;
            log(`Order #${orderId}: not delivering: ${outcome.reason}`);
          } else if (outcome.hash === "on-chain") {
            state.delivered[`${orderId}`] = outcome.hash;
            alreadyDelivered++;
          } else {
            state.delivered[`${orderId}`] = outcome.hash;
            log(`Order #${orderId}: delivered the code of voucher #${outcome.tokenId} (tx ${outcome.hash}).`);
          }
          save();
        }
      },
      afterPass: () => {
        if (alreadyDelivered > 0) {
          log(`${alreadyDelivered} earlier order(s) of this seller were already delivered on chain.`);
        }
        alreadyDelivered = 0;
      },
    };
  });
}

type Outcome = { kind: "delivered"; hash: Hash | "on-chain"; tokenId: bigint } | { kind: "skipped"; reason: string };

/** Delivers one order if it is the seller's, still waits for delivery, and the vault holds its code. */
async function deliver(kaquan: Kaquan, vault: KeyPair, tradeId: bigint, buyerKey: Hex): Promise<Outcome | undefined> {
  const { publicClient, walletClient } = kaquan;
  const seller = walletClient.account.address;
  const trade = await getTrade(kaquan, tradeId);
  if (getAddress(trade.seller) !== seller || trade.issuerBacked) return undefined;
  const tokenId = BigInt(trade.tokenId);
  switch (trade.status) {
    case Status.AwaitingDelivery:
      break;
    case Status.Delivered:
    case Status.Disputed:
    case Status.Completed:
      return { kind: "delivered", hash: "on-chain", tokenId };
    case Status.Refunded:
      return { kind: "skipped", reason: "the order was refunded before delivery" };
    default:
      return { kind: "skipped", reason: `the order is ${statusName(trade.status) ?? `in status ${trade.status}`}` };
  }
  const now = (await publicClient.getBlock()).timestamp;
  if (now > BigInt(trade.deadline)) return { kind: "skipped", reason: "the delivery window has closed" };
  await assertNothingPending(kaquan);

  const [vaultCopy, voucher] = await Promise.all([
    getSealedCode(kaquan, tokenId, seller),
    publicClient.readContract({
      address: kaquan.deployment.voucherToken,
      abi: voucherTokenAbi,
      functionName: "voucher",
      args: [tokenId],
    }),
  ]);
  if (vaultCopy === undefined)
    return { kind: "skipped", reason: `no code for voucher #${tokenId} in the seller's vault` };
  let ciphertext: Hex;
  try {
    ciphertext = prepareDelivery(vaultCopy, vault.secretKey, commitmentsOf(voucher)!, buyerKey);
  } catch (error) {
    return { kind: "skipped", reason: `the vault copy of voucher #${tokenId}: ${(error as Error).message}` };
  }
  // Simulated first: a revert (e.g. another agent delivered a moment ago) costs nothing and says why.
  const receipt = await deliverCode(kaquan, tradeId, ciphertext);
  return { kind: "delivered", hash: receipt.transactionHash, tokenId };
}
