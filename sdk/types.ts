/** The contracts' structs as TypeScript types, derived from the generated ABIs (never restated by hand). */
import type { Address, ContractFunctionName, ContractFunctionReturnType, Hex } from "viem";
import type { voucherExchangeAbi, voucherTokenAbi } from "./abis.ts";

type ExchangeView<name extends ContractFunctionName<typeof voucherExchangeAbi, "view">> = ContractFunctionReturnType<
  typeof voucherExchangeAbi,
  "view",
  name
>;
type TokenView<name extends ContractFunctionName<typeof voucherTokenAbi, "view">> = ContractFunctionReturnType<
  typeof voucherTokenAbi,
  "view",
  name
>;

/**
 * IVoucherExchange.Trade: a listing and, once bought, its order (one id, the trade id). The token id is widened to a
 * bigint (the contract packs it in 48 bits), like every token id in the SDK.
 */
export type Trade = Omit<ExchangeView<"trade">, "tokenId"> & { tokenId: bigint };
/** IVoucherExchange.ListingView: one active listing with its voucher's terms. */
export type Listing = ExchangeView<"activeListings">[number];
/** IVoucherExchange.Split: where a price goes (fee, seller, each distributor level, treasury). */
export type Split = ExchangeView<"quote">;
/** IVoucherToken.Voucher. */
export type Voucher = TokenView<"voucher">;
/** IVoucherToken.Brand with its id. */
export type Brand = TokenView<"brand"> & { id: number; denominations: Denominations };

/** A payment token as apps show it; address(0) is ETH. */
export interface PayToken {
  address: Address;
  symbol: string;
  decimals: number;
  /** The lowest price a listing in this token may have, in its base units (`minPrice(token)`), when read. */
  minPrice?: bigint;
}

/**
 * What a voucher was created as (from its creation event, so it survives redemption), with what happened to it since:
 * `attested` (its brand's issuer checked it in its records, and has not revoked that) and `disclosed` (its code was
 * disclosed in a dispute that refunded the buyer). Issuer-backed vouchers have neither hash.
 */
export type VoucherInfo = Omit<Voucher, "codeHash" | "cardHash"> & {
  tokenId: bigint;
  codeHash: Hex | undefined;
  cardHash: Hex | undefined;
};

/** The face values a brand's cards come in (`faceValues`), or with an empty list the largest one (`maxFaceValue`). */
export interface Denominations {
  faceValues: readonly bigint[];
  /** Zero when the list applies. */
  maxFaceValue: bigint;
}

/** A trader's record as buyers see it next to a listing. */
export interface TraderRecord {
  /** IVoucherExchange.Stats: completed sales and purchases, disputes opened as a buyer, disputes lost. */
  sales: bigint;
  purchases: bigint;
  disputesOpened: bigint;
  disputesLost: bigint;
  /** Distinct vouchers the account ever listed, and how many of them its brand's issuer attested (now). */
  listed: number;
  verified: number;
}

/** A settled sale: what the voucher was, and the price it settled at (seller proceeds + fee). */
export type Sale = Pick<Listing, "tokenId" | "brandId" | "faceValue" | "payToken" | "price"> & {
  tradeId: bigint;
  /** Block timestamp of the settlement. */
  timestamp: number;
};
