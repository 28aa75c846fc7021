/**
 * Every user operation as one function of a viem wallet client: simulate (a revert costs nothing and says why) →
 * write → wait for the receipt. Any failure is thrown as a `KaquanError` carrying the decoded custom error
 * (`{ name, args, message }`). Operations that involve code delivery do the crypto too: `mint` commits to the code and
 * seals it to the holder's vault, `buy` derives the per-order key, `deliver` re-seals the vault copy to the buyer.
 */
import {
  parseEventLogs,
  zeroAddress,
  zeroHash,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type Client,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hash,
  type Hex,
  type TransactionReceipt,
  type Transport,
} from "viem";
import { signMessage, writeContract } from "viem/actions";
import { testStablecoinAbi, voucherExchangeAbi, voucherTokenAbi } from "./abis.ts";
import {
  createKeyring,
  prepareDelivery,
  prepareMint,
  reseal,
  toBytes32,
  type KeyPair,
  type KeyPurpose,
  type Keyring,
} from "./codeDelivery.ts";
import { Status } from "./constants.ts";
import { decodeError, KaquanError } from "./errors.ts";
import { getOrder, getSealedCode, getTrade, type KaquanReader } from "./reads.ts";

/**
 * A reader plus the wallet that signs: what every action needs. Any viem client with an account will do (a
 * `createWalletClient({ account, … })`, wagmi's connector client); actions call viem's tree-shakable functions on it.
 */
export interface Kaquan extends KaquanReader {
  walletClient: Client<Transport, Chain | undefined, Account>;
}

type Mutability = "nonpayable" | "payable";

/** A contract write, type-checked where it is built (see `contractCall`). */
export interface Call {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
}

/** A typed contract write: the ABI checks `functionName` and `args` here, so `execute` can take any of them. */
export function contractCall<const abi extends Abi, const functionName extends ContractFunctionName<abi, Mutability>>(
  address: Address,
  abi: abi,
  functionName: functionName,
  args: ContractFunctionArgs<abi, Mutability, functionName>,
  value?: bigint,
): Call {
  return { address, abi: abi as Abi, functionName, args: args as readonly unknown[], value };
}

/** Where a write is: checked by simulation, waiting for the wallet's signature, or sent and waiting to be mined. */
export type WritePhase = "simulating" | "signing" | "pending";

export interface WriteOptions {
  /** Called as the write moves on (the hash comes with "pending"). */
  onPhase?: (phase: WritePhase, hash?: Hash) => void;
}

/**
 * Simulates `call` from the wallet's account, sends it, and waits for the receipt. Throws a `KaquanError` (decoded
 * revert, rejected signature, missing funds…) when any step fails, including a receipt with a reverted status.
 */
export async function execute(kaquan: Kaquan, call: Call, options: WriteOptions = {}): Promise<TransactionReceipt> {
  const { publicClient, walletClient } = kaquan;
  let hash: Hash | undefined;
  try {
    options.onPhase?.("simulating");
    const { request } = await publicClient.simulateContract({ ...call, account: walletClient.account } as never);
    options.onPhase?.("signing");
    hash = await writeContract(walletClient, request as never);
    options.onPhase?.("pending", hash);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") {
      throw new KaquanError({ name: "Reverted", args: [hash], message: "The transaction was reverted on-chain." });
    }
    return receipt;
  } catch (error) {
    if (error instanceof KaquanError) throw error;
    throw new KaquanError(decodeError(error), { cause: error });
  }
}

const exchange = (kaquan: Kaquan) => kaquan.deployment.voucherExchange;
const token = (kaquan: Kaquan) => kaquan.deployment.voucherToken;
const me = (kaquan: Kaquan) => kaquan.walletClient.account.address;

type ExchangeWrite = ContractFunctionName<typeof voucherExchangeAbi, Mutability>;
type TokenWrite = ContractFunctionName<typeof voucherTokenAbi, Mutability>;

/** Executes one exchange function. */
function onExchange<const fn extends ExchangeWrite>(
  kaquan: Kaquan,
  functionName: fn,
  args: ContractFunctionArgs<typeof voucherExchangeAbi, Mutability, fn>,
  options?: WriteOptions,
  value?: bigint,
) {
  return execute(kaquan, contractCall(exchange(kaquan), voucherExchangeAbi, functionName, args, value), options);
}

/** Executes one voucher-token function. */
function onToken<const fn extends TokenWrite>(
  kaquan: Kaquan,
  functionName: fn,
  args: ContractFunctionArgs<typeof voucherTokenAbi, Mutability, fn>,
  options?: WriteOptions,
) {
  return execute(kaquan, contractCall(token(kaquan), voucherTokenAbi, functionName, args), options);
}

let keyring: Keyring | undefined;

/**
 * The wallet's key pair for `purpose` (`"vault"`, or `` `order:${tradeId}` ``): the wallet signs the key message once
 * per session, later calls reuse the key.
 */
export function deriveKey(kaquan: Kaquan, purpose: KeyPurpose): Promise<KeyPair> {
  const { walletClient, deployment } = kaquan;
  const scope = { chainId: deployment.chainId, exchange: deployment.voucherExchange, account: me(kaquan) };
  keyring ??= createKeyring();
  return keyring.derive(scope, purpose, (message) =>
    signMessage(walletClient, { account: walletClient.account, message }),
  );
}

function eventsOf<const abi extends Abi>(receipt: TransactionReceipt, address: Address, abi: abi) {
  const own = receipt.logs.filter((log) => log.address.toLowerCase() === address.toLowerCase());
  return parseEventLogs({ abi, logs: own });
}

// ── Vouchers ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** One coded card to tokenize. */
export interface Card {
  brandId: number | bigint;
  /** In minor units of the brand's currency (cents, fen). */
  faceValue: bigint;
  /** Unix seconds. */
  expiresAt: bigint;
  /** The secret code; only its commitment and a copy sealed to your vault go on chain. */
  code: string;
}

/** Mints a coded voucher to the wallet, its code sealed to the wallet's vault key. */
export async function mint(kaquan: Kaquan, card: Card, options?: WriteOptions) {
  const { tokenIds, receipt } = await mintBatch(kaquan, [card], options);
  return { tokenId: tokenIds[0], receipt };
}

/** Mints up to MAX_BATCH coded vouchers to the wallet in one transaction. */
export async function mintBatch(kaquan: Kaquan, cards: readonly Card[], options?: WriteOptions) {
  const vault = await deriveKey(kaquan, "vault");
  const requests = cards.map(({ brandId, faceValue, expiresAt, code }) => {
    const { codeHash, sealedCode } = prepareMint(code, vault.publicKey);
    return { brandId: Number(brandId), faceValue, expiresAt, codeHash, sealedCode };
  });
  const call =
    requests.length === 1
      ? contractCall(token(kaquan), voucherTokenAbi, "mint", [
          BigInt(requests[0].brandId),
          requests[0].faceValue,
          requests[0].expiresAt,
          requests[0].codeHash,
          requests[0].sealedCode,
        ])
      : contractCall(token(kaquan), voucherTokenAbi, "mintBatch", [requests]);
  const receipt = await execute(kaquan, call, options);
  const tokenIds = eventsOf(receipt, token(kaquan), voucherTokenAbi)
    .filter((log) => log.eventName === "VoucherMinted")
    .map((log) => (log.args as { tokenId: bigint }).tokenId);
  return { tokenIds, receipt };
}

/** The brand's issuer issues an issuer-backed voucher (no code: the token is the card) to `to`. */
export async function issue(
  kaquan: Kaquan,
  {
    to,
    brandId,
    faceValue,
    expiresAt,
  }: { to: Address; brandId: number | bigint; faceValue: bigint; expiresAt: bigint },
  options?: WriteOptions,
) {
  const receipt = await onToken(kaquan, "issue", [to, BigInt(brandId), faceValue, expiresAt], options);
  const [issued] = eventsOf(receipt, token(kaquan), voucherTokenAbi).filter((log) => log.eventName === "VoucherIssued");
  return { tokenId: (issued.args as { tokenId: bigint }).tokenId, receipt };
}

/** The owner spends a voucher: it is burned and can never trade again. */
export function redeem(kaquan: Kaquan, tokenId: bigint, options?: WriteOptions) {
  return onToken(kaquan, "redeem", [tokenId], options);
}

/** Lets the exchange take the wallet's vouchers into custody when they are listed (once per account). */
export async function approveVouchers(kaquan: Kaquan, options?: WriteOptions) {
  const approved = await kaquan.publicClient.readContract({
    address: token(kaquan),
    abi: voucherTokenAbi,
    functionName: "isApprovedForAll",
    args: [me(kaquan), exchange(kaquan)],
  });
  if (approved) return undefined;
  return onToken(kaquan, "setApprovalForAll", [exchange(kaquan), true], options);
}

/** Lets the exchange take `amount` of an ERC-20 from the wallet (a purchase in that token). */
export function approvePayment(kaquan: Kaquan, payToken: Address, amount: bigint, options?: WriteOptions) {
  return execute(kaquan, contractCall(payToken, testStablecoinAbi, "approve", [exchange(kaquan), amount]), options);
}

/** Keeps a bought code: opens the delivery with the order key and re-seals it to the wallet's own vault. */
export async function keepCode(kaquan: Kaquan, tradeId: bigint, options?: WriteOptions) {
  const order = await getOrder(kaquan, tradeId);
  if (!order.delivery || !order.voucher?.codeHash) throw new Error(`Order #${tradeId} has no delivered code.`);
  const [orderKey, vault] = await Promise.all([deriveKey(kaquan, `order:${tradeId}`), deriveKey(kaquan, "vault")]);
  const sealed = reseal(order.delivery, orderKey.secretKey, order.voucher.codeHash, vault.publicKey);
  return onToken(kaquan, "sealCode", [order.trade.tokenId, sealed], options);
}

// ── Listings ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** Lists a voucher for `price` base units of `payToken` (default ETH). Approve the exchange first. */
export async function list(
  kaquan: Kaquan,
  { tokenId, price, payToken = zeroAddress }: { tokenId: bigint; price: bigint; payToken?: Address },
  options?: WriteOptions,
) {
  const { tradeIds, receipt } = await listBatch(kaquan, { tokenIds: [tokenId], prices: [price], payToken }, options);
  return { tradeId: tradeIds[0], receipt };
}

/** Lists up to MAX_BATCH vouchers in one payment token in one transaction. */
export async function listBatch(
  kaquan: Kaquan,
  { tokenIds, prices, payToken = zeroAddress }: { tokenIds: bigint[]; prices: bigint[]; payToken?: Address },
  options?: WriteOptions,
) {
  const call =
    tokenIds.length === 1
      ? contractCall(exchange(kaquan), voucherExchangeAbi, "list", [tokenIds[0], payToken, prices[0]])
      : contractCall(exchange(kaquan), voucherExchangeAbi, "listBatch", [tokenIds, payToken, prices]);
  const receipt = await execute(kaquan, call, options);
  const tradeIds = eventsOf(receipt, exchange(kaquan), voucherExchangeAbi)
    .filter((log) => log.eventName === "Listed")
    .map((log) => (log.args as { tradeId: bigint }).tradeId);
  return { tradeIds, receipt };
}

/** The seller changes a listing's price (a buyer's `maxPrice` guards it against a raise in front of its purchase). */
export function updatePrice(kaquan: Kaquan, tradeId: bigint, price: bigint, options?: WriteOptions) {
  return onExchange(kaquan, "updatePrice", [tradeId, price], options);
}

/** An exchange function that takes only a trade id, as an action. */
function onTrade(functionName: "cancelListing" | "confirm" | "finalize" | "cancelUndelivered" | "expireDispute") {
  return (kaquan: Kaquan, tradeId: bigint, options?: WriteOptions) =>
    onExchange(kaquan, functionName, [tradeId], options);
}

/** The seller withdraws a listing: the voucher comes back. */
export const cancelListing = /* @__PURE__ */ onTrade("cancelListing");

// ── Orders ───────────────────────────────────────────────────────────────────────────────────────────────────────

export interface BuyArgs {
  tradeId: bigint;
  /** The most the wallet pays (default: the current price, so a price raised in front of the purchase reverts). */
  maxPrice?: bigint;
  /** A distributor whose chain earns the referral shares (default none). */
  referrer?: Address;
}

/**
 * Buys a listing: pays in ETH or the listing's ERC-20 (approve it first) and, for a coded voucher, hands the exchange
 * the per-order public key the seller seals the code to. An issuer-backed voucher settles at once.
 */
export async function buy(
  kaquan: Kaquan,
  { tradeId, maxPrice, referrer = zeroAddress }: BuyArgs,
  options?: WriteOptions,
) {
  const trade = await getTrade(kaquan, tradeId);
  const buyerKey = trade.issuerBacked ? zeroHash : toBytes32((await deriveKey(kaquan, `order:${tradeId}`)).publicKey);
  const value = trade.payToken === zeroAddress ? trade.price : undefined;
  const args = [tradeId, maxPrice ?? trade.price, referrer, buyerKey] as const;
  return onExchange(kaquan, "buy", args, options, value);
}

/**
 * The seller delivers an order's code from its vault: the latest copy sealed to the seller is opened with the vault
 * key, checked against the voucher's commitment, and re-sealed to the order's buyer key.
 */
export async function deliver(kaquan: Kaquan, tradeId: bigint, options?: WriteOptions) {
  const order = await getOrder(kaquan, tradeId);
  if (order.trade.status !== Status.AwaitingDelivery) throw new Error(`Order #${tradeId} is not waiting for delivery.`);
  if (!order.buyerKey || !order.voucher?.codeHash) throw new Error(`Order #${tradeId} is not a coded purchase.`);
  const [vaultCopy, vault] = await Promise.all([
    getSealedCode(kaquan, order.trade.tokenId, me(kaquan)),
    deriveKey(kaquan, "vault"),
  ]);
  if (!vaultCopy) throw new Error(`Your vault holds no code for voucher #${order.trade.tokenId}.`);
  const ciphertext = prepareDelivery(vaultCopy, vault.secretKey, order.voucher.codeHash, order.buyerKey);
  return deliverCode(kaquan, tradeId, ciphertext, options);
}

/** Posts an already sealed delivery (see `prepareDelivery`). */
export function deliverCode(kaquan: Kaquan, tradeId: bigint, ciphertext: Hex, options?: WriteOptions) {
  return onExchange(kaquan, "deliverCode", [tradeId, ciphertext], options);
}

/** The buyer accepts the delivered code: the sale settles. */
export const confirm = /* @__PURE__ */ onTrade("confirm");

/** The buyer disputes a delivery, publishing the order's secret key as evidence (the arbiter re-opens the delivery). */
export async function dispute(kaquan: Kaquan, tradeId: bigint, options?: WriteOptions) {
  const evidence = toBytes32((await deriveKey(kaquan, `order:${tradeId}`)).secretKey);
  return onExchange(kaquan, "dispute", [tradeId, evidence], options);
}

/** The arbiter rules: refund the buyer, or release the payment to the seller. */
export function resolve(kaquan: Kaquan, tradeId: bigint, refundBuyer: boolean, options?: WriteOptions) {
  return onExchange(kaquan, "resolve", [tradeId, refundBuyer], options);
}

/** Anyone settles a delivered order whose confirm window passed without a dispute. */
export const finalize = /* @__PURE__ */ onTrade("finalize");

/** Anyone refunds an order whose seller missed the delivery window. */
export const cancelUndelivered = /* @__PURE__ */ onTrade("cancelUndelivered");

/** Anyone closes a dispute the arbiter did not rule on in time. */
export const expireDispute = /* @__PURE__ */ onTrade("expireDispute");

// ── Distributors and credits ─────────────────────────────────────────────────────────────────────────────────────

/** Joins the distributor tree under `upline` (a distributor, or none). */
export function join(kaquan: Kaquan, upline: Address = zeroAddress, options?: WriteOptions) {
  return onExchange(kaquan, "joinDistributors", [upline], options);
}

/** Withdraws the wallet's credits in `payToken` (default ETH): referral shares, fees, deferred payouts. */
export function claim(kaquan: Kaquan, payToken: Address = zeroAddress, options?: WriteOptions) {
  return onExchange(kaquan, "claim", [payToken], options);
}
