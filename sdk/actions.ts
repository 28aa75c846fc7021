/**
 * Every user operation as one function of a viem wallet client: simulate (a revert costs nothing and says why) →
 * write → wait for the receipt. Any failure is thrown as a `KaquanError` carrying the decoded custom error
 * (`{ name, args, message }`). Operations that involve code delivery do the crypto too: `mint` fingerprints the card
 * number, commits to the code and seals both to the holder's vault, `buy` derives the per-order key, `deliver` re-seals
 * the vault copy to the buyer, `dispute` seals the order key to the arbiter and pays the bond, and the arbiter's
 * `checkDispute` opens that evidence with the arbiter's own key.
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
  checkDelivery,
  commitmentsOf,
  createKeyring,
  fromBytes32,
  prepareDelivery,
  prepareMint,
  reseal,
  toBytes32,
  type CardCommitments,
  type DeliveryCheck,
  type KeyPair,
  type KeyPurpose,
  type Keyring,
} from "./codeDelivery.ts";
import { Status } from "./constants.ts";
import { decodeError, describeRevert, KaquanError } from "./errors.ts";
import { sealEvidence, verifyEvidence, type EvidenceResult } from "./evidence.ts";
import { getOrder, getSealedCode, getTrade, type KaquanReader, type OrderDetails } from "./reads.ts";

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
 * The wallet's key pair for `purpose` (`"vault"`, `` `order:${tradeId}` ``, or `"arbiter"` for the arbiter's evidence
 * key): the wallet signs the key message once per session, later calls reuse the key.
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
  /** In minor units of the brand's currency (cents, fen): one of the brand's denominations. */
  faceValue: bigint;
  /** Unix seconds. */
  expiresAt: bigint;
  /**
   * The number printed on the card. Its fingerprint (`cardHash`) goes on chain, so the brand refuses a second voucher
   * for it; the number itself only in the copy sealed to your vault and, after a sale, to the buyer.
   */
  cardNumber: string;
  /** The secret code (PIN); only its commitment and a copy sealed to your vault go on chain. */
  code: string;
}

/** Mints a coded voucher to the wallet, its card number and code sealed to the wallet's vault key. */
export async function mint(kaquan: Kaquan, card: Card, options?: WriteOptions) {
  const { tokenIds, receipt } = await mintBatch(kaquan, [card], options);
  return { tokenId: tokenIds[0], receipt };
}

/** One card of a `mintBatch` as the token takes it (IVoucherToken.MintRequest). */
export type MintRequest = ContractFunctionArgs<typeof voucherTokenAbi, "nonpayable", "mintBatch">[0][number];

/** The write that mints `requests`: `mint` for one card (cheaper), `mintBatch` for several. */
export function mintCall(voucherToken: Address, requests: readonly MintRequest[]): Call {
  if (requests.length !== 1) return contractCall(voucherToken, voucherTokenAbi, "mintBatch", [requests]);
  const [{ brandId, faceValue, expiresAt, cardHash, codeHash, sealedCode }] = requests;
  const args = [BigInt(brandId), faceValue, expiresAt, cardHash, codeHash, sealedCode] as const;
  return contractCall(voucherToken, voucherTokenAbi, "mint", args);
}

/** Mints up to MAX_BATCH coded vouchers to the wallet in one transaction. */
export async function mintBatch(kaquan: Kaquan, cards: readonly Card[], options?: WriteOptions) {
  const vault = await deriveKey(kaquan, "vault");
  const requests = cards.map((card) => {
    const { cardHash, codeHash, sealedCode } = prepareMint(card, vault.publicKey);
    const { brandId, faceValue, expiresAt } = card;
    return { brandId: Number(brandId), faceValue, expiresAt, cardHash, codeHash, sealedCode };
  });
  const call = mintCall(token(kaquan), requests);
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

/**
 * The brand's issuer attests a self-declared card it found in its own records, at `faceValue` (which must be the
 * voucher's): the market shows it as verified.
 */
export function attest(kaquan: Kaquan, tokenId: bigint, faceValue: bigint, options?: WriteOptions) {
  return onToken(kaquan, "attest", [tokenId, faceValue], options);
}

/** The brand's issuer withdraws its attestation. */
export function revokeAttestation(kaquan: Kaquan, tokenId: bigint, options?: WriteOptions) {
  return onToken(kaquan, "revokeAttestation", [tokenId], options);
}

/**
 * The owner sets the face values a brand's cards come in (strictly increasing, at most MAX_DENOMINATIONS), or with an
 * empty list the largest face value it accepts.
 */
export function setDenominations(
  kaquan: Kaquan,
  brandId: number | bigint,
  { faceValues = [], maxFaceValue = 0n }: { faceValues?: readonly bigint[]; maxFaceValue?: bigint },
  options?: WriteOptions,
) {
  return onToken(kaquan, "setDenominations", [BigInt(brandId), faceValues, maxFaceValue], options);
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

/** A coded order's commitments, or an Error saying it has none. */
function commitmentsOfOrder(order: OrderDetails): CardCommitments {
  const commitments = commitmentsOf(order.voucher);
  if (!commitments) throw new Error(`Order #${order.id} is not a coded purchase.`);
  return commitments;
}

/**
 * The buyer opens an order's delivery with its order key and checks the card number and the code against the
 * voucher's commitments. Local: nothing is sent.
 */
export async function openDelivery(kaquan: Kaquan, tradeId: bigint): Promise<DeliveryCheck> {
  const order = await getOrder(kaquan, tradeId);
  if (!order.delivery) throw new Error(`Order #${tradeId} has no delivery yet.`);
  const orderKey = await deriveKey(kaquan, `order:${tradeId}`);
  return checkDelivery(order.delivery, orderKey.secretKey, commitmentsOfOrder(order));
}

/** Keeps a bought card: opens the delivery with the order key and re-seals it to the wallet's own vault. */
export async function keepCode(kaquan: Kaquan, tradeId: bigint, options?: WriteOptions) {
  const order = await getOrder(kaquan, tradeId);
  if (!order.delivery) throw new Error(`Order #${tradeId} has no delivered code.`);
  const [orderKey, vault] = await Promise.all([deriveKey(kaquan, `order:${tradeId}`), deriveKey(kaquan, "vault")]);
  const sealed = reseal(order.delivery, orderKey.secretKey, commitmentsOfOrder(order), vault.publicKey);
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
  const commitments = commitmentsOfOrder(order);
  if (!order.buyerKey) throw new Error(`Order #${tradeId} is not a coded purchase.`);
  const [vaultCopy, vault] = await Promise.all([
    getSealedCode(kaquan, order.trade.tokenId, me(kaquan)),
    deriveKey(kaquan, "vault"),
  ]);
  if (!vaultCopy) throw new Error(`Your vault holds no code for voucher #${order.trade.tokenId}.`);
  const ciphertext = prepareDelivery(vaultCopy, vault.secretKey, commitments, order.buyerKey);
  return deliverCode(kaquan, tradeId, ciphertext, options);
}

/** Posts an already sealed delivery (see `prepareDelivery`). */
export function deliverCode(kaquan: Kaquan, tradeId: bigint, ciphertext: Hex, options?: WriteOptions) {
  return onExchange(kaquan, "deliverCode", [tradeId, ciphertext], options);
}

/** The buyer accepts the delivered code: the sale settles. */
export const confirm = /* @__PURE__ */ onTrade("confirm");

/** What disputing an order costs and where its evidence goes: the bond (in the order's token) and the arbiter's key. */
export async function getDisputeTerms(kaquan: KaquanReader, tradeId: bigint) {
  const ex = { address: kaquan.deployment.voucherExchange, abi: voucherExchangeAbi } as const;
  const [trade, bond, arbiterKey] = await Promise.all([
    getTrade(kaquan, tradeId),
    kaquan.publicClient.readContract({ ...ex, functionName: "disputeBond", args: [tradeId] }),
    kaquan.publicClient.readContract({ ...ex, functionName: "arbiterKey" }),
  ]);
  return { payToken: trade.payToken, bond, arbiterKey };
}

/**
 * The buyer disputes a delivery: pays the dispute bond (`disputeBond(tradeId)`, in the order's token: sent as value for
 * ETH, approved first for an ERC-20 when the allowance is short) and gives the order's secret key sealed to the
 * arbiter's published key, so only the arbiter can open the delivery and check it. Refused before any signature
 * (`NoArbiterKey`) while the arbiter has published no key.
 */
export async function dispute(kaquan: Kaquan, tradeId: bigint, options?: WriteOptions) {
  const { payToken, bond, arbiterKey } = await getDisputeTerms(kaquan, tradeId);
  if (arbiterKey === zeroHash)
    throw new KaquanError({ name: "NoArbiterKey", args: [], message: describeRevert("NoArbiterKey") });
  const orderKey = await deriveKey(kaquan, `order:${tradeId}`);
  const sealedEvidence = sealEvidence(orderKey.secretKey, fromBytes32(arbiterKey));
  if (payToken !== zeroAddress && bond > 0n) {
    const allowance = await kaquan.publicClient.readContract({
      address: payToken,
      abi: testStablecoinAbi,
      functionName: "allowance",
      args: [me(kaquan), exchange(kaquan)],
    });
    if (allowance < bond) await approvePayment(kaquan, payToken, bond, options);
  }
  const value = payToken === zeroAddress ? bond : undefined;
  return onExchange(kaquan, "dispute", [tradeId, sealedEvidence], options, value);
}

/** The arbiter's key pair: derived from its wallet's signature like any key (purpose `arbiter`). */
export function arbiterKeyPair(kaquan: Kaquan): Promise<KeyPair> {
  return deriveKey(kaquan, "arbiter");
}

/** The arbiter publishes its evidence key (the public half of `arbiterKeyPair`): buyers can dispute from then on. */
export async function setArbiterKey(kaquan: Kaquan, options?: WriteOptions) {
  const { publicKey } = await arbiterKeyPair(kaquan);
  return onExchange(kaquan, "setArbiterKey", [toBytes32(publicKey)], options);
}

/**
 * The arbiter opens a dispute's sealed evidence with its own key and checks the delivery: whether the evidence is the
 * buyer's order key, and whether the card number and the code delivered match the voucher's commitments. Local.
 */
export async function checkDispute(kaquan: Kaquan, tradeId: bigint): Promise<EvidenceResult> {
  const [order, { secretKey }] = await Promise.all([getOrder(kaquan, tradeId), arbiterKeyPair(kaquan)]);
  return verifyEvidence(order, secretKey);
}

/** The arbiter rules: refund the buyer, or release the payment to the seller. */
export function resolve(kaquan: Kaquan, tradeId: bigint, refundBuyer: boolean, options?: WriteOptions) {
  return onExchange(kaquan, "resolve", [tradeId, refundBuyer], options);
}

/** The owner sets the dispute bond of future orders, in bps of the price (MIN_/MAX_DISPUTE_BOND_BPS). */
export function setDisputeBond(kaquan: Kaquan, bondBps: number, options?: WriteOptions) {
  return onExchange(kaquan, "setDisputeBond", [bondBps], options);
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
