/**
 * Recyclers' standing offers (IVoucherOffers): a recycler posts an offer for one brand with a published rate schedule
 * and its budget escrowed in the exchange; a holder sells one card or a batch into it in one transaction.
 *
 * - Pricing, pure and exact: `cardRate` and `quoteCards` compute what the contract computes, to the wei, so a form can
 *   show the tier rate, batch bonus, near-expiry adjustment, fee and proceeds of every card before anything is sent
 *   (`quoteOfferSale` asks the contract itself). `validateSchedule` and `saleProblems` return problems as codes a UI
 *   translates.
 * - Keys: an offer's `deliveryKey` is the recycler's key for purpose `offer:<offerId>` (derived like every key from a
 *   wallet signature, so it re-derives anywhere); `openOfferDelivery` opens a coded card delivered to it, and a
 *   dispute seals that offer key, and nothing else of the recycler's, to the arbiter.
 * - Reads and actions, following reads.ts and actions.ts: simulate → write → wait, failures as `KaquanError`.
 */

// ── Types ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** IVoucherOffers.Tier: cards up to `maxFaceValue` (minor units, above the previous tier's) at `rateBps` of face value. */
export interface RateTier {
  maxFaceValue: number;
  rateBps: number;
}

/** IVoucherOffers.Schedule: up to MAX_TIERS tiers by face value, a batch bonus and a near-expiry adjustment. */
export interface OfferSchedule {
  tiers: readonly RateTier[];
  /** Cards a sale needs for the bonus (0: no bonus). "More than 10 cards" is 11. */
  batchMinCount: number;
  batchBonusBps: number;
  /** A card with this many days or fewer left gets `nearExpiryBps` (0: no adjustment). */
  nearExpiryDays: number;
  /** Signed: negative pays less for near-expiry cards. */
  nearExpiryBps: number;
}

/** One card's rate in a sale: its tier's rate, the batch bonus and near-expiry adjustment applied, and the sum capped. */
export interface CardRate {
  tierRateBps: number;
  /** 0 when the sale is smaller than `batchMinCount` (or there is no bonus). */
  batchBonusBps: number;
  /** 0 when the card has more than `nearExpiryDays` left (or there is no adjustment). */
  nearExpiryBps: number;
  /** tier + bonus + near-expiry, capped to [1, 10_000]: what the card is paid at. */
  rateBps: number;
}

/** What pricing needs of a voucher. */
export interface CardFacts {
  tokenId: bigint;
  /** Minor units of the brand's currency. */
  faceValue: bigint;
  /** Unix seconds. */
  expiresAt: bigint | number;
}

/** What pricing needs of an offer (an `Offer` has it all). */
export interface OfferTerms {
  unitPrice: bigint;
  schedule: OfferSchedule;
}

/** One card of a quote: its price in the offer's payment token and how the rate was made. */
export interface CardPrice {
  tokenId: bigint;
  faceValue: bigint;
  price: bigint;
  /** The fee on this card, rounded down per card as the exchange does. */
  fee: bigint;
  breakdown: CardRate;
}

/** A sale's quote, card by card and in total (IVoucherOffers.SaleQuote with the breakdown of each rate). */
export interface OfferQuote {
  cards: CardPrice[];
  /** What the recycler pays: the sum of the card prices. */
  total: bigint;
  /** The sum of the per-card fees. */
  fee: bigint;
  /** total − fee. */
  sellerReceives: bigint;
}

// ── Constants ────────────────────────────────────────────────────────────────────────────────────────────────────

/** Most tiers a schedule holds (VoucherOffers.MAX_TIERS). */
export const MAX_TIERS = 4;
/** Lowest tier rate (VoucherOffers.MIN_RATE_BPS). */
export const MIN_RATE_BPS = 1_000;
/** Largest batch bonus and near-expiry adjustment, either sign for the latter (VoucherOffers.MAX_BONUS_BPS). */
export const MAX_BONUS_BPS = 2_000;
/** A face value tier bound is a uint48. */
export const MAX_TIER_FACE_VALUE = 2 ** 48 - 1;
const BPS = 10_000;
const DAY = 86_400n;

// ── Pricing ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** The tier that buys `faceValue`: the first whose `maxFaceValue` is at least it; undefined above the last tier. */
export function tierOf(schedule: OfferSchedule, faceValue: bigint): RateTier | undefined {
  if (faceValue <= 0n) return undefined;
  return schedule.tiers.find((tier) => BigInt(tier.maxFaceValue) >= faceValue);
}

/**
 * The rate one card is bought at, in a sale of `count` cards at chain time `now` (unix seconds), exactly as the
 * contract computes it: tier rate + batch bonus (when `count` ≥ `batchMinCount` > 0) + near-expiry adjustment (when
 * `expiresAt − now` ≤ `nearExpiryDays` days, `nearExpiryDays` > 0), capped to [1, 10_000]. Undefined when the face
 * value is above the last tier (the offer does not buy it).
 */
export function cardRate(
  schedule: OfferSchedule,
  faceValue: bigint,
  expiresAt: bigint | number,
  now: bigint | number,
  count: number,
): CardRate | undefined {
  const tier = tierOf(schedule, faceValue);
  if (tier === undefined) return undefined;
  const batchBonusBps = schedule.batchMinCount !== 0 && count >= schedule.batchMinCount ? schedule.batchBonusBps : 0;
  const nearExpiry =
    schedule.nearExpiryDays !== 0 && BigInt(expiresAt) - BigInt(now) <= BigInt(schedule.nearExpiryDays) * DAY;
  const nearExpiryBps = nearExpiry ? schedule.nearExpiryBps : 0;
  const sum = tier.rateBps + batchBonusBps + nearExpiryBps;
  const rateBps = Math.min(BPS, Math.max(1, sum));
  return { tierRateBps: tier.rateBps, batchBonusBps, nearExpiryBps, rateBps };
}

/** The price of one card at `rateBps`: faceValue × unitPrice × rateBps / 10_000, rounded down. */
export function cardPrice(faceValue: bigint, unitPrice: bigint, rateBps: number): bigint {
  return (faceValue * unitPrice * BigInt(rateBps)) / BigInt(BPS);
}

/**
 * The exact quote of selling `cards` together into an offer at chain time `now` with the exchange's fee `feeBps`
 * (`getSettings().feeBps`): every card's price and rate breakdown, the total the recycler pays, the fee (rounded down
 * per card) and what the seller receives. Cards keep the order given. Throws a RangeError naming the first card whose
 * face value the schedule does not buy (check with `saleProblems` first).
 */
export function quoteCards(
  offer: OfferTerms,
  cards: readonly CardFacts[],
  now: bigint | number,
  feeBps: number,
): OfferQuote {
  const priced = cards.map((card) => {
    const breakdown = cardRate(offer.schedule, card.faceValue, card.expiresAt, now, cards.length);
    if (breakdown === undefined) {
      throw new RangeError(`Voucher #${card.tokenId}: face value ${card.faceValue} is above the offer's last tier`);
    }
    const price = cardPrice(card.faceValue, offer.unitPrice, breakdown.rateBps);
    const fee = (price * BigInt(feeBps)) / BigInt(BPS);
    return { tokenId: card.tokenId, faceValue: card.faceValue, price, fee, breakdown };
  });
  const total = priced.reduce((sum, card) => sum + card.price, 0n);
  const fee = priced.reduce((sum, card) => sum + card.fee, 0n);
  return { cards: priced, total, fee, sellerReceives: total - fee };
}

// ── Validation (codes a UI translates) ──────────────────────────────────────────────────────────────────────────

/** Why a schedule would be refused, with the values a sentence needs (`tier` is 1-based). */
export type ScheduleProblem =
  | { code: "noTiers" }
  | { code: "tooManyTiers"; max: number }
  | { code: "tierFaceValueMissing"; tier: number }
  | { code: "tierFaceValueTooLarge"; tier: number }
  | { code: "tiersNotAscending"; tier: number }
  | { code: "tierRateOutOfRange"; tier: number; min: number; max: number }
  | { code: "batchBonusTooHigh"; max: number }
  | { code: "batchBonusWithoutCount" }
  | { code: "batchCountTooLarge"; max: number }
  | { code: "nearExpiryOutOfRange"; max: number }
  | { code: "nearExpiryWithoutDays" };

const isWhole = (value: number, max: number) => Number.isSafeInteger(value) && value >= 0 && value <= max;

/**
 * Everything wrong with a schedule, in the order of the form (empty: the contract accepts it): 1 to MAX_TIERS tiers
 * with strictly ascending face values above zero and rates in [MIN_RATE_BPS, 10_000]; a batch bonus up to
 * MAX_BONUS_BPS with a minimum count up to MAX_BATCH; a near-expiry adjustment within ±MAX_BONUS_BPS with its days.
 * The same rules as the contract's (InvalidTiers, InvalidBatchBonus, InvalidNearExpiry), so a form refuses exactly
 * what a post would.
 */
export function validateSchedule(schedule: OfferSchedule, maxBatch = 50): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const { tiers } = schedule;
  if (tiers.length === 0) problems.push({ code: "noTiers" });
  if (tiers.length > MAX_TIERS) problems.push({ code: "tooManyTiers", max: MAX_TIERS });
  tiers.forEach((tier, i) => {
    const n = i + 1;
    if (!Number.isSafeInteger(tier.maxFaceValue) || tier.maxFaceValue <= 0) {
      problems.push({ code: "tierFaceValueMissing", tier: n });
    } else if (tier.maxFaceValue > MAX_TIER_FACE_VALUE) {
      problems.push({ code: "tierFaceValueTooLarge", tier: n });
    } else if (i > 0 && tier.maxFaceValue <= tiers[i - 1].maxFaceValue) {
      problems.push({ code: "tiersNotAscending", tier: n });
    }
    if (!Number.isSafeInteger(tier.rateBps) || tier.rateBps < MIN_RATE_BPS || tier.rateBps > BPS) {
      problems.push({ code: "tierRateOutOfRange", tier: n, min: MIN_RATE_BPS, max: BPS });
    }
  });
  const { batchMinCount, batchBonusBps, nearExpiryDays, nearExpiryBps } = schedule;
  if (!isWhole(batchBonusBps, MAX_BONUS_BPS)) problems.push({ code: "batchBonusTooHigh", max: MAX_BONUS_BPS });
  if (!isWhole(batchMinCount, maxBatch)) problems.push({ code: "batchCountTooLarge", max: maxBatch });
  else if (batchBonusBps > 0 && batchMinCount === 0) problems.push({ code: "batchBonusWithoutCount" });
  if (!Number.isSafeInteger(nearExpiryBps) || Math.abs(nearExpiryBps) > MAX_BONUS_BPS) {
    problems.push({ code: "nearExpiryOutOfRange", max: MAX_BONUS_BPS });
  }
  if (!isWhole(nearExpiryDays, 65_535) || (nearExpiryBps !== 0 && nearExpiryDays === 0)) {
    problems.push({ code: "nearExpiryWithoutDays" });
  }
  return problems;
}

/** A voucher as a sale into an offer checks it (a `VoucherInfo` or `OwnedVoucher` has it all). */
export interface SaleCard extends CardFacts {
  brandId: number;
  issuerBacked: boolean;
  attested: boolean;
  disclosed: boolean;
}

/** What a sale's check needs of an offer (an `Offer` has it all). */
export interface SaleOffer extends OfferTerms {
  brandId: number;
  open: boolean;
  expiresAt: number;
  cardsLeft: number;
  attestedOnly: boolean;
  budget: bigint;
}

/** What the chain says around a sale: its time, the windows a coded card must outlive, the token's minimum price. */
export interface SaleContext {
  /** Chain time (unix seconds): `getChainTime`. */
  now: bigint | number;
  /** Delivery + confirm window in seconds (`getSettings().windows`): a coded card must not expire before it ends. */
  settleWindow: number;
  /** The payment token's minimum price (`PayToken.minPrice`): a card priced below it is refused. */
  minPrice: bigint;
  feeBps: number;
  maxBatch?: number;
}

/** Why a sale into an offer would be refused: for one card (`tokenId`), or for the sale as a whole. */
export type SaleProblem =
  | { code: "offerClosed" }
  | { code: "offerExpired"; expiresAt: number }
  | { code: "batchSize"; max: number }
  | { code: "cardsExhausted"; cardsLeft: number }
  | { code: "budgetShort"; budget: bigint; total: bigint }
  | { code: "duplicateCard"; tokenId: bigint }
  | { code: "wrongBrand"; tokenId: bigint }
  | { code: "faceValueOutOfSchedule"; tokenId: bigint }
  | { code: "notAttested"; tokenId: bigint }
  | { code: "disclosed"; tokenId: bigint }
  | { code: "expired"; tokenId: bigint }
  | { code: "expiresBeforeSettlement"; tokenId: bigint; settleBy: bigint }
  | { code: "priceBelowMinimum"; tokenId: bigint; price: bigint; minPrice: bigint };

/**
 * Everything that would make selling `cards` together into `offer` revert now (empty: the sale goes through at
 * `quoteCards`' prices). Card problems come first, in card order; a card refused for one reason is not checked further.
 * What it cannot know: ownership and the exchange's approval (`sellToOffer` handles the approval).
 */
export function saleProblems(offer: SaleOffer, cards: readonly SaleCard[], context: SaleContext): SaleProblem[] {
  const problems: SaleProblem[] = [];
  const now = BigInt(context.now);
  const maxBatch = context.maxBatch ?? 50;
  const seen = new Set<bigint>();
  const priceable: SaleCard[] = [];
  for (const card of cards) {
    const { tokenId } = card;
    const expiresAt = BigInt(card.expiresAt);
    const settleBy = now + BigInt(context.settleWindow);
    if (seen.has(tokenId)) problems.push({ code: "duplicateCard", tokenId });
    else if (card.brandId !== offer.brandId) problems.push({ code: "wrongBrand", tokenId });
    else if (tierOf(offer.schedule, card.faceValue) === undefined) {
      problems.push({ code: "faceValueOutOfSchedule", tokenId });
    } else if (!card.issuerBacked && card.disclosed) problems.push({ code: "disclosed", tokenId });
    else if (offer.attestedOnly && !card.issuerBacked && !card.attested)
      problems.push({ code: "notAttested", tokenId });
    else if (expiresAt <= now) problems.push({ code: "expired", tokenId });
    else if (!card.issuerBacked && expiresAt < settleBy) {
      problems.push({ code: "expiresBeforeSettlement", tokenId, settleBy });
    } else priceable.push(card);
    seen.add(tokenId);
  }
  if (priceable.length === cards.length && cards.length > 0) {
    const quote = quoteCards(offer, cards, now, context.feeBps);
    for (const card of quote.cards) {
      if (card.price < context.minPrice) {
        problems.push({
          code: "priceBelowMinimum",
          tokenId: card.tokenId,
          price: card.price,
          minPrice: context.minPrice,
        });
      }
    }
    if (quote.total > offer.budget) problems.push({ code: "budgetShort", budget: offer.budget, total: quote.total });
  }
  if (!offer.open) problems.push({ code: "offerClosed" });
  else if (BigInt(offer.expiresAt) <= now) problems.push({ code: "offerExpired", expiresAt: offer.expiresAt });
  if (cards.length === 0 || cards.length > maxBatch) problems.push({ code: "batchSize", max: maxBatch });
  else if (cards.length > offer.cardsLeft) problems.push({ code: "cardsExhausted", cardsLeft: offer.cardsLeft });
  return problems;
}
