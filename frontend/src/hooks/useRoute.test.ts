import { expect } from "chai";
import { href, parseHash } from "./useRoute.ts";

describe("useRoute", () => {
  it("parses a page, its parameters and its query from the hash", () => {
    const route = parseHash("#/market?brand=3&sort=face");
    expect(route.page).to.equal("market");
    expect(route.params).to.deep.equal([]);
    expect(route.query.get("brand")).to.equal("3");
    expect(route.query.get("sort")).to.equal("face");
    expect(parseHash("#/voucher/12").params).to.deep.equal(["12"]);
    expect(parseHash("#/wallet?tab=selling").query.get("tab")).to.equal("selling");
  });
  it("goes to the market for an empty hash", () => {
    expect(parseHash("").page).to.equal("market");
    expect(parseHash("#/").page).to.equal("market");
  });
  it("builds links", () => {
    expect(href("voucher", 12n)).to.equal("#/voucher/12");
  });
});
