/**
 * Money as people read it. A stablecoin pegged to a fiat currency is shown as that currency (kCNY 12.5 → "¥12.50",
 * kUSD → "$12.50"); ETH is shown as ETH with a fiat figure beside it, converted at a reference rate and always marked
 * "≈". Amounts in different currencies are only ever compared after such a clearly labelled conversion. Pure: no
 * React, no browser APIs.
 */
import { CURRENCY_SYMBOLS, formatUnits, type TokenInfo } from "./format.ts";

type TokenLike = Pick<TokenInfo, "symbol" | "decimals">;

/** US dollars per one unit of a currency (ISO code) or payment token (symbol). */
export type RefRates = Readonly<Record<string, number>>;

/** Test and real stablecoins and the fiat currency each is worth one unit of. */
export const PEGS: Readonly<Record<string, string>> = {
  kCNY: "CNY",
  kUSD: "USD",
  USDC: "USD",
  USDT: "USD",
  DAI: "USD",
};

/** The fiat currency a token is pegged to (kCNY → "CNY"), undefined for ETH and other floating tokens. */
export function pegOf(token: Pick<TokenInfo, "symbol">): string | undefined {
  return PEGS[token.symbol];
}

/** US dollars per unit of a currency or token; a pegged token takes its currency's rate. */
export function rateOf(code: string, rates: RefRates): number | undefined {
  return rates[code] ?? (PEGS[code] !== undefined ? rates[PEGS[code]] : undefined);
}

/** "¥1,234.50" for a known currency, "1,234.50 THB" otherwise; `amount` is a decimal string without grouping. */
export function withCurrency(amount: string, currency: string): string {
  const symbol = CURRENCY_SYMBOLS[currency];
  return symbol ? `${symbol}${amount}` : `${amount} ${currency}`;
}

/** A token amount for lists: "¥12.50" (pegged, cents at least), "0.004246 ETH" (up to 6 fraction digits). */
export function formatMoney(value: bigint, token: TokenLike): string {
  const peg = pegOf(token);
  if (peg) return withCurrency(formatUnits(value, token.decimals, 6, 2), peg);
  return `${formatUnits(value, token.decimals, 6, token.decimals <= 6 ? 2 : 0)} ${token.symbol}`;
}

/** Every digit of an amount (what a buyer signs for): "¥12.905", "0.000084920000000001 ETH". */
export function formatMoneyExact(value: bigint, token: TokenLike): string {
  const peg = pegOf(token);
  if (peg) return withCurrency(formatUnits(value, token.decimals, token.decimals, 2), peg);
  return `${formatUnits(value, token.decimals, token.decimals)} ${token.symbol}`;
}

/** `value` of `token` in `currency` at the reference rates; undefined without a rate for either side. */
export function convert(value: bigint, token: TokenLike, currency: string, rates: RefRates): number | undefined {
  const from = rateOf(token.symbol, rates);
  const to = rateOf(currency, rates);
  if (from === undefined || to === undefined) return undefined;
  return ((Number(value) / 10 ** token.decimals) * from) / to;
}

/** Number formats by fraction digits, made once: a thousand market rows format a figure each. */
const FIAT_FORMATS = new Map<number, Intl.NumberFormat>();

/** A converted figure: two decimals under 1,000, whole units above ("¥93.57", "¥1,071"). */
export function formatFiat(amount: number, currency: string): string {
  const digits = Math.abs(amount) < 1000 ? 2 : 0;
  let format = FIAT_FORMATS.get(digits);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    FIAT_FORMATS.set(digits, format);
  }
  return withCurrency(format.format(amount), currency);
}

/**
 * The fiat figure to show beside a token amount when the amount is not already in `currency`: "≈ ¥93.57".
 * Undefined when the token is pegged to `currency` itself (the amount already says it) or a rate is missing.
 */
export function approxFiat(value: bigint, token: TokenLike, currency: string, rates: RefRates): string | undefined {
  if (pegOf(token) === currency) return undefined;
  const amount = convert(value, token, currency, rates);
  return amount === undefined ? undefined : `≈ ${formatFiat(amount, currency)}`;
}
