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
import {
  parseEventLogs,
  zeroAddress,
  zeroHash,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  type Hash,
  type Hex,
} from "viem";
import { testStablecoinAbi, voucherExchangeAbi, voucherOffersAbi, voucherTokenAbi } from "./abis.ts";
import {
  approvePayment,
  approveVouchers,
  contractCall,
  deriveKey,
  execute,
  getDisputeTerms,
  type Kaquan,
  type WriteOptions,
} from "./actions.ts";
import {
  checkDelivery,
  commitmentsOf,
  fromBytes32,
  reseal,
  toBytes32,
  type CardCommitments,
  type DeliveryCheck,
  type KeyPair,
} from "./codeDelivery.ts";
import { MAX_BATCH, MAX_BONUS_BPS, MAX_SCAN, MAX_TIERS, MIN_RATE_BPS, Status } from "./constants.ts";
import { decodeError, describeRevert, KaquanError } from "./errors.ts";
import { sealEvidence } from "./evidence.ts";
import { getOrder, getTrade, type KaquanReader, type OrderDetails } from "./reads.ts";

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

/** A tier's face value bound is a uint48. */
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
export function validateSchedule(schedule: OfferSchedule, maxBatch = MAX_BATCH): ScheduleProblem[] {
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
  const maxBatch = context.maxBatch ?? MAX_BATCH;
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
  else if (BigInt(offer.expiresAt) < now) problems.push({ code: "offerExpired", expiresAt: offer.expiresAt });
  if (cards.length === 0 || cards.length > maxBatch) problems.push({ code: "batchSize", max: maxBatch });
  else if (cards.length > offer.cardsLeft) problems.push({ code: "cardsExhausted", cardsLeft: offer.cardsLeft });
  return problems;
}

// ── Reads ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** IVoucherOffers.OfferView: an offer with its schedule and the unspent budget the exchange holds for it. */
export type Offer = ContractFunctionReturnType<typeof voucherOffersAbi, "view", "offer">;
/** IVoucherOffers.SaleQuote as the contract computes it (`quoteOfferSale`). */
export type SaleQuote = ContractFunctionReturnType<typeof voucherOffersAbi, "view", "quote">;
/** IVoucherOffers.OfferParams. */
export type OfferParams = ContractFunctionArgs<typeof voucherOffersAbi, "payable", "post">[0];

const offers = ({ deployment }: KaquanReader) =>
  ({ address: deployment.voucherOffers, abi: voucherOffersAbi }) as const;
const logsFrom = ({ deployment }: KaquanReader) =>
  ({ fromBlock: BigInt(deployment.startBlock), strict: true }) as const;

/** One offer (reverts with UnknownOffer for an id never posted). */
export function getOffer(kaquan: KaquanReader, offerId: bigint): Promise<Offer> {
  return kaquan.publicClient.readContract({ ...offers(kaquan), functionName: "offer", args: [offerId] });
}

/** Every offer ever posted, by id (open or not). */
export async function getOffers(kaquan: KaquanReader, offerIds?: readonly bigint[]): Promise<Offer[]> {
  let ids = offerIds;
  if (ids === undefined) {
    const count = await kaquan.publicClient.readContract({ ...offers(kaquan), functionName: "offerCount" });
    ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
  }
  return Promise.all(ids.map((id) => getOffer(kaquan, id)));
}

/**
 * The open offers of a brand that buy a card of `faceValue` (any face value when omitted), best first: highest rate
 * for that face value (the first tier's without one), then larger unit price, then older; offers with no cards or
 * budget left are not shown. One `openOffers` call per window of MAX_SCAN offers of the brand.
 */
export async function getOpenOffers(kaquan: KaquanReader, brandId: number | bigint, faceValue = 0n): Promise<Offer[]> {
  const page = BigInt(MAX_SCAN);
  const found: Offer[] = [];
  const total = await kaquan.publicClient.readContract({
    ...offers(kaquan),
    functionName: "brandOfferCount",
    args: [Number(brandId)],
  });
  const windows: Promise<readonly Offer[]>[] = [];
  for (let offset = 0n; offset < total; offset += page) {
    windows.push(
      kaquan.publicClient.readContract({
        ...offers(kaquan),
        functionName: "openOffers",
        args: [Number(brandId), faceValue, offset, page],
      }),
    );
  }
  for (const window of await Promise.all(windows)) found.push(...window);
  // Each window comes sorted; several windows are merged by the same order.
  return windows.length > 1 ? found.sort(compareOffers(faceValue)) : found;
}

/** What ranking needs of an offer (an `Offer` or an indexed one has it all). */
export type RankedOffer = Pick<
  Offer,
  "offerId" | "brandId" | "unitPrice" | "cardsLeft" | "expiresAt" | "open" | "budget" | "schedule"
>;

/** The rate an offer ranks by for a face value: its tier's rate, the first tier's for 0; 0 when it does not buy it. */
export function offerRankRate(schedule: OfferSchedule, faceValue: bigint): number {
  return faceValue === 0n ? (schedule.tiers[0]?.rateBps ?? 0) : (tierOf(schedule, faceValue)?.rateBps ?? 0);
}

/** The contract's order of offers for a face value (0: by the first tier): rate, then unit price, then older. */
export function compareOffers(faceValue: bigint): (a: RankedOffer, b: RankedOffer) => number {
  const rate = (offer: RankedOffer) => offerRankRate(offer.schedule, faceValue);
  return (a, b) =>
    rate(b) - rate(a) ||
    (a.unitPrice === b.unitPrice ? 0 : a.unitPrice < b.unitPrice ? 1 : -1) ||
    (a.offerId === b.offerId ? 0 : a.offerId < b.offerId ? -1 : 1);
}

/**
 * What `openOffers` returns, from offers as they stand at chain time `now`: those still buying (open, not expired,
 * cards and budget left) a card of `faceValue` (0: any), best first by the contract's order. Pure: the indexer ranks
 * its rows with it.
 */
export function rankOpenOffers<T extends RankedOffer>(offers: readonly T[], faceValue: bigint, now: number): T[] {
  return offers
    .filter(
      (offer) =>
        offer.open &&
        now <= Number(offer.expiresAt) &&
        offer.cardsLeft > 0 &&
        offer.budget > 0n &&
        offerRankRate(offer.schedule, faceValue) > 0,
    )
    .sort(compareOffers(faceValue));
}

/** Each brand's best open offer (any face value) at `now`, by brand id. */
export function bestOfferByBrand<T extends RankedOffer>(offers: readonly T[], now: number): Map<number, T> {
  const best = new Map<number, T>();
  for (const offer of rankOpenOffers(offers, 0n, now)) if (!best.has(offer.brandId)) best.set(offer.brandId, offer);
  return best;
}

/** The open offer paying the most for `tokenId` sold alone now, with that price; undefined when none buys it. */
export async function getBestOffer(
  kaquan: KaquanReader,
  tokenId: bigint,
): Promise<{ offer: Offer; price: bigint } | undefined> {
  const [offerId, price] = await kaquan.publicClient.readContract({
    ...offers(kaquan),
    functionName: "bestOffer",
    args: [tokenId],
  });
  if (offerId === 0n) return undefined;
  return { offer: await getOffer(kaquan, offerId), price };
}

/**
 * The contract's exact quote of selling `tokenIds` into an offer now (sorted ascending, as a sale takes them): the
 * total, the fee, the seller's proceeds, each card's price and rate. Reverts (as a KaquanError) with the error the sale
 * would, except ownership.
 */
export async function quoteOfferSale(
  kaquan: KaquanReader,
  offerId: bigint,
  tokenIds: readonly bigint[],
): Promise<SaleQuote> {
  try {
    return await kaquan.publicClient.readContract({
      ...offers(kaquan),
      functionName: "quote",
      args: [offerId, ascending(tokenIds)],
    });
  } catch (error) {
    throw new KaquanError(decodeError(error), { cause: error });
  }
}

/** A recycler's offers, newest first (from `OfferPosted`), as they stand now. */
export async function getRecyclerOffers(kaquan: KaquanReader, recycler: Address): Promise<Offer[]> {
  const posted = await kaquan.publicClient.getContractEvents({
    ...offers(kaquan),
    ...logsFrom(kaquan),
    eventName: "OfferPosted",
    args: { recycler },
  });
  const ids = posted.map((log) => log.args.offerId).sort((a, b) => Number(b - a));
  return getOffers(kaquan, ids);
}

/** A card sold into an offer (`SoldToOffer`), with where its trade stands. */
export interface OfferSale {
  tradeId: bigint;
  offerId: bigint;
  seller: Address;
  tokenId: bigint;
  /** What the offer paid, in its payment token (before the fee). */
  price: bigint;
  /** Issuer-backed cards settle in the sale itself: Completed, with no stored trade. */
  issuerBacked: boolean;
  /** The trade's status (`Status`): AwaitingDelivery → Delivered → Completed (or Disputed, Refunded). */
  status: number;
  /** Block timestamp of the sale (unix seconds). */
  soldAt: number;
  transactionHash: Hash;
}

/**
 * The cards sold into offers, oldest first: an offer's incoming cards (`offerId`), a seller's sales into offers
 * (`seller`), or both filters together; with each trade's current status.
 */
export async function getOfferSales(
  kaquan: KaquanReader,
  filter: { offerId?: bigint | readonly bigint[]; seller?: Address } = {},
): Promise<OfferSale[]> {
  const offerIds = filter.offerId === undefined ? undefined : [filter.offerId].flat();
  if (offerIds?.length === 0) return [];
  const logs = await kaquan.publicClient.getContractEvents({
    address: kaquan.deployment.voucherExchange,
    abi: voucherExchangeAbi,
    ...logsFrom(kaquan),
    eventName: "SoldToOffer",
    args: { offerId: offerIds, seller: filter.seller },
  });
  const [trades, times] = await Promise.all([
    Promise.all(logs.map((log) => getTrade(kaquan, log.args.tradeId))),
    blockTimes(kaquan, logs),
  ]);
  return logs.map((log, i) => {
    const stored = trades[i].status !== Status.None;
    return {
      tradeId: log.args.tradeId,
      offerId: log.args.offerId,
      seller: log.args.seller,
      tokenId: log.args.tokenId,
      price: log.args.price,
      issuerBacked: !stored,
      status: stored ? trades[i].status : Status.Completed,
      soldAt: times.get(log.blockNumber) ?? 0,
      transactionHash: log.transactionHash,
    };
  });
}

async function blockTimes(
  { publicClient }: KaquanReader,
  logs: readonly { blockNumber: bigint }[],
): Promise<Map<bigint, number>> {
  const numbers = [...new Set(logs.map((log) => log.blockNumber))];
  const blocks = await Promise.all(numbers.map((blockNumber) => publicClient.getBlock({ blockNumber })));
  return new Map(blocks.map((block) => [block.number, Number(block.timestamp)]));
}

/** The offer a trade came from (`SoldToOffer`), or undefined for a trade that is not a sale into an offer. */
export async function getTradeOffer(kaquan: KaquanReader, tradeId: bigint): Promise<bigint | undefined> {
  const [log] = await kaquan.publicClient.getContractEvents({
    address: kaquan.deployment.voucherExchange,
    abi: voucherExchangeAbi,
    ...logsFrom(kaquan),
    eventName: "SoldToOffer",
    args: { tradeId },
  });
  return log?.args.offerId;
}

// ── Keys ─────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The key pair behind an offer's `deliveryKey`: the recycler's key for purpose `offer:<offerId>`. `postOffer` derives it
 * for the id the offer is expected to get; when another post took that id first, the offer got a later one and its key
 * is that of an earlier id, so the few ids below are tried (each costs a signature the first time). Throws when none
 * matches (the offer is not this wallet's, or was posted with a key from elsewhere).
 */
export async function offerKeyPair(kaquan: Kaquan, offerId: bigint, deliveryKey?: Hex): Promise<KeyPair> {
  const key = deliveryKey ?? (await getOffer(kaquan, offerId)).deliveryKey;
  for (let id = offerId; id >= 1n && id > offerId - BigInt(KEY_SEARCH); id--) {
    const pair = await deriveKey(kaquan, `offer:${id}`);
    if (toBytes32(pair.publicKey) === key.toLowerCase()) return pair;
  }
  throw new Error(`Offer #${offerId}'s delivery key is not one this wallet derives (purpose offer:<id>).`);
}

/** How many ids below its own an offer's key is looked for (see `offerKeyPair`). */
const KEY_SEARCH = 8;

/**
 * The recycler opens a coded card delivered for one of its offers' orders with the offer's key and checks the card
 * number and the code against the voucher's commitments. Local: nothing is sent.
 */
export async function openOfferDelivery(kaquan: Kaquan, tradeId: bigint): Promise<DeliveryCheck> {
  const { order, key } = await offerOrder(kaquan, tradeId);
  if (!order.delivery) throw new Error(`Order #${tradeId} has no delivery yet.`);
  return checkDelivery(order.delivery, key.secretKey, commitmentsOfOffered(order));
}

async function offerOrder(kaquan: Kaquan, tradeId: bigint): Promise<{ order: OrderDetails; key: KeyPair }> {
  const [order, offerId] = await Promise.all([getOrder(kaquan, tradeId), getTradeOffer(kaquan, tradeId)]);
  if (offerId === undefined) throw new Error(`Trade #${tradeId} is not a sale into an offer.`);
  if (!order.buyerKey) throw new Error(`Order #${tradeId} is not a coded sale.`);
  return { order, key: await offerKeyPair(kaquan, offerId, order.buyerKey) };
}

function commitmentsOfOffered(order: OrderDetails): CardCommitments {
  const commitments = commitmentsOf(order.voucher);
  if (!commitments) throw new Error(`Order #${order.id} is not a coded sale.`);
  return commitments;
}

// ── Actions ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** What `postOffer` takes: the offer's terms, its schedule and the budget to escrow. */
export interface PostOfferArgs {
  brandId: number | bigint;
  /** address(0) (default) for ETH, or an accepted ERC-20. */
  payToken?: Address;
  /** Base units of `payToken` one minor unit of face value is worth at 100%. */
  unitPrice: bigint;
  maxCards: number;
  /** Unix seconds. */
  expiresAt: number | bigint;
  attestedOnly?: boolean;
  schedule: OfferSchedule;
  /** Escrowed in the exchange: sent as value for ETH; for an ERC-20 the exchange is approved first if needed. */
  budget: bigint;
}

/**
 * Posts an offer: derives the offer's delivery key (purpose `offer:<id>`, see `offerKeyPair`), approves the exchange
 * for an ERC-20 budget when the allowance is short, and escrows the budget. Returns the new offer's id.
 */
export async function postOffer(kaquan: Kaquan, args: PostOfferArgs, options?: WriteOptions) {
  const payToken = args.payToken ?? zeroAddress;
  const next = (await kaquan.publicClient.readContract({ ...offers(kaquan), functionName: "offerCount" })) + 1n;
  const key = await deriveKey(kaquan, `offer:${next}`);
  const params = {
    brandId: Number(args.brandId),
    payToken,
    unitPrice: args.unitPrice,
    maxCards: args.maxCards,
    expiresAt: Number(args.expiresAt),
    attestedOnly: args.attestedOnly ?? false,
    deliveryKey: toBytes32(key.publicKey),
  };
  await allowExchange(kaquan, payToken, args.budget, options);
  const value = payToken === zeroAddress ? args.budget : undefined;
  const receipt = await onOffers(kaquan, "post", [params, toSchedule(args.schedule), args.budget], options, value);
  const [posted] = parseEventLogs({ abi: voucherOffersAbi, logs: receipt.logs, eventName: "OfferPosted" });
  return { offerId: posted.args.offerId, receipt };
}

/** Adds `amount` to an open offer's budget (recycler only): value for ETH, the exchange approved first for an ERC-20. */
export async function topUpOffer(kaquan: Kaquan, offerId: bigint, amount: bigint, options?: WriteOptions) {
  const { payToken } = await getOffer(kaquan, offerId);
  await allowExchange(kaquan, payToken, amount, options);
  const value = payToken === zeroAddress ? amount : undefined;
  return onOffers(kaquan, "topUp", [offerId, amount], options, value);
}

/** Replaces an open offer's schedule (recycler only). A sale in flight is protected by its `minTotal`. */
export function setOfferSchedule(kaquan: Kaquan, offerId: bigint, schedule: OfferSchedule, options?: WriteOptions) {
  return onOffers(kaquan, "setSchedule", [offerId, toSchedule(schedule)], options);
}

/** Closes an offer; exactly its unspent budget goes back to the recycler. The recycler any time, anyone once expired. */
export function cancelOffer(kaquan: Kaquan, offerId: bigint, options?: WriteOptions) {
  return onOffers(kaquan, "cancel", [offerId], options);
}

export interface SellToOfferArgs {
  offerId: bigint;
  /** 1 to MAX_BATCH of the wallet's vouchers, in any order (sent ascending, as the contract takes them). */
  tokenIds: readonly bigint[];
  /**
   * The least total the wallet accepts (default: the contract's quote right now, so a rate cut in front of the sale
   * reverts with TotalBelowMinimum instead of paying less).
   */
  minTotal?: bigint;
  /** A distributor whose chain earns the referral shares (default none). */
  referrer?: Address;
}

/**
 * Sells the wallet's vouchers into an offer in one transaction: lets the exchange move its vouchers first if it may not
 * yet, quotes the sale for `minTotal` unless given, and sells. Issuer-backed cards settle at once; coded cards open
 * orders (the trade ids returned, in token id order) whose codes the seller delivers (`deliver`), then the recycler
 * confirms.
 */
export async function sellToOffer(
  kaquan: Kaquan,
  { offerId, tokenIds, minTotal, referrer = zeroAddress }: SellToOfferArgs,
  options?: WriteOptions,
) {
  const sorted = ascending(tokenIds);
  await approveVouchers(kaquan, options);
  const least = minTotal ?? (await quoteOfferSale(kaquan, offerId, sorted)).total;
  const receipt = await onOffers(kaquan, "sell", [offerId, sorted, least, referrer], options);
  const sold = parseEventLogs({ abi: voucherExchangeAbi, logs: receipt.logs, eventName: "SoldToOffer" }).filter(
    (log) => log.address.toLowerCase() === kaquan.deployment.voucherExchange.toLowerCase(),
  );
  const total = sold.reduce((sum, log) => sum + log.args.price, 0n);
  return { tradeIds: sold.map((log) => log.args.tradeId), total, receipt };
}

/**
 * The recycler disputes a coded card delivered for one of its offers: pays the dispute bond (value for ETH, approved
 * first for an ERC-20) and seals the offer's secret key — nothing else of the recycler's — to the arbiter's published
 * key, so only the arbiter can open the delivery. Refused before any signature (`NoArbiterKey`) while the arbiter has
 * published no key.
 */
export async function disputeOfferOrder(kaquan: Kaquan, tradeId: bigint, options?: WriteOptions) {
  const [{ payToken, bond, arbiterKey }, { key }] = await Promise.all([
    getDisputeTerms(kaquan, tradeId),
    offerOrder(kaquan, tradeId),
  ]);
  if (arbiterKey === zeroHash)
    throw new KaquanError({ name: "NoArbiterKey", args: [], message: describeRevert("NoArbiterKey") });
  const sealedEvidence = sealEvidence(key.secretKey, fromBytes32(arbiterKey));
  await allowExchange(kaquan, payToken, bond, options);
  const value = payToken === zeroAddress ? bond : undefined;
  return execute(
    kaquan,
    contractCall(kaquan.deployment.voucherExchange, voucherExchangeAbi, "dispute", [tradeId, sealedEvidence], value),
    options,
  );
}

/**
 * Keeps a card bought through an offer: opens the delivery with the offer's key and re-seals it to the wallet's own
 * vault (`sealCode`), so it can be revealed, listed and delivered again like any card the wallet minted.
 */
export async function keepOfferCode(kaquan: Kaquan, tradeId: bigint, options?: WriteOptions) {
  const { order, key } = await offerOrder(kaquan, tradeId);
  if (!order.delivery) throw new Error(`Order #${tradeId} has no delivered code.`);
  const vault = await deriveKey(kaquan, "vault");
  const sealed = reseal(order.delivery, key.secretKey, commitmentsOfOffered(order), vault.publicKey);
  return execute(
    kaquan,
    contractCall(kaquan.deployment.voucherToken, voucherTokenAbi, "sealCode", [order.trade.tokenId, sealed]),
    options,
  );
}

/** Token ids ascending, without duplicates (a sale and a quote take them so). */
function ascending(tokenIds: readonly bigint[]): bigint[] {
  return [...new Set(tokenIds)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A schedule as the contract takes it. */
function toSchedule(schedule: OfferSchedule) {
  const { tiers, batchMinCount, batchBonusBps, nearExpiryDays, nearExpiryBps } = schedule;
  return {
    tiers: tiers.map(({ maxFaceValue, rateBps }) => ({ maxFaceValue, rateBps })),
    batchMinCount,
    batchBonusBps,
    nearExpiryDays,
    nearExpiryBps,
  };
}

/** Approves the exchange for `amount` of an ERC-20 when its allowance is short (nothing for ETH). */
async function allowExchange(kaquan: Kaquan, payToken: Address, amount: bigint, options?: WriteOptions) {
  if (payToken === zeroAddress || amount === 0n) return;
  const allowance = await kaquan.publicClient.readContract({
    address: payToken,
    abi: testStablecoinAbi,
    functionName: "allowance",
    args: [kaquan.walletClient.account.address, kaquan.deployment.voucherExchange],
  });
  if (allowance < amount) await approvePayment(kaquan, payToken, amount, options);
}

type OffersWrite = ContractFunctionName<typeof voucherOffersAbi, "nonpayable" | "payable">;

function onOffers<const fn extends OffersWrite>(
  kaquan: Kaquan,
  functionName: fn,
  args: ContractFunctionArgs<typeof voucherOffersAbi, "nonpayable" | "payable", fn>,
  options?: WriteOptions,
  value?: bigint,
) {
  return execute(
    kaquan,
    contractCall(kaquan.deployment.voucherOffers, voucherOffersAbi, functionName, args, value),
    options,
  );
}
