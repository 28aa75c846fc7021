/**
 * Form validation that runs before any signature: every check returns a plain sentence the form shows next to the
 * field. The on-chain rules they mirror are named in each function. Pure: no React, no browser APIs.
 */
import { isAddress, zeroAddress, type Address } from "viem";
import { DAY, formatUnits } from "./format.ts";

export type Check<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Check<T> => ({ ok: true, value });
const fail = <T>(error: string): Check<T> => ({ ok: false, error });

/** Smallest listing price in base units of the payment token (VoucherExchange.MIN_PRICE). */
export const MIN_PRICE = 10_000n;
/** Largest listing price: prices are stored as uint96 (PriceOutOfRange above it). */
export const MAX_PRICE = 2n ** 96n - 1n;
/** Face values are uint128 in minor units (two decimals). */
export const MAX_FACE_VALUE = 2n ** 128n - 1n;
/** Cards per `mintBatch` / `listBatch` (MAX_BATCH on both contracts). */
export const MAX_BATCH = 50;
/** Protocol fee bounds in bps (MIN_FEE_BPS, MAX_FEE_BPS). */
export const MIN_FEE_BPS = 100;
export const MAX_FEE_BPS = 300;
/** Longest card code accepted by the form (the sealed payload goes into calldata and an event). */
export const MAX_CODE_LENGTH = 200;

/**
 * A decimal amount typed by a person, in units with `decimals` fraction digits, as base units. Refuses empty input,
 * signs, exponents, separators and more fraction digits than the unit has; zero is refused unless `allowZero`.
 */
export function parseAmount(input: string, decimals: number, label = "Amount", allowZero = false): Check<bigint> {
  const text = input.trim();
  if (text === "") return fail(`${label} is required.`);
  if (text.startsWith("-")) return fail(`${label} cannot be negative.`);
  if (!/^\d*\.?\d*$/.test(text) || text === ".") return fail(`${label} must be a number like 12.50.`);
  const [whole = "", fraction = ""] = text.split(".");
  if (fraction.length > decimals) {
    return fail(
      decimals === 0
        ? `${label} must be a whole number.`
        : `${label} can have at most ${decimals} decimal place${decimals === 1 ? "" : "s"}.`,
    );
  }
  const value = BigInt((whole || "0") + fraction.padEnd(decimals, "0"));
  if (value === 0n && !allowZero) return fail(`${label} must be more than zero.`);
  return ok(value);
}

/** A listing price in the payment token: MIN_PRICE ≤ price ≤ 2^128 - 1 base units (PriceOutOfRange on-chain). */
export function validatePrice(input: string, token: { decimals: number; symbol: string }): Check<bigint> {
  const parsed = parseAmount(input, token.decimals, "Price");
  if (!parsed.ok) return parsed;
  if (parsed.value < MIN_PRICE) {
    return fail(`Price must be at least ${formatUnits(MIN_PRICE, token.decimals, token.decimals)} ${token.symbol}.`);
  }
  if (parsed.value > MAX_PRICE) return fail("Price is too large.");
  return parsed;
}

/** A face value in the brand's currency (two decimals) as minor units; zero is refused (InvalidFaceValue). */
export function validateFaceValue(input: string): Check<bigint> {
  const parsed = parseAmount(input, 2, "Face value");
  if (!parsed.ok) return parsed;
  if (parsed.value > MAX_FACE_VALUE) return fail("Face value is too large.");
  return parsed;
}

/**
 * An expiry date "YYYY-MM-DD" as unix seconds at the end of that day (23:59:59 UTC). It must lie in the future
 * (`now` is chain time in seconds), or the token refuses it (InvalidExpiry).
 */
export function validateExpiry(input: string, now: number): Check<bigint> {
  const text = input.trim();
  if (text === "") return fail("Expiry date is required.");
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return fail("Expiry must be a date like 2027-06-30.");
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const start = Date.UTC(year, month - 1, day);
  const date = new Date(start);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return fail("Expiry is not a real calendar date.");
  }
  const endOfDay = start / 1000 + DAY - 1;
  if (endOfDay <= now) return fail("Expiry date is in the past: an expired card cannot be sold.");
  return ok(BigInt(endOfDay));
}

export interface BrandChoice {
  id: number;
  name: string;
  active: boolean;
}

/** A brand id picked in a form: it must exist (UnknownBrand) and accept new vouchers (BrandInactive). */
export function validateBrand(input: string | number, brands: readonly BrandChoice[]): Check<number> {
  const text = String(input).trim();
  if (text === "") return fail("Choose a brand.");
  const id = Number(text);
  const brand = Number.isInteger(id) ? brands.find((b) => b.id === id) : undefined;
  if (!brand) return fail("Unknown brand: pick one from the list.");
  if (!brand.active) return fail(`${brand.name} is paused and accepts no new vouchers.`);
  return ok(id);
}

/** A card code as printed on the card: not empty, at most MAX_CODE_LENGTH characters, trimmed. */
export function validateCode(input: string): Check<string> {
  const code = input.trim();
  if (code === "") return fail("Card code is required.");
  if (code.length > MAX_CODE_LENGTH) return fail(`Card code is longer than ${MAX_CODE_LENGTH} characters.`);
  return ok(code);
}

/** A non-zero address. */
export function validateAddress(input: string, label = "Address"): Check<Address> {
  const text = input.trim();
  if (text === "") return fail(`${label} is required.`);
  if (!isAddress(text, { strict: false })) return fail(`${label} is not a valid address.`);
  if (text.toLowerCase() === zeroAddress) return fail(`${label} cannot be the zero address.`);
  return ok(text as Address);
}

/** A protocol fee typed as a percentage ("2", "2.5") as bps within [1%, 3%] (FeeOutOfBounds on-chain). */
export function validateFeePercent(input: string): Check<number> {
  const parsed = parseAmount(input, 2, "Fee");
  if (!parsed.ok) return parsed;
  const bps = Number(parsed.value);
  if (bps < MIN_FEE_BPS || bps > MAX_FEE_BPS) return fail("Fee must be between 1% and 3%.");
  return ok(bps);
}

/** Three level shares typed as percentages of the fee, as bps summing to at most 100% (InvalidLevelShares). */
export function validateLevelShares(inputs: readonly [string, string, string]): Check<[number, number, number]> {
  const bps: number[] = [];
  for (const [i, input] of inputs.entries()) {
    const parsed = parseAmount(input, 2, `Level ${i + 1} share`, true);
    if (!parsed.ok) return parsed;
    bps.push(Number(parsed.value));
  }
  const sum = bps[0] + bps[1] + bps[2];
  if (sum > 10_000) return fail("Level shares add up to more than 100% of the fee.");
  return ok([bps[0], bps[1], bps[2]]);
}

/**
 * Brand name, category or currency: 1–32 bytes of UTF-8 and none of `"` `\` `<` `>` `&` or control characters, which
 * would break the on-chain JSON and SVG (InvalidBrandText).
 */
export function validateBrandText(input: string, label: string): Check<string> {
  const text = input.trim();
  if (text === "") return fail(`${label} is required.`);
  if (new TextEncoder().encode(text).length > 32) return fail(`${label} is longer than 32 bytes.`);
  // eslint-disable-next-line no-control-regex
  if (/["\\<>&\u0000-\u001f\u007f]/.test(text))
    return fail(`${label} cannot contain " \\ < > & or control characters.`);
  return ok(text);
}

/** A currency code: three capital letters (ISO 4217). */
export function validateCurrency(input: string): Check<string> {
  const text = input.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(text)) return fail("Currency must be a three-letter code such as CNY or USD.");
  return ok(text);
}

/** One card of a mint form, every field checked. */
export interface MintInput {
  brandId: string;
  faceValue: string;
  expiry: string;
  code: string;
}

export interface MintRequestDraft {
  brandId: number;
  faceValue: bigint;
  expiresAt: bigint;
  code: string;
}

export type MintErrors = Partial<Record<keyof MintInput, string>>;

export function validateMint(
  input: MintInput,
  brands: readonly BrandChoice[],
  now: number,
): { ok: true; value: MintRequestDraft } | { ok: false; errors: MintErrors } {
  const brand = validateBrand(input.brandId, brands);
  const faceValue = validateFaceValue(input.faceValue);
  const expiry = validateExpiry(input.expiry, now);
  const code = validateCode(input.code);
  if (brand.ok && faceValue.ok && expiry.ok && code.ok) {
    return {
      ok: true,
      value: { brandId: brand.value, faceValue: faceValue.value, expiresAt: expiry.value, code: code.value },
    };
  }
  const errors: MintErrors = {};
  if (!brand.ok) errors.brandId = brand.error;
  if (!faceValue.ok) errors.faceValue = faceValue.error;
  if (!expiry.ok) errors.expiry = expiry.error;
  if (!code.ok) errors.code = code.error;
  return { ok: false, errors };
}
