/**
 * Protocol facts the TypeScript side needs, each written once. Every ALL_CAPS value here that the contracts also
 * expose (a public constant, the enum, a constructor default) is checked against the compiled contracts by
 * test/sdk/constants.test.ts, so a contract change that is not mirrored here fails the tests.
 */

/** IVoucherExchange.Status, in declaration order: a trade (a listing and the order it becomes) is in one of these. */
export const Status = {
  None: 0,
  Listed: 1,
  Cancelled: 2,
  AwaitingDelivery: 3,
  Delivered: 4,
  Disputed: 5,
  Completed: 6,
  Refunded: 7,
} as const;
export type StatusName = keyof typeof Status;
export type StatusCode = (typeof Status)[StatusName];

/** A status as words: `statusName(Status.AwaitingDelivery)` is "awaiting delivery"; unknown codes give undefined. */
export function statusName(status: number): string | undefined {
  const name = (Object.keys(Status) as StatusName[]).find((key) => Status[key] === status);
  return name?.replace(/(?<=[a-z])(?=[A-Z])/g, " ").toLowerCase();
}

/** Basis points in a whole (fees and shares are in bps of the price and of the fee). */
export const BPS = 10_000;
/** Protocol fee bounds in bps (VoucherExchange.MIN_FEE_BPS, MAX_FEE_BPS): 1% to 3%. */
export const MIN_FEE_BPS = 100;
export const MAX_FEE_BPS = 300;
/**
 * Lowest minimum price any payment token may have, in its base units (VoucherExchange.MIN_PRICE_FLOOR): at 1% a fee
 * never rounds to zero. Each token's own minimum is `minPrice(token)` on the exchange.
 */
export const MIN_PRICE_FLOOR = 10_000n;
/** ETH's minimum price on a fresh exchange: 0.0001 ETH (VoucherExchange.DEFAULT_ETH_MIN_PRICE). */
export const DEFAULT_ETH_MIN_PRICE = 10n ** 14n;
/** Largest price: trades store it as a uint96. */
export const MAX_PRICE = 2n ** 96n - 1n;
/** Largest face value: vouchers store it as a uint128 in minor units of the brand's currency. */
export const MAX_FACE_VALUE = 2n ** 128n - 1n;
/** Cards per `mintBatch` and per `listBatch` (MAX_BATCH on both contracts). */
export const MAX_BATCH = 50;
/** Distributor levels credited on a referred sale (the referrer is level 1). */
export const MAX_LEVELS = 3;
/** Most the level shares may add up to, in bps of the fee: the protocol keeps at least half of every fee. */
export const MAX_LEVEL_SHARES_BPS = 5_000;
/** Ids one `activeListings` call scans. */
export const MAX_PAGE = 250;
/** Bounds of every window the owner sets, in seconds: 1 hour to 30 days. */
export const MIN_WINDOW = 3_600;
export const MAX_WINDOW = 30 * 86_400;
/** Gas forwarded with an ETH push before a payout falls back to a claimable credit. */
export const PUSH_GAS = 30_000;
/** Windows a fresh exchange starts with, in seconds: delivery 1 day, confirm 3 days, arbitration 7 days. */
export const DEFAULT_DELIVERY_WINDOW = 86_400;
export const DEFAULT_CONFIRM_WINDOW = 3 * 86_400;
export const DEFAULT_ARBITRATION_WINDOW = 7 * 86_400;
export const DEFAULT_WINDOWS = {
  delivery: DEFAULT_DELIVERY_WINDOW,
  confirm: DEFAULT_CONFIRM_WINDOW,
  arbitration: DEFAULT_ARBITRATION_WINDOW,
} as const;
/** Level shares of the fee a fresh exchange starts with, in bps of the fee: 30% / 15% / 5%. */
export const DEFAULT_LEVEL1_BPS = 3_000;
export const DEFAULT_LEVEL2_BPS = 1_500;
export const DEFAULT_LEVEL3_BPS = 500;
export const DEFAULT_LEVEL_SHARES = [DEFAULT_LEVEL1_BPS, DEFAULT_LEVEL2_BPS, DEFAULT_LEVEL3_BPS] as const;
/** Most face values a brand's denomination list holds (VoucherToken.MAX_DENOMINATIONS). */
export const MAX_DENOMINATIONS = 32;
/** Dispute bond bounds, in bps of the price: 1% to 50%; a fresh exchange asks 10%. */
export const MIN_DISPUTE_BOND_BPS = 100;
export const MAX_DISPUTE_BOND_BPS = 5_000;
export const DEFAULT_DISPUTE_BOND_BPS = 1_000;
/** Most tiers an offer's rate schedule holds (VoucherOffers.MAX_TIERS). */
export const MAX_TIERS = 4;
/** Lowest rate a tier may pay, in bps of face value: 10% (VoucherOffers.MIN_RATE_BPS). */
export const MIN_RATE_BPS = 1_000;
/** Largest batch bonus, and largest near-expiry adjustment either way, in bps: 10 points (VoucherOffers.MAX_BONUS_BPS). */
export const MAX_BONUS_BPS = 1_000;
/** Offers of a brand one `openOffers` call scans; `bestOffer` looks at the brand's first this many (VoucherOffers.MAX_SCAN). */
export const MAX_SCAN = 100;
/** Longest brand name, category or currency, in UTF-8 bytes. */
export const MAX_BRAND_TEXT_BYTES = 32;
/** Most a TestStablecoin faucet call hands out: 1,000,000 units at 6 decimals. */
export const FAUCET_LIMIT = 1_000_000n * 10n ** 6n;
/** TestStablecoin's decimals. */
export const STABLECOIN_DECIMALS = 6;

/** Hardhat's local chain (in-process network and `hardhat node`). */
export const LOCAL_CHAIN_ID = 31337;
/** Chains TestStablecoin agrees to be deployed on: local, Sepolia, Base Sepolia. */
export const TEST_CHAIN_IDS: readonly number[] = [LOCAL_CHAIN_ID, 11_155_111, 84_532];
