import { expect } from "chai";
import type { Address } from "viem";
import { downline, parseReferrer, referralLink, referrerFor, uplines, type Join } from "./referral.ts";

const ZERO = "0x0000000000000000000000000000000000000000" as Address;
const CAROL = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc" as Address;
const DAVE = "0x976EA74026E726554dB657fA54763abd0C3a0aa9" as Address;
const ERIN = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955" as Address;
const FRANK = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f" as Address;
const GRACE = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720" as Address;

describe("referral", () => {
  it("parseReferrer reads a checksummed ?ref= and ignores junk", () => {
    expect(parseReferrer(`?ref=${ERIN.toLowerCase()}`)).to.equal(ERIN);
    expect(parseReferrer(`?x=1&ref=${ERIN}`)).to.equal(ERIN);
    expect(parseReferrer("?ref=0x1234")).to.equal(undefined);
    expect(parseReferrer(`?ref=${ZERO}`)).to.equal(undefined);
    expect(parseReferrer("")).to.equal(undefined);
  });

  it("referralLink replaces the query and drops the hash", () => {
    expect(referralLink("http://127.0.0.1:5173/?ref=0xabc#/distribute", DAVE)).to.equal(
      `http://127.0.0.1:5173/?ref=${DAVE}`,
    );
  });

  it("referrerFor never lets buyers refer themselves", () => {
    expect(referrerFor(undefined, GRACE)).to.equal(ZERO);
    expect(referrerFor(GRACE, GRACE.toLowerCase() as Address)).to.equal(ZERO);
    expect(referrerFor(ERIN, GRACE)).to.equal(ERIN);
    expect(referrerFor(ERIN, undefined)).to.equal(ERIN);
  });

  // A chain of five: Carol ← Dave ← Erin ← Frank ← Grace (Grace is four levels below Carol).
  const joins: Join[] = [
    { account: CAROL, upline: ZERO },
    { account: DAVE, upline: CAROL },
    { account: ERIN, upline: DAVE },
    { account: FRANK, upline: ERIN },
    { account: GRACE, upline: FRANK },
  ];

  it("downline lists three levels at most", () => {
    expect(downline(joins, CAROL)).to.deep.equal([[DAVE], [ERIN], [FRANK]]);
    expect(downline(joins, FRANK)).to.deep.equal([[GRACE]]);
    expect(downline(joins, GRACE)).to.deep.equal([]);
  });

  it("uplines walks up to three levels, nearest first", () => {
    expect(uplines(joins, GRACE)).to.deep.equal([FRANK, ERIN, DAVE]);
    expect(uplines(joins, DAVE)).to.deep.equal([CAROL]);
    expect(uplines(joins, CAROL)).to.deep.equal([]);
  });
});
