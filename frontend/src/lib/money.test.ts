import { expect } from "chai";
import {
  approxFiat,
  convert,
  formatFiat,
  formatMoney,
  formatMoneyExact,
  pegOf,
  rateOf,
  withCurrency,
} from "./money.ts";
import { DEFAULT_RATES } from "./pricing.ts";

const ETH = { symbol: "ETH", decimals: 18 };
const KUSD = { symbol: "kUSD", decimals: 6 };
const KCNY = { symbol: "kCNY", decimals: 6 };

describe("money", () => {
  it("pegOf and rateOf know the stablecoins", () => {
    expect(pegOf(KCNY)).to.equal("CNY");
    expect(pegOf(KUSD)).to.equal("USD");
    expect(pegOf(ETH)).to.equal(undefined);
    expect(rateOf("kCNY", DEFAULT_RATES)).to.equal(DEFAULT_RATES.CNY);
    expect(rateOf("ETH", DEFAULT_RATES)).to.equal(3000);
    expect(rateOf("THB", DEFAULT_RATES)).to.equal(undefined);
  });

  it("formatMoney shows a pegged stablecoin as its currency and ETH as ETH", () => {
    expect(formatMoney(482_500_000n, KCNY)).to.equal("¥482.50");
    expect(formatMoney(12_905_000n, KUSD)).to.equal("$12.905");
    expect(formatMoney(1_234_500_000n, KCNY)).to.equal("¥1,234.50");
    expect(formatMoney(4_246_000_000_000_000n, ETH)).to.equal("0.004246 ETH");
    expect(formatMoney(5n, { symbol: "XYZ", decimals: 0 })).to.equal("5.00 XYZ");
  });

  it("formatMoneyExact keeps every digit", () => {
    expect(formatMoneyExact(482_500_001n, KCNY)).to.equal("¥482.500001");
    expect(formatMoneyExact(84_920_000_000_001n, ETH)).to.equal("0.000084920000000001 ETH");
  });

  it("withCurrency and formatFiat", () => {
    expect(withCurrency("12.50", "CNY")).to.equal("¥12.50");
    expect(withCurrency("12.50", "THB")).to.equal("12.50 THB");
    expect(formatFiat(93.571, "CNY")).to.equal("¥93.57");
    expect(formatFiat(1071.4, "CNY")).to.equal("¥1,071");
  });

  it("convert and approxFiat go through the reference rates, never for the token's own currency", () => {
    // 0.01 ETH = $30 = ¥214.29 at 0.14.
    expect(convert(10n ** 16n, ETH, "CNY", DEFAULT_RATES)).to.be.closeTo(214.2857, 1e-3);
    expect(approxFiat(10n ** 16n, ETH, "CNY", DEFAULT_RATES)).to.equal("≈ ¥214.29");
    expect(approxFiat(13_300_000n, KUSD, "CNY", DEFAULT_RATES)).to.equal("≈ ¥95.00");
    expect(approxFiat(13_300_000n, KCNY, "CNY", DEFAULT_RATES)).to.equal(undefined);
    expect(approxFiat(1n, ETH, "THB", DEFAULT_RATES)).to.equal(undefined);
  });
});
