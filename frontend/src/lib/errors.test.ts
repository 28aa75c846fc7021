import { expect } from "chai";
import {
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  InsufficientFundsError,
  TransactionExecutionError,
  UserRejectedRequestError,
  type Abi,
  type Hex,
} from "viem";
import { testStablecoinAbi, voucherExchangeAbi, voucherTokenAbi } from "../generated/contracts.ts";
import { ALL_ERRORS_ABI, describeError, describeRevert, ERROR_MESSAGES } from "./errors.ts";

const EXCHANGE = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

/** What viem throws when a simulated exchange call reverts with `data`. */
function reverted(data: Hex, abi: Abi = voucherExchangeAbi as Abi, functionName = "buy") {
  return new ContractFunctionExecutionError(new ContractFunctionRevertedError({ abi, data, functionName }), {
    abi,
    functionName,
    args: [],
    contractAddress: EXCHANGE,
  });
}

describe("errors", () => {
  it("has a sentence for every custom error of the token, the exchange and the stablecoin", () => {
    const names = [voucherTokenAbi, voucherExchangeAbi, testStablecoinAbi].flatMap((abi) =>
      (abi as Abi).filter((item) => item.type === "error").map((item) => (item as { name: string }).name),
    );
    expect(names.length).to.be.greaterThan(40);
    const missing = names.filter((name) => !(name in ERROR_MESSAGES));
    expect(missing).to.deep.equal([]);
    for (const item of ALL_ERRORS_ABI) {
      const args = item.inputs.map((input) =>
        input.type === "address" ? EXCHANGE : input.type === "string" ? "x" : 1n,
      );
      expect(describeRevert(item.name, args)).to.not.contain(`(${item.name})`);
    }
  });

  it("decodes a custom error with its arguments", () => {
    const data = encodeErrorResult({
      abi: voucherExchangeAbi,
      errorName: "InvalidStatus",
      args: [12n, 6],
    });
    expect(describeError(reverted(data))).to.equal("Trade #12 is completed, so this action is no longer possible.");
  });

  it("names deadlines in UTC", () => {
    const data = encodeErrorResult({
      abi: voucherExchangeAbi,
      errorName: "DeadlinePassed",
      args: [3n, 1_800_000_000n],
    });
    expect(describeError(reverted(data))).to.equal("The window for order #3 closed on 2027-01-15 08:00 UTC.");
  });

  it("decodes a token error that surfaced through an exchange call", () => {
    // ERC721InsufficientApproval is not in the exchange's ABI: viem leaves it undecoded, errors.ts decodes the raw data.
    const data = encodeErrorResult({
      abi: voucherTokenAbi,
      errorName: "ERC721InsufficientApproval",
      args: [EXCHANGE, 41n],
    });
    const error = reverted(data, voucherExchangeAbi as Abi, "list");
    const inner = error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError;
    expect(inner.data).to.equal(undefined);
    expect(describeError(error)).to.equal("The exchange is not approved to move voucher #41: approve it first.");
  });

  it("decodes ERC-20 errors from the payment token", () => {
    const data = encodeErrorResult({
      abi: testStablecoinAbi,
      errorName: "ERC20InsufficientAllowance",
      args: [EXCHANGE, 0n, 5n],
    });
    expect(describeError(reverted(data))).to.equal(
      "The exchange may not spend enough of your tokens: approve the amount first.",
    );
  });

  it("explains a rejected request and missing funds", () => {
    const rejected = new TransactionExecutionError(new UserRejectedRequestError(new Error("User denied")), {
      account: undefined,
      chain: undefined,
    } as never);
    expect(describeError(rejected)).to.equal("You rejected the request in your wallet.");
    const broke = new TransactionExecutionError(new InsufficientFundsError(), {} as never);
    expect(describeError(broke)).to.equal("This account does not have enough ETH for the payment and the network fee.");
  });

  it("falls back to viem's shortMessage, then to the message", () => {
    expect(describeError(new BaseError("The node is unreachable."))).to.equal("The node is unreachable.");
    expect(describeError(new Error("plain"))).to.equal("plain");
    expect(describeError("text")).to.equal("text");
  });

  it("keeps an unknown error's name visible", () => {
    expect(describeRevert("SomethingNew", [])).to.equal("The contract refused the call (SomethingNew).");
  });
});
