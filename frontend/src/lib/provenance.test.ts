import { expect } from "chai";
import type { Address } from "viem";
import { testI18n } from "../i18n/testing.ts";
import { loose } from "../i18n/text.ts";
import { buildTimeline, type ProvenanceEvent, type TimelineEntry } from "./provenance.ts";

const en = testI18n("en");
const zh = testI18n("zh-CN");
const words = (t: typeof en, entry: TimelineEntry) => [
  loose(t)(`timeline.${entry.kind}.title`),
  loose(t)(`timeline.${entry.kind}.detail`, entry.values),
];

const ZERO = "0x0000000000000000000000000000000000000000" as Address;
const EXCHANGE = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" as Address;
const ALICE = "0x90F79bf6EB2c4f870365E785982E1f101E93b906" as Address;
const BOB = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65" as Address;
const GRACE = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720" as Address;

const format = {
  address: (a: Address) => ({ [ALICE]: "Alice", [BOB]: "Bob", [GRACE]: "Grace" })[a] ?? a,
  amount: (_token: Address, amount: bigint) => `${amount} wei`,
  face: (face: bigint) => `¥${face / 100n}`,
};

describe("provenance", () => {
  it("orders events by block and log index and words each step", () => {
    const at = (blockNumber: number, logIndex: number) => ({ blockNumber: BigInt(blockNumber), logIndex });
    const events: ProvenanceEvent[] = [
      // Deliberately out of order, as parallel log queries return them.
      { ...at(9, 2), kind: "settled", tradeId: 3n, payToken: ZERO, sellerProceeds: 98n, fee: 2n },
      { ...at(5, 0), kind: "listed", tradeId: 3n, seller: ALICE, payToken: ZERO, price: 100n },
      { ...at(2, 0), kind: "minted", to: ALICE, faceValue: 50_000n },
      { ...at(2, 1), kind: "sealed", owner: ALICE },
      { ...at(2, 2), kind: "transferred", from: ZERO, to: ALICE },
      { ...at(5, 1), kind: "transferred", from: ALICE, to: EXCHANGE },
      { ...at(6, 0), kind: "purchased", tradeId: 3n, buyer: BOB, payToken: ZERO, price: 100n },
      { ...at(7, 0), kind: "delivered", tradeId: 3n },
      { ...at(9, 3), kind: "transferred", from: EXCHANGE, to: BOB },
      { ...at(10, 0), kind: "sealed", owner: BOB },
      { ...at(11, 0), kind: "transferred", from: BOB, to: GRACE },
      { ...at(12, 0), kind: "redeemed", owner: GRACE },
      { ...at(12, 1), kind: "transferred", from: GRACE, to: ZERO },
    ];
    const timeline = buildTimeline(events, EXCHANGE, format);
    expect(timeline.map((e) => words(en, e))).to.deep.equal([
      ["Added", "¥500 card added by Alice"],
      ["Listed", "Listing #3 by Alice at 100 wei"],
      ["Bought", "Order #3: Bob paid 100 wei into escrow"],
      ["Code sent", "Order #3: code sealed to the buyer's order key"],
      ["Sold", "Order #3 settled: seller received 98 wei, fee 2 wei"],
      ["Code kept", "Bob stored the code in their own safe"],
      ["Transferred", "Bob → Grace"],
      ["Used", "Spent by Grace; the voucher no longer exists"],
    ]);
    expect(words(zh, timeline[2])).to.deep.equal(["已购买", "订单 #3：Bob 支付 100 wei，由合约托管"]);
    expect(timeline.map((e) => e.tone)).to.deep.equal([
      "neutral",
      "info",
      "info",
      "info",
      "success",
      "neutral",
      "neutral",
      "success",
    ]);
  });

  it("words disputes, refunds, repricing and cancelled listings", () => {
    const at = (blockNumber: number) => ({ blockNumber: BigInt(blockNumber), logIndex: 0 });
    const timeline = buildTimeline(
      [
        { ...at(1), kind: "issued", to: ALICE, faceValue: 10_000n },
        { ...at(2), kind: "repriced", tradeId: 1n, payToken: ZERO, oldPrice: 100n, newPrice: 90n },
        { ...at(3), kind: "unlisted", tradeId: 1n },
        { ...at(4), kind: "disputed", tradeId: 2n, payToken: ZERO, bond: 10n },
        { ...at(4), kind: "attested", issuer: ALICE, faceValue: 10_000n },
        { ...at(5), kind: "resolved", tradeId: 2n, refundBuyer: true },
        { ...at(5), kind: "refunded", tradeId: 2n },
      ],
      EXCHANGE,
      format,
    );
    expect(timeline.map((e) => words(en, e)[1])).to.deep.equal([
      "¥100 issued by the brand to Alice",
      "Listing #1: 100 wei → 90 wei",
      "Listing #1 withdrawn by the seller",
      "Order #2: the buyer paid a 10 wei bond and sealed its evidence to the arbiter",
      "The issuer Alice found this card in its records at ¥100",
      "Order #2: buyer refunded",
      "Order #2: buyer repaid, voucher back with the seller",
    ]);
  });

  it("words a card sold to a recycler's offer, in both languages", () => {
    const at = (logIndex: number) => ({ blockNumber: 7n, logIndex });
    const timeline = buildTimeline(
      [
        { ...at(0), kind: "soldToOffer", tradeId: 12n, offerId: 3n, seller: ALICE, payToken: ZERO, price: 95n },
        { ...at(1), kind: "purchased", tradeId: 12n, buyer: GRACE, payToken: ZERO, price: 95n },
        { ...at(2), kind: "settled", tradeId: 12n, payToken: ZERO, sellerProceeds: 93n, fee: 2n },
        { ...at(3), kind: "transferred", from: ALICE, to: GRACE },
      ],
      EXCHANGE,
      format,
    );
    expect(timeline.map((e) => e.kind)).to.deep.equal(["soldToOffer", "purchased", "settled", "transferred"]);
    expect(words(en, timeline[0])).to.deep.equal([
      "Sold to a recycler",
      "Order #12: Alice sold it to recycler offer #3 for 95 wei",
    ]);
    expect(words(zh, timeline[0])).to.deep.equal(["卖给回收商", "订单 #12：Alice 以 95 wei 卖给回收报价 #3"]);
  });
});
