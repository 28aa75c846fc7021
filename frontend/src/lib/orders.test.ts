import { expect } from "chai";
import type { Address } from "viem";
import { nextStep, roleOf, Status, type TradeView } from "./orders.ts";

const SELLER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906" as Address;
const BUYER = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65" as Address;
const ARBITER = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as Address;
const OTHER = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720" as Address;
const DEADLINE = 1_800_000_000;

const trade = (status: number, patch: Partial<TradeView> = {}): TradeView => ({
  seller: SELLER,
  buyer: BUYER,
  tokenId: 7n,
  status,
  issuerBacked: false,
  deadline: DEADLINE,
  payToken: "0x0000000000000000000000000000000000000000",
  price: 10n ** 16n,
  feeBps: 200,
  ...patch,
});

describe("orders", () => {
  it("roleOf compares addresses case-insensitively", () => {
    expect(roleOf(trade(Status.Delivered), SELLER.toLowerCase() as Address)).to.equal("seller");
    expect(roleOf(trade(Status.Delivered), BUYER)).to.equal("buyer");
    expect(roleOf(trade(Status.Disputed), ARBITER, ARBITER)).to.equal("arbiter");
    expect(roleOf(trade(Status.Delivered), OTHER, ARBITER)).to.equal("other");
    expect(roleOf(trade(Status.Delivered), undefined)).to.equal("other");
  });

  describe("nextStep", () => {
    it("Listed: the seller may reprice or cancel, anyone else may buy", () => {
      expect(nextStep(trade(Status.Listed), "seller", 0).actions).to.deep.equal(["updatePrice", "cancelListing"]);
      expect(nextStep(trade(Status.Listed), "other", 0).actions).to.deep.equal(["buy"]);
    });

    it("AwaitingDelivery: the seller delivers while the window is open (deadline inclusive)", () => {
      const step = nextStep(trade(Status.AwaitingDelivery), "seller", DEADLINE);
      expect(step.actions).to.deep.equal(["deliver"]);
      expect(step.note).to.equal("Deliver the code to the buyer: under a minute left (until 2027-01-15 08:00 UTC).");
      expect(nextStep(trade(Status.AwaitingDelivery), "buyer", DEADLINE - 3600).actions).to.deep.equal([]);
    });

    it("AwaitingDelivery: after the deadline anyone can cancel for a refund", () => {
      for (const role of ["seller", "buyer", "other"] as const) {
        expect(nextStep(trade(Status.AwaitingDelivery), role, DEADLINE + 1).actions).to.deep.equal([
          "cancelUndelivered",
        ]);
      }
    });

    it("Delivered: the buyer reveals, confirms or disputes inside the window", () => {
      expect(nextStep(trade(Status.Delivered), "buyer", DEADLINE).actions).to.deep.equal([
        "reveal",
        "confirm",
        "dispute",
      ]);
      expect(nextStep(trade(Status.Delivered), "seller", DEADLINE).actions).to.deep.equal([]);
    });

    it("Delivered: after the window anyone can finalize; the buyer can still reveal", () => {
      expect(nextStep(trade(Status.Delivered), "seller", DEADLINE + 1).actions).to.deep.equal(["finalize"]);
      expect(nextStep(trade(Status.Delivered), "buyer", DEADLINE + 1).actions).to.deep.equal(["finalize", "reveal"]);
    });

    it("Disputed: only the arbiter rules inside the window; anyone closes it after", () => {
      expect(nextStep(trade(Status.Disputed), "arbiter", DEADLINE).actions).to.deep.equal(["resolve"]);
      expect(nextStep(trade(Status.Disputed), "buyer", DEADLINE).actions).to.deep.equal([]);
      expect(nextStep(trade(Status.Disputed), "other", DEADLINE + 1).actions).to.deep.equal(["expireDispute"]);
    });

    it("Completed: the buyer of a coded voucher can reveal; nothing else", () => {
      expect(nextStep(trade(Status.Completed), "buyer", 0).actions).to.deep.equal(["reveal"]);
      expect(nextStep(trade(Status.Completed, { issuerBacked: true }), "buyer", 0).actions).to.deep.equal([]);
      expect(nextStep(trade(Status.Completed), "seller", 0)).to.deep.equal({ actions: [], note: "Sold and paid." });
    });

    it("final states offer nothing", () => {
      expect(nextStep(trade(Status.Refunded), "buyer", 0).actions).to.deep.equal([]);
      expect(nextStep(trade(Status.Cancelled), "seller", 0).actions).to.deep.equal([]);
      expect(nextStep(trade(Status.None), "other", 0).actions).to.deep.equal([]);
    });
  });
});
