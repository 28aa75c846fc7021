import { expect } from "chai";
import { MAX_BONUS_BPS, MAX_TIERS, MIN_RATE_BPS } from "./constants.ts";
import {
  bestOfferByBrand,
  cardRate,
  rankOpenOffers,
  quoteCards,
  saleProblems,
  validateSchedule,
  type OfferSchedule,
  type RankedOffer,
  type SaleCard,
  type SaleOffer,
} from "./offers.ts";

const DAY = 86_400;
const NOW = 1_800_000_000;
/** JD E-card rules from the recycling market: ≤ ¥50 85%, ¥51–200 90%, > ¥200 95% (up to ¥1000), +3 points for more
 * than 10 cards, −5 points within 30 days of expiry. Face values in fen. */
const JD: OfferSchedule = {
  tiers: [
    { maxFaceValue: 5_000, rateBps: 8_500 },
    { maxFaceValue: 20_000, rateBps: 9_000 },
    { maxFaceValue: 100_000, rateBps: 9_500 },
  ],
  batchMinCount: 11,
  batchBonusBps: 300,
  nearExpiryDays: 30,
  nearExpiryBps: -500,
};
/** 1 fen = 10_000 base units of a 6-decimal kCNY. */
const UNIT = 10_000n;

describe("offers: pricing", function () {
  describe("cardRate", function () {
    it("picks the first tier whose bound is at least the face value", function () {
      const far = NOW + 365 * DAY;
      expect(cardRate(JD, 5_000n, far, NOW, 1)?.tierRateBps).to.equal(8_500);
      expect(cardRate(JD, 5_001n, far, NOW, 1)?.tierRateBps).to.equal(9_000);
      expect(cardRate(JD, 20_000n, far, NOW, 1)?.tierRateBps).to.equal(9_000);
      expect(cardRate(JD, 50_000n, far, NOW, 1)).to.deep.equal({
        tierRateBps: 9_500,
        batchBonusBps: 0,
        nearExpiryBps: 0,
        rateBps: 9_500,
      });
      expect(cardRate(JD, 100_001n, far, NOW, 1)).to.equal(undefined);
      expect(cardRate(JD, 0n, far, NOW, 1)).to.equal(undefined);
    });

    it("adds the batch bonus from batchMinCount cards on, and the near-expiry adjustment at exactly the day bound", function () {
      const far = NOW + 365 * DAY;
      expect(cardRate(JD, 10_000n, far, NOW, 10)?.batchBonusBps).to.equal(0);
      expect(cardRate(JD, 10_000n, far, NOW, 11)).to.deep.include({ batchBonusBps: 300, rateBps: 9_300 });
      expect(cardRate(JD, 10_000n, NOW + 30 * DAY, NOW, 1)).to.deep.include({ nearExpiryBps: -500, rateBps: 8_500 });
      expect(cardRate(JD, 10_000n, NOW + 30 * DAY + 1, NOW, 1)?.nearExpiryBps).to.equal(0);
      expect(cardRate(JD, 10_000n, BigInt(NOW + DAY), BigInt(NOW), 12)?.rateBps).to.equal(9_000 + 300 - 500);
    });

    it("caps the rate to [1, 10000]", function () {
      const generous: OfferSchedule = { ...JD, tiers: [{ maxFaceValue: 100, rateBps: 9_900 }], batchBonusBps: 500 };
      expect(cardRate(generous, 100n, NOW + 365 * DAY, NOW, 11)).to.deep.include({ rateBps: 10_000 });
      const harsh: OfferSchedule = { ...JD, tiers: [{ maxFaceValue: 100, rateBps: 1 }], nearExpiryBps: -2_000 };
      expect(cardRate(harsh, 100n, NOW, NOW, 1)).to.deep.include({ rateBps: 1, nearExpiryBps: -2_000 });
    });

    it("applies nothing when the schedule has no bonus or adjustment", function () {
      const plain: OfferSchedule = { ...JD, batchMinCount: 0, batchBonusBps: 0, nearExpiryDays: 0, nearExpiryBps: 0 };
      expect(cardRate(plain, 10_000n, NOW, NOW, 50)).to.deep.include({ batchBonusBps: 0, nearExpiryBps: 0 });
    });
  });

  describe("quoteCards", function () {
    it("prices each card as faceValue × unitPrice × rate / 10000 and rounds the fee down per card", function () {
      const cards = [
        { tokenId: 3n, faceValue: 10_000n, expiresAt: BigInt(NOW + 365 * DAY) },
        { tokenId: 7n, faceValue: 50_000n, expiresAt: BigInt(NOW + 10 * DAY) },
      ];
      const quote = quoteCards({ unitPrice: UNIT, schedule: JD }, cards, NOW, 200);
      expect(quote.cards.map((c) => [c.tokenId, c.price, c.fee, c.breakdown.rateBps])).to.deep.equal([
        [3n, 90_000_000n, 1_800_000n, 9_000],
        [7n, 450_000_000n, 9_000_000n, 9_000],
      ]);
      expect(quote.total).to.equal(540_000_000n);
      expect(quote.fee).to.equal(10_800_000n);
      expect(quote.sellerReceives).to.equal(quote.total - quote.fee);
    });

    it("rounds per card, not on the total", function () {
      const odd = { unitPrice: 7n, schedule: { ...JD, tiers: [{ maxFaceValue: 1_000, rateBps: 8_333 }] } };
      const card = (tokenId: bigint) => ({ tokenId, faceValue: 999n, expiresAt: NOW + 365 * DAY });
      const quote = quoteCards(odd, [card(1n), card(2n), card(3n)], NOW, 300);
      const price = (999n * 7n * 8_333n) / 10_000n;
      expect(quote.total).to.equal(price * 3n);
      expect(quote.fee).to.equal(((price * 300n) / 10_000n) * 3n);
    });

    it("gives every card of a batch of 11 the bonus", function () {
      const cards = Array.from({ length: 11 }, (_, i) => ({
        tokenId: BigInt(i + 1),
        faceValue: 5_000n,
        expiresAt: NOW + 365 * DAY,
      }));
      const quote = quoteCards({ unitPrice: UNIT, schedule: JD }, cards, NOW, 100);
      expect(quote.cards.every((c) => c.breakdown.rateBps === 8_800)).to.equal(true);
      expect(quote.total).to.equal((11n * 5_000n * UNIT * 8_800n) / 10_000n);
    });

    it("refuses a face value the schedule does not buy, naming the card", function () {
      const cards = [{ tokenId: 9n, faceValue: 200_000n, expiresAt: NOW + DAY }];
      expect(() => quoteCards({ unitPrice: UNIT, schedule: JD }, cards, NOW, 200)).to.throw(RangeError, "Voucher #9");
    });
  });
});

describe("offers: validateSchedule", function () {
  it("accepts the market's schedules", function () {
    expect(validateSchedule(JD)).to.deep.equal([]);
    const plain: OfferSchedule = {
      tiers: [
        { maxFaceValue: 10_000, rateBps: 8_800 },
        { maxFaceValue: 100_000, rateBps: 9_200 },
      ],
      batchMinCount: 0,
      batchBonusBps: 0,
      nearExpiryDays: 0,
      nearExpiryBps: 0,
    };
    expect(validateSchedule(plain)).to.deep.equal([]);
  });

  it("names each problem with the values a sentence needs", function () {
    const tiers = (n: number) => Array.from({ length: n }, (_, i) => ({ maxFaceValue: (i + 1) * 100, rateBps: 9_000 }));
    expect(validateSchedule({ ...JD, tiers: [] })).to.deep.equal([{ code: "noTiers" }]);
    expect(validateSchedule({ ...JD, tiers: tiers(MAX_TIERS + 1) })).to.deep.equal([
      { code: "tooManyTiers", max: MAX_TIERS },
    ]);
    expect(
      validateSchedule({
        ...JD,
        tiers: [
          { maxFaceValue: 0, rateBps: 9_000 },
          { maxFaceValue: 500, rateBps: MIN_RATE_BPS - 1 },
          { maxFaceValue: 500, rateBps: 10_001 },
        ],
      }),
    ).to.deep.equal([
      { code: "tierFaceValueMissing", tier: 1 },
      { code: "tierRateOutOfRange", tier: 2, min: MIN_RATE_BPS, max: 10_000 },
      { code: "tiersNotAscending", tier: 3 },
      { code: "tierRateOutOfRange", tier: 3, min: MIN_RATE_BPS, max: 10_000 },
    ]);
    expect(validateSchedule({ ...JD, batchMinCount: 0 })).to.deep.equal([{ code: "batchBonusWithoutCount" }]);
    expect(validateSchedule({ ...JD, batchMinCount: 51 })).to.deep.equal([{ code: "batchCountTooLarge", max: 50 }]);
    expect(validateSchedule({ ...JD, batchBonusBps: MAX_BONUS_BPS + 1 })).to.deep.equal([
      { code: "batchBonusTooHigh", max: MAX_BONUS_BPS },
    ]);
    expect(validateSchedule({ ...JD, nearExpiryBps: -MAX_BONUS_BPS - 1 })).to.deep.equal([
      { code: "nearExpiryOutOfRange", max: MAX_BONUS_BPS },
    ]);
    expect(validateSchedule({ ...JD, nearExpiryDays: 0 })).to.deep.equal([{ code: "nearExpiryWithoutDays" }]);
  });
});

describe("offers: saleProblems", function () {
  const offer: SaleOffer = {
    brandId: 1,
    open: true,
    expiresAt: NOW + 90 * DAY,
    cardsLeft: 3,
    attestedOnly: false,
    budget: 10n ** 12n,
    unitPrice: UNIT,
    schedule: JD,
  };
  const context = { now: NOW, settleWindow: 4 * DAY, minPrice: 100_000n, feeBps: 200 };
  const card = (tokenId: bigint, extra: Partial<SaleCard> = {}): SaleCard => ({
    tokenId,
    brandId: 1,
    faceValue: 10_000n,
    expiresAt: BigInt(NOW + 365 * DAY),
    issuerBacked: false,
    attested: false,
    disclosed: false,
    ...extra,
  });

  it("finds nothing wrong with matching cards", function () {
    expect(saleProblems(offer, [card(1n), card(2n, { issuerBacked: true })], context)).to.deep.equal([]);
  });

  it("names every card the offer would refuse, and why", function () {
    const cards = [
      card(1n, { brandId: 2 }),
      card(2n, { faceValue: 200_000n }),
      card(3n, { disclosed: true }),
      card(4n, { expiresAt: BigInt(NOW) }),
      card(5n, { expiresAt: BigInt(NOW + 3 * DAY) }),
      card(6n, { expiresAt: BigInt(NOW + 3 * DAY), issuerBacked: true }),
      card(1n),
    ];
    expect(saleProblems({ ...offer, cardsLeft: 50 }, cards, context)).to.deep.equal([
      { code: "wrongBrand", tokenId: 1n },
      { code: "faceValueOutOfSchedule", tokenId: 2n },
      { code: "disclosed", tokenId: 3n },
      { code: "expired", tokenId: 4n },
      { code: "expiresBeforeSettlement", tokenId: 5n, settleBy: BigInt(NOW + 4 * DAY) },
      { code: "duplicateCard", tokenId: 1n },
    ]);
  });

  it("refuses unattested coded cards to an attested-only offer, issuer-backed ones pass", function () {
    const cards = [card(1n), card(2n, { attested: true }), card(3n, { issuerBacked: true })];
    expect(saleProblems({ ...offer, attestedOnly: true }, cards, context)).to.deep.equal([
      { code: "notAttested", tokenId: 1n },
    ]);
  });

  it("checks the offer: open, unexpired, cards left, budget, prices above the token's minimum", function () {
    const two = [card(1n), card(2n)];
    expect(saleProblems({ ...offer, open: false }, two, context)).to.deep.equal([{ code: "offerClosed" }]);
    expect(saleProblems({ ...offer, expiresAt: NOW }, two, context)).to.deep.equal([]);
    expect(saleProblems({ ...offer, expiresAt: NOW - 1 }, two, context)).to.deep.equal([
      { code: "offerExpired", expiresAt: NOW - 1 },
    ]);
    expect(saleProblems({ ...offer, cardsLeft: 1 }, two, context)).to.deep.equal([
      { code: "cardsExhausted", cardsLeft: 1 },
    ]);
    expect(saleProblems({ ...offer, budget: 100n }, two, context)).to.deep.equal([
      { code: "budgetShort", budget: 100n, total: 180_000_000n },
    ]);
    expect(saleProblems(offer, [card(1n, { faceValue: 1n })], context)).to.deep.equal([
      { code: "priceBelowMinimum", tokenId: 1n, price: 8_500n, minPrice: 100_000n },
    ]);
    expect(saleProblems(offer, [], context)).to.deep.equal([{ code: "batchSize", max: 50 }]);
  });
});

describe("offers: rankOpenOffers (the contract's openOffers order, as the indexer ranks its rows)", function () {
  const offer = (offerId: bigint, extra: Partial<RankedOffer> = {}): RankedOffer => ({
    offerId,
    brandId: 1,
    unitPrice: UNIT,
    cardsLeft: 5,
    expiresAt: NOW + 30 * DAY,
    open: true,
    budget: 10n ** 12n,
    schedule: JD,
    ...extra,
  });
  const flat = (rateBps: number, maxFaceValue = 100_000): OfferSchedule => ({
    ...JD,
    tiers: [{ maxFaceValue, rateBps }],
  });
  const ids = (offers: RankedOffer[]) => offers.map((o) => o.offerId);

  it("ranks by the rate for the face value, then unit price, then age", function () {
    const offers = [
      offer(1n, { schedule: flat(9_000) }),
      offer(2n),
      offer(3n, { schedule: flat(9_000), unitPrice: UNIT + 1n }),
      offer(4n, { schedule: flat(9_000) }),
    ];
    // Any face value: by the first tier (JD's 85% ranks last).
    expect(ids(rankOpenOffers(offers, 0n, NOW))).to.deep.equal([3n, 1n, 4n, 2n]);
    // A ¥500 card: JD's third tier (95%) ranks first.
    expect(ids(rankOpenOffers(offers, 50_000n, NOW))).to.deep.equal([2n, 3n, 1n, 4n]);
  });

  it("leaves out what does not buy now: closed, expired, full, unfunded, or not that face value", function () {
    const offers = [
      offer(1n, { open: false }),
      offer(2n, { expiresAt: NOW - 1 }),
      offer(3n, { cardsLeft: 0 }),
      offer(4n, { budget: 0n }),
      offer(5n, { schedule: flat(9_000, 10_000) }),
      offer(6n, { expiresAt: NOW }),
    ];
    // The contract buys up to and including its expiry second.
    expect(ids(rankOpenOffers(offers, 0n, NOW))).to.deep.equal([5n, 6n]);
    expect(ids(rankOpenOffers(offers, 20_000n, NOW))).to.deep.equal([6n]);
  });

  it("picks each brand's best offer", function () {
    const best = bestOfferByBrand(
      [
        offer(1n),
        offer(2n, { brandId: 2 }),
        offer(3n, { schedule: flat(9_900) }),
        offer(4n, { brandId: 3, open: false }),
      ],
      NOW,
    );
    expect([...best].map(([brandId, o]) => [brandId, o.offerId])).to.deep.equal([
      [1, 3n],
      [2, 2n],
    ]);
  });
});
