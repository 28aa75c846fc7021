import { expect } from "chai";
import { BaseError, ContractFunctionRevertedError, encodeErrorResult, UserRejectedRequestError } from "viem";
import { ALL_ERRORS_ABI } from "../lib/errors.ts";
import { testI18n } from "./testing.ts";
import { errorText, revertValues } from "./text.ts";

const en = testI18n("en");
const zh = testI18n("zh-CN");
const has = () => true;

describe("error sentences", () => {
  const reverted = (errorName: string, args: readonly unknown[] = []) =>
    new ContractFunctionRevertedError({
      abi: ALL_ERRORS_ABI,
      functionName: "buy",
      data: encodeErrorResult({ abi: ALL_ERRORS_ABI, errorName, args } as never),
    });

  it("words a contract error by its name, in the reader's language", () => {
    expect(errorText(zh, reverted("EnforcedPause"), has)).to.equal(
      "交易所已暂停：暂时不能上架、改价和购买。没有扣款。",
    );
    expect(errorText(en, reverted("SellerCannotBuy", [7n]), has)).to.equal("You cannot buy your own listing.");
  });

  it("puts the error's arguments into the sentence: dates, short addresses, trade ids", () => {
    expect(errorText(zh, reverted("VoucherExpired", [12n, 1_798_761_599n]), has)).to.equal(
      "卡券 #12 已于 2026-12-31 23:59 UTC 过期。",
    );
    const values = revertValues({ name: "NotSeller", args: ["0x90F79bf6EB2c4f870365E785982E1f101E93b906", 5n] });
    expect(values).to.include({ caller: "0x90F7…b906", id: "5" });
  });

  it("takes an error the SDK already decoded", () => {
    expect(errorText(zh, { name: "EnforcedPause", args: [], message: "The exchange is paused." }, has)).to.equal(
      "交易所已暂停：暂时不能上架、改价和购买。没有扣款。",
    );
    expect(errorText(zh, { name: "UserRejected", args: [], message: "You rejected it." }, has)).to.equal(
      "你在钱包中拒绝了这次请求。",
    );
    expect(errorText(en, { name: "Unknown", args: [], message: "Missing data." }, has)).to.equal(
      "Something went wrong: Missing data.",
    );
  });

  it("says the wallet refused, and falls back to the technical sentence for anything else", () => {
    const rejected = new BaseError("no", { cause: new UserRejectedRequestError(new Error("User rejected")) });
    expect(errorText(zh, rejected, has)).to.equal("你在钱包中拒绝了这次请求。");
    expect(errorText(en, new Error("socket hang up"), has)).to.equal("Something went wrong: socket hang up");
  });

  it("has a sentence for every custom error of the contracts, in both languages", () => {
    const key = (name: string) => `errors.contract.${name}`;
    const missing = ALL_ERRORS_ABI.map((e) => e.name).filter(
      (name) => en(key(name) as "errors.generic") === key(name) || zh(key(name) as "errors.generic") === key(name),
    );
    expect(missing).to.deep.equal([]);
    expect(errorText(zh, reverted("DuplicateCard", [3n, `0x${"ab".repeat(32)}`, 17n]), has)).to.equal(
      "这个卡号已在品牌 #3 下录入过（卡券 #17）：同一张卡只能录入一次。",
    );
  });

  it("names an error the catalogs lack", () => {
    expect(errorText(en, { name: "BrandNew", args: [], message: "A new rule." }, () => false)).to.equal(
      "The exchange refused this (BrandNew). A new rule.",
    );
  });
});
