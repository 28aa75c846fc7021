import { expect } from "chai";
import { testI18n } from "../i18n/testing.ts";
import { problemText } from "../i18n/text.ts";
import {
  bestOffer,
  cardsCovered,
  DEFAULT_SCHEDULE_DRAFT,
  defaultUnitPrice,
  parseUnitPrice,
  planSales,
  previewRate,
  quoteLocally,
  refusal,
  scheduleToDraft,
  tierRanges,
  unitPriceText,
  validateSchedule,
  type CardLike,
  type OfferLike,
  type ScheduleDraft,
} from "./offers.ts";

const en = testI18n("en");
const zh = testI18n("zh-CN");
const NOW = 1_796_000_000;
const DAY = 86_400;
const KCNY = { symbol: "kCNY", decimals: 6 };
const ETH = { symbol: "ETH", decimals: 18 };

const schedule = (validateSchedule(DEFAULT_SCHEDULE_DRAFT) as { ok: true; value: OfferLike["schedule"] }).value;

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
const card = (id: number, over: Partial<CardLike> = {}): CardLike => ({
  tokenId: BigInt(id),
  brandId: 1,
  faceValue: 10_000n,
  expiresAt: NOW + 200 * DAY,
  issuerBacked: false,
  attested: false,
  disclosed: false,
  ...over,
});
const errorsIn = (draft: ScheduleDraft, lang = en) => {
  const checked = validateSchedule(draft);
  return checked.ok
    ? {}
    : Object.fromEntries(Object.entries(checked.errors).map(([k, p]) => [k, problemText(lang, p)]));
};

describe("validateSchedule", () => {
  it("turns the issue's rules into the contract's schedule", () => {
    expect(schedule).to.deep.equal({
      tiers: [
        { maxFaceValue: 5_000, rateBps: 8_500 },
        { maxFaceValue: 20_000, rateBps: 9_000 },
        { maxFaceValue: 100_000, rateBps: 9_500 },
      ],
      batchMinCount: 10,
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
      "tier.2.face": "Enter the up-to face value.",
      "tier.2.rate": "A rate must be between 10% and 100%.",
      batchMin: "A batch bonus needs the number of cards that earns it.",
      nearPoints: "The near-expiry adjustment must be within ±20 points.",
    });
    expect(errorsIn(draft, zh)["tier.1.face"]).to.equal("每档的面值上限须高于上一档。");
  });

  it("refuses no tiers, more than four, and a batch minimum outside 2–50", () => {
    expect(errorsIn({ ...DEFAULT_SCHEDULE_DRAFT, tiers: [] }).tiers).to.equal("Add at least one tier.");
    const five = [1, 2, 3, 4, 5].map((n) => ({ maxFace: String(n * 100), rate: "90" }));
    expect(errorsIn({ ...DEFAULT_SCHEDULE_DRAFT, tiers: five }).tiers).to.equal("At most 4 tiers.");
    expect(errorsIn({ ...DEFAULT_SCHEDULE_DRAFT, batchMin: "1" }).batchMin).to.equal(
      "The batch bonus needs 2 to 50 cards in one sale.",
    );
    expect(errorsIn({ ...DEFAULT_SCHEDULE_DRAFT, nearDays: "", nearPoints: "-5" }).nearDays).to.equal(
      "A near-expiry adjustment needs the number of days.",
    );
    expect(errorsIn({ ...DEFAULT_SCHEDULE_DRAFT, batchBonus: "2.555" }).batchBonus).to.equal(
      "The batch bonus can have at most 2 decimals.",
    );
  });
});

describe("rates and prices", () => {
  it("prices a card by tier, batch bonus and near-expiry, capped", () => {
    expect(previewRate(schedule, 5_000n, NOW + 200 * DAY, NOW)).to.deep.equal({
      tierRateBps: 8_500,
      batchBonusBps: 0,
      nearExpiryBps: 0,
      rateBps: 8_500,
    });
    expect(previewRate(schedule, 5_001n, NOW + 30 * DAY, NOW, 10)).to.deep.equal({
      tierRateBps: 9_000,
      batchBonusBps: 300,
      nearExpiryBps: -500,
      rateBps: 8_800,
    });
    expect(previewRate(schedule, 100_001n, NOW + 200 * DAY, NOW)).to.equal(undefined);
    const generous = { ...schedule, tiers: [{ maxFaceValue: 100_000, rateBps: 9_900 }], nearExpiryBps: 500 };
    expect(previewRate(generous, 100n, NOW + DAY, NOW)!.rateBps).to.equal(10_000);
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
    expect(problemText(en, (parseUnitPrice("0.12345", KCNY) as { error: never }).error)).to.equal(
      "The unit price can have at most 4 decimals.",
    );
    expect(problemText(en, (parseUnitPrice("0", KCNY) as { error: never }).error)).to.equal(
      "The unit price must be more than zero.",
    );
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
    expect(cardsCovered(1_000_000_000n, schedule, 10_000n, 10_000n)).to.equal(11);
    expect(cardsCovered(1_000_000_000n, schedule, 10_000n, 200_000n)).to.equal(0);
  });
});

describe("matching cards to offers", () => {
  const quote = quoteLocally<OfferLike, CardLike>(NOW, 200);
  const SETTLE = 4 * DAY;

  it("says why an offer does not buy a card, in the contract's order", () => {
    expect(refusal(offer(1), card(1), NOW, SETTLE)).to.equal(undefined);
    expect(refusal(offer(1, { open: false }), card(1), NOW, SETTLE)).to.equal("closed");
    expect(refusal(offer(1, { expiresAt: NOW }), card(1), NOW, SETTLE)).to.equal("offerExpired");
    expect(refusal(offer(1), card(1, { brandId: 2 }), NOW, SETTLE)).to.equal("brand");
    expect(refusal(offer(1), card(1, { faceValue: 200_000n }), NOW, SETTLE)).to.equal("face");
    expect(refusal(offer(1, { attestedOnly: true }), card(1), NOW, SETTLE)).to.equal("attested");
    expect(refusal(offer(1, { attestedOnly: true }), card(1, { attested: true }), NOW, SETTLE)).to.equal(undefined);
    expect(refusal(offer(1, { attestedOnly: true }), card(1, { issuerBacked: true }), NOW, SETTLE)).to.equal(undefined);
    expect(refusal(offer(1), card(1, { disclosed: true }), NOW, SETTLE)).to.equal("disclosed");
    expect(refusal(offer(1), card(1, { expiresAt: NOW + 3 * DAY }), NOW, SETTLE)).to.equal("tooLate");
    expect(refusal(offer(1), card(1, { expiresAt: NOW + 3 * DAY, issuerBacked: true }), NOW, SETTLE)).to.equal(
      undefined,
    );
  });

  it("quotes part by part, with the fee rounded per card", () => {
    const q = quote(offer(1), [card(1, { faceValue: 3_333n })]);
    // ¥33.33 at 85% = 28.3305 kCNY; 2% fee = 0.56661 kCNY.
    expect(q.total).to.equal(28_330_500n);
    expect(q.fee).to.equal(566_610n);
    expect(q.sellerReceives).to.equal(27_763_890n);
  });

  it("picks the offer that pays the seller most and can pay", () => {
    const cheap = offer(1);
    const rich = offer(2, { unitPrice: 10_100n });
    const broke = offer(3, { unitPrice: 20_000n, budget: 1n });
    const full = offer(4, { unitPrice: 20_000n, cardsLeft: 0 });
    expect(bestOffer([cheap, rich, broke, full], [card(1)], NOW, SETTLE, quote)!.offer.offerId).to.equal(2n);
    expect(bestOffer([cheap], [card(1, { brandId: 2 })], NOW, SETTLE, quote)).to.equal(undefined);
  });

  it("earns the batch bonus when ten cards go together", () => {
    const cards = Array.from({ length: 10 }, (_, i) => card(10 - i));
    const sale = bestOffer([offer(1)], cards, NOW, SETTLE, quote)!;
    expect(sale.quote.cards.every((c) => c.batchBonusBps === 300 && c.rateBps === 9_300)).to.equal(true);
  });

  it("plans one sale per brand, token ids ascending, and says which cards no offer buys", () => {
    const other = offer(5, { brandId: 2 });
    const { sales, unsold } = planSales(
      [offer(1), other],
      [card(3), card(1), card(2, { brandId: 2 }), card(4, { faceValue: 500_000n }), card(6, { brandId: 9 })],
      NOW,
      SETTLE,
      quote,
    );
    expect(sales.map((s) => [s.offer.offerId, s.cards.map((c) => c.tokenId)])).to.deep.equal([
      [1n, [1n, 3n]],
      [5n, [2n]],
    ]);
    expect(unsold.map((u) => [u.card.tokenId, u.why])).to.deep.equal([
      [4n, "face"],
      [6n, "noOffer"],
    ]);
  });

  it("splits a brand's cards over offers when no one offer can take them all", () => {
    const small = offer(1, { cardsLeft: 1, unitPrice: 11_000n });
    const big = offer(2);
    const { sales } = planSales([small, big], [card(1), card(2)], NOW, SETTLE, quote);
    expect(sales.map((s) => [s.offer.offerId, s.cards.map((c) => c.tokenId)])).to.deep.equal([
      [1n, [1n]],
      [2n, [2n]],
    ]);
  });
});
