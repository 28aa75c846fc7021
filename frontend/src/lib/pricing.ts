/**
 * Prices against face values. A voucher's face value is in its brand's currency (minor units, two decimals) and its
 * price is in the payment token, so comparing them needs reference rates (US dollars per unit). A local chain has no
 * oracle; the rates come from VITE_REF_RATES and the UI says so wherever a discount is shown. Pure: no React.
 */
import { DAY, type TokenInfo } from "./format.ts";
import { MIN_PRICE } from "./validation.ts";

/** US dollars per one unit of a currency (ISO code) or payment token (symbol). */
export type RefRates = Readonly<Record<string, number>>;

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
 * Undefined when either side has no reference rate.
 */
export function discountOf(
  price: bigint,
  token: Pick<TokenInfo, "symbol" | "decimals">,
  faceMinor: bigint,
  currency: string,
  rates: RefRates,
): number | undefined {
  const tokenRate = rates[token.symbol];
  const currencyRate = rates[currency];
  if (tokenRate === undefined || currencyRate === undefined || faceMinor === 0n) return undefined;
  return 1 - usdValue(price, token.decimals, tokenRate) / usdValue(faceMinor, 2, currencyRate);
}

/**
 * The price in `token` that sells `faceMinor` at `discount`, rounded down to a sensible step (a cent for
 * stablecoins, a millionth for 18-decimal tokens) and never below MIN_PRICE. Undefined without rates.
 */
export function priceAtDiscount(
  faceMinor: bigint,
  currency: string,
  discount: number,
  token: Pick<TokenInfo, "symbol" | "decimals">,
  rates: RefRates,
): bigint | undefined {
  const tokenRate = rates[token.symbol];
  const currencyRate = rates[currency];
  if (tokenRate === undefined || currencyRate === undefined) return undefined;
  const units = (usdValue(faceMinor, 2, currencyRate) * (1 - discount)) / tokenRate;
  const stepDecimals = token.decimals <= 6 ? Math.min(2, token.decimals) : 6;
  const steps = BigInt(Math.floor(units * 10 ** stepDecimals));
  const price = steps * 10n ** BigInt(token.decimals - stepDecimals);
  return price < MIN_PRICE ? MIN_PRICE : price;
}

/**
 * The discount guide a seller starts from when its brand has too little market data: cards closer to expiry sell
 * at a deeper discount. Tiers by days left until expiry.
 */
export const DISCOUNT_GUIDE: readonly { maxDays: number; discount: number; label: string }[] = [
  { maxDays: 30, discount: 0.15, label: "30 days or less" },
  { maxDays: 90, discount: 0.1, label: "31–90 days" },
  { maxDays: 180, discount: 0.07, label: "91–180 days" },
  { maxDays: Number.POSITIVE_INFINITY, discount: 0.05, label: "over 180 days" },
];

export function guideDiscount(daysLeft: number): number {
  return DISCOUNT_GUIDE.find((tier) => daysLeft <= tier.maxDays)!.discount;
}

/** How many market prices a brand needs before its average beats the guide. */
export const MIN_MARKET_SAMPLES = 3;

export interface SuggestedDiscount {
  discount: number;
  basis: "market" | "guide";
  samples: number;
}

/**
 * The discount to suggest for a new listing: the brand's average market discount (active asks and recent sales)
 * once it has MIN_MARKET_SAMPLES prices, otherwise the guide tier for the card's remaining life.
 */
export function suggestDiscount(marketDiscounts: readonly number[], expiresAt: bigint, now: number): SuggestedDiscount {
  if (marketDiscounts.length >= MIN_MARKET_SAMPLES) {
    const average = marketDiscounts.reduce((sum, d) => sum + d, 0) / marketDiscounts.length;
    return { discount: Math.round(average * 1000) / 1000, basis: "market", samples: marketDiscounts.length };
  }
  const daysLeft = Math.floor((Number(expiresAt) - now) / DAY);
  return { discount: guideDiscount(daysLeft), basis: "guide", samples: marketDiscounts.length };
}
