/**
 * The recycler's agent: it watches the exchange for coded cards delivered to the recycler's standing offers, opens each
 * delivery with the offer's key (purpose `offer:<id>`, derived from the recycler's signature like every key), and
 * checks it:
 * - the card number and the code against the voucher's commitments (`cardHash`, `codeHash`), the same check a buyer
 *   and the arbiter make;
 * - the issuer's word where there is one: a card sold into an attested-only offer must still be attested by its
 *   brand's issuer (an attestation revoked since the sale means the issuer no longer vouches for the card).
 * It confirms a card that passes (the seller is paid) and keeps its code in the recycler's vault (`sealCode`), and it
 * disputes one that does not, paying the bond and sealing the offer's key to the arbiter as objective evidence.
 *
 * A card whose seller never delivers: the agent keeps every order of its offers still waiting for a code, with its
 * delivery deadline, and once chain time is past it calls `cancelUndelivered` — the exchange's exit for an undelivered
 * order (anyone may call it after the delivery window): the price goes back to the recycler's wallet (not into the
 * offer's budget) and the voucher to its seller.
 *
 * Never twice: every order it decided on is saved in its state file (.agent-state/recycler-<chainId>-<account>.json)
 * right after acting, and the order's on-chain status is re-read right before acting, so a restart — even one between
 * sending a confirmation, a dispute or a cancellation and saving it — never acts on an order again.
 */
import { getAddress, zeroAddress, type Address, type Hash, type Hex } from "viem";
import {
  cancelUndelivered,
  confirm,
  describeError,
  disputeOfferOrder,
  getOffer,
  getTrade,
  getTradeOffer,
  getVoucherInfos,
  keepOfferCode,
  openOfferDelivery,
  statusName,
  Status,
  voucherExchangeAbi,
  type Kaquan,
} from "#sdk";
import { assertNothingPending, startWatcher } from "./watcher.js";
import type { WatcherOptions, WatcherRun, WatcherState } from "./watcher.js";

/** The recycler is `account`: an account index of the node (`12`) or an address it signs for; or `privateKey`. */
export type RecyclerAgentOptions = WatcherOptions;

/** What the recycler agent did with one order. */
export interface RecyclerDecision {
  /**
   * `confirmed`, `disputed` or `refunded` (cancelled undelivered) by this agent, or found so on chain (`tx`
   * "on-chain"), or `skipped`.
   */
  action: "confirmed" | "disputed" | "refunded" | "skipped";
  tx: Hash | "on-chain" | undefined;
  offerId: string;
  /** Why it disputed, cancelled or skipped. */
  reason?: string;
}

/** An order of the recycler's offers still waiting for its code. */
export interface AwaitedOrder {
  offerId: string;
  /** The end of the delivery window (unix seconds): after it the order can be cancelled and refunded. */
  deadline: number;
}

/** What the recycler agent remembers between runs, per chain, deployment and recycler. */
export interface RecyclerAgentState extends WatcherState {
  /** Orders of the recycler's offers it decided on, by trade id. */
  orders: Record<string, RecyclerDecision>;
  /**
   * Orders of the recycler's offers waiting for their code, by trade id, until delivered or cancelled. Missing from a
   * state file written before the agent cancelled undelivered orders: it is then rebuilt from the chain.
   */
  awaiting?: Record<string, AwaitedOrder>;
}

/** Starts the recycler agent for `options.account` (see the file's header). */
export function startRecyclerAgent(options: RecyclerAgentOptions = {}): Promise<WatcherRun<RecyclerAgentState>> {
  return startWatcher<RecyclerAgentState>(options, "account", async (kaquan, log) => {
    const recycler = kaquan.walletClient.account.address;
    let onChain = 0;
    return {
      name: "Recycler agent",
      contract: kaquan.deployment.voucherExchange,
      statePrefix: "recycler-",
      fresh: () => ({ orders: {}, awaiting: {} }),
      progress: (state) => {
        const actions = Object.values(state.orders).map((order) => order.action);
        const count = (action: RecyclerDecision["action"]) => actions.filter((a) => a === action).length;
        return (
          `${count("confirmed")} confirmed, ${count("disputed")} disputed, ${count("refunded")} cancelled undelivered ` +
          `so far`
        );
      },
      scan: async (fromBlock, toBlock, state, save) => {
        const range = { fromBlock, toBlock, strict: true } as const;
        const exchange = { address: kaquan.deployment.voucherExchange, abi: voucherExchangeAbi } as const;
        if (state.awaiting === undefined) {
          state.awaiting = {};
          await awaitPurchases(kaquan, recycler, BigInt(kaquan.deployment.startBlock), fromBlock - 1n, state, log);
          save();
        }
        const awaiting = state.awaiting;
        const [purchases, deliveries] = await Promise.all([
          kaquan.publicClient.getContractEvents({
            ...exchange,
            ...range,
            eventName: "Purchased",
            args: { buyer: recycler },
          }),
          kaquan.publicClient.getContractEvents({ ...exchange, ...range, eventName: "CodeDelivered" }),
        ]);
        await awaitPurchases(kaquan, recycler, fromBlock, toBlock, state, log, purchases);
        for (const { args } of deliveries) {
          const id = `${args.tradeId}`;
          delete awaiting[id];
          if (state.orders[id] !== undefined) continue;
          const decision = await decide(kaquan, recycler, args.tradeId, log);
          if (decision === undefined) continue;
          state.orders[id] = decision;
          save();
          if (decision.tx === "on-chain") onChain++;
          else if (decision.action === "confirmed")
            log(`Order #${id}: the code matches; confirmed (tx ${decision.tx}).`);
          else if (decision.action === "disputed")
            log(`Order #${id}: disputed (tx ${decision.tx}): ${decision.reason}`);
          else log(`Order #${id}: not acting: ${decision.reason}`);
          if (decision.action === "confirmed" && decision.tx !== "on-chain") await keep(kaquan, args.tradeId, log);
        }
        await cancelOverdue(kaquan, state, save, log);
      },
      afterPass: () => {
        if (onChain > 0) log(`${onChain} earlier order(s) of the recycler's offers were already settled on chain.`);
        onChain = 0;
      },
    };
  });
}

const ZERO_KEY = `0x${"0".repeat(64)}`;

type Purchase = { args: { tradeId: bigint; buyerKey: Hex } };

/**
 * Adds the coded orders of the recycler's offers bought in blocks [fromBlock, toBlock] (its `Purchased` events, read
 * unless given) to the orders awaiting a code, with their delivery deadlines.
 */
async function awaitPurchases(
  kaquan: Kaquan,
  recycler: Address,
  fromBlock: bigint,
  toBlock: bigint,
  state: RecyclerAgentState,
  log: (message: string) => void,
  purchases?: readonly Purchase[],
): Promise<void> {
  if (toBlock < fromBlock) return;
  const bought =
    purchases ??
    (await kaquan.publicClient.getContractEvents({
      address: kaquan.deployment.voucherExchange,
      abi: voucherExchangeAbi,
      fromBlock,
      toBlock,
      strict: true,
      eventName: "Purchased",
      args: { buyer: recycler },
    }));
  for (const { args } of bought) {
    const id = `${args.tradeId}`;
    if (state.orders[id] !== undefined || state.awaiting![id] !== undefined || args.buyerKey === ZERO_KEY) continue;
    const offerId = await getTradeOffer(kaquan, args.tradeId);
    // The recycler's own purchases from listings are its to follow by hand.
    if (offerId === undefined) continue;
    const trade = await getTrade(kaquan, args.tradeId);
    if (trade.status !== Status.AwaitingDelivery) continue;
    state.awaiting![id] = { offerId: `${offerId}`, deadline: trade.deadline };
    log(
      `Order #${id}: a coded card sold into offer #${offerId}; waiting for its code ` +
        `(delivery window ends ${new Date(trade.deadline * 1000).toISOString()}).`,
    );
  }
}

/**
 * Cancels every awaited order whose delivery window has passed by chain time (`cancelUndelivered`: the price back to
 * the recycler, the voucher to its seller), re-reading each order first; records each one, saving after each.
 */
async function cancelOverdue(
  kaquan: Kaquan,
  state: RecyclerAgentState,
  save: () => void,
  log: (message: string) => void,
): Promise<void> {
  const awaiting = state.awaiting!;
  if (Object.keys(awaiting).length === 0) return;
  const now = Number((await kaquan.publicClient.getBlock()).timestamp);
  for (const [id, { offerId, deadline }] of Object.entries(awaiting)) {
    if (now <= deadline) continue;
    const tradeId = BigInt(id);
    const trade = await getTrade(kaquan, tradeId);
    if (trade.status === Status.Refunded) {
      state.orders[id] = { action: "refunded", tx: "on-chain", offerId, reason: "cancelled undelivered on chain" };
      delete awaiting[id];
      save();
      log(`Order #${id}: already cancelled and refunded on chain.`);
      continue;
    }
    if (trade.status !== Status.AwaitingDelivery) {
      // Delivered after all (its CodeDelivered is handled as it is scanned), or settled otherwise.
      delete awaiting[id];
      save();
      continue;
    }
    await assertNothingPending(kaquan);
    try {
      const receipt = await cancelUndelivered(kaquan, tradeId);
      const reason = `the seller did not deliver by ${new Date(deadline * 1000).toISOString()}`;
      state.orders[id] = { action: "refunded", tx: receipt.transactionHash, offerId, reason };
      delete awaiting[id];
      save();
      const unit = trade.payToken === zeroAddress ? "wei" : `base units of ${trade.payToken}`;
      log(
        `Order #${id}: ${reason}; cancelled (tx ${receipt.transactionHash}): the price (${trade.price} ${unit}) ` +
          `is back with the recycler, the voucher with its seller.`,
      );
    } catch (error) {
      const name = (error as { decoded?: { name: string } }).decoded?.name;
      // Delivered or cancelled a moment ago: the next pass reads it again.
      if (name !== "InvalidStatus") throw error;
      log(`Order #${id}: it moved on while being cancelled (${describeError(error)}); reading it again.`);
    }
  }
}

/** Confirms or disputes one delivered order of the recycler's offers; undefined when it is not one. */
async function decide(
  kaquan: Kaquan,
  recycler: Address,
  tradeId: bigint,
  log: (message: string) => void,
): Promise<RecyclerDecision | undefined> {
  const trade = await getTrade(kaquan, tradeId);
  if (getAddress(trade.buyer) !== recycler) return undefined;
  const offerId = await getTradeOffer(kaquan, tradeId);
  // The recycler's own purchases from listings are its to confirm by hand, with their order keys.
  if (offerId === undefined) return undefined;
  const offer = `${offerId}`;
  switch (trade.status) {
    case Status.Delivered:
      break;
    case Status.Completed:
      return { action: "confirmed", tx: "on-chain", offerId: offer };
    case Status.Disputed:
      return { action: "disputed", tx: "on-chain", offerId: offer };
    default:
      return {
        action: "skipped",
        tx: undefined,
        offerId: offer,
        reason: `the order is ${statusName(trade.status) ?? `in status ${trade.status}`}`,
      };
  }
  await assertNothingPending(kaquan);

  const check = await openOfferDelivery(kaquan, tradeId);
  let reason = check.ok ? undefined : check.reason;
  if (check.ok) {
    const [{ attestedOnly }, infos] = await Promise.all([
      getOffer(kaquan, offerId),
      getVoucherInfos(kaquan, [trade.tokenId]),
    ]);
    if (attestedOnly && !infos.get(trade.tokenId)?.attested) {
      reason = `the brand's issuer no longer attests voucher #${trade.tokenId}, and offer #${offerId} buys attested cards only`;
    }
  }
  const now = (await kaquan.publicClient.getBlock()).timestamp;
  if (reason !== undefined && now > BigInt(trade.deadline)) {
    return { action: "skipped", tx: undefined, offerId: offer, reason: `${reason}, but the confirm window has closed` };
  }
  try {
    // Simulated first: a refusal (another device acted a moment ago) costs nothing and says why.
    const receipt = reason === undefined ? await confirm(kaquan, tradeId) : await disputeOfferOrder(kaquan, tradeId);
    return {
      action: reason === undefined ? "confirmed" : "disputed",
      tx: receipt.transactionHash,
      offerId: offer,
      reason,
    };
  } catch (error) {
    const name = (error as { decoded?: { name: string } }).decoded?.name;
    if (name === "InvalidStatus") {
      log(`Order #${tradeId}: it moved on while being checked (${describeError(error)}); reading it again.`);
      return decide(kaquan, recycler, tradeId, log);
    }
    throw error;
  }
}

/** Re-seals a confirmed card to the recycler's vault, so its wallet can reveal, list and deliver it again. */
async function keep(kaquan: Kaquan, tradeId: bigint, log: (message: string) => void): Promise<void> {
  try {
    await keepOfferCode(kaquan, tradeId);
  } catch (error) {
    log(`Order #${tradeId}: confirmed, but keeping its code in the vault failed: ${describeError(error)}`);
  }
}
