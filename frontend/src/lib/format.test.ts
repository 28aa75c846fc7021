import { expect } from "chai";
import {
  daysUntil,
  formatBps,
  formatDate,
  formatDateTime,
  formatDuration,
  formatFaceValue,
  formatPercent,
  formatToken,
  formatTokenExact,
  formatUnits,
  shortAddress,
} from "./format.ts";

const ETH = { symbol: "ETH", decimals: 18 };
const KUSD = { symbol: "kUSD", decimals: 6 };

describe("format", () => {
  describe("formatUnits", () => {
    it("groups thousands and trims trailing zeros", () => {
      expect(formatUnits(1_234_567_890_000_000_000_000n, 18)).to.equal("1,234.56789");
      expect(formatUnits(5_000_000n, 6)).to.equal("5");
    });
    it("truncates rather than rounds beyond maxFraction", () => {
      expect(formatUnits(1_999_999_999_999_999_999n, 18, 6)).to.equal("1.999999");
    });
    it("pads to minFraction", () => {
      expect(formatUnits(25_000_000n, 6, 6, 2)).to.equal("25.00");
      expect(formatUnits(25_500_000n, 6, 6, 2)).to.equal("25.50");
    });
    it("handles zero decimals and negatives", () => {
      expect(formatUnits(1234n, 0)).to.equal("1,234");
      expect(formatUnits(-1_500_000n, 6)).to.equal("-1.5");
    });
  });

  it("formatToken shows cents for 6-decimal tokens and up to 6 digits for ETH", () => {
    expect(formatToken(12_600_000n, KUSD)).to.equal("12.60 kUSD");
    expect(formatToken(4_246_000_000_000_000n, ETH)).to.equal("0.004246 ETH");
    expect(formatToken(10n ** 18n, ETH)).to.equal("1 ETH");
  });

  it("formatTokenExact shows every digit", () => {
    expect(formatTokenExact(84_920_000_000_001n, ETH)).to.equal("0.000084920000000001 ETH");
    expect(formatTokenExact(123n, KUSD)).to.equal("0.000123 kUSD");
  });

  it("formatFaceValue uses the currency symbol when known", () => {
    expect(formatFaceValue(50_000n, "CNY")).to.equal("¥500.00");
    expect(formatFaceValue(2_505n, "USD")).to.equal("$25.05");
    expect(formatFaceValue(123_456_789n, "EUR")).to.equal("€1,234,567.89");
    expect(formatFaceValue(1_000n, "THB")).to.equal("10.00 THB");
  });

  it("shortAddress keeps the first 6 and last 4 characters", () => {
    expect(shortAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")).to.equal("0xf39F…2266");
    expect(shortAddress("0x1234")).to.equal("0x1234");
  });

  it("formats dates in UTC", () => {
    expect(formatDate(1_798_761_599)).to.equal("2026-12-31");
    expect(formatDateTime(1_798_761_599n)).to.equal("2026-12-31 23:59 UTC");
  });

  it("daysUntil rounds down and goes negative once past", () => {
    expect(daysUntil(86_400 * 10 + 5, 5)).to.equal(10);
    expect(daysUntil(86_400 * 10 + 4, 5)).to.equal(9);
    expect(daysUntil(0, 1)).to.equal(-1);
  });

  it("formatDuration picks the two largest units", () => {
    expect(formatDuration(59)).to.equal("under a minute");
    expect(formatDuration(45 * 60)).to.equal("45m");
    expect(formatDuration(3 * 3600 + 12 * 60)).to.equal("3h 12m");
    expect(formatDuration(7200)).to.equal("2h");
    expect(formatDuration(2 * 86_400 + 4 * 3600 + 59)).to.equal("2d 4h");
    expect(formatDuration(3 * 86_400)).to.equal("3d");
  });

  it("formatDuration speaks Chinese", () => {
    expect(formatDuration(59, "zh-CN")).to.equal("不到1分钟");
    expect(formatDuration(45 * 60, "zh-CN")).to.equal("45分钟");
    expect(formatDuration(3 * 3600 + 12 * 60, "zh-CN")).to.equal("3小时12分钟");
    expect(formatDuration(2 * 86_400 + 4 * 3600 + 59, "zh-CN")).to.equal("2天4小时");
  });

  it("formatBps and formatPercent", () => {
    expect(formatBps(200)).to.equal("2%");
    expect(formatBps(250)).to.equal("2.5%");
    expect(formatBps(3000n)).to.equal("30%");
    expect(formatPercent(0.1234)).to.equal("12.3%");
    expect(formatPercent(-0.05)).to.equal("-5.0%");
  });
});
