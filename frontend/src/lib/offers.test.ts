import { expect } from "chai";
import type { SaleCard } from "#sdk";
import { testI18n } from "../i18n/testing.ts";
import { problemText } from "../i18n/text.ts";
import {
  bestOffer,
  cardsCovered,
  DEFAULT_SCHEDULE_DRAFT,
  defaultUnitPrice,
  parseUnitPrice,
  planSales,
  scheduleToDraft,
  tierRanges,
  typicalFace,
  typicalPrice,
  unitPriceText,
  validateSchedule,
  type MatchContext,
  type OfferLike,
  type Schedule,
  type ScheduleDraft,
} from "./offers.ts";
import type { Check } from "./validation.ts";

const en = testI18n("en");
const zh = testI18n("zh-CN");
const NOW = 1_796_000_000;
const DAY = 86_400;
const KCNY = { symbol: "kCNY", decimals: 6 };
const ETH = { symbol: "ETH", decimals: 18 };

const schedule = (validateSchedule(DEFAULT_SCHEDULE_DRAFT) as { ok: true; value: Schedule }).value;

const offer = (id: number, over: Partial<OfferLike> = {}): OfferLike => ({
  offerId: BigInt(id),
  brandId: 1,
  payToken: "0xc",
  unitPrice: 10_000n,
  cardsLeft: 100,
  expiresAt: NOW + 30 * DAY,
  attestedOnly: false,
  open: true,
  budget: 10_000_000_000n,
  schedule,
  ...over,
});
const card = (id: number, over: Partial<SaleCard> = {}): SaleCard => ({
  tokenId: BigInt(id),
  brandId: 1,
  faceValue: 10_000n,
  expiresAt: NOW + 200 * DAY,
  issuerBacked: false,
  attested: false,
  disclosed: false,
  ...over,
});
const context: MatchContext = { now: NOW, settleWindow: 4 * DAY, feeBps: 200, minPrice: () => 10_000n };
const errorsIn = (draft: ScheduleDraft, lang = en) => {
  const checked = validateSchedule(draft);
  return checked.ok
    ? {}
    : Object.fromEntries(Object.entries(checked.errors).map(([k, p]) => [k, problemText(lang, p)]));
};
const said = (check: Check<unknown>) => (check.ok ? check : problemText(en, check.error));

describe("validateSchedule", () => {
  it("turns the issue's rules into the contract's schedule", () => {
    expect(schedule).to.deep.equal({
      tiers: [
        { maxFaceValue: 5_000, rateBps: 8_500 },
        { maxFaceValue: 20_000, rateBps: 9_000 },
        { maxFaceValue: 100_000, rateBps: 9_500 },
      ],
      batchMinCount: 11,
      batchBonusBps: 300,
      nearExpiryDays: 30,
      nearExpiryBps: -500,
    });
  });

  it("round-trips through the editor's draft", () => {
    expect(scheduleToDraft(schedule)).to.deep.equal(DEFAULT_SCHEDULE_DRAFT);
    const odd = { ...schedule, nearExpiryBps: 250, batchMinCount: 0, batchBonusBps: 0 };
    expect(validateSchedule(scheduleToDraft(odd))).to.deep.equal({ ok: true, value: odd });
  });

  it("sends an unused bonus or adjustment as zeros", () => {
    const checked = validateSchedule({ ...DEFAULT_SCHEDULE_DRAFT, batchBonus: "", nearPoints: "0" });
    expect(checked.ok && checked.value).to.include({
      batchMinCount: 0,
      batchBonusBps: 0,
      nearExpiryDays: 0,
      nearExpiryBps: 0,
    });
  });

  it("reads a typed minus sign of any kind", () => {
    const checked = validateSchedule({ ...DEFAULT_SCHEDULE_DRAFT, nearPoints: "−8" });
    expect(checked.ok && checked.value.nearExpiryBps).to.equal(-800);
  });

  it("names each bad field, in both languages", () => {
    const draft: ScheduleDraft = {
      tiers: [
        { maxFace: "100", rate: "88" },
        { maxFace: "100", rate: "101" },
        { maxFace: "", rate: "5" },
      ],
      batchMin: "",
      batchBonus: "3",
      nearDays: "",
      nearPoints: "-25",
    };
    expect(errorsIn(draft)).to.deep.equal({
      "tier.1.face": "Each tier's face value must be above the one before.",
      "tier.1.rate": "A rate must be between 10% and 100%.",
      "tier.2.face": "A tier's face value is required.",
      "tier.2.rate": "A rate must be between 10% and 100%.",
      batchMin: "A batch bonus needs the number of cards that earns it.",
      nearDays: "A near-expiry adjustment needs the number of days.",
      nearPoints: "The near-expiry adjustment must be within ±10 points.",
    });
    expect(errorsIn(draft, zh)["tier.1.face"]).to.equal("每档的面值上限须高于上一档。");
  });

  it("refuses no tiers, more than four, and a batch of more than 50", () => {
    expect(errorsIn({ ...DEFAULT_SCHEDULE_DRAFT, tiers: [] }).tiers).to.equal("Add at least one tier.");
    const five = [1, 2, 3, 4, 5].map((n) => ({ maxFace: String(n * 100), rate: "90" }));
    expect(errorsIn({ ...DEFAULT_SCHEDULE_DRAFT, tiers: five }).tiers).to.equal("At most 4 tiers.");
    expect(errorsIn({ ...DEFAULT_SCHEDULE_DRAFT, batchMin: "51" }).batchMin).to.equal(
      "A batch is at most 50 cards (the most one sale holds).",
    );
    expect(errorsIn({ ...DEFAULT_SCHEDULE_DRAFT, nearDays: "", nearPoints: "-5" }).nearDays).to.equal(
      "A near-expiry adjustment needs the number of days.",
    );
    expect(errorsIn({ ...DEFAULT_SCHEDULE_DRAFT, batchBonus: "2.555" }).batchBonus).to.equal(
      "The batch bonus can have at most 2 decimal places.",
    );
  });
});

describe("rates and prices", () => {
  it("says what a typical card fetches, sold alone far from expiry", () => {
    expect(typicalPrice({ unitPrice: 10_000n, schedule }, 10_000n)).to.deep.equal({
      rateBps: 9_000,
      price: 90_000_000n,
    });
    expect(typicalPrice({ unitPrice: 10_000n, schedule }, 100_001n)).to.equal(undefined);
  });

  it("prices a brand's middle denomination, else ¥100", () => {
    expect(typicalFace({ denominations: { faceValues: [5_000n, 10_000n, 50_000n, 100_000n] } })).to.equal(10_000n);
    expect(typicalFace({ denominations: { faceValues: [] } })).to.equal(10_000n);
    expect(typicalFace(undefined)).to.equal(10_000n);
  });

  it("lists the tiers as face-value ranges", () => {
    expect(tierRanges(schedule)).to.deep.equal([
      { from: 0n, to: 5_000n, rateBps: 8_500 },
      { from: 5_000n, to: 20_000n, rateBps: 9_000 },
      { from: 20_000n, to: 100_000n, rateBps: 9_500 },
    ]);
  });

  it("reads '¥1 face = X token' as base units per fen, and back", () => {
    expect(parseUnitPrice("1", KCNY)).to.deep.equal({ ok: true, value: 10_000n });
    expect(parseUnitPrice("0.1234", KCNY)).to.deep.equal({ ok: true, value: 1_234n });
    expect(said(parseUnitPrice("0.12345", KCNY))).to.equal("The unit price can have at most 4 decimal places.");
    expect(said(parseUnitPrice("0", KCNY))).to.equal("The unit price must be more than zero.");
    expect(parseUnitPrice("0.00004667", ETH)).to.deep.equal({ ok: true, value: 466_700_000_000n });
    expect(unitPriceText(10_000n, KCNY)).to.equal("1");
    expect(unitPriceText(466_700_000_000n, ETH)).to.equal("0.00004667");
  });

  it("starts at par in the card's own currency, else at the reference rate", () => {
    expect(defaultUnitPrice(KCNY, "CNY", { CNY: 0.14, ETH: 3000 })).to.equal(10_000n);
    // ¥1 = $0.14 = 0.00004667 ETH: one fen is 466,666,666,666.67 wei, kept to four significant digits.
    expect(defaultUnitPrice(ETH, "CNY", { CNY: 0.14, ETH: 3000 })).to.equal(466_700_000_000n);
    expect(defaultUnitPrice(ETH, "THB", { ETH: 3000 })).to.equal(undefined);
  });

  it("counts the cards a budget pays for", () => {
    // A ¥100 card at 90% in kCNY costs 90 kCNY: 1,000 kCNY pays for 11 of them.
    expect(cardsCovered(1_000_000_000n, { unitPrice: 10_000n, schedule }, 10_000n)).to.equal(11);
    expect(cardsCovered(1_000_000_000n, { unitPrice: 10_000n, schedule }, 200_000n)).to.equal(0);
  });
});

describe("matching cards to offers", () => {
  it("picks the offer that pays the seller most and can pay", () => {
    const cheap = offer(1);
    const rich = offer(2, { unitPrice: 10_100n });
    const broke = offer(3, { unitPrice: 20_000n, budget: 1n });
    const full = offer(4, { unitPrice: 20_000n, cardsLeft: 0 });
    const strict = offer(5, { unitPrice: 20_000n, attestedOnly: true });
    expect(bestOffer([cheap, rich, broke, full, strict], [card(1)], context)!.offer.offerId).to.equal(2n);
    expect(bestOffer([cheap], [card(1, { brandId: 2 })], context)).to.equal(undefined);
    expect(bestOffer([cheap], [card(1, { expiresAt: NOW + 3 * DAY })], context)).to.equal(undefined);
    expect(bestOffer([cheap], [card(1, { expiresAt: NOW + 3 * DAY, issuerBacked: true })], context)).to.not.equal(
      undefined,
    );
  });

  it("compares offers in different tokens by what the seller receives in one currency", () => {
    const kcny = offer(1, { unitPrice: 10_000n });
    const eth = offer(2, { payToken: "0x0", unitPrice: 470_000_000_000n, budget: 10n ** 18n });
    const value = (o: OfferLike, amount: bigint) =>
      o.payToken === "0x0" ? Number(amount) / 1e18 / 0.0000467 : Number(amount) / 1e6;
    expect(bestOffer([kcny, eth], [card(1)], { ...context, value })!.offer.offerId).to.equal(2n);
    expect(
      bestOffer([kcny, eth], [card(1)], { ...context, value: (o, a) => (o === eth ? value(o, a) * 0.9 : value(o, a)) })!
        .offer.offerId,
    ).to.equal(1n);
  });

  it("quotes a batch of 11 with the batch bonus, per card", () => {
    const cards = Array.from({ length: 11 }, (_, i) => card(i + 1));
    const sale = bestOffer([offer(1)], cards, context)!;
    expect(sale.quote.cards.every((c) => c.breakdown.batchBonusBps === 300 && c.breakdown.rateBps === 9_300)).to.equal(
      true,
    );
    // 11 × ¥100 at 93% = 1,023 kCNY; 2% fee per card.
    expect(sale.quote.total).to.equal(1_023_000_000n);
    expect(sale.quote.sellerReceives).to.equal(1_002_540_000n);
  });

  it("plans one sale per brand, token ids ascending, and says which cards no offer buys", () => {
    const { sales, unsold } = planSales(
      [offer(1), offer(5, { brandId: 2 })],
      [card(3), card(1), card(2, { brandId: 2 }), card(4, { faceValue: 500_000n }), card(6, { brandId: 9 })],
      context,
    );
    expect(sales.map((s) => [s.offer.offerId, s.cards.map((c) => c.tokenId)])).to.deep.equal([
      [1n, [1n, 3n]],
      [5n, [2n]],
    ]);
    expect(unsold.map((u) => [u.card.tokenId, u.why])).to.deep.equal([
      [4n, "faceValueOutOfSchedule"],
      [6n, "noOffer"],
    ]);
  });

  it("never plans two sales into one offer read twice: the second sale would find its cards and budget spent", () => {
    const few = offer(1, { cardsLeft: 1, unitPrice: 11_000n });
    const plan = planSales([few, { ...few }, offer(2)], [card(1), card(2)], context);
    expect(plan.sales.map((s) => [s.offer.offerId, s.cards.map((c) => c.tokenId)])).to.deep.equal([
      [1n, [1n]],
      [2n, [2n]],
    ]);
    // Budget for one card (¥100 at 90% × 1.1 = 99 kCNY): the copy is no second budget.
    const poor = offer(1, { budget: 100_000_000n, unitPrice: 11_000n });
    const alone = planSales([poor, { ...poor }], [card(1), card(2)], context);
    expect(alone.sales.map((s) => [s.offer.offerId, s.cards.map((c) => c.tokenId)])).to.deep.equal([[1n, [1n]]]);
    expect(alone.unsold.map((u) => u.card.tokenId)).to.deep.equal([2n]);
  });

  it("plans from the least an offer read twice holds (a stale copy beside a fresh one)", () => {
    const fresh = offer(1, { cardsLeft: 1 });
    const stale = { ...fresh, cardsLeft: 5 };
    const plan = planSales([stale, fresh], [card(1), card(2)], context);
    expect(plan.sales.map((s) => [s.offer.offerId, s.cards.length, s.offer.cardsLeft])).to.deep.equal([[1n, 1, 1]]);
    expect(planSales([{ ...fresh, open: false }, stale], [card(1)], context).sales).to.deep.equal([]);
  });

  it("never promises an offer more than it holds, whatever the offers and cards (seeded random plans)", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 500; round++) {
      const offers = Array.from({ length: 1 + random(4) }, (_, i) =>
        offer(i + 1, {
          brandId: 1 + random(2),
          cardsLeft: random(3),
          budget: BigInt(random(5)) * 50_000_000n,
          unitPrice: 9_000n + BigInt(random(4)) * 1_000n,
        }),
      );
      // Some offers appear twice, as a caller merging two reads would pass them.
      const listed = [...offers, ...offers.filter(() => random(2) === 0).map((o) => ({ ...o }))];
      const cards = Array.from({ length: 1 + random(6) }, (_, i) =>
        card(i + 1, { brandId: 1 + random(2), faceValue: [5_000n, 10_000n, 20_000n][random(3)] }),
      );
      const { sales, unsold } = planSales(listed, cards, context);
      const ids = sales.map((s) => s.offer.offerId);
      expect(new Set(ids).size, `round ${round}: one sale per offer`).to.equal(ids.length);
      for (const sale of sales) {
        const held = offers.find((o) => o.offerId === sale.offer.offerId)!;
        expect(sale.cards.length, `round ${round}: cards left`).to.be.at.most(held.cardsLeft);
        expect(sale.quote.total <= held.budget, `round ${round}: budget`).to.equal(true);
      }
      const planned = sales.flatMap((s) => s.cards).length + unsold.length;
      expect(planned, `round ${round}: every card planned or unsold once`).to.equal(cards.length);
    }
  });

  it("splits a brand's cards over offers when that pays more", () => {
    const small = offer(1, { cardsLeft: 1, unitPrice: 11_000n });
    const big = offer(2);
    const { sales } = planSales([small, big], [card(2), card(1)], context);
    expect(sales.map((s) => [s.offer.offerId, s.cards.map((c) => c.tokenId)])).to.deep.equal([
      [1n, [1n]],
      [2n, [2n]],
    ]);
  });
});
