/** Display formatting for amounts, dates and addresses. Pure: no React, no browser APIs. */

export const DAY = 86_400;

/** A payment token as the UI needs it (address(0) = ETH). */
export interface TokenInfo {
  address: `0x${string}`;
  symbol: string;
  decimals: number;
  /** The lowest listing price in this token, base units (`minPrice(token)`), when read. */
  minPrice?: bigint;
}

export const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = {
  CNY: "¥",
  JPY: "¥",
  USD: "$",
  EUR: "€",
  GBP: "£",
  HKD: "HK$",
  SGD: "S$",
  KRW: "₩",
};

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * `value` in base units with `decimals`, shown with at most `maxFraction` fraction digits (truncated, never rounded
 * up, so a shown amount is never more than the real one), trailing zeros trimmed down to `minFraction`.
 */
export function formatUnits(value: bigint, decimals: number, maxFraction = 6, minFraction = 0): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  let fraction = decimals === 0 ? "" : (abs % base).toString().padStart(decimals, "0").slice(0, maxFraction);
  fraction = fraction.replace(/0+$/, "");
  if (fraction.length < minFraction) fraction = fraction.padEnd(minFraction, "0");
  const text = groupThousands(whole.toString()) + (fraction ? `.${fraction}` : "");
  return negative ? `-${text}` : text;
}

/** "0.0125 ETH", "25.00 kUSD": 2 fraction digits at least for 6-decimal stablecoins, up to 6 for ETH. */
export function formatToken(value: bigint, token: Pick<TokenInfo, "symbol" | "decimals">): string {
  const minFraction = token.decimals <= 6 ? 2 : 0;
  return `${formatUnits(value, token.decimals, 6, minFraction)} ${token.symbol}`;
}

/** Every digit of an amount: what a buyer signs for is shown in full. */
export function formatTokenExact(value: bigint, token: Pick<TokenInfo, "symbol" | "decimals">): string {
  return `${formatUnits(value, token.decimals, token.decimals)} ${token.symbol}`;
}

/** Face value in minor units (two decimals, as the token stores it) with its currency: 50000, CNY → "¥500.00". */
export function formatFaceValue(minor: bigint, currency: string): string {
  const amount = formatUnits(minor, 2, 2, 2);
  const symbol = CURRENCY_SYMBOLS[currency];
  return symbol ? `${symbol}${amount}` : `${amount} ${currency}`;
}

export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** Unix seconds → "2026-12-01" (UTC, like the on-chain card). */
export function formatDate(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString().slice(0, 10);
}

/** Unix seconds → "2026-12-01 14:05 UTC". */
export function formatDateTime(seconds: bigint | number): string {
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Whole days from `now` until `expiresAt` (negative once past), rounded down. */
export function daysUntil(expiresAt: bigint | number, now: number): number {
  return Math.floor((Number(expiresAt) - now) / DAY);
}

const DURATION_UNITS = {
  en: { day: "d", hour: "h", minute: "m", gap: " ", underAMinute: "under a minute" },
  "zh-CN": { day: "天", hour: "小时", minute: "分钟", gap: "", underAMinute: "不到1分钟" },
} as const;

/**
 * A duration in seconds in its two largest units: "2d 4h", "3h 12m", "45m", "under a minute" in English;
 * "2天4小时", "3小时12分钟", "45分钟", "不到1分钟" in Chinese.
 */
export function formatDuration(seconds: number, language: string = "en"): string {
  const u = language === "zh-CN" ? DURATION_UNITS["zh-CN"] : DURATION_UNITS.en;
  if (seconds < 60) return u.underAMinute;
  const days = Math.floor(seconds / DAY);
  const hours = Math.floor((seconds % DAY) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return hours > 0 ? `${days}${u.day}${u.gap}${hours}${u.hour}` : `${days}${u.day}`;
  if (hours > 0) return minutes > 0 ? `${hours}${u.hour}${u.gap}${minutes}${u.minute}` : `${hours}${u.hour}`;
  return `${minutes}${u.minute}`;
}

/** Basis points as a percentage: 200 → "2%", 250 → "2.5%", 3000 → "30%". */
export function formatBps(bps: number | bigint): string {
  return `${formatUnits(BigInt(bps), 2, 2)}%`;
}

/** A ratio as a signed percentage with one decimal: 0.1234 → "12.3%", -0.05 → "-5.0%". */
export function formatPercent(ratio: number): string {
  return `${(Math.round(ratio * 1000) / 10).toFixed(1)}%`;
}
