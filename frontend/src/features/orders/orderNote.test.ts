import { expect } from "chai";
import { testI18n } from "../../i18n/testing.ts";
import { Status } from "../../lib/orders.ts";
import { orderNote, statusKey } from "./orderNote.ts";

const NOW = 1_800_000_000;
const en = testI18n("en");
const zh = testI18n("zh-CN");

describe("orderNote", () => {
  const trade = (status: number, deadline = NOW + 3600) => ({ status, deadline, issuerBacked: false });

  it("tells each party what happens next, with the time left", () => {
    expect(orderNote(trade(Status.AwaitingDelivery), "seller", NOW)).to.deep.equal({
      key: "deliverNow",
      values: { left: "1h", until: "2027-01-15 09:00 UTC" },
    });
    expect(orderNote(trade(Status.AwaitingDelivery), "buyer", NOW).key).to.equal("awaitingDelivery");
    expect(orderNote(trade(Status.Delivered), "buyer", NOW).key).to.equal("checkCode");
    expect(orderNote(trade(Status.Delivered), "seller", NOW).key).to.equal("buyerChecking");
    expect(orderNote(trade(Status.Listed), "seller", NOW).key).to.equal("listedSeller");
    expect(orderNote(trade(Status.Completed), "seller", NOW).key).to.equal("soldAndPaid");
    expect(orderNote(trade(Status.Completed), "buyer", NOW).key).to.equal("completed");
  });

  it("names the timed exits once a deadline has passed", () => {
    expect(orderNote(trade(Status.AwaitingDelivery, NOW - 1), "buyer", NOW).key).to.equal("deliveryMissed");
    expect(orderNote(trade(Status.Delivered, NOW - 1), "seller", NOW).key).to.equal("confirmWindowPassed");
    expect(orderNote(trade(Status.Disputed, NOW - 1), "other", NOW).key).to.equal("arbitrationMissed");
    expect(orderNote(trade(Status.Disputed), "other", NOW).key).to.equal("underReview");
  });

  it("reads naturally in both languages", () => {
    const note = orderNote(trade(Status.Delivered, NOW + 2 * 86_400 + 3 * 3600), "buyer", NOW, "zh-CN");
    expect(zh(`orders.note.${note.key}`, note.values)).to.equal(
      "请查看卡密并试用，无误后确认收货；有问题可以申诉。还剩 2天3小时（截至 2027-01-17 11:00 UTC）。",
    );
    const enNote = orderNote(trade(Status.Delivered, NOW + 2 * 86_400 + 3 * 3600), "buyer", NOW);
    expect(en(`orders.note.${enNote.key}`, enNote.values)).to.equal(
      "Reveal the code and check it, then confirm or dispute: 2d 3h left (until 2027-01-17 11:00 UTC).",
    );
    expect(zh(`orders.status.${statusKey(Status.Delivered)}`)).to.equal("已发卡密");
  });
});
