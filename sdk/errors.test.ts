import { expect } from "chai";
import {
  BaseError,
  CallExecutionError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  InsufficientFundsError,
  InvalidInputRpcError,
  RpcRequestError,
  TransactionExecutionError,
  UserRejectedRequestError,
  type Abi,
  type Hex,
} from "viem";
import { testStablecoinAbi, voucherExchangeAbi, voucherTokenAbi } from "./abis.ts";
import { ALL_ERRORS_ABI, decodeError, describeError, describeRevert, ERROR_MESSAGES } from "./errors.ts";

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

  it("explains the card-trust refusals: a duplicate card number, a face value the brand does not have, no arbiter key", () => {
    const token = (errorName: string, args: readonly unknown[]) =>
      describeError(
        reverted(encodeErrorResult({ abi: voucherTokenAbi, errorName, args } as never), voucherTokenAbi as Abi, "mint"),
      );
    expect(token("DuplicateCard", [3n, `0x${"ab".repeat(32)}`, 17n])).to.equal(
      "This card number is already registered for brand #3 (voucher #17): a card can be put on Kaquan only once.",
    );
    expect(token("FaceValueNotAllowed", [3n, 9_999n])).to.equal(
      "Brand #3 has no cards with a face value of 9,999 minor units: choose one of its denominations.",
    );
    expect(token("AttestationUnchanged", [4n, false])).to.equal(
      "Voucher #4 is not attested, so there is nothing to revoke.",
    );
    const data = encodeErrorResult({ abi: voucherExchangeAbi, errorName: "NoArbiterKey" });
    expect(decodeError(reverted(data, voucherExchangeAbi as Abi, "dispute")).name).to.equal("NoArbiterKey");
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

  it("returns the name and decoded arguments with the sentence, for a UI to translate by name", () => {
    const data = encodeErrorResult({ abi: voucherExchangeAbi, errorName: "PriceAboveMax", args: [5n, 4n] });
    expect(decodeError(reverted(data))).to.deep.equal({
      name: "PriceAboveMax",
      args: [5n, 4n],
      message: "The seller changed the price after you opened this page. Nothing was paid: review the new price.",
    });
    const rejected = new TransactionExecutionError(new UserRejectedRequestError(new Error("User denied")), {} as never);
    expect(decodeError(rejected).name).to.equal("UserRejected");
    expect(decodeError(new Error("plain"))).to.deep.equal({ name: "Unknown", args: [], message: "plain" });
  });

  it("finds revert data Hardhat's node buries in an invalid-input RPC error (buying while paused)", () => {
    // What the node answers eth_call / eth_estimateGas when a zero-argument custom error reverts: code -32000 with
    // `{ message, data }`. viem turns it into "Missing or invalid parameters." and no ContractFunctionRevertedError.
    const data = encodeErrorResult({ abi: voucherExchangeAbi, errorName: "EnforcedPause" });
    const message = `VM Exception while processing transaction: reverted with an unrecognized custom error (return data: ${data})`;
    const rpc = new RpcRequestError({
      body: {},
      url: "http://127.0.0.1:8545",
      error: { code: -32000, message, data: { message, data } },
    });
    const error = new ContractFunctionExecutionError(
      new CallExecutionError(new InvalidInputRpcError(rpc), {} as never),
      {
        abi: voucherExchangeAbi as Abi,
        functionName: "buy",
        args: [],
        contractAddress: EXCHANGE,
      },
    );
    expect(error.shortMessage).to.contain("Missing or invalid parameters.");
    expect(decodeError(error)).to.deep.equal({
      name: "EnforcedPause",
      args: [],
      message: "The exchange is paused: new listings, price changes and purchases are stopped for now.",
    });
  });

  it("keeps an unknown error's name visible", () => {
    expect(describeRevert("SomethingNew", [])).to.equal("The contract refused the call (SomethingNew).");
  });
});
