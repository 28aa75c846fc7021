import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getAddress, isAddress, type Account, type Address, type Hash, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
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
  type Deployment,
  type KeyPair,
  type Kaquan,
} from "#sdk";
import { connect, type Chainish } from "./chain.js";
import { DEPLOYMENTS_DIR, ROOT, readDeployment } from "./deployments.js";

/** Blocks per log query: small enough for public RPC limits. */
const LOG_CHUNK = 2000n;

export interface AgentOptions {
  /** JSON-RPC URL of the chain (default http://127.0.0.1:8545). */
  rpcUrl?: string;
  /** The seller: an account index of the node (`3`) or an address the node signs for; ignored with `privateKey`. */
  seller?: string;
  /** Sign locally with this key instead of through the node (public test chains). */
  privateKey?: Hex;
  deploymentsDir?: string;
  /** Where the agent remembers its progress (default .agent-state/). */
  stateDir?: string;
  /** Poll interval in ms (default 1000). */
  pollMs?: number;
  /** Process everything up to the current block, then return. */
  once?: boolean;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** What the agent remembers between runs, per chain, deployment and seller. */
export interface AgentState {
  version: 1;
  chainId: number;
  exchange: Address;
  /** Identifies the deployment: a restarted local node redeploys at the same addresses with a new time. */
  deployedAt: string;
  seller: Address;
  /** Last block whose purchases were all handled. */
  lastBlock: number;
  /** Orders the seller's code reached, by id: the delivery transaction, or "on-chain" when found already delivered. */
  delivered: Record<string, Hash | "on-chain">;
  /** Orders the agent will not deliver, with the reason (no code in the vault, window closed, refunded…). */
  skipped: Record<string, string>;
}

export interface AgentRun {
  seller: Address;
  stateFile: string;
  /** Resolves when the agent stops (abort, or the end of a `once` run). */
  done: Promise<AgentState>;
}

/**
 * Starts a delivery agent: it watches the exchange for purchases of the seller's coded vouchers and delivers each
 * code from the seller's sealed vault (the latest `CodeSealed` to the seller, opened with the vault key the seller's
 * signature derives), sealed to the order's `buyerKey`. Progress is saved after every delivery and every scanned
 * range, and each order's on-chain status is re-read right before delivering, so a restart — even one between
 * sending a delivery and saving it — never delivers twice.
 */
export async function startAgent(options: AgentOptions = {}): Promise<AgentRun> {
  const log = options.log ?? console.log;
  const kaquan = await connect(options.rpcUrl ?? "http://127.0.0.1:8545", Math.min(options.pollMs ?? 1000, 250));
  const chainId = kaquan.chain.id;
  const deployment = readDeployment(chainId, options.deploymentsDir ?? DEPLOYMENTS_DIR);
  if (deployment === undefined) {
    throw new Error(`No deployment recorded for chain ${chainId} (deployments/${chainId}.json): deploy first.`);
  }
  const account = await resolveSeller(kaquan, options);
  const seller = account.address;
  const sdk: Kaquan = { deployment, publicClient: kaquan.publicClient, walletClient: kaquan.wallet(account) };
  const vault = await deriveKey(sdk, "vault");

  const stateFile = path.join(
    options.stateDir ?? path.join(ROOT, ".agent-state"),
    `${chainId}-${seller.toLowerCase()}.json`,
  );
  const state = loadState(stateFile, deployment, seller, log);
  const head = Number(await kaquan.publicClient.getBlockNumber());
  if (state.lastBlock > head) {
    log(`The chain is behind the saved progress (block ${head} < ${state.lastBlock}): it was reset; starting over.`);
    Object.assign(state, freshState(deployment, seller));
  }
  log(
    `Delivery agent for ${seller} on chain ${chainId}: exchange ${deployment.voucherExchange}, ` +
      `resuming after block ${state.lastBlock} (${Object.keys(state.delivered).length} orders delivered so far).`,
  );

  const done = (async () => {
    for (;;) {
      try {
        await catchUp(sdk, state, stateFile, vault, log);
      } catch (error) {
        log(`Will retry: ${(error as Error).message.split("\n")[0]}`);
      }
      if (options.once || options.signal?.aborted) break;
      await sleep(options.pollMs ?? 1000, options.signal);
      if (options.signal?.aborted) break;
    }
    saveState(stateFile, state);
    return state;
  })();
  return { seller, stateFile, done };
}

/** Handles every purchase from the saved block to the chain head. Throws (after saving) on a transient failure. */
async function catchUp(
  kaquan: Kaquan,
  state: AgentState,
  stateFile: string,
  vault: KeyPair,
  log: (message: string) => void,
): Promise<void> {
  const { publicClient, deployment } = kaquan;
  const head = await publicClient.getBlockNumber();
  let alreadyDelivered = 0;
  while (BigInt(state.lastBlock) < head) {
    const fromBlock = BigInt(state.lastBlock) + 1n;
    const toBlock = fromBlock + LOG_CHUNK - 1n < head ? fromBlock + LOG_CHUNK - 1n : head;
    const purchases = await publicClient.getContractEvents({
      address: deployment.voucherExchange,
      abi: voucherExchangeAbi,
      eventName: "Purchased",
      fromBlock,
      toBlock,
      strict: true,
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
      saveState(stateFile, state);
    }
    state.lastBlock = Number(toBlock);
    saveState(stateFile, state);
  }
  if (alreadyDelivered > 0) log(`${alreadyDelivered} earlier order(s) of this seller were already delivered on chain.`);
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
  const [latest, pending] = await Promise.all([
    publicClient.getTransactionCount({ address: seller, blockTag: "latest" }),
    publicClient.getTransactionCount({ address: seller, blockTag: "pending" }),
  ]);
  if (pending > latest) throw new Error(`the seller has ${pending - latest} pending transaction(s); waiting for them`);

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

async function resolveSeller(kaquan: Chainish, options: AgentOptions): Promise<Account> {
  if (options.privateKey !== undefined) return privateKeyToAccount(options.privateKey);
  const wanted = options.seller;
  if (wanted === undefined || wanted === "") throw new Error("Which seller? Pass --seller <account index or address>.");
  const accounts = await kaquan.accounts();
  let address: Address | undefined;
  if (/^#?\d+$/.test(wanted)) {
    address = accounts[Number(wanted.replace("#", ""))];
    if (address === undefined) throw new Error(`The node has no account #${wanted} (it has ${accounts.length}).`);
  } else if (isAddress(wanted, { strict: false })) {
    address = accounts.find((a) => a.toLowerCase() === wanted.toLowerCase());
    if (address === undefined) {
      throw new Error(
        `The node does not sign for ${wanted}. On a public chain, give the seller's key in KAQUAN_AGENT_PRIVATE_KEY.`,
      );
    }
  } else {
    throw new Error(`--seller must be an account index or an address, not "${wanted}".`);
  }
  // A JSON-RPC account: the node signs (its test accounts are unlocked).
  return { address: getAddress(address), type: "json-rpc" };
}

function freshState(deployment: Deployment, seller: Address): AgentState {
  return {
    version: 1,
    chainId: deployment.chainId,
    exchange: deployment.voucherExchange,
    deployedAt: deployment.deployedAt,
    seller,
    lastBlock: deployment.startBlock - 1,
    delivered: {},
    skipped: {},
  };
}

function loadState(file: string, deployment: Deployment, seller: Address, log: (m: string) => void): AgentState {
  let saved: AgentState;
  try {
    saved = JSON.parse(readFileSync(file, "utf8")) as AgentState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") log(`Ignoring unreadable ${file}: starting over.`);
    return freshState(deployment, seller);
  }
  if (
    saved.version !== 1 ||
    saved.exchange !== deployment.voucherExchange ||
    saved.deployedAt !== deployment.deployedAt ||
    saved.seller !== seller
  ) {
    log(`${path.basename(file)} belongs to another deployment: starting over.`);
    return freshState(deployment, seller);
  }
  return saved;
}

function saveState(file: string, state: AgentState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, file);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
