/**
 * Form validation that runs before any signature: every check returns a Problem (a catalog key and its values) the
 * form shows, translated, next to the field. The on-chain rules they mirror are named in each function. Pure: no React,
 * no browser APIs.
 */
import { isAddress, zeroAddress, type Address } from "viem";
import {
  faceValueAllowed,
  MAX_CARD_NUMBER_BYTES,
  normalizeCardNumber,
  type Denominations,
  MAX_BATCH,
  MAX_DENOMINATIONS,
  MAX_DISPUTE_BOND_BPS,
  MAX_FACE_VALUE,
  MAX_FEE_BPS,
  MAX_LEVEL_SHARES_BPS,
  MAX_PRICE,
  MIN_DISPUTE_BOND_BPS,
  MIN_FEE_BPS,
  MIN_PRICE_FLOOR as MIN_PRICE,
} from "#sdk";
import { DAY } from "./format.ts";
import { formatMoneyExact } from "./money.ts";

/**
 * What is wrong with an input, as a catalog key under `validation.` and the values it interpolates. A `field` value is
 * itself a key under `field.` (the form's name for the input), translated before it is put into the sentence.
 */
export interface Problem {
  key: ProblemKey;
  values?: Readonly<Record<string, string | number>>;
}

export type ProblemKey =
  | "required"
  | "negative"
  | "notANumber"
  | "wholeNumber"
  | "tooManyDecimals"
  | "notPositive"
  | "priceTooLow"
  | "tooLarge"
  | "expiryRequired"
  | "expiryFormat"
  | "expiryNotADate"
  | "expiryPast"
  | "chooseBrand"
  | "unknownBrand"
  | "brandInactive"
  | "codeTooLong"
  | "faceValueNotOffered"
  | "cardNumberTooLong"
  | "duplicateInBatch"
  | "duplicateCard"
  | "addressInvalid"
  | "addressZero"
  | "feeRange"
  | "sharesTooHigh"
  | "textTooLong"
  | "textBadCharacters"
  | "currencyCode"
  | "batchTooLarge"
  | "ownUpline"
  | "notDistributor"
  | "notAToken"
  | "minimumTooLow"
  | "bondRange"
  | "oneMaximum"
  | "tooManyFaceValues"
  | "faceValueRepeated"
  | "tiersRequired"
  | "tooManyTiers"
  | "tiersNotAscending"
  | "rateRange"
  | "bonusRange"
  | "batchMinRequired"
  | "batchMinRange"
  | "nearPointsRange"
  | "nearDaysRequired"
  | "budgetTooLow"
  | "budgetAboveBalance";

/** The form names of inputs, keys under `field.` in the catalogs. */
export type FieldKey =
  | "amount"
  | "price"
  | "faceValue"
  | "cardNumber"
  | "code"
  | "fee"
  | "levelShare"
  | "address"
  | "upline"
  | "token"
  | "issuer"
  | "brandName"
  | "category"
  | "currency"
  | "minPrice"
  | "disputeBond"
  | "faceValues"
  | "tierFace"
  | "rate"
  | "batchMin"
  | "batchBonus"
  | "nearDays"
  | "nearPoints"
  | "maxCards"
  | "unitPrice"
  | "budget";

export type Check<T> = { ok: true; value: T } | { ok: false; error: Problem };

const ok = <T>(value: T): Check<T> => ({ ok: true, value });
const fail = <T>(key: ProblemKey, values?: Problem["values"]): Check<T> => ({
  ok: false,
  error: values ? { key, values } : { key },
});

/**
 * The on-chain limits the forms check, from the SDK (checked there against the compiled contracts): the lowest
 * minimum price any token may have (a token's own minimum, `minPrice(token)`, is at least this), prices as uint96,
 * face values as uint128 minor units, cards per batch, the fee bounds and the level shares' cap.
 */
export { MAX_BATCH, MAX_FACE_VALUE, MAX_FEE_BPS, MAX_LEVEL_SHARES_BPS, MAX_PRICE, MIN_FEE_BPS } from "#sdk";
export { MIN_PRICE_FLOOR as MIN_PRICE } from "#sdk";
/** Longest card code accepted by the form (the sealed payload goes into calldata and an event). */
export const MAX_CODE_LENGTH = 200;

/**
 * A decimal amount typed by a person, in units with `decimals` fraction digits, as base units. Refuses empty input,
 * signs, exponents, separators and more fraction digits than the unit has; zero is refused unless `allowZero`.
 */
export function parseAmount(
  input: string,
  decimals: number,
  field: FieldKey = "amount",
  allowZero = false,
  extra: Record<string, string | number> = {},
): Check<bigint> {
  const text = input.trim();
  const values = { field, ...extra };
  if (text === "") return fail("required", values);
  if (text.startsWith("-")) return fail("negative", values);
  if (!/^\d*\.?\d*$/.test(text) || text === ".") return fail("notANumber", values);
  const [whole = "", fraction = ""] = text.split(".");
  if (fraction.length > decimals) {
    return decimals === 0 ? fail("wholeNumber", values) : fail("tooManyDecimals", { ...values, count: decimals });
  }
  const value = BigInt((whole || "0") + fraction.padEnd(decimals, "0"));
  if (value === 0n && !allowZero) return fail("notPositive", values);
  return ok(value);
}

/**
 * A listing price in the payment token: the token's minimum (its `minPrice` when read, else the floor every minimum
 * respects) ≤ price ≤ 2^96 - 1 base units (PriceOutOfRange on-chain). The minimum is named in the message as the UI
 * shows money ("¥0.01").
 */
export function validatePrice(
  input: string,
  token: { decimals: number; symbol: string; minPrice?: bigint },
  minPrice: bigint = token.minPrice ?? MIN_PRICE,
): Check<bigint> {
  const parsed = parseAmount(input, token.decimals, "price");
  if (!parsed.ok) return parsed;
  if (parsed.value < minPrice) return fail("priceTooLow", { min: formatMoneyExact(minPrice, token) });
  if (parsed.value > MAX_PRICE) return fail("tooLarge", { field: "price" });
  return parsed;
}

/**
 * A face value in the brand's currency (two decimals) as minor units; zero is refused (InvalidFaceValue), and so is a
 * value outside the brand's denominations (FaceValueNotAllowed), whose list the message names (`offered`, in major
 * units: "100 / 200 / 500").
 */
export function validateFaceValue(input: string, denominations?: Denominations): Check<bigint> {
  const parsed = parseAmount(input.replace(/[¥￥$,\s]/g, ""), 2, "faceValue");
  if (!parsed.ok) return parsed;
  if (parsed.value > MAX_FACE_VALUE) return fail("tooLarge", { field: "faceValue" });
  if (denominations && !faceValueAllowed(denominations, parsed.value)) {
    const major = (minor: bigint) => (minor % 100n === 0n ? String(minor / 100n) : (Number(minor) / 100).toFixed(2));
    const offered =
      denominations.maxFaceValue > 0n
        ? `≤ ${major(denominations.maxFaceValue)}`
        : denominations.faceValues.map(major).join(" / ");
    return fail("faceValueNotOffered", { offered });
  }
  return parsed;
}

/**
 * An expiry date "YYYY-MM-DD" as unix seconds at the end of that day (23:59:59 UTC). It must lie in the future
 * (`now` is chain time in seconds), or the token refuses it (InvalidExpiry).
 */
export function validateExpiry(input: string, now: number): Check<bigint> {
  const text = input.trim();
  if (text === "") return fail("expiryRequired");
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return fail("expiryFormat");
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const start = Date.UTC(year, month - 1, day);
  const date = new Date(start);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return fail("expiryNotADate");
  }
  const endOfDay = start / 1000 + DAY - 1;
  if (endOfDay <= now) return fail("expiryPast");
  return ok(BigInt(endOfDay));
}

export interface BrandChoice {
  id: number;
  name: string;
  active: boolean;
  /** The face values the brand's cards come in (read from the token); unknown: any positive value passes here. */
  denominations?: Denominations;
}

/** A brand id picked in a form: it must exist (UnknownBrand) and accept new vouchers (BrandInactive). */
export function validateBrand(input: string | number, brands: readonly BrandChoice[]): Check<number> {
  const text = String(input).trim();
  if (text === "") return fail("chooseBrand");
  const id = Number(text);
  const brand = Number.isInteger(id) ? brands.find((b) => b.id === id) : undefined;
  if (!brand) return fail("unknownBrand");
  if (!brand.active) return fail("brandInactive", { brand: brand.name });
  return ok(id);
}

/**
 * A card number as printed on the card: not empty once normalised (spaces and dashes do not count), at most
 * MAX_CARD_NUMBER_BYTES of UTF-8; kept as typed (trimmed), which is what the buyer will see.
 */
export function validateCardNumber(input: string): Check<string> {
  const cardNumber = input.trim();
  if (normalizeCardNumber(cardNumber) === "") return fail("required", { field: "cardNumber" });
  if (new TextEncoder().encode(cardNumber).length > MAX_CARD_NUMBER_BYTES) {
    return fail("cardNumberTooLong", { max: MAX_CARD_NUMBER_BYTES });
  }
  return ok(cardNumber);
}

/** A card's secret code (PIN) as printed under the scratch panel: not empty, at most MAX_CODE_LENGTH characters. */
export function validateCode(input: string): Check<string> {
  const code = input.trim();
  if (code === "") return fail("required", { field: "code" });
  if (code.length > MAX_CODE_LENGTH) return fail("codeTooLong", { max: MAX_CODE_LENGTH });
  return ok(code);
}

/** A non-zero address. */
export function validateAddress(input: string, field: FieldKey = "address"): Check<Address> {
  const text = input.trim();
  if (text === "") return fail("required", { field });
  if (!isAddress(text, { strict: false })) return fail("addressInvalid", { field });
  if (text.toLowerCase() === zeroAddress) return fail("addressZero", { field });
  return ok(text as Address);
}

/** A protocol fee typed as a percentage ("2", "2.5") as bps within [1%, 3%] (FeeOutOfBounds on-chain). */
export function validateFeePercent(input: string): Check<number> {
  const parsed = parseAmount(input, 2, "fee");
  if (!parsed.ok) return parsed;
  const bps = Number(parsed.value);
  if (bps < MIN_FEE_BPS || bps > MAX_FEE_BPS) return fail("feeRange");
  return ok(bps);
}

/**
 * Three level shares typed as percentages of the fee, as bps summing to at most `maxSumBps` (InvalidLevelShares
 * on-chain; the exchange keeps at least the rest of every fee).
 */
export function validateLevelShares(
  inputs: readonly [string, string, string],
  maxSumBps = MAX_LEVEL_SHARES_BPS,
): Check<[number, number, number]> {
  const bps: number[] = [];
  for (const [i, input] of inputs.entries()) {
    const parsed = parseAmount(input, 2, "levelShare", true, { level: i + 1 });
    if (!parsed.ok) return parsed;
    bps.push(Number(parsed.value));
  }
  const sum = bps[0] + bps[1] + bps[2];
  if (sum > maxSumBps) return fail("sharesTooHigh", { max: `${maxSumBps / 100}%` });
  return ok([bps[0], bps[1], bps[2]]);
}

/**
 * A dispute bond typed as a percentage of the price ("10", "12.5") as bps within [1%, 50%]
 * (DisputeBondOutOfBounds on-chain).
 */
export function validateDisputeBondPercent(input: string): Check<number> {
  const parsed = parseAmount(input.replace(/[%％\s]/g, ""), 2, "disputeBond");
  if (!parsed.ok) return parsed;
  const bps = Number(parsed.value);
  if (bps < MIN_DISPUTE_BOND_BPS || bps > MAX_DISPUTE_BOND_BPS) {
    return fail("bondRange", { min: `${MIN_DISPUTE_BOND_BPS / 100}%`, max: `${MAX_DISPUTE_BOND_BPS / 100}%` });
  }
  return ok(bps);
}

/** How a brand's face values are set: a list of denominations, or any value up to a maximum. */
export type DenominationMode = "list" | "max";

/**
 * A brand's face values typed in major units ("100, 200, 500"; commas, "，", "、", ";", "/" or spaces between), as
 * `setDenominations` takes them: a list of 1–32 strictly ascending minor-unit values (sorted here), or one maximum
 * (InvalidDenominations on-chain otherwise).
 */
export function validateDenominations(input: string, mode: DenominationMode): Check<Denominations> {
  const parts = input
    .split(/[,，、;；/\s]+/)
    .map((part) => part.replace(/[¥￥$]/g, ""))
    .filter((part) => part !== "");
  if (parts.length === 0) return fail("required", { field: "faceValues" });
  if (mode === "max") {
    if (parts.length !== 1) return fail("oneMaximum");
    const max = validateFaceValue(parts[0]);
    return max.ok ? ok({ faceValues: [], maxFaceValue: max.value }) : max;
  }
  if (parts.length > MAX_DENOMINATIONS) return fail("tooManyFaceValues", { max: MAX_DENOMINATIONS });
  const values: bigint[] = [];
  for (const part of parts) {
    const value = validateFaceValue(part);
    if (!value.ok) return value;
    if (values.includes(value.value)) return fail("faceValueRepeated", { value: part });
    values.push(value.value);
  }
  return ok({ faceValues: values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), maxFaceValue: 0n });
}

/**
 * Brand name, category or currency: 1–32 bytes of UTF-8 and none of `"` `\` `<` `>` `&` or control characters, which
 * would break the on-chain JSON and SVG (InvalidBrandText).
 */
export function validateBrandText(input: string, field: FieldKey): Check<string> {
  const text = input.trim();
  if (text === "") return fail("required", { field });
  if (new TextEncoder().encode(text).length > 32) return fail("textTooLong", { field });
  // eslint-disable-next-line no-control-regex
  if (/["\\<>&\u0000-\u001f\u007f]/.test(text)) return fail("textBadCharacters", { field });
  return ok(text);
}

/** A currency code: three capital letters (ISO 4217). */
export function validateCurrency(input: string): Check<string> {
  const text = input.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(text)) return fail("currencyCode");
  return ok(text);
}

/** One card of a mint form, every field checked. */
export interface MintInput {
  brandId: string;
  faceValue: string;
  expiry: string;
  cardNumber: string;
  /** The secret code (PIN). */
  code: string;
}

export interface MintRequestDraft {
  brandId: number;
  faceValue: bigint;
  expiresAt: bigint;
  cardNumber: string;
  code: string;
}

export type MintErrors = Partial<Record<keyof MintInput, Problem>>;

export function validateMint(
  input: MintInput,
  brands: readonly BrandChoice[],
  now: number,
): { ok: true; value: MintRequestDraft } | { ok: false; errors: MintErrors } {
  const brand = validateBrand(input.brandId, brands);
  const denominations = brand.ok ? brands.find((b) => b.id === brand.value)?.denominations : undefined;
  const faceValue = validateFaceValue(input.faceValue, denominations);
  const expiry = validateExpiry(input.expiry, now);
  const cardNumber = validateCardNumber(input.cardNumber);
  const code = validateCode(input.code);
  if (brand.ok && faceValue.ok && expiry.ok && cardNumber.ok && code.ok) {
    return {
      ok: true,
      value: {
        brandId: brand.value,
        faceValue: faceValue.value,
        expiresAt: expiry.value,
        cardNumber: cardNumber.value,
        code: code.value,
      },
    };
  }
  const errors: MintErrors = {};
  if (!brand.ok) errors.brandId = brand.error;
  if (!faceValue.ok) errors.faceValue = faceValue.error;
  if (!expiry.ok) errors.expiry = expiry.error;
  if (!cardNumber.ok) errors.cardNumber = cardNumber.error;
  if (!code.ok) errors.code = code.error;
  return { ok: false, errors };
}

/**
 * The cards of one batch that repeat an earlier card's number under the same brand (compared normalised, as the
 * brand's registry compares them: "6225 8800" and "6225-8800" are one card), by index, with the line they repeat.
 */
export function duplicatesInBatch(
  cards: readonly { brandId: number | string; cardNumber: string }[],
): Map<number, number> {
  const first = new Map<string, number>();
  const repeats = new Map<number, number>();
  cards.forEach((card, i) => {
    const normalized = normalizeCardNumber(card.cardNumber);
    if (normalized === "") return;
    const key = `${card.brandId}/${normalized}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else repeats.set(i, earlier);
  });
  return repeats;
}

/**
 * Pasted text → one card per non-empty line (at most `max`), each a copy of `template` with that line's fields:
 * `card number, PIN, face value` (the face value may be left out, or carry ¥/$), separated by commas (also "，"), tabs
 * (a spreadsheet's columns), semicolons or "|". A card number may contain spaces.
 */
export function cardsFromPaste(text: string, template: MintInput, max = MAX_BATCH): MintInput[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, max)
    .map((line) => {
      const [cardNumber = "", code = "", faceValue] = line.split(/\s*[,，\t;；|]\s*/).map((part) => part.trim());
      return { ...template, cardNumber, code, faceValue: faceValue ?? template.faceValue };
    });
}
