import { expect } from "chai";
import { commitment, deriveKeyPair, sealCode, toBytes32 } from "./codeDelivery.ts";
import { verifyEvidence } from "./evidence.ts";

// Two fixed 65-byte signatures stand in for a wallet's: key derivation only hashes them.
const buyer = deriveKeyPair(`0x${"11".repeat(64)}1b`);
const stranger = deriveKeyPair(`0x${"22".repeat(64)}1c`);
const CODE = "JD-8842-1137-5520";
const SALT = `0x${"ab".repeat(32)}` as const;
const codeHash = commitment(CODE, SALT);

describe("evidence", () => {
  const base = { buyerKey: toBytes32(buyer.publicKey), voucher: { codeHash } };

  it("confirms a correct delivery opened with the buyer's published key", () => {
    const result = verifyEvidence({
      ...base,
      evidenceKey: toBytes32(buyer.secretKey),
      delivery: sealCode(CODE, SALT, buyer.publicKey),
    });
    expect(result).to.include({ keyMatches: true, delivered: true, codeMatches: true, code: CODE, reason: undefined });
  });

  it("flags a delivery of another code", () => {
    const result = verifyEvidence({
      ...base,
      evidenceKey: toBytes32(buyer.secretKey),
      delivery: sealCode("JD-0000-0000-0000", SALT, buyer.publicKey),
    });
    expect(result).to.include({ keyMatches: true, delivered: true, codeMatches: false, code: undefined });
    expect(result.reason).to.equal("The delivered code does not match the voucher's commitment (codeHash)");
    expect(result.verdict).to.equal(
      "The delivery does not open to the committed code: objective evidence for the buyer.",
    );
  });

  it("flags a delivery sealed to another key", () => {
    const result = verifyEvidence({
      ...base,
      evidenceKey: toBytes32(buyer.secretKey),
      delivery: sealCode(CODE, SALT, stranger.publicKey),
    });
    expect(result).to.include({ keyMatches: true, codeMatches: false });
    expect(result.reason).to.equal(
      "The sealed code cannot be opened: it was sealed to another key or has been altered",
    );
  });

  it("refuses an evidence key that is not the buyer's", () => {
    const result = verifyEvidence({
      ...base,
      evidenceKey: toBytes32(stranger.secretKey),
      delivery: sealCode(CODE, SALT, stranger.publicKey),
    });
    expect(result).to.include({ keyMatches: false, codeMatches: false, code: undefined });
  });

  it("reports a missing delivery", () => {
    const result = verifyEvidence({ ...base, evidenceKey: toBytes32(buyer.secretKey), delivery: undefined });
    expect(result).to.include({
      keyMatches: true,
      delivered: false,
      codeMatches: false,
      verdict: "Nothing was delivered.",
    });
  });
});
