/**
 * Recyclers' standing offers as people read and write them. A schedule is typed as face values in yuan and rates in
 * percent ("≤ ¥50 85%", "batch of 10+: +3 points", "30 days or less left: −5 points") and checked here before any
 * signature; a unit price is typed as "¥1 face = X token"; a holder's cards are matched to the offer paying the most
 * for them, one sale per brand. The pricing itself (tier, bonus, near-expiry, caps, per-card fee) is the SDK's and the
 * contract's; this module only chooses, words and checks. Pure: no React, no browser APIs.
 */
import {
  cardRate,
  MAX_BONUS_BPS,
  MAX_TIERS,
  MIN_RATE_BPS,
  quoteCards,
  saleProblems,
  validateSchedule as scheduleProblems,
  type OfferQuote,
  type OfferSchedule,
  type SaleCard,
  type SaleOffer,
  type SaleProblem,
  type ScheduleProblem,
} from "#sdk";
import { formatUnits, type TokenInfo } from "./format.ts";
import { parseAmount, type Check, type Problem, type ProblemKey } from "./validation.ts";
import { pegOf, rateOf, type RefRates } from "./money.ts";

export { MAX_BONUS_BPS, MAX_TIERS, MIN_RATE_BPS };
/** The largest unit price (uint64). */
export const MAX_UNIT_PRICE = 2n ** 64n - 1n;
const MAX_UINT48 = 2n ** 48n - 1n;

/** A schedule as the contract holds it (IVoucherOffers.Schedule). */
export type Schedule = OfferSchedule;

/** A schedule as the editor holds it: what the person typed. */
export interface ScheduleDraft {
  tiers: { maxFace: string; rate: string }[];
  /** Empty: no batch bonus. */
  batchMin: string;
  batchBonus: string;
  /** Empty: no near-expiry adjustment. */
  nearDays: string;
  /** Percentage points, signed: "-5" pays near-expiry cards 5 points less. */
  nearPoints: string;
}

/**
 * The rules the issue quotes: ≤ ¥50 85%, ¥50–200 90%, ¥200–1,000 95%; more than 10 cards in one sale +3 points; 30
 * days or less left −5 points.
 */
export const DEFAULT_SCHEDULE_DRAFT: ScheduleDraft = {
  tiers: [
    { maxFace: "50", rate: "85" },
    { maxFace: "200", rate: "90" },
    { maxFace: "1000", rate: "95" },
  ],
  batchMin: "11",
  batchBonus: "3",
  nearDays: "30",
  nearPoints: "-5",
};

/** Where a schedule problem is: `tier.0.face`, `tier.2.rate`, `batchMin`, `batchBonus`, `nearDays`, `nearPoints`, `tiers`. */
export type ScheduleErrors = Record<string, Problem>;

const problem = (key: ProblemKey, values?: Problem["values"]): Problem => (values ? { key, values } : { key });
const points = (bps: number) => formatUnits(BigInt(bps), 2, 2);

/** Percent with up to two decimals ("92.5") → basis points; empty → 0 when `optional`. */
function percentToBps(input: string, field: "rate" | "batchBonus" | "nearPoints", optional = false): Check<number> {
  if (optional && input.trim() === "") return { ok: true, value: 0 };
  const parsed = parseAmount(input, 2, field, optional);
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
  if (!parsed.ok) return parsed;
  if (parsed.value > 4_294_967_295n) return { ok: false, error: problem("tooLarge", { field }) };
  return { ok: true, value: Number(parsed.value) };
}

/** Where an SDK schedule problem shows in the editor, and its sentence. */
function placeProblem(p: ScheduleProblem, nearDays: number): [string, Problem] {
  switch (p.code) {
    case "noTiers":
      return ["tiers", problem("tiersRequired")];
    case "tooManyTiers":
      return ["tiers", problem("tooManyTiers", { max: p.max })];
    case "tierFaceValueMissing":
      return [`tier.${p.tier - 1}.face`, problem("notPositive", { field: "tierFace" })];
    case "tierFaceValueTooLarge":
      return [`tier.${p.tier - 1}.face`, problem("tooLarge", { field: "tierFace" })];
    case "tiersNotAscending":
      return [`tier.${p.tier - 1}.face`, problem("tiersNotAscending")];
    case "tierRateOutOfRange":
      return [`tier.${p.tier - 1}.rate`, problem("rateRange", { min: `${points(p.min)}%` })];
    case "batchBonusTooHigh":
      return ["batchBonus", problem("bonusRange", { max: points(p.max) })];
    case "batchBonusWithoutCount":
      return ["batchMin", problem("batchMinRequired")];
    case "batchCountTooLarge":
      return ["batchMin", problem("batchMinRange", { max: p.max })];
    case "nearExpiryOutOfRange":
      return ["nearPoints", problem("nearPointsRange", { max: points(p.max) })];
    case "nearExpiryWithoutDays":
      return ["nearDays", nearDays === 0 ? problem("nearDaysRequired") : problem("tooLarge", { field: "nearDays" })];
  }
}

/**
 * The editor's schedule checked before any signature: each typed field parsed (face values in yuan, rates and points
 * in percent with up to two decimals, counts whole), then the SDK's `validateSchedule` — the contract's own rules
 * (InvalidTiers, InvalidBatchBonus, InvalidNearExpiry) — each problem placed at its field. An unused bonus or
 * adjustment (no points, or no count / days) is sent as zeros.
 */
export function validateSchedule(
  draft: ScheduleDraft,
): { ok: true; value: Schedule } | { ok: false; errors: ScheduleErrors } {
  const errors: ScheduleErrors = {};
  const tiers: { maxFaceValue: number; rateBps: number }[] = [];
  draft.tiers.forEach((tier, i) => {
    const face = parseAmount(tier.maxFace.replace(/[¥￥$,\s]/g, ""), 2, "tierFace");
    const rate = percentToBps(tier.rate, "rate");
    if (!face.ok) errors[`tier.${i}.face`] = face.error;
    else if (face.value > MAX_UINT48) errors[`tier.${i}.face`] = problem("tooLarge", { field: "tierFace" });
    if (!rate.ok) errors[`tier.${i}.rate`] = rate.error;
    tiers.push({
      maxFaceValue: face.ok && face.value <= MAX_UINT48 ? Number(face.value) : 0,
      rateBps: rate.ok ? rate.value : 0,
    });
  });
  const batchMin = parseCount(draft.batchMin, "batchMin", true);
  const bonus = percentToBps(draft.batchBonus, "batchBonus", true);
  const nearDays = parseCount(draft.nearDays, "nearDays", true);
  const nearText = draft.nearPoints.trim().replace(/^[−–]/, "-");
  const near =
    nearText === "-"
      ? { ok: true as const, value: 0 }
      : percentToBps(nearText.replace(/^[-+]/, ""), "nearPoints", true);
  if (!batchMin.ok) errors.batchMin = batchMin.error;
  if (!bonus.ok) errors.batchBonus = bonus.error;
  if (!nearDays.ok) errors.nearDays = nearDays.error;
  if (!near.ok) errors.nearPoints = near.error;

  const value = (check: Check<number>) => (check.ok ? check.value : 0);
  const bonusBps = value(bonus);
  const nearBps = nearText.startsWith("-") ? -value(near) : value(near);
  const schedule: Schedule = {
    tiers,
    batchMinCount: bonusBps === 0 ? 0 : value(batchMin),
    batchBonusBps: bonusBps,
    nearExpiryDays: nearBps === 0 ? 0 : value(nearDays),
    nearExpiryBps: nearBps,
  };
  for (const p of scheduleProblems(schedule)) {
    const [at, said] = placeProblem(p, schedule.nearExpiryDays);
    // A field's own parse problem says more than the rule it then breaks.
    errors[at] ??= said;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: schedule };
}

/** Basis points as the editor shows them: 8500 → "85", 9250 → "92.5". */
export const bpsToPercentText = (bps: number): string => points(bps);

/** Minor units as the editor shows them: 5000 → "50", 5050 → "50.5". */
const minorToText = (minor: number | bigint): string => formatUnits(BigInt(minor), 2, 2).replace(/,/g, "");

/** A schedule on chain → the editor's draft (to edit an offer's rates). */
export function scheduleToDraft(schedule: Schedule): ScheduleDraft {
  return {
    tiers: schedule.tiers.map((t) => ({ maxFace: minorToText(t.maxFaceValue), rate: points(t.rateBps) })),
    batchMin: schedule.batchBonusBps ? String(schedule.batchMinCount) : "",
    batchBonus: schedule.batchBonusBps ? points(schedule.batchBonusBps) : "",
    nearDays: schedule.nearExpiryBps ? String(schedule.nearExpiryDays) : "",
    nearPoints: schedule.nearExpiryBps
      ? `${schedule.nearExpiryBps < 0 ? "-" : ""}${points(Math.abs(schedule.nearExpiryBps))}`
      : "",
  };
}

/** A tier's face-value range in minor units: above `from` (exclusive; 0 for the first) up to `to`. */
export interface TierRange {
  from: bigint;
  to: bigint;
  rateBps: number;
}

export function tierRanges(schedule: Pick<Schedule, "tiers">): TierRange[] {
  let from = 0n;
  return schedule.tiers.map((t) => {
    const range = { from, to: BigInt(t.maxFaceValue), rateBps: t.rateBps };
    from = BigInt(t.maxFaceValue);
    return range;
  });
}

/**
 * What an offer pays for one card of `faceValue` sold alone, far from expiry (the editor's "a ¥100 card fetches …",
 * the market's typical card): its rate and price, undefined when the schedule does not buy that face value.
 */
export function typicalPrice(
  offer: { unitPrice: bigint; schedule: Schedule },
  faceValue: bigint,
): { rateBps: number; price: bigint } | undefined {
  const rate = cardRate(offer.schedule, faceValue, 2n ** 40n, 0, 1);
  if (!rate) return undefined;
  return { rateBps: rate.rateBps, price: (faceValue * offer.unitPrice * BigInt(rate.rateBps)) / 10_000n };
}

/** The face value a preview prices: the brand's middle denomination, else ¥100 (10,000 minor units). */
export function typicalFace(brand: { denominations?: { faceValues: readonly bigint[] } } | undefined): bigint {
  const values = brand?.denominations?.faceValues ?? [];
  return values.length > 0 ? values[Math.floor((values.length - 1) / 2)] : 10_000n;
}

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
  const scale = 10n ** BigInt(Math.max(0, digits - 3));
  return BigInt(Math.round(perMinor / Number(scale))) * scale;
}

/** How many cards of `faceValue` a budget pays for, each sold alone far from expiry. */
export function cardsCovered(
  budget: bigint,
  offer: { unitPrice: bigint; schedule: Schedule },
  faceValue: bigint,
): number {
  const typical = typicalPrice(offer, faceValue);
  return !typical || typical.price === 0n ? 0 : Number(budget / typical.price);
}

/** An offer as this module reads it (an SDK `Offer` has it all). */
export interface OfferLike extends SaleOffer {
  offerId: bigint;
  payToken: string;
}

/** What the chain says around a sale, apart from the payment token's minimum price (per offer). */
export interface MatchContext {
  now: number;
  /** Delivery + confirm windows: a coded card must not expire before an order could settle. */
  settleWindow: number;
  feeBps: number;
  /** The offer's payment token's minimum price (a card priced below it is refused). */
  minPrice: (offer: OfferLike) => bigint;
  /** What an amount of the offer's token is worth in a common currency, to compare offers in different tokens. */
  value?: (offer: OfferLike, amount: bigint) => number | undefined;
}

/** A planned sale: these cards into that offer, at this quote (the SDK's exact `quoteCards`). */
export interface PlannedSale<O extends OfferLike, C extends SaleCard> {
  offer: O;
  cards: C[];
  quote: OfferQuote;
}

/** Why `offer` does not buy these cards together, as the SDK's problem codes (empty: it does). */
export function problemsOf(offer: OfferLike, cards: readonly SaleCard[], context: MatchContext): SaleProblem[] {
  return saleProblems(offer, cards, { ...context, minPrice: context.minPrice(offer) });
}

const worthOf = (context: MatchContext, offer: OfferLike, amount: bigint) =>
  context.value ? context.value(offer, amount) : Number(amount);

/**
 * The offer paying the seller the most for `cards` sold together, among those that buy every one of them now and can
 * pay (brand, face value in schedule, attestation, expiry and settlement, cards left, budget, minimum price). Offers in
 * different tokens compare through `context.value`; one it cannot value only wins alone.
 */
export function bestOffer<O extends OfferLike, C extends SaleCard>(
  offers: readonly O[],
  cards: readonly C[],
  context: MatchContext,
): PlannedSale<O, C> | undefined {
  let best: { sale: PlannedSale<O, C>; worth: number } | undefined;
  for (const offer of offers) {
    if (cards.length === 0 || problemsOf(offer, cards, context).length > 0) continue;
    const quote = quoteCards(offer, cards, context.now, context.feeBps);
    const worth = worthOf(context, offer, quote.sellerReceives) ?? -1;
    if (!best || worth > best.worth) best = { sale: { offer, cards: [...cards], quote }, worth };
  }
  return best?.sale;
}

/** Why no offer buys a card: the reason every offer of its brand gives, else "noOffer". */
export type Unsold = SaleProblem["code"] | "noOffer";

/**
 * One entry per offer id, in first-seen order. Two entries for one offer (the same offer read twice, or a stale copy
 * beside a fresh one) become one that holds the least of each: the least budget and cards left, open only if both
 * say so, the earlier expiry. Planning from each copy would count the offer's budget and card limit twice.
 */
function oncePerOffer<O extends OfferLike>(offers: readonly O[]): O[] {
  const byId = new Map<bigint, O>();
  for (const offer of offers) {
    const seen = byId.get(offer.offerId);
    byId.set(
      offer.offerId,
      seen === undefined
        ? offer
        : {
            ...seen,
            budget: seen.budget < offer.budget ? seen.budget : offer.budget,
            cardsLeft: Math.min(seen.cardsLeft, offer.cardsLeft),
            open: seen.open && offer.open,
            expiresAt: Math.min(Number(seen.expiresAt), Number(offer.expiresAt)),
          },
    );
  }
  return [...byId.values()];
}

/**
 * A selection split into sales: one per brand when one offer takes all its cards (one transaction, the batch bonus),
 * or over several offers when that pays the seller more (an offer with fewer cards left or less budget, a better rate
 * for some face values). Each offer (by id) takes at most one sale of the plan, checked against everything it holds
 * (budget, cards left), so no sale is promised what an earlier one spends. Cards within a sale go by ascending token
 * id, as the contract requires. Cards no offer buys are left out, each with why.
 */
export function planSales<O extends OfferLike, C extends SaleCard>(
  allOffers: readonly O[],
  cards: readonly C[],
  context: MatchContext,
): { sales: PlannedSale<O, C>[]; unsold: { card: C; why: Unsold }[] } {
  const offers = oncePerOffer(allOffers);
  const byBrand = new Map<number, C[]>();
  for (const card of [...cards].sort((a, b) => (a.tokenId < b.tokenId ? -1 : 1))) {
    byBrand.set(card.brandId, [...(byBrand.get(card.brandId) ?? []), card]);
  }
  const sales: PlannedSale<O, C>[] = [];
  const unsold: { card: C; why: Unsold }[] = [];
  const worth = (plan: PlannedSale<O, C>[]) =>
    plan.reduce((sum, s) => sum + (worthOf(context, s.offer, s.quote.sellerReceives) ?? 0), 0);
  for (const group of byBrand.values()) {
    const brandOffers = offers.filter((o) => o.brandId === group[0].brandId);
    const sellable = group.filter((card) => bestOffer(brandOffers, [card], context));
    for (const card of group.filter((c) => !sellable.includes(c))) {
      const reasons = brandOffers.map((o) => problemsOf(o, [card], context)[0]?.code);
      const why = reasons.length > 0 && reasons.every((r) => r === reasons[0]) ? reasons[0]! : "noOffer";
      unsold.push({ card, why });
    }
    if (sellable.length === 0) continue;
    // Greedy: the best offer for the first card left takes every card it buys and can pay for; then the next offer.
    const split: PlannedSale<O, C>[] = [];
    const left: C[] = [];
    let rest = sellable;
    let available = brandOffers;
    while (rest.length > 0) {
      const first = bestOffer(available, [rest[0]], context);
      if (!first) {
        left.push(rest[0]);
        rest = rest.slice(1);
        continue;
      }
      let part = rest.filter((card) => problemsOf(first.offer, [card], context).length === 0);
      let sale = bestOffer([first.offer], part, context);
      while (!sale) {
        part = part.slice(0, -1);
        sale = bestOffer([first.offer], part, context);
      }
      split.push(sale);
      rest = rest.filter((card) => !part.includes(card));
      available = available.filter((o) => o.offerId !== first.offer.offerId);
    }
    const together = bestOffer(brandOffers, sellable, context);
    if (together && worth([together]) >= worth(split)) sales.push(together);
    else {
      sales.push(...split);
      unsold.push(...left.map((card) => ({ card, why: "noOffer" as const })));
    }
  }
  return { sales, unsold };
}
