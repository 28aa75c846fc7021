import { expect } from "chai";
import { Status } from "./constants.ts";
import { nextActions, orderPhase, roleOf, type OrderAction, type OrderPhase, type Role } from "./orders.ts";

const DEADLINE = 1_800_000_000;
const SELLER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const BUYER = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";

describe("orders (the trade state machine)", () => {
  // [status, chain time, phase, role → actions]
  const table: [number, number, OrderPhase, Partial<Record<Role, OrderAction[]>>][] = [
    [Status.Listed, 0, "listed", { seller: ["updatePrice", "cancelListing"], buyer: ["buy"], other: ["buy"] }],
    [Status.AwaitingDelivery, DEADLINE, "awaitingDelivery", { seller: ["deliver"], buyer: [] }],
    [
      Status.AwaitingDelivery,
      DEADLINE + 1,
      "deliveryMissed",
      { seller: ["cancelUndelivered"], other: ["cancelUndelivered"] },
    ],
    [Status.Delivered, DEADLINE, "delivered", { buyer: ["reveal", "confirm", "dispute"], seller: [] }],
    [Status.Delivered, DEADLINE + 1, "confirmWindowPassed", { buyer: ["finalize", "reveal"], arbiter: ["finalize"] }],
    [Status.Disputed, DEADLINE, "disputed", { arbiter: ["resolve"], buyer: [], seller: [] }],
    [Status.Disputed, DEADLINE + 1, "arbitrationMissed", { other: ["expireDispute"], arbiter: ["expireDispute"] }],
    [Status.Completed, 0, "completed", { buyer: ["reveal"], seller: [] }],
    [Status.Refunded, 0, "refunded", { buyer: [], seller: [] }],
    [Status.Cancelled, 0, "cancelled", { seller: [] }],
    [Status.None, 0, "unknown", { other: [] }],
  ];
  for (const [status, now, phase, byRole] of table) {
    it(`status ${status} at ${now === DEADLINE ? "the deadline" : now > DEADLINE ? "past it" : "any time"}: ${phase}`, () => {
      const trade = { status, deadline: DEADLINE, issuerBacked: false };
      expect(orderPhase(trade, now)).to.equal(phase);
      for (const [role, actions] of Object.entries(byRole)) {
        expect(nextActions(trade, role as Role, now), role).to.deep.equal(actions);
      }
    });
  }

  it("an issuer-backed purchase has no code to reveal", () => {
    expect(nextActions({ status: Status.Completed, deadline: 0, issuerBacked: true }, "buyer", 0)).to.deep.equal([]);
  });

  it("roleOf compares addresses case-insensitively and knows the arbiter", () => {
    const trade = { seller: SELLER, buyer: BUYER } as const;
    expect(roleOf(trade, SELLER.toLowerCase() as `0x${string}`)).to.equal("seller");
    expect(roleOf(trade, BUYER)).to.equal("buyer");
    expect(
      roleOf(trade, "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"),
    ).to.equal("arbiter");
    expect(roleOf(trade, undefined)).to.equal("other");
  });
});
