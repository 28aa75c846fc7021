/**
 * Recyclers' standing offers as people read and write them. A schedule is typed as face values in yuan and rates in
 * percent ("≤ ¥50 85%", "batch of 10+: +3 points", "30 days or less left: −5 points") and checked here before any
 * signature; a unit price is typed as "¥1 face = X token"; a holder's cards are matched to the offer paying the most
 * for them, one sale per brand. The pricing itself (tier, bonus, near-expiry, caps, per-card fee) is the SDK's and the
 * contract's; this module only chooses, words and checks. Pure: no React, no browser APIs.
 */
import { DAY, formatUnits, type TokenInfo } from "./format.ts";
import { parseAmount, type Check, type Problem, type ProblemKey } from "./validation.ts";
import { pegOf, rateOf, type RefRates } from "./money.ts";

/** IVoucherOffers limits (MAX_TIERS, MIN_RATE_BPS, MAX_BONUS_BPS) and the largest uint64 unit price. */
export const MAX_TIERS = 4;
export const MIN_RATE_BPS = 1_000;
export const MAX_BONUS_BPS = 2_000;
export const MAX_UNIT_PRICE = 2n ** 64n - 1n;
const MAX_UINT48 = 2n ** 48n - 1n;
const MAX_BATCH_COUNT = 50;

/** One tier as the contract holds it: cards up to `maxFaceValue` (minor units) at `rateBps`. */
export interface TierLike {
  maxFaceValue: number | bigint;
  rateBps: number;
}

/** A rate schedule as the contract holds it (IVoucherOffers.Schedule). */
export interface ScheduleLike {
  tiers: readonly TierLike[];
  batchMinCount: number;
  batchBonusBps: number;
  nearExpiryDays: number;
  nearExpiryBps: number;
}

/** A schedule ready to send: face values as bigints (uint48 in the contract). */
export interface Schedule {
  tiers: { maxFaceValue: number; rateBps: number }[];
  batchMinCount: number;
  batchBonusBps: number;
  nearExpiryDays: number;
  nearExpiryBps: number;
}

/** A schedule as the editor holds it: what the person typed. */
export interface ScheduleDraft {
  tiers: { maxFace: string; rate: string }[];
  /** Empty or "0": no batch bonus. */
  batchMin: string;
  batchBonus: string;
  /** Empty or "0": no near-expiry adjustment. */
  nearDays: string;
  /** Percentage points, signed: "-5" pays near-expiry cards 5 points less. */
  nearPoints: string;
}

/** The rules the issue quotes: ≤ ¥50 85%, ¥50–200 90%, ¥200–1,000 95%; 10 cards or more +3; 30 days or less −5. */
export const DEFAULT_SCHEDULE_DRAFT: ScheduleDraft = {
  tiers: [
    { maxFace: "50", rate: "85" },
    { maxFace: "200", rate: "90" },
    { maxFace: "1000", rate: "95" },
  ],
  batchMin: "10",
  batchBonus: "3",
  nearDays: "30",
  nearPoints: "-5",
};

/** Where a schedule problem is: `tier.0.face`, `tier.2.rate`, `batchMin`, `batchBonus`, `nearDays`, `nearPoints`, `tiers`. */
export type ScheduleErrors = Record<string, Problem>;

const problem = (key: ProblemKey, values?: Problem["values"]): Problem => (values ? { key, values } : { key });

/** Percent with up to two decimals ("92.5") → basis points. */
function percentToBps(input: string, field: "rate" | "batchBonus" | "nearPoints"): Check<number> {
  const parsed = parseAmount(input, 2, field, true);
  return parsed.ok ? { ok: true, value: Number(parsed.value) } : parsed;
}

/** A whole number typed by a person (days, cards); empty → 0 when `optional`. */
export function parseCount(
  input: string,
  field: "batchMin" | "nearDays" | "maxCards",
  optional = false,
): Check<number> {
  if (optional && input.trim() === "") return { ok: true, value: 0 };
  const parsed = parseAmount(input, 0, field, optional);
  return parsed.ok ? { ok: true, value: Number(parsed.value) } : parsed;
}

/**
 * The editor's schedule checked as IVoucherOffers checks it (InvalidTiers, InvalidBatchBonus, InvalidNearExpiry), each
 * problem at its field: 1 to MAX_TIERS tiers with strictly ascending face values and rates in [MIN_RATE_BPS, 100%];
 * a bonus of at most MAX_BONUS_BPS that needs a minimum count of 2 to 50 cards; a near-expiry adjustment within
 * ±MAX_BONUS_BPS that needs a number of days.
 */
export function validateSchedule(
  draft: ScheduleDraft,
): { ok: true; value: Schedule } | { ok: false; errors: ScheduleErrors } {
  const errors: ScheduleErrors = {};
  const tiers: Schedule["tiers"] = [];
  if (draft.tiers.length === 0) errors.tiers = problem("tiersRequired");
  if (draft.tiers.length > MAX_TIERS) errors.tiers = problem("tooManyTiers", { max: MAX_TIERS });
  let previous = 0n;
  draft.tiers.forEach((tier, i) => {
    const face = parseAmount(tier.maxFace.replace(/[¥￥$,\s]/g, ""), 2, "tierFace");
    if (!face.ok) errors[`tier.${i}.face`] = face.error;
    else if (face.value > MAX_UINT48) errors[`tier.${i}.face`] = problem("tooLarge", { field: "tierFace" });
    else if (face.value <= previous) errors[`tier.${i}.face`] = problem("tiersNotAscending");
    if (face.ok) previous = face.value > previous ? face.value : previous;
    const rate = percentToBps(tier.rate, "rate");
    if (!rate.ok) errors[`tier.${i}.rate`] = rate.error;
    else if (rate.value < MIN_RATE_BPS || rate.value > 10_000) {
      errors[`tier.${i}.rate`] = problem("rateRange", { min: `${MIN_RATE_BPS / 100}%` });
    }
    if (face.ok && rate.ok) tiers.push({ maxFaceValue: Number(face.value), rateBps: rate.value });
  });

  const batchMin = parseCount(draft.batchMin, "batchMin", true);
  const bonus =
    draft.batchBonus.trim() === "" ? { ok: true as const, value: 0 } : percentToBps(draft.batchBonus, "batchBonus");
  if (!batchMin.ok) errors.batchMin = batchMin.error;
  if (!bonus.ok) errors.batchBonus = bonus.error;
  if (batchMin.ok && bonus.ok) {
    if (bonus.value > MAX_BONUS_BPS) errors.batchBonus = problem("bonusRange", { max: `${MAX_BONUS_BPS / 100}` });
    else if (bonus.value > 0 && batchMin.value === 0) errors.batchMin = problem("batchMinRequired");
    else if (batchMin.value !== 0 && (batchMin.value < 2 || batchMin.value > MAX_BATCH_COUNT)) {
      errors.batchMin = problem("batchMinRange", { max: MAX_BATCH_COUNT });
    }
  }

  const nearDays = parseCount(draft.nearDays, "nearDays", true);
  const text = draft.nearPoints.trim().replace(/^[−–]/, "-");
  const negative = text.startsWith("-");
  const points =
    text === "" || text === "-"
      ? { ok: true as const, value: 0 }
      : percentToBps(text.replace(/^[-+]/, ""), "nearPoints");
  if (!nearDays.ok) errors.nearDays = nearDays.error;
  else if (nearDays.value > 65_535) errors.nearDays = problem("tooLarge", { field: "nearDays" });
  if (!points.ok) errors.nearPoints = points.error;
  const nearBps = points.ok ? (negative ? -points.value : points.value) : 0;
  if (points.ok && Math.abs(nearBps) > MAX_BONUS_BPS) {
    errors.nearPoints = problem("nearPointsRange", { max: `${MAX_BONUS_BPS / 100}` });
  } else if (nearDays.ok && points.ok && nearBps !== 0 && nearDays.value === 0) {
    errors.nearDays = problem("nearDaysRequired");
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const batchMinCount = batchMin.ok ? batchMin.value : 0;
  const batchBonusBps = bonus.ok ? bonus.value : 0;
  const nearExpiryDays = nearDays.ok ? nearDays.value : 0;
  return {
    ok: true,
    value: {
      tiers,
      // An unused half is sent as zeros, as the contract reads "none".
      batchMinCount: batchBonusBps === 0 ? 0 : batchMinCount,
      batchBonusBps: batchMinCount === 0 ? 0 : batchBonusBps,
      nearExpiryDays: nearBps === 0 ? 0 : nearExpiryDays,
      nearExpiryBps: nearExpiryDays === 0 ? 0 : nearBps,
    },
  };
}

/** Basis points as the editor shows them: 8500 → "85", 9250 → "92.5". */
export const bpsToPercentText = (bps: number): string => formatUnits(BigInt(bps), 2, 2);

/** Minor units as the editor shows them: 5000 → "50", 5050 → "50.5". */
const minorToText = (minor: number | bigint): string => formatUnits(BigInt(minor), 2, 2).replace(/,/g, "");

/** A schedule on chain → the editor's draft (to edit an offer's rates). */
export function scheduleToDraft(schedule: ScheduleLike): ScheduleDraft {
  return {
    tiers: schedule.tiers.map((t) => ({ maxFace: minorToText(t.maxFaceValue), rate: bpsToPercentText(t.rateBps) })),
    batchMin: schedule.batchMinCount ? String(schedule.batchMinCount) : "",
    batchBonus: schedule.batchBonusBps ? bpsToPercentText(schedule.batchBonusBps) : "",
    nearDays: schedule.nearExpiryDays ? String(schedule.nearExpiryDays) : "",
    nearPoints: schedule.nearExpiryBps
      ? `${schedule.nearExpiryBps < 0 ? "-" : ""}${bpsToPercentText(Math.abs(schedule.nearExpiryBps))}`
      : "",
  };
}

/** A tier's face-value range in minor units: above `from` (exclusive; 0 for the first) up to `to`. */
export interface TierRange {
  from: bigint;
  to: bigint;
  rateBps: number;
}

export function tierRanges(schedule: Pick<ScheduleLike, "tiers">): TierRange[] {
  let from = 0n;
  return schedule.tiers.map((t) => {
    const range = { from, to: BigInt(t.maxFaceValue), rateBps: t.rateBps };
    from = BigInt(t.maxFaceValue);
    return range;
  });
}

/** The rate of one card, part by part, as IVoucherOffers prices it. */
export interface CardRate {
  tierRateBps: number;
  batchBonusBps: number;
  nearExpiryBps: number;
  /** The sum, capped to [1, 10,000]. */
  rateBps: number;
}

/**
 * What an offer's schedule pays for a card of `faceValue` expiring at `expiresAt`, sold now in a sale of `count` cards;
 * undefined when the face value is above the last tier. The same formula as the contract (and the SDK's `cardRate`),
 * kept here for previews of cards that do not exist yet (the editor's "a ¥100 card fetches …", the market's typical
 * card).
 */
export function previewRate(
  schedule: ScheduleLike,
  faceValue: bigint,
  expiresAt: number,
  now: number,
  count = 1,
): CardRate | undefined {
  const tier = schedule.tiers.find((t) => BigInt(t.maxFaceValue) >= faceValue);
  if (!tier) return undefined;
  const batchBonusBps = schedule.batchMinCount !== 0 && count >= schedule.batchMinCount ? schedule.batchBonusBps : 0;
  const nearExpiryBps =
    schedule.nearExpiryDays !== 0 && expiresAt - now <= schedule.nearExpiryDays * DAY ? schedule.nearExpiryBps : 0;
  const sum = tier.rateBps + batchBonusBps + nearExpiryBps;
  return { tierRateBps: tier.rateBps, batchBonusBps, nearExpiryBps, rateBps: Math.min(10_000, Math.max(1, sum)) };
}

/** `price = faceValue × unitPrice × rateBps / 10,000` in the offer's token. */
export const priceAt = (faceValue: bigint, unitPrice: bigint, rateBps: number): bigint =>
  (faceValue * unitPrice * BigInt(rateBps)) / 10_000n;

/** The fee the exchange takes of one card's price (rounded down per card, as it does). */
export const feeOf = (price: bigint, feeBps: number): bigint => (price * BigInt(feeBps)) / 10_000n;

/**
 * The unit price typed as "¥1 face = X token": X with at most `decimals − 2` fraction digits is exactly X × 10^decimals
 * / 100 base units per minor unit (one fen). Zero and amounts beyond uint64 are refused (InvalidOfferParams).
 */
export function parseUnitPrice(input: string, token: Pick<TokenInfo, "decimals">): Check<bigint> {
  const parsed = parseAmount(input, Math.max(0, token.decimals - 2), "unitPrice");
  if (!parsed.ok) return parsed;
  if (parsed.value > MAX_UNIT_PRICE) return { ok: false, error: problem("tooLarge", { field: "unitPrice" }) };
  return parsed;
}

/** How much of the token ¥1 (100 minor units) of face value is worth at 100%: 10,000 (kCNY) → "1". */
export function unitPriceText(unitPrice: bigint, token: Pick<TokenInfo, "decimals">): string {
  return formatUnits(unitPrice * 100n, token.decimals, token.decimals).replace(/,/g, "");
}

/**
 * The unit price to start from: one minor unit of face value at par in a token pegged to the card's currency (1 fen =
 * 10,000 base units of kCNY), else converted at the reference rates and rounded to four significant digits; undefined
 * without a rate.
 */
export function defaultUnitPrice(
  token: Pick<TokenInfo, "symbol" | "decimals">,
  currency: string,
  rates: RefRates,
): bigint | undefined {
  if (pegOf(token) === currency && token.decimals >= 2) return 10n ** BigInt(token.decimals - 2);
  const from = rateOf(currency, rates);
  const to = rateOf(token.symbol, rates);
  if (from === undefined || to === undefined || to === 0) return undefined;
  const perMinor = (from / to / 100) * 10 ** token.decimals;
  if (!(perMinor >= 1)) return undefined;
  const digits = Math.floor(Math.log10(perMinor));
  const scale = 10 ** Math.max(0, digits - 3);
  return BigInt(Math.round(perMinor / scale)) * BigInt(scale);
}

/** How many cards of `faceValue` a budget pays for at the schedule's rate for that face value (sold alone). */
export function cardsCovered(budget: bigint, schedule: ScheduleLike, unitPrice: bigint, faceValue: bigint): number {
  const rate = previewRate(schedule, faceValue, Number.MAX_SAFE_INTEGER, 0);
  if (!rate) return 0;
  const price = priceAt(faceValue, unitPrice, rate.rateBps);
  return price === 0n ? 0 : Number(budget / price);
}

/** The fields of an offer this module reads (IVoucherOffers.OfferView). */
export interface OfferLike {
  offerId: bigint;
  brandId: number;
  payToken: string;
  unitPrice: bigint;
  cardsLeft: number;
  expiresAt: number;
  attestedOnly: boolean;
  open: boolean;
  budget: bigint;
  schedule: ScheduleLike;
}

/** The fields of a card this module reads. */
export interface CardLike {
  tokenId: bigint;
  brandId: number;
  faceValue: bigint;
  expiresAt: bigint | number;
  issuerBacked: boolean;
  attested: boolean;
  disclosed: boolean;
}

/** Why an offer does not buy a card, as a catalog key under `sellNow.why.` (in the order the contract checks). */
export type Refusal = "closed" | "offerExpired" | "brand" | "face" | "attested" | "disclosed" | "expired" | "tooLate";

/**
 * Whether `offer` buys `card` now, and if not why. A coded card must be able to settle before it expires: the order
 * it opens needs `settleWindow` seconds (delivery + confirm windows), as for a purchase.
 */
export function refusal(offer: OfferLike, card: CardLike, now: number, settleWindow: number): Refusal | undefined {
  if (!offer.open) return "closed";
  if (offer.expiresAt <= now) return "offerExpired";
  if (offer.brandId !== card.brandId) return "brand";
  const last = offer.schedule.tiers.at(-1);
  if (!last || BigInt(last.maxFaceValue) < card.faceValue) return "face";
  if (offer.attestedOnly && !card.issuerBacked && !card.attested) return "attested";
  if (card.disclosed) return "disclosed";
  if (Number(card.expiresAt) <= now) return "expired";
  if (!card.issuerBacked && Number(card.expiresAt) < now + settleWindow) return "tooLate";
  return undefined;
}

/** One card of a quoted sale, part by part. */
export interface QuotedCard extends CardRate {
  tokenId: bigint;
  price: bigint;
}

/** A sale of some cards into one offer, as the seller is shown it before signing. */
export interface SaleQuoteLike {
  cards: QuotedCard[];
  total: bigint;
  fee: bigint;
  sellerReceives: bigint;
}

/** Quotes `cards` sold together into `offer` now (the SDK's `quoteCards`, or the contract's `quote`). */
export type QuoteFn<O extends OfferLike, C extends CardLike> = (offer: O, cards: readonly C[]) => SaleQuoteLike;

/**
 * A local quote with the contract's formula (tier + batch bonus + near-expiry, capped; price; fee per card). The page
 * shows the SDK's; this one serves previews and tests.
 */
export function quoteLocally<O extends OfferLike, C extends CardLike>(now: number, feeBps: number): QuoteFn<O, C> {
  return (offer, cards) => {
    const quoted = cards.map((card) => {
      const rate = previewRate(offer.schedule, card.faceValue, Number(card.expiresAt), now, cards.length)!;
      return { tokenId: card.tokenId, ...rate, price: priceAt(card.faceValue, offer.unitPrice, rate.rateBps) };
    });
    const total = quoted.reduce((sum, c) => sum + c.price, 0n);
    const fee = quoted.reduce((sum, c) => sum + feeOf(c.price, feeBps), 0n);
    return { cards: quoted, total, fee, sellerReceives: total - fee };
  };
}

/** A planned sale: these cards into that offer, at this quote. */
export interface PlannedSale<O extends OfferLike, C extends CardLike> {
  offer: O;
  cards: C[];
  quote: SaleQuoteLike;
}

/** Whether the offer can pay for these cards now: cards left and budget. */
const canPay = (offer: OfferLike, count: number, total: bigint) => offer.cardsLeft >= count && offer.budget >= total;

/**
 * The offer paying the seller the most for `cards` sold together (all of one brand), among those that buy every one of
 * them and can pay; compares what the seller receives, so offers in different tokens are compared through `value`
 * (the amount in a common currency; undefined when it cannot be compared: such an offer only wins alone).
 */
export function bestOffer<O extends OfferLike, C extends CardLike>(
  offers: readonly O[],
  cards: readonly C[],
  now: number,
  settleWindow: number,
  quote: QuoteFn<O, C>,
  value: (offer: O, amount: bigint) => number | undefined = (_, amount) => Number(amount),
): PlannedSale<O, C> | undefined {
  let best: { sale: PlannedSale<O, C>; worth: number } | undefined;
  for (const offer of offers) {
    if (cards.length === 0 || cards.some((card) => refusal(offer, card, now, settleWindow))) continue;
    const q = quote(offer, cards);
    if (!canPay(offer, cards.length, q.total)) continue;
    const worth = value(offer, q.sellerReceives) ?? -1;
    if (!best || worth > best.worth) best = { sale: { offer, cards: [...cards], quote: q }, worth };
  }
  return best?.sale;
}

/**
 * A selection split into sales, one per brand where one offer takes them all (cards within a sale sorted by token id,
 * as the contract requires), or over several offers when that pays the seller more (an offer with fewer cards left or
 * less budget, a higher rate for some face values). Cards no offer buys are left out, each with why.
 */
export function planSales<O extends OfferLike, C extends CardLike>(
  offers: readonly O[],
  cards: readonly C[],
  now: number,
  settleWindow: number,
  quote: QuoteFn<O, C>,
  value: (offer: O, amount: bigint) => number | undefined = (_, amount) => Number(amount),
): { sales: PlannedSale<O, C>[]; unsold: { card: C; why: Refusal | "noOffer" }[] } {
  const byBrand = new Map<number, C[]>();
  for (const card of [...cards].sort((a, b) => (a.tokenId < b.tokenId ? -1 : 1))) {
    byBrand.set(card.brandId, [...(byBrand.get(card.brandId) ?? []), card]);
  }
  const sales: PlannedSale<O, C>[] = [];
  const unsold: { card: C; why: Refusal | "noOffer" }[] = [];
  const worth = (plan: PlannedSale<O, C>[]) =>
    plan.reduce((sum, s) => sum + (value(s.offer, s.quote.sellerReceives) ?? 0), 0);
  for (const group of byBrand.values()) {
    const brandOffers = offers.filter((o) => o.brandId === group[0].brandId);
    const sellable = group.filter((card) => bestOffer(brandOffers, [card], now, settleWindow, quote, value));
    for (const card of group.filter((c) => !sellable.includes(c))) {
      const reasons = brandOffers.map((o) => refusal(o, card, now, settleWindow));
      const why =
        reasons.length > 0 && reasons.every((r) => r !== undefined && r === reasons[0]) ? reasons[0]! : "noOffer";
      unsold.push({ card, why });
    }
    if (sellable.length === 0) continue;
    // Greedy: the best offer for the first card left takes every card it buys and can pay for; then the next offer.
    const split: PlannedSale<O, C>[] = [];
    const left: C[] = [];
    let rest = sellable;
    let available = brandOffers;
    while (rest.length > 0) {
      const first = bestOffer(available, [rest[0]], now, settleWindow, quote, value);
      if (!first) {
        left.push(rest[0]);
        rest = rest.slice(1);
        continue;
      }
      let part = rest.filter((card) => !refusal(first.offer, card, now, settleWindow));
      let sale = bestOffer([first.offer], part, now, settleWindow, quote, value);
      while (!sale) {
        part = part.slice(0, -1);
        sale = bestOffer([first.offer], part, now, settleWindow, quote, value);
      }
      split.push(sale);
      rest = rest.filter((card) => !part.includes(card));
      available = available.filter((o) => o !== first.offer);
    }
    // One offer for them all (one transaction, the batch bonus) unless the split pays more.
    const together = bestOffer(brandOffers, sellable, now, settleWindow, quote, value);
    if (together && worth([together]) >= worth(split)) sales.push(together);
    else {
      sales.push(...split);
      unsold.push(...left.map((card) => ({ card, why: "noOffer" as const })));
    }
  }
  return { sales, unsold };
}
