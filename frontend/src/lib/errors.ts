/**
 * Turns whatever a write threw into one plain sentence. Walks viem's error chain to the
 * ContractFunctionRevertedError, decodes the custom error against every Kaquan ABI (a token error can surface
 * through an exchange call), and maps each error name to a sentence; otherwise falls back to viem's shortMessage.
 * Pure: no React, no browser APIs.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  InsufficientFundsError,
  UserRejectedRequestError,
  type Abi,
  type Hex,
} from "viem";
import { formatDateTime, shortAddress } from "./format.ts";
import { testStablecoinAbi, voucherExchangeAbi, voucherTokenAbi } from "../generated/contracts.ts";

type Args = readonly unknown[];
type AbiError = Extract<Abi[number], { type: "error" }>;

const STATUS_NAMES = [
  "unknown",
  "listed",
  "cancelled",
  "awaiting delivery",
  "delivered",
  "disputed",
  "completed",
  "refunded",
];

const id = (value: unknown) => `#${String(value)}`;
const date = (value: unknown) => formatDateTime(Number(value));
const short = (value: unknown) => shortAddress(String(value));

/** A sentence for every custom error of IVoucherToken, IVoucherExchange, the test stablecoin and the OZ parts. */
export const ERROR_MESSAGES: Record<string, (args: Args) => string> = {
  // IVoucherToken
  UnknownBrand: ([brandId]) => `Brand ${id(brandId)} does not exist.`,
  BrandInactive: ([brandId]) => `Brand ${id(brandId)} is paused and accepts no new vouchers.`,
  InvalidBrandText: ([text]) =>
    `"${String(text)}" cannot be used: brand texts need 1–32 bytes and no " \\ < > & or control characters.`,
  InvalidIssuer: () => "A brand needs an issuer address.",
  NotIssuer: ([, brandId]) => `Only the issuer of brand ${id(brandId)} can issue its vouchers.`,
  InvalidFaceValue: () => "The face value must be more than zero.",
  InvalidExpiry: ([expiresAt]) => `The expiry ${date(expiresAt)} is not in the future.`,
  MissingCodeHash: () => "A coded voucher needs its code commitment.",
  InvalidBatchSize: ([size]) => `A batch must hold between 1 and 50 items (this one has ${String(size)}).`,
  NotVoucherOwner: ([, tokenId]) => `You do not own voucher ${id(tokenId)}.`,
  VoucherExpired: ([tokenId, expiresAt]) => `Voucher ${id(tokenId)} expired on ${date(expiresAt)}.`,
  NoCode: ([tokenId]) => `Voucher ${id(tokenId)} is issuer-backed and has no code to seal.`,
  // IVoucherExchange
  PayTokenNotAllowed: ([token]) => `Payment in token ${short(token)} is not accepted.`,
  PriceOutOfRange: () => "The price must be at least 10,000 base units of the payment token and below 2^96.",
  NotSeller: ([, tradeId]) => `Only the seller of trade ${id(tradeId)} can do this.`,
  NotBuyer: ([, orderId]) => `Only the buyer of order ${id(orderId)} can do this.`,
  NotArbiter: () => "Only the arbiter can resolve disputes.",
  InvalidStatus: ([tradeId, status]) =>
    `Trade ${id(tradeId)} is ${STATUS_NAMES[Number(status)] ?? "in another state"}, so this action is no longer possible.`,
  PriceAboveMax: () =>
    "The seller changed the price after you opened this page. Nothing was paid: review the new price.",
  SellerCannotBuy: () => "You cannot buy your own listing.",
  MissingBuyerKey: () => "A coded voucher needs your order key to deliver the code to.",
  WrongPayment: () => "The amount sent does not match the price.",
  PaymentShortfall: () => "The payment token delivered less than the price (tokens with transfer fees are refused).",
  EmptyDelivery: () => "The delivery is empty.",
  DeadlineNotReached: ([tradeId, deadline]) => `Order ${id(tradeId)} has to wait until after ${date(deadline)}.`,
  DeadlinePassed: ([tradeId, deadline]) => `The window for order ${id(tradeId)} closed on ${date(deadline)}.`,
  MissingEvidenceKey: () => "A dispute needs the order's evidence key.",
  AlreadyDistributor: () => "This account is already a distributor.",
  NotDistributor: ([upline]) => `${short(upline)} is not a distributor, so it cannot be your upline.`,
  NothingToClaim: () => "There is nothing to claim in this token.",
  FeeOutOfBounds: ([feeBps]) => `The fee must be between 1% and 3% (got ${Number(feeBps) / 100}%).`,
  InvalidLevelShares: ([sum]) => `Level shares add up to ${Number(sum) / 100}% of the fee; the most is 100%.`,
  WindowOutOfBounds: () => "Each window must be between 1 hour and 30 days.",
  EnforcedPause: () => "The exchange is paused: new listings, price changes and purchases are stopped for now.",
  ExpectedPause: () => "The exchange is not paused.",
  ZeroAddress: () => "The zero address is not allowed here.",
  // Test stablecoin
  NotATestChain: ([chainId]) => `The test stablecoin only deploys on test chains (not chain ${String(chainId)}).`,
  FaucetLimit: () => "The faucet hands out at most 1,000,000 kUSD per call.",
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

/** Every custom error any Kaquan call can revert with, once each. */
export const ALL_ERRORS_ABI: readonly AbiError[] = (() => {
  const seen = new Set<string>();
  const all: AbiError[] = [];
  for (const item of [
    ...errorsOf(voucherExchangeAbi as Abi),
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

/** A custom error name and its arguments as a sentence; unknown names keep their name so nothing is hidden. */
export function describeRevert(errorName: string, args: Args = []): string {
  const message = ERROR_MESSAGES[errorName];
  return message ? message(args) : `The contract refused the call (${errorName}).`;
}

function decodeRaw(raw: Hex | undefined): { errorName: string; args: Args } | undefined {
  if (!raw || raw === "0x") return undefined;
  try {
    const decoded = decodeErrorResult({ abi: ALL_ERRORS_ABI, data: raw });
    return { errorName: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
}

/** One sentence for a failed read or write. */
export function describeError(error: unknown): string {
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      const decoded =
        reverted.data?.errorName !== undefined
          ? { errorName: reverted.data.errorName, args: reverted.data.args ?? [] }
          : decodeRaw(reverted.raw);
      if (decoded && decoded.errorName !== "Error" && decoded.errorName !== "Panic") {
        return describeRevert(decoded.errorName, decoded.args);
      }
      if (reverted.reason) return `The contract refused the call: ${reverted.reason}.`;
    }
    if (error.walk((e) => e instanceof UserRejectedRequestError)) return "You rejected the request in your wallet.";
    if (error.walk((e) => e instanceof InsufficientFundsError)) {
      return "This account does not have enough ETH for the payment and the network fee.";
    }
    return error.shortMessage;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
