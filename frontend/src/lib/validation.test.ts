import { expect } from "chai";
import {
  MAX_PRICE,
  parseAmount,
  validateAddress,
  validateBrand,
  validateBrandText,
  validateCardNumber,
  validateCode,
  validateCurrency,
  validateExpiry,
  validateFaceValue,
  validateDenominations,
  validateDisputeBondPercent,
  validateFeePercent,
  validateLevelShares,
  validateMint,
  validatePrice,
  cardsFromPaste,
  duplicatesInBatch,
  type Check,
  type MintErrors,
  type Problem,
} from "./validation.ts";
import { testI18n } from "../i18n/testing.ts";
import { problemText } from "../i18n/text.ts";

const en = testI18n("en");
const zh = testI18n("zh-CN");

/** A check with its problem(s) in English, as the form shows them. */
function said<T>(check: Check<T> | { ok: true; value: T } | { ok: false; errors: MintErrors }) {
  if (check.ok) return check;
  if ("errors" in check) {
    return {
      ok: false,
      errors: Object.fromEntries(Object.entries(check.errors).map(([k, p]) => [k, problemText(en, p!)])),
    };
  }
  return { ok: false, error: problemText(en, check.error) };
}

const NOW = 1_796_000_000; // 2026-11-30T…Z
const brands = [
  { id: 1, name: "JD E-Card", active: true },
  { id: 2, name: "Starbucks", active: false },
];

describe("validation", () => {
  describe("parseAmount", () => {
    it("parses decimals into base units exactly", () => {
      expect(said(parseAmount("12.5", 6))).to.deep.equal({ ok: true, value: 12_500_000n });
      expect(said(parseAmount(" 0.000001 ", 6))).to.deep.equal({ ok: true, value: 1n });
      expect(said(parseAmount(".5", 2))).to.deep.equal({ ok: true, value: 50n });
      expect(said(parseAmount("1.", 18))).to.deep.equal({ ok: true, value: 10n ** 18n });
    });
    it("refuses empty input", () => {
      expect(said(parseAmount("  ", 6))).to.deep.equal({ ok: false, error: "Amount is required." });
    });
    it("refuses negative numbers", () => {
      expect(said(parseAmount("-1", 6, "price"))).to.deep.equal({ ok: false, error: "Price cannot be negative." });
    });
    it("refuses too many decimals", () => {
      expect(said(parseAmount("1.0000001", 6, "price"))).to.deep.equal({
        ok: false,
        error: "Price can have at most 6 decimal places.",
      });
      expect(said(parseAmount("1.5", 0, "amount"))).to.deep.equal({
        ok: false,
        error: "Amount must be a whole number.",
      });
    });
    it("refuses exponents, separators and words", () => {
      for (const input of ["1e3", "1,000", "abc", ".", "1.2.3", "0x10"]) {
        expect(said(parseAmount(input, 6))).to.deep.equal({ ok: false, error: "Amount must be a number like 12.50." });
      }
    });
    it("refuses zero unless allowed", () => {
      expect(said(parseAmount("0.00", 2))).to.deep.equal({ ok: false, error: "Amount must be more than zero." });
      expect(said(parseAmount("0", 2, "levelShare", true))).to.deep.equal({ ok: true, value: 0n });
    });
  });

  describe("validatePrice", () => {
    const kusd = { symbol: "kUSD", decimals: 6 };
    it("accepts MIN_PRICE exactly", () => {
      expect(said(validatePrice("0.01", kusd))).to.deep.equal({ ok: true, value: 10_000n });
    });
    it("refuses below the token's own minimum when it is known", () => {
      const eth = { symbol: "ETH", decimals: 18, minPrice: 10n ** 14n };
      expect(said(validatePrice("0.00009", eth))).to.deep.equal({
        ok: false,
        error: "Price must be at least 0.0001 ETH.",
      });
      expect(validatePrice("0.0001", eth)).to.deep.equal({ ok: true, value: 10n ** 14n });
    });
    it("refuses below MIN_PRICE, naming the minimum in the token", () => {
      expect(said(validatePrice("0.009999", kusd))).to.deep.equal({
        ok: false,
        error: "Price must be at least $0.01.",
      });
      expect(said(validatePrice("0.000000000000009999", { symbol: "ETH", decimals: 18 }))).to.deep.equal({
        ok: false,
        error: "Price must be at least 0.00000000000001 ETH.",
      });
    });
    it("refuses above 2^96 - 1", () => {
      expect(said(validatePrice(MAX_PRICE.toString(), { symbol: "X", decimals: 0 }))).to.deep.equal({
        ok: true,
        value: MAX_PRICE,
      });
      expect(said(validatePrice((MAX_PRICE + 1n).toString(), { symbol: "X", decimals: 0 }))).to.deep.equal({
        ok: false,
        error: "Price is too large.",
      });
    });
  });

  it("validateFaceValue works in minor units with two decimals", () => {
    expect(said(validateFaceValue("500"))).to.deep.equal({ ok: true, value: 50_000n });
    expect(said(validateFaceValue("5.005"))).to.deep.equal({
      ok: false,
      error: "Face value can have at most 2 decimal places.",
    });
    expect(said(validateFaceValue("0"))).to.deep.equal({ ok: false, error: "Face value must be more than zero." });
  });

  describe("validateExpiry", () => {
    it("returns the end of the day in UTC", () => {
      expect(said(validateExpiry("2027-06-30", NOW))).to.deep.equal({ ok: true, value: 1_814_399_999n });
    });
    it("refuses a past date", () => {
      expect(said(validateExpiry("2026-01-01", NOW))).to.deep.equal({
        ok: false,
        error: "Expiry date is in the past: an expired card cannot be sold.",
      });
    });
    it("accepts today while the day lasts", () => {
      const today = new Date(NOW * 1000).toISOString().slice(0, 10);
      expect(validateExpiry(today, NOW).ok).to.equal(true);
    });
    it("refuses empty, malformed and impossible dates", () => {
      expect(said(validateExpiry("", NOW))).to.deep.equal({ ok: false, error: "Expiry date is required." });
      expect(said(validateExpiry("30/06/2027", NOW))).to.deep.equal({
        ok: false,
        error: "Expiry must be a date like 2027-06-30.",
      });
      expect(said(validateExpiry("2027-02-30", NOW))).to.deep.equal({
        ok: false,
        error: "Expiry is not a real calendar date.",
      });
    });
  });

  it("validateBrand refuses unknown and inactive brands", () => {
    expect(said(validateBrand("1", brands))).to.deep.equal({ ok: true, value: 1 });
    expect(said(validateBrand("", brands))).to.deep.equal({ ok: false, error: "Choose a brand." });
    expect(said(validateBrand("9", brands))).to.deep.equal({
      ok: false,
      error: "Unknown brand: pick one from the list.",
    });
    expect(said(validateBrand("1.5", brands))).to.deep.equal({
      ok: false,
      error: "Unknown brand: pick one from the list.",
    });
    expect(said(validateBrand(2, brands))).to.deep.equal({
      ok: false,
      error: "Starbucks is paused and accepts no new vouchers.",
    });
  });

  it("validateCode trims and bounds the code", () => {
    expect(said(validateCode("  JD-1  "))).to.deep.equal({ ok: true, value: "JD-1" });
    expect(said(validateCode(" "))).to.deep.equal({ ok: false, error: "PIN is required." });
    expect(said(validateCode("x".repeat(201)))).to.deep.equal({
      ok: false,
      error: "PIN is longer than 200 characters.",
    });
  });

  it("validateAddress refuses malformed and zero addresses", () => {
    const address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    expect(said(validateAddress(address))).to.deep.equal({ ok: true, value: address });
    expect(said(validateAddress("0x1234", "upline"))).to.deep.equal({
      ok: false,
      error: "Upline is not a valid address.",
    });
    expect(said(validateAddress("0x0000000000000000000000000000000000000000"))).to.deep.equal({
      ok: false,
      error: "Address cannot be the zero address.",
    });
  });

  it("validateFeePercent keeps the fee within 1–3%", () => {
    expect(said(validateFeePercent("2.5"))).to.deep.equal({ ok: true, value: 250 });
    expect(said(validateFeePercent("1"))).to.deep.equal({ ok: true, value: 100 });
    expect(said(validateFeePercent("3"))).to.deep.equal({ ok: true, value: 300 });
    expect(said(validateFeePercent("0.99"))).to.deep.equal({ ok: false, error: "Fee must be between 1% and 3%." });
    expect(said(validateFeePercent("3.01"))).to.deep.equal({ ok: false, error: "Fee must be between 1% and 3%." });
  });

  it("validateLevelShares sums to at most 50% of the fee", () => {
    expect(said(validateLevelShares(["30", "15", "5"]))).to.deep.equal({ ok: true, value: [3000, 1500, 500] });
    expect(said(validateLevelShares(["25", "25", "0"]))).to.deep.equal({ ok: true, value: [2500, 2500, 0] });
    // The exchange keeps at least half of every fee: the shares are capped at 50%.
    expect(said(validateLevelShares(["30", "15", "5.01"]))).to.deep.equal({
      ok: false,
      error: "Level shares add up to more than 50% of the fee.",
    });
    expect(said(validateLevelShares(["30", "-1", "5"]))).to.deep.equal({
      ok: false,
      error: "Level 2 share cannot be negative.",
    });
  });

  it("validateDisputeBondPercent keeps the bond within 1–50% of the price", () => {
    expect(said(validateDisputeBondPercent("10"))).to.deep.equal({ ok: true, value: 1000 });
    expect(said(validateDisputeBondPercent("12.5%"))).to.deep.equal({ ok: true, value: 1250 });
    expect(said(validateDisputeBondPercent("1"))).to.deep.equal({ ok: true, value: 100 });
    expect(said(validateDisputeBondPercent("50"))).to.deep.equal({ ok: true, value: 5000 });
    const range = { ok: false, error: "The dispute bond must be between 1% and 50% of the price." };
    expect(said(validateDisputeBondPercent("0.99"))).to.deep.equal(range);
    expect(said(validateDisputeBondPercent("50.01"))).to.deep.equal(range);
    expect(said(validateDisputeBondPercent(""))).to.deep.equal({ ok: false, error: "Dispute bond is required." });
    expect(problemText(zh, (validateDisputeBondPercent("60") as { error: Problem }).error)).to.equal(
      "申诉保证金须在成交价的 1% 到 50% 之间。",
    );
  });

  it("validateDenominations reads a list in any order and separator, or one maximum, as setDenominations takes them", () => {
    expect(said(validateDenominations("500，100、200 1000", "list"))).to.deep.equal({
      ok: true,
      value: { faceValues: [10_000n, 20_000n, 50_000n, 100_000n], maxFaceValue: 0n },
    });
    expect(said(validateDenominations("¥49.90; 5", "list"))).to.deep.equal({
      ok: true,
      value: { faceValues: [500n, 4990n], maxFaceValue: 0n },
    });
    expect(said(validateDenominations(" 1000 ", "max"))).to.deep.equal({
      ok: true,
      value: { faceValues: [], maxFaceValue: 100_000n },
    });
    expect(said(validateDenominations("100, 200, 100", "list"))).to.deep.equal({
      ok: false,
      error: "100 appears twice.",
    });
    expect(said(validateDenominations("100, 200", "max"))).to.deep.equal({
      ok: false,
      error: "Give one maximum face value, such as 1000.",
    });
    expect(said(validateDenominations(" ，", "list"))).to.deep.equal({
      ok: false,
      error: "Face value list is required.",
    });
    expect(said(validateDenominations("100, 0", "list"))).to.deep.equal({
      ok: false,
      error: "Face value must be more than zero.",
    });
    const many = Array.from({ length: 33 }, (_, i) => String(i + 1)).join(",");
    expect(said(validateDenominations(many, "list"))).to.deep.equal({
      ok: false,
      error: "A brand can have at most 32 face values; use a maximum instead.",
    });
  });

  it("validateBrandText mirrors the token's InvalidBrandText rule", () => {
    expect(said(validateBrandText("京东 E卡", "brandName"))).to.deep.equal({ ok: true, value: "京东 E卡" });
    expect(said(validateBrandText("A & B", "brandName"))).to.deep.equal({
      ok: false,
      error: 'Name cannot contain " \\ < > & or control characters.',
    });
    // 11 three-byte characters = 33 bytes.
    expect(said(validateBrandText("京".repeat(11), "brandName"))).to.deep.equal({
      ok: false,
      error: "Name is longer than 32 bytes.",
    });
  });

  it("validateCurrency wants three letters", () => {
    expect(said(validateCurrency("cny"))).to.deep.equal({ ok: true, value: "CNY" });
    expect(said(validateCurrency("RMB1"))).to.deep.equal({
      ok: false,
      error: "Currency must be a three-letter code such as CNY or USD.",
    });
  });

  describe("validateMint", () => {
    const card = {
      brandId: "1",
      faceValue: "500",
      expiry: "2027-06-30",
      cardNumber: " JD10 8842 1137 ",
      code: " K7QM ",
    };
    it("returns the draft when every field is valid", () => {
      expect(validateMint(card, brands, NOW)).to.deep.equal({
        ok: true,
        value: {
          brandId: 1,
          faceValue: 50_000n,
          expiresAt: 1_814_399_999n,
          cardNumber: "JD10 8842 1137",
          code: "K7QM",
        },
      });
    });
    it("reports every bad field at once", () => {
      const bad = { brandId: "7", faceValue: "-3", expiry: "2020-01-01", cardNumber: " - ", code: "" };
      expect(said(validateMint(bad, brands, NOW))).to.deep.equal({
        ok: false,
        errors: {
          brandId: "Unknown brand: pick one from the list.",
          faceValue: "Face value cannot be negative.",
          expiry: "Expiry date is in the past: an expired card cannot be sold.",
          cardNumber: "Card number is required.",
          code: "PIN is required.",
        },
      });
    });
    it("refuses a face value the brand's cards do not come in, naming the ones they do", () => {
      const withDenominations = [
        { ...brands[0], denominations: { faceValues: [10_000n, 20_000n, 50_000n], maxFaceValue: 0n } },
      ];
      expect(said(validateMint({ ...card, faceValue: "300" }, withDenominations, NOW))).to.deep.equal({
        ok: false,
        errors: { faceValue: "The brand's cards do not come in this face value: choose 100 / 200 / 500." },
      });
      expect(validateMint({ ...card, faceValue: "¥200" }, withDenominations, NOW).ok).to.equal(true);
    });
  });

  it("validateCardNumber keeps the number as typed, refuses an empty or too long one", () => {
    expect(validateCardNumber(" 6225 8800-0006 ")).to.deep.equal({ ok: true, value: "6225 8800-0006" });
    expect(said(validateCardNumber(" -- "))).to.deep.equal({ ok: false, error: "Card number is required." });
    expect(said(validateCardNumber("9".repeat(256)))).to.deep.equal({
      ok: false,
      error: "A card number is at most 255 characters long.",
    });
  });

  it("duplicatesInBatch finds a card number repeated under the same brand, in any spacing", () => {
    const repeats = duplicatesInBatch([
      { brandId: "1", cardNumber: "6225 8800" },
      { brandId: "2", cardNumber: "6225 8800" },
      { brandId: "1", cardNumber: "6225-8800" },
      { brandId: "1", cardNumber: "6225 8801" },
    ]);
    expect([...repeats]).to.deep.equal([[2, 0]]);
  });

  it("speaks Chinese in the same words the form shows", () => {
    const zhSaid = (check: Check<unknown>) => (check.ok ? "" : problemText(zh, check.error));
    expect(zhSaid(validateFaceValue("-5"))).to.equal("面值不能是负数。");
    expect(zhSaid(validateFaceValue("12.345"))).to.equal("面值最多保留 2 位小数。");
    expect(zhSaid(validateCode(""))).to.equal("请填写卡密。");
    expect(zhSaid(validateCardNumber(""))).to.equal("请填写卡号。");
    expect(zhSaid(validateBrand("", brands))).to.equal("请选择品牌。");
    expect(zhSaid(validateExpiry("2020-01-01", NOW))).to.equal("有效期已过：过期的卡不能出售。");
    expect(zhSaid(validatePrice("0.001", { symbol: "kCNY", decimals: 6 }))).to.equal("价格不能低于 ¥0.01。");
  });

  it("cardsFromPaste makes one card per pasted line: card number, PIN, face value", () => {
    const template = { brandId: "1", faceValue: "100", expiry: "2027-06-30", cardNumber: "", code: "" };
    const pasted =
      " 6225 8800 0001, K7QM-82PX, 500 \r\n\n6225 8800 0002\tWQ2M\t¥200\n  \n6225 8800 0003，LL4P\nJD-4 | 9XTA | 1000";
    expect(cardsFromPaste(pasted, template)).to.deep.equal([
      { ...template, cardNumber: "6225 8800 0001", code: "K7QM-82PX", faceValue: "500" },
      { ...template, cardNumber: "6225 8800 0002", code: "WQ2M", faceValue: "¥200" },
      { ...template, cardNumber: "6225 8800 0003", code: "LL4P" },
      { ...template, cardNumber: "JD-4", code: "9XTA", faceValue: "1000" },
    ]);
    expect(cardsFromPaste("1,a\n2,b\n3,c", template, 2)).to.have.length(2);
  });
});
