/**
 * Prices against face values. A voucher's face value is in its brand's currency (minor units, two decimals) and its
 * price is in the payment token. When the token is a stablecoin of that very currency (kCNY for a yuan card) the
 * comparison is exact; otherwise it needs reference rates (US dollars per unit). A local chain has no oracle; the
 * rates come from VITE_REF_RATES and the UI marks every such figure as approximate. Pure: no React.
 */
import { MIN_PRICE_FLOOR as MIN_PRICE } from "#sdk/constants";
import { DAY, type TokenInfo } from "./format.ts";
import { pegOf, rateOf, type RefRates } from "./money.ts";

export type { RefRates } from "./money.ts";

export const DEFAULT_RATES: RefRates = {
  ETH: 3000,
  kUSD: 1,
  USD: 1,
  CNY: 0.14,
  HKD: 0.128,
  EUR: 1.08,
  GBP: 1.27,
  JPY: 0.0067,
  SGD: 0.74,
};

/** The price and the face value are in the same currency: the discount needs no reference rate. */
export function isExactDiscount(token: Pick<TokenInfo, "symbol">, currency: string): boolean {
  return pegOf(token) === currency;
}

/** "ETH=3000,CNY=0.14" → rates merged over the defaults; malformed entries are ignored. */
export function parseRates(text: string | undefined): RefRates {
  const rates: Record<string, number> = { ...DEFAULT_RATES };
  for (const entry of (text ?? "").split(",")) {
    const [key, value] = entry.split("=").map((part) => part.trim());
    const rate = Number(value);
    if (key && value && Number.isFinite(rate) && rate > 0) rates[key] = rate;
  }
  return rates;
}

/** Dollar value of `amount` base units with `decimals` at `rate` dollars per unit (display precision). */
export function usdValue(amount: bigint, decimals: number, rate: number): number {
  return (Number(amount) / 10 ** decimals) * rate;
}

/**
 * Discount of a price against a face value: 0.08 means the buyer pays 92% of face value; negative is a premium.
 * Exact (integer arithmetic, to a millionth) when the token is pegged to the card's currency; otherwise through the
 * reference rates, and undefined when either side has none.
 */
export function discountOf(
  price: bigint,
  token: Pick<TokenInfo, "symbol" | "decimals">,
  faceMinor: bigint,
  currency: string,
  rates: RefRates,
): number | undefined {
  if (faceMinor === 0n) return undefined;
  if (isExactDiscount(token, currency)) {
    // price / 10^decimals over faceMinor / 100, in millionths.
    const ppm = (price * 100n * 1_000_000n) / (faceMinor * 10n ** BigInt(token.decimals));
    return Number(1_000_000n - ppm) / 1_000_000;
  }
  const tokenRate = rateOf(token.symbol, rates);
  const currencyRate = rateOf(currency, rates);
  if (tokenRate === undefined || currencyRate === undefined) return undefined;
  return 1 - usdValue(price, token.decimals, tokenRate) / usdValue(faceMinor, 2, currencyRate);
}

/**
 * The price in `token` that sells `faceMinor` at `discount`, rounded down to a sensible step (a cent for
 * stablecoins, a millionth for 18-decimal tokens) and never below the token's minimum price. Exact when the token is
 * pegged to the card's currency; otherwise through the reference rates, undefined without them.
 */
export function priceAtDiscount(
  faceMinor: bigint,
  currency: string,
  discount: number,
  token: Pick<TokenInfo, "symbol" | "decimals">,
  rates: RefRates,
  minPrice: bigint = MIN_PRICE,
): bigint | undefined {
  const stepDecimals = token.decimals <= 6 ? Math.min(2, token.decimals) : 6;
  let steps: bigint;
  if (isExactDiscount(token, currency)) {
    // faceMinor is in cents; keep (1 - discount) to a tenth of a basis point.
    const keep = BigInt(Math.round((1 - discount) * 100_000));
    steps = (faceMinor * keep * 10n ** BigInt(stepDecimals)) / (100n * 100_000n);
  } else {
    const tokenRate = rateOf(token.symbol, rates);
    const currencyRate = rateOf(currency, rates);
    if (tokenRate === undefined || currencyRate === undefined) return undefined;
    const units = (usdValue(faceMinor, 2, currencyRate) * (1 - discount)) / tokenRate;
    steps = BigInt(Math.floor(units * 10 ** stepDecimals));
  }
  const price = steps * 10n ** BigInt(token.decimals - stepDecimals);
  return price < minPrice ? minPrice : price;
}

/**
 * The discount guide a seller starts from when its brand has too little market data: cards closer to expiry sell
 * at a deeper discount. Tiers by days left until expiry.
 */
export const DISCOUNT_GUIDE: readonly { maxDays: number; discount: number }[] = [
  { maxDays: 30, discount: 0.15 },
  { maxDays: 90, discount: 0.1 },
  { maxDays: 180, discount: 0.07 },
  { maxDays: Number.POSITIVE_INFINITY, discount: 0.05 },
];

export function guideDiscount(daysLeft: number): number {
  return DISCOUNT_GUIDE.find((tier) => daysLeft <= tier.maxDays)!.discount;
}

/** How many completed sales (outliers out) a brand needs before their median beats the guide. */
export const MIN_MARKET_SAMPLES = 3;

/**
 * The median of `values` with outliers left out: from four values on, those outside Tukey's fences (1.5 × the
 * interquartile range beyond the quartiles) are dropped first, so one wash sale at 60% off, or one at a premium,
 * cannot move it. Returns how many values were kept and dropped.
 */
export function robustMedian(values: readonly number[]): { median: number | undefined; kept: number; dropped: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const quantile = (list: number[], q: number) => {
    const at = (list.length - 1) * q;
    const low = Math.floor(at);
    return list[low] + (list[Math.min(low + 1, list.length - 1)] - list[low]) * (at - low);
  };
  let kept = sorted;
  if (sorted.length >= 4) {
    const q1 = quantile(sorted, 0.25);
    const q3 = quantile(sorted, 0.75);
    const fence = 1.5 * (q3 - q1);
    kept = sorted.filter((v) => v >= q1 - fence && v <= q3 + fence);
  }
  return {
    median: kept.length === 0 ? undefined : quantile(kept, 0.5),
    kept: kept.length,
    dropped: sorted.length - kept.length,
  };
}

export interface SuggestedDiscount {
  discount: number;
  basis: "market" | "guide";
  /** The completed sales the median was taken of (after outliers were dropped). */
  samples: number;
}

/**
 * The discount to suggest for a new listing: the median discount of the brand's completed sales with outliers out
 * (asks are not sales: a listing nobody buys says nothing about the price), once there are MIN_MARKET_SAMPLES of them;
 * otherwise the guide tier for the card's remaining life.
 */
export function suggestDiscount(saleDiscounts: readonly number[], expiresAt: bigint, now: number): SuggestedDiscount {
  const { median, kept } = robustMedian(saleDiscounts);
  if (median !== undefined && kept >= MIN_MARKET_SAMPLES) {
    return { discount: Math.round(median * 1000) / 1000, basis: "market", samples: kept };
  }
  const daysLeft = Math.floor((Number(expiresAt) - now) / DAY);
  return { discount: guideDiscount(daysLeft), basis: "guide", samples: kept };
}
