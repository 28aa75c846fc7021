/**
 * Turns whatever a Kaquan call threw into a structured result: the custom error's name, its decoded arguments and one
 * plain English sentence. Decodes against every Kaquan ABI (a token error can surface through an exchange call) and
 * finds the revert data wherever viem or the node left it: a ContractFunctionRevertedError, or an RPC error's `data`
 * (Hardhat's node answers some reverts with code -32000 and `{ message, data }`, which viem does not treat as a revert
 * and shows as "Missing or invalid parameters."). Falls back to viem's shortMessage. Pure: no React, no browser APIs.
 * The UI translates by `name`; `message` is the English default.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  InsufficientFundsError,
  isHex,
  UserRejectedRequestError,
  type Abi,
  type Hex,
} from "viem";
import { testStablecoinAbi, voucherExchangeAbi, voucherOffersAbi, voucherTokenAbi } from "./abis.ts";
import {
  FAUCET_LIMIT,
  MAX_BATCH,
  MAX_BONUS_BPS,
  MAX_TIERS,
  MIN_RATE_BPS,
  MAX_BRAND_TEXT_BYTES,
  MAX_DENOMINATIONS,
  MAX_DISPUTE_BOND_BPS,
  MAX_FEE_BPS,
  MAX_PRICE,
  MAX_WINDOW,
  MIN_DISPUTE_BOND_BPS,
  MIN_FEE_BPS,
  MAX_LEVEL_SHARES_BPS,
  MIN_PRICE_FLOOR,
  MIN_WINDOW,
  STABLECOIN_DECIMALS,
  statusName,
} from "./constants.ts";

type Args = readonly unknown[];
type AbiError = Extract<Abi[number], { type: "error" }>;

/** What went wrong, for code (`name`, `args`) and for people (`message`). */
export interface DecodedError {
  /**
   * The custom error's name (`EnforcedPause`, `PriceAboveMax`…), or for failures that are not custom errors:
   * `UserRejected` (the wallet said no), `InsufficientFunds`, `Error` (a revert string, in args[0]), `Panic` (its code
   * in args[0]), `Unknown` (anything else; `message` carries what viem or the error said).
   */
  name: string;
  args: Args;
  message: string;
}

const id = (value: unknown) => `#${String(value)}`;
/** Unix seconds → "2026-12-01 14:05 UTC". */
const date = (value: unknown) => `${new Date(Number(value) * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
const short = (value: unknown) => {
  const text = String(value);
  return text.length > 12 ? `${text.slice(0, 6)}…${text.slice(-4)}` : text;
};
const percent = (bps: number | bigint) => `${Number(bps) / 100}%`;
const units = (amount: unknown) => BigInt(amount as bigint).toLocaleString("en-US");
/** Whole days or hours: 3600 → "1 hour", 2592000 → "30 days". */
const duration = (seconds: number) => {
  const [count, unit] = seconds % 86_400 === 0 ? [seconds / 86_400, "day"] : [seconds / 3_600, "hour"];
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
};

/**
 * A sentence for every custom error of IVoucherToken, IVoucherExchange, IVoucherOffers, the test stablecoin and the OZ
 * parts. (The app's zh-CN and en sentences are in frontend/src/i18n, `errors.contract.<name>`.)
 */
export const ERROR_MESSAGES: Record<string, (args: Args) => string> = {
  // IVoucherToken
  UnknownBrand: ([brandId]) => `Brand ${id(brandId)} does not exist.`,
  BrandInactive: ([brandId]) => `Brand ${id(brandId)} is paused and accepts no new vouchers.`,
  InvalidBrandText: ([text]) =>
    `"${String(text)}" cannot be used: brand texts need 1–${MAX_BRAND_TEXT_BYTES} bytes and no " \\ < > & or control characters.`,
  InvalidIssuer: () => "A brand needs an issuer address.",
  NotIssuer: ([, brandId]) => `Only the issuer of brand ${id(brandId)} can issue, attest or revoke its vouchers.`,
  InvalidFaceValue: () => "The face value must be more than zero.",
  FaceValueNotAllowed: ([brandId, faceValue]) =>
    `Brand ${id(brandId)} has no cards with a face value of ${units(faceValue)} minor units: choose one of its denominations.`,
  InvalidDenominations: () =>
    `Denominations must be either a strictly increasing list of 1–${MAX_DENOMINATIONS} face values above zero, or a maximum face value, not both.`,
  MissingCardHash: () => "A card needs its card number.",
  DuplicateCard: ([brandId, , tokenId]) =>
    `This card number is already registered for brand ${id(brandId)} (voucher ${id(tokenId)}): a card can be put on Kaquan only once.`,
  FaceValueMismatch: ([tokenId, faceValue]) =>
    `Voucher ${id(tokenId)} does not have a face value of ${units(faceValue)} minor units, so it cannot be attested at it.`,
  AttestationUnchanged: ([tokenId, attested]) =>
    attested
      ? `Voucher ${id(tokenId)} is already attested.`
      : `Voucher ${id(tokenId)} is not attested, so there is nothing to revoke.`,
  CodeWasDisclosed: ([tokenId]) =>
    `The code of voucher ${id(tokenId)} was disclosed in a dispute, so it cannot be attested.`,
  NotExchange: () => "Only the Kaquan exchange can mark a voucher's code as disclosed.",
  InvalidExchange: ([exchange]) =>
    BigInt(exchange as string) === 0n
      ? "The exchange address cannot be zero."
      : `The voucher token already names its exchange (${short(exchange)}); it cannot change.`,
  InvalidExpiry: ([expiresAt]) => `The expiry ${date(expiresAt)} is not in the future.`,
  MissingCodeHash: () => "A coded voucher needs its code commitment.",
  InvalidBatchSize: ([size]) => `A batch must hold between 1 and ${MAX_BATCH} items (this one has ${String(size)}).`,
  NotVoucherOwner: ([, tokenId]) => `You do not own voucher ${id(tokenId)}.`,
  VoucherExpired: ([tokenId, expiresAt]) => `Voucher ${id(tokenId)} expired on ${date(expiresAt)}.`,
  NoCode: ([tokenId]) => `Voucher ${id(tokenId)} is issuer-backed and has no code to seal.`,
  // IVoucherExchange
  PayTokenNotAllowed: ([token]) => `Payment in token ${short(token)} is not accepted.`,
  PriceOutOfRange: ([, minPrice]) =>
    `The price must be at least this token's minimum, ${units(minPrice)} base units, and at most 2^96 - 1 (${units(MAX_PRICE)}).`,
  MinPriceTooLow: ([minPrice]) =>
    `A minimum price of ${units(minPrice)} base units is too low: the floor is ${units(MIN_PRICE_FLOOR)}, so a fee never rounds to zero.`,
  ExpiresBeforeSettlement: ([tradeId, expiresAt, settleBy]) =>
    `Voucher of listing ${id(tradeId)} expires on ${date(expiresAt)}, before a purchase could settle (${date(settleBy)}), so it cannot be bought.`,
  NotSeller: ([, tradeId]) => `Only the seller of trade ${id(tradeId)} can do this.`,
  NotBuyer: ([, tradeId]) => `Only the buyer of order ${id(tradeId)} can do this.`,
  NotArbiter: () => "Only the arbiter can resolve disputes.",
  InvalidStatus: ([tradeId, status]) =>
    `Trade ${id(tradeId)} is ${statusName(Number(status)) ?? "in another state"}, so this action is no longer possible.`,
  PriceAboveMax: () =>
    "The seller changed the price after you opened this page. Nothing was paid: review the new price.",
  SellerCannotBuy: () => "You cannot buy your own listing.",
  VoucherDisclosed: ([tokenId]) =>
    `The code of voucher ${id(tokenId)} was disclosed in a dispute, so it can no longer be sold as a coded card.`,
  MissingBuyerKey: () => "A coded voucher needs your order key to deliver the code to.",
  WrongPayment: () => "The amount sent does not match the price.",
  PaymentShortfall: () => "The payment token delivered less than the price (tokens with transfer fees are refused).",
  EmptyDelivery: () => "The delivery is empty.",
  DeadlineNotReached: ([tradeId, deadline]) => `Order ${id(tradeId)} has to wait until after ${date(deadline)}.`,
  DeadlinePassed: ([tradeId, deadline]) => `The window for order ${id(tradeId)} closed on ${date(deadline)}.`,
  MissingEvidence: () => "A dispute needs the buyer's evidence, sealed to the arbiter.",
  NoArbiterKey: () =>
    "The arbiter has not published its evidence key yet, so a dispute cannot be opened now. Nothing was paid.",
  DisputeBondOutOfBounds: ([bondBps]) =>
    `The dispute bond must be between ${percent(MIN_DISPUTE_BOND_BPS)} and ${percent(MAX_DISPUTE_BOND_BPS)} of the price (got ${percent(bondBps as bigint)}).`,
  AlreadyDistributor: () => "This account is already a distributor.",
  NotDistributor: ([upline]) => `${short(upline)} is not a distributor, so it cannot be your upline.`,
  NothingToClaim: () => "There is nothing to claim in this token.",
  FeeOutOfBounds: ([feeBps]) =>
    `The fee must be between ${percent(MIN_FEE_BPS)} and ${percent(MAX_FEE_BPS)} (got ${percent(feeBps as bigint)}).`,
  InvalidLevelShares: ([sum]) =>
    `Level shares add up to ${percent(sum as bigint)} of the fee; the most is ${percent(MAX_LEVEL_SHARES_BPS)}.`,
  WindowOutOfBounds: () => `Each window must be between ${duration(MIN_WINDOW)} and ${duration(MAX_WINDOW)}.`,
  EnforcedPause: () => "The exchange is paused: new listings, price changes and purchases are stopped for now.",
  ExpectedPause: () => "The exchange is not paused.",
  ZeroAddress: () => "The zero address is not allowed here.",
  NotOffers: () => "Only the offers contract can move an offer's budget or sell into an offer.",
  InvalidOffers: ([offers]) =>
    BigInt(offers as string) === 0n
      ? "The offers contract address cannot be zero."
      : `The exchange already names its offers contract (${short(offers)}); it cannot change.`,
  OfferTokenMismatch: ([offerId, , expected]) =>
    `Offer ${id(offerId)} holds its budget in ${BigInt(expected as string) === 0n ? "ETH" : short(expected)}: top it up in that token.`,
  OfferFundsShort: ([offerId, available, needed]) =>
    `Offer ${id(offerId)} has ${units(available)} base units of budget left, less than the ${units(needed)} this needs.`,
  // IVoucherOffers
  UnknownOffer: ([offerId]) => `Offer ${id(offerId)} does not exist.`,
  OfferClosed: ([offerId]) => `Offer ${id(offerId)} was cancelled and buys nothing more.`,
  OfferExpired: ([offerId, expiresAt]) => `Offer ${id(offerId)} expired on ${date(expiresAt)}.`,
  NotRecycler: ([, offerId]) =>
    `Only the recycler of offer ${id(offerId)} can do this (anyone can cancel it once it has expired).`,
  SellerIsRecycler: ([offerId]) => `You cannot sell into your own offer ${id(offerId)}.`,
  CardsNotAscending: () => "The cards of a sale must be given once each, in ascending token id order.",
  WrongBrand: ([tokenId, , offerBrandId]) =>
    `Voucher ${id(tokenId)} is not of brand ${id(offerBrandId)}, the only brand this offer buys.`,
  FaceValueOutOfSchedule: ([tokenId, faceValue]) =>
    `This offer does not buy voucher ${id(tokenId)}: its face value of ${units(faceValue)} minor units is above the offer's rate schedule.`,
  NotAttested: ([tokenId]) =>
    `This offer buys only cards its brand's issuer verified, and voucher ${id(tokenId)} is not verified.`,
  CardsExhausted: ([offerId, cardsLeft, count]) =>
    `Offer ${id(offerId)} buys ${units(cardsLeft)} more card(s), not ${units(count)}.`,
  TotalBelowMinimum: ([total, minTotal]) =>
    `The recycler changed its rates after you opened this page: the sale would pay ${units(total)} base units, less than the ${units(minTotal)} you accepted. Nothing was sold: review the new quote.`,
  InvalidTiers: () =>
    `A rate schedule needs 1 to ${MAX_TIERS} tiers with face values above zero, each larger than the one before, and rates between ${percent(MIN_RATE_BPS)} and 100%.`,
  InvalidBatchBonus: () =>
    `A batch bonus can be at most ${percent(MAX_BONUS_BPS)}, needs a minimum number of cards, and that minimum can be at most ${MAX_BATCH}.`,
  InvalidNearExpiry: () =>
    `A near-expiry adjustment must be within ±${percent(MAX_BONUS_BPS)} and needs a number of days.`,
  InvalidOfferParams: () =>
    "An offer needs a unit price above zero, at least one card, an expiry in the future and a delivery key.",
  BudgetTooLow: ([amount, minimum]) =>
    BigInt(amount as bigint) === 0n
      ? "The amount must be more than zero."
      : `A budget of ${units(amount)} base units is below the least an offer may hold, ${units(minimum)} (one card at the token's minimum price).`,
  // Test stablecoin
  NotATestChain: ([chainId]) => `The test stablecoin only deploys on test chains (not chain ${String(chainId)}).`,
  FaucetLimit: () =>
    `The faucet hands out at most ${(FAUCET_LIMIT / 10n ** BigInt(STABLECOIN_DECIMALS)).toLocaleString("en-US")} tokens per call.`,
  // OpenZeppelin
  OwnableUnauthorizedAccount: () => "Only the contract owner can do this.",
  OwnableInvalidOwner: () => "That owner address is not valid.",
  ReentrancyGuardReentrantCall: () => "The call tried to re-enter the exchange and was stopped.",
  SafeERC20FailedOperation: ([token]) => `The token transfer failed (${short(token)}).`,
  FailedCall: () => "A transfer to the recipient failed.",
  InsufficientBalance: () => "The contract balance is too low for this transfer.",
  AddressEmptyCode: ([target]) => `${short(target)} is not a contract.`,
  SafeCastOverflowedUintDowncast: () => "A number is too large for this field.",
  ERC721NonexistentToken: ([tokenId]) => `Voucher ${id(tokenId)} does not exist (it may have been redeemed).`,
  ERC721InsufficientApproval: ([, tokenId]) =>
    `The exchange is not approved to move voucher ${id(tokenId)}: approve it first.`,
  ERC721IncorrectOwner: ([, tokenId]) => `Voucher ${id(tokenId)} belongs to someone else.`,
  ERC721InvalidOwner: () => "That owner address is not valid.",
  ERC721InvalidSender: () => "That sender address is not valid.",
  ERC721InvalidReceiver: ([receiver]) => `${short(receiver)} cannot receive vouchers.`,
  ERC721InvalidApprover: () => "That approver is not valid.",
  ERC721InvalidOperator: () => "That operator is not valid.",
  ERC20InsufficientBalance: () => "Your token balance is too low for this payment.",
  ERC20InsufficientAllowance: () => "The exchange may not spend enough of your tokens: approve the amount first.",
  ERC20InvalidSender: () => "That sender address is not valid.",
  ERC20InvalidReceiver: () => "That receiver address is not valid.",
  ERC20InvalidApprover: () => "That approver is not valid.",
  ERC20InvalidSpender: () => "That spender is not valid.",
};

function errorsOf(abi: Abi): AbiError[] {
  return abi.filter((item): item is AbiError => item.type === "error");
}

/** Every custom error any Kaquan call can revert with, once per signature (what decoding matches selectors against). */
const EVERY_ERROR: readonly AbiError[] = (() => {
  const seen = new Set<string>();
  const all: AbiError[] = [];
  for (const item of [
    ...errorsOf(voucherExchangeAbi as Abi),
    ...errorsOf(voucherOffersAbi as Abi),
    ...errorsOf(voucherTokenAbi as Abi),
    ...errorsOf(testStablecoinAbi as Abi),
  ]) {
    const signature = `${item.name}(${item.inputs.map((input) => input.type).join(",")})`;
    if (seen.has(signature)) continue;
    seen.add(signature);
    all.push(item);
  }
  return all;
})();

/**
 * Every custom error any Kaquan call can revert with, once per name: an error two contracts declare with different
 * argument widths (VoucherExpired: uint64 in the token, uint256 in the offers contract) appears once, so the list can
 * encode errors by name and name their arguments; decoding still recognises both selectors.
 */
export const ALL_ERRORS_ABI: readonly AbiError[] = EVERY_ERROR.filter(
  (item, index) => EVERY_ERROR.findIndex((other) => other.name === item.name) === index,
);

/** A custom error name and its arguments as a sentence; unknown names keep their name so nothing is hidden. */
export function describeRevert(errorName: string, args: Args = []): string {
  const message = ERROR_MESSAGES[errorName];
  return message ? message(args) : `The contract refused the call (${errorName}).`;
}

/** Revert data decoded against every Kaquan error, or undefined when it is not one of them. */
export function decodeRevertData(data: Hex | undefined): { name: string; args: Args } | undefined {
  if (!data || data.length < 10) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: EVERY_ERROR, data });
    return { name: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
}

/** The revert data an error carries: viem's decoded revert, or a hex `data` (or `data.data`) anywhere in its causes. */
function revertOf(error: unknown): { name: string; args: Args } | undefined {
  const seen = new Set<unknown>();
  for (let e = error; e instanceof Object && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    if (e instanceof ContractFunctionRevertedError) {
      if (e.data?.errorName !== undefined) return { name: e.data.errorName, args: e.data.args ?? [] };
      const decoded = decodeRevertData(e.raw);
      if (decoded) return decoded;
      if (e.reason) return { name: "Error", args: [e.reason] };
    }
    const data = (e as { data?: unknown }).data;
    const nested = data instanceof Object ? (data as { data?: unknown }).data : undefined;
    for (const candidate of [data, nested]) {
      if (typeof candidate === "string" && isHex(candidate)) {
        const decoded = decodeRevertData(candidate);
        if (decoded) return decoded;
      }
    }
  }
  return undefined;
}

/** What a failed Kaquan read or write means: the custom error with its arguments and a sentence. */
export function decodeError(error: unknown): DecodedError {
  const revert = revertOf(error);
  if (revert && revert.name !== "Panic") {
    const message =
      revert.name === "Error"
        ? `The contract refused the call: ${String(revert.args[0])}.`
        : describeRevert(revert.name, revert.args);
    return { ...revert, message };
  }
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) {
      return { name: "UserRejected", args: [], message: "You rejected the request in your wallet." };
    }
    if (error.walk((e) => e instanceof InsufficientFundsError)) {
      return {
        name: "InsufficientFunds",
        args: [],
        message: "This account does not have enough ETH for the payment and the network fee.",
      };
    }
    return { name: revert?.name ?? "Unknown", args: revert?.args ?? [], message: error.shortMessage };
  }
  return { name: "Unknown", args: [], message: error instanceof Error ? error.message : String(error) };
}

/** One sentence for a failed read or write (`decodeError(error).message`). */
export function describeError(error: unknown): string {
  return decodeError(error).message;
}

/** An Error whose message is the decoded sentence, carrying the structured result: what SDK actions throw. */
export class KaquanError extends Error {
  readonly decoded: DecodedError;
  constructor(decoded: DecodedError, options?: { cause?: unknown }) {
    super(decoded.message, options);
    this.name = "KaquanError";
    this.decoded = decoded;
  }
}
