import { expect } from "chai";
import { commitment, deriveKeyPair, sealCode, toBytes32, type KeyPair } from "./codeDelivery.ts";
import { verifyEvidence } from "./evidence.ts";

// Two fixed 65-byte signatures stand in for a wallet's: key derivation only hashes them.
const buyer = deriveKeyPair(`0x${"11".repeat(64)}1b`);
const stranger = deriveKeyPair(`0x${"22".repeat(64)}1c`);
const CODE = "JD-8842-1137-5520";
const SALT = `0x${"ab".repeat(32)}` as const;
const codeHash = commitment(CODE, SALT);

/** The arbiter's check when `published`'s secret key is the evidence and `code` was sealed to `sealedTo`. */
function check(published: KeyPair, delivered?: { code: string; sealedTo: KeyPair }) {
  return verifyEvidence({
    buyerKey: toBytes32(buyer.publicKey),
    voucher: { codeHash },
    evidenceKey: toBytes32(published.secretKey),
    delivery: delivered && sealCode(delivered.code, SALT, delivered.sealedTo.publicKey),
  });
}

describe("evidence", () => {
  it("confirms a correct delivery opened with the buyer's published key", () => {
    expect(check(buyer, { code: CODE, sealedTo: buyer })).to.include({
      keyMatches: true,
      delivered: true,
      codeMatches: true,
      code: CODE,
      reason: undefined,
    });
  });

  it("flags a delivery of another code", () => {
    const result = check(buyer, { code: "JD-0000-0000-0000", sealedTo: buyer });
    expect(result).to.include({ keyMatches: true, delivered: true, codeMatches: false, code: undefined });
    expect(result.reason).to.equal("The delivered code does not match the voucher's commitment (codeHash)");
    expect(result.verdict).to.equal(
      "The delivery does not open to the committed code: objective evidence for the buyer.",
    );
  });

  it("flags a delivery sealed to another key", () => {
    const result = check(buyer, { code: CODE, sealedTo: stranger });
    expect(result).to.include({ keyMatches: true, codeMatches: false });
    expect(result.reason).to.equal(
      "The sealed code cannot be opened: it was sealed to another key or has been altered",
    );
  });

  it("refuses an evidence key that is not the buyer's", () => {
    const result = check(stranger, { code: CODE, sealedTo: stranger });
    expect(result).to.include({ keyMatches: false, codeMatches: false, code: undefined });
  });

  it("reports a missing delivery", () => {
    expect(check(buyer)).to.include({
      keyMatches: true,
      delivered: false,
      codeMatches: false,
      verdict: "Nothing was delivered.",
    });
  });
});
