import { expect } from "chai";
import {
  DEFAULT_RATES,
  discountOf,
  guideDiscount,
  isExactDiscount,
  parseRates,
  priceAtDiscount,
  robustMedian,
  suggestDiscount,
  usdValue,
} from "./pricing.ts";

const ETH = { symbol: "ETH", decimals: 18 };
const KUSD = { symbol: "kUSD", decimals: 6 };
const KCNY = { symbol: "kCNY", decimals: 6 };
const DAY = 86_400;

describe("pricing", () => {
  it("parseRates merges over the defaults and ignores malformed entries", () => {
    const rates = parseRates("ETH=2500, CNY=0.15,BAD,XYZ=-1,ABC=zero");
    expect(rates.ETH).to.equal(2500);
    expect(rates.CNY).to.equal(0.15);
    expect(rates.USD).to.equal(1);
    expect(rates).to.not.have.property("XYZ");
    expect(rates).to.not.have.property("ABC");
    expect(parseRates(undefined)).to.deep.equal(DEFAULT_RATES);
  });

  it("usdValue scales by decimals and rate", () => {
    expect(usdValue(1_500_000n, 6, 1)).to.equal(1.5);
    expect(usdValue(10n ** 18n, 18, 3000)).to.equal(3000);
  });

  describe("discountOf", () => {
    it("compares a stablecoin price with a USD face value", () => {
      expect(discountOf(130_500_000n, KUSD, 15_000n, "USD", DEFAULT_RATES)).to.be.closeTo(0.13, 1e-12);
    });
    it("compares an ETH price with a CNY face value through the reference rates", () => {
      // ¥100 = $14; 0.004246 ETH = $12.738 → 9.01% below face value.
      expect(discountOf(4_246_000_000_000_000n, ETH, 10_000n, "CNY", DEFAULT_RATES)).to.be.closeTo(0.09014285, 1e-7);
    });
    it("is exact for a stablecoin of the card's own currency, whatever the rates", () => {
      // ¥500 card at ¥482.50 kCNY: 3.5% off, with no reference rate at all.
      expect(discountOf(482_500_000n, KCNY, 50_000n, "CNY", {})).to.equal(0.035);
      expect(discountOf(482_500_000n, KCNY, 50_000n, "CNY", { CNY: 123 })).to.equal(0.035);
      expect(isExactDiscount(KCNY, "CNY")).to.equal(true);
      expect(isExactDiscount(KCNY, "USD")).to.equal(false);
      expect(isExactDiscount(ETH, "CNY")).to.equal(false);
    });
    it("converts a stablecoin of another currency through the rates", () => {
      // ¥100 = $14 at the default rates; 13.30 kUSD is 5% below.
      expect(discountOf(13_300_000n, KUSD, 10_000n, "CNY", DEFAULT_RATES)).to.be.closeTo(0.05, 1e-12);
      // A kCNY price of a dollar card: ¥95 at 0.14 = $13.30 against $14.
      expect(discountOf(95_000_000n, KCNY, 1_400n, "USD", DEFAULT_RATES)).to.be.closeTo(0.05, 1e-12);
    });
    it("is negative for a premium", () => {
      expect(discountOf(110_000_000n, KUSD, 10_000n, "USD", DEFAULT_RATES)).to.be.closeTo(-0.1, 1e-12);
    });
    it("is undefined without a rate", () => {
      expect(discountOf(1n, KUSD, 100n, "THB", DEFAULT_RATES)).to.equal(undefined);
      expect(discountOf(1n, { symbol: "XYZ", decimals: 18 }, 100n, "USD", DEFAULT_RATES)).to.equal(undefined);
    });
  });

  describe("priceAtDiscount", () => {
    it("rounds a stablecoin price down to the cent", () => {
      // $150 at 13% off = $130.50.
      expect(priceAtDiscount(15_000n, "USD", 0.13, KUSD, DEFAULT_RATES)).to.equal(130_500_000n);
      // ¥333.33 at 5% off = $44.33289 → $44.33.
      expect(priceAtDiscount(33_333n, "CNY", 0.05, KUSD, DEFAULT_RATES)).to.equal(44_330_000n);
    });
    it("is exact in a stablecoin of the card's currency", () => {
      // ¥500 at 3.5% off = ¥482.50, without any rate.
      expect(priceAtDiscount(50_000n, "CNY", 0.035, KCNY, {})).to.equal(482_500_000n);
      // ¥333.33 at 5% off = ¥316.6635 → ¥316.66.
      expect(priceAtDiscount(33_333n, "CNY", 0.05, KCNY, {})).to.equal(316_660_000n);
    });
    it("never goes below the token's own minimum", () => {
      expect(priceAtDiscount(100n, "CNY", 0.5, KCNY, {}, 1_000_000n)).to.equal(1_000_000n);
    });
    it("rounds an ETH price down to a millionth of an ETH", () => {
      // ¥100 at 9% off = $12.74 = 0.0042466… ETH → 0.004246 ETH.
      expect(priceAtDiscount(10_000n, "CNY", 0.09, ETH, DEFAULT_RATES)).to.equal(4_246_000_000_000_000n);
    });
    it("never suggests less than MIN_PRICE", () => {
      expect(priceAtDiscount(1n, "USD", 0.5, KUSD, DEFAULT_RATES)).to.equal(10_000n);
    });
    it("is undefined without a rate", () => {
      expect(priceAtDiscount(100n, "THB", 0.1, KUSD, DEFAULT_RATES)).to.equal(undefined);
    });
  });

  it("guideDiscount deepens towards expiry", () => {
    expect(guideDiscount(5)).to.equal(0.15);
    expect(guideDiscount(30)).to.equal(0.15);
    expect(guideDiscount(31)).to.equal(0.1);
    expect(guideDiscount(180)).to.equal(0.07);
    expect(guideDiscount(181)).to.equal(0.05);
  });

  describe("robustMedian", () => {
    it("takes the median, and from four values on drops what lies outside Tukey's fences", () => {
      expect(robustMedian([0.09, 0.04, 0.05])).to.deep.equal({ median: 0.05, kept: 3, dropped: 0 });
      expect(robustMedian([0.04, 0.05, 0.06, 0.07])).to.deep.include({ kept: 4, dropped: 0 });
      expect(robustMedian([0.04, 0.05, 0.06, 0.07]).median).to.be.closeTo(0.055, 1e-12);
      // One wash sale at 60% off and one at a 40% premium do not move it.
      expect(robustMedian([0.05, 0.04, 0.6, 0.06, 0.05, -0.4])).to.deep.equal({ median: 0.05, kept: 4, dropped: 2 });
      expect(robustMedian([])).to.deep.equal({ median: undefined, kept: 0, dropped: 0 });
    });
  });

  describe("suggestDiscount", () => {
    const now = 1_800_000_000;
    it("uses the median of the brand's sales once there are three", () => {
      expect(suggestDiscount([0.04, 0.05, 0.09], BigInt(now + 400 * DAY), now)).to.deep.equal({
        discount: 0.05,
        basis: "market",
        samples: 3,
      });
    });
    it("leaves outliers out of the median and of the count", () => {
      expect(suggestDiscount([0.05, 0.04, 0.7, 0.06, 0.05], BigInt(now + 400 * DAY), now)).to.deep.equal({
        discount: 0.05,
        basis: "market",
        samples: 4,
      });
    });
    it("falls back to the guide tier with fewer prices", () => {
      expect(suggestDiscount([0.04, 0.05], BigInt(now + 20 * DAY), now)).to.deep.equal({
        discount: 0.15,
        basis: "guide",
        samples: 2,
      });
      expect(suggestDiscount([], BigInt(now + 100 * DAY), now)).to.deep.equal({
        discount: 0.07,
        basis: "guide",
        samples: 0,
      });
    });
  });
});
