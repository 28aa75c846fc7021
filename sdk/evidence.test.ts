import { expect } from "chai";
import { cardHash, commitment, deriveKeyPair, sealCode, toBytes32, type KeyPair } from "./codeDelivery.ts";
import { openEvidence, sealEvidence, verifyEvidence } from "./evidence.ts";

// Fixed 65-byte signatures stand in for wallets': key derivation only hashes them.
const buyer = deriveKeyPair(`0x${"11".repeat(64)}1b`);
const stranger = deriveKeyPair(`0x${"22".repeat(64)}1c`);
const arbiter = deriveKeyPair(`0x${"33".repeat(64)}1b`);
const CARD = "6225 8800 0006 1234";
const CODE = "884211";
const SALT = `0x${"ab".repeat(32)}` as const;
const voucher = { brandId: 5, cardHash: cardHash(5, CARD), codeHash: commitment(CODE, SALT) };

/**
 * The arbiter's check when `published`'s order secret key was sealed to `sealedTo` as evidence, and `delivered` was
 * sealed to `deliveredTo`.
 */
function check(
  published: KeyPair,
  delivered?: { cardNumber: string; code: string; to: KeyPair },
  { sealedTo = arbiter, openWith = arbiter }: { sealedTo?: KeyPair; openWith?: KeyPair } = {},
) {
  return verifyEvidence(
    {
      buyerKey: toBytes32(buyer.publicKey),
      voucher,
      sealedEvidence: sealEvidence(published.secretKey, sealedTo.publicKey),
      delivery: delivered && sealCode(delivered, SALT, delivered.to.publicKey),
    },
    openWith.secretKey,
  );
}

describe("evidence", () => {
  it("seals the order key so that only the arbiter's key opens it", () => {
    const sealed = sealEvidence(buyer.secretKey, arbiter.publicKey);
    expect(sealed.length).to.equal(2 + 2 * (32 + 24 + 32 + 16));
    expect(sealed).to.not.contain(toBytes32(buyer.secretKey).slice(2));
    expect(openEvidence(sealed, arbiter.secretKey)).to.equal(toBytes32(buyer.secretKey));
    expect(() => openEvidence(sealed, stranger.secretKey)).to.throw(
      "The dispute evidence cannot be opened: it was sealed to another key or has been altered",
    );
  });

  it("is not a sealed card: a code delivery does not open as evidence, nor evidence as a delivery", () => {
    const delivery = sealCode({ cardNumber: CARD, code: CODE }, SALT, arbiter.publicKey);
    expect(() => openEvidence(delivery, arbiter.secretKey)).to.throw("cannot be opened");
  });

  it("confirms a delivery whose card number and code both match", () => {
    expect(check(buyer, { cardNumber: CARD, code: CODE, to: buyer })).to.deep.include({
      evidenceOpened: true,
      keyMatches: true,
      delivered: true,
      deliveryOpened: true,
      cardMatches: true,
      codeMatches: true,
      card: { cardNumber: CARD, code: CODE, salt: SALT },
      reason: undefined,
    });
  });

  it("flags a delivery of another code, showing the arbiter what was delivered", () => {
    const result = check(buyer, { cardNumber: CARD, code: "000000", to: buyer });
    expect(result).to.deep.include({
      cardMatches: true,
      codeMatches: false,
      card: { cardNumber: CARD, code: "000000", salt: SALT },
    });
    expect(result.verdict).to.equal(
      "The delivery does not match what the voucher committed to: objective evidence for the buyer.",
    );
  });

  it("flags a delivery of another card's number", () => {
    const result = check(buyer, { cardNumber: "6225 8800 0006 9999", code: CODE, to: buyer });
    expect(result).to.include({ cardMatches: false, codeMatches: true });
    expect(result.reason).to.equal("The card number does not match the voucher's card number (cardHash)");
  });

  it("flags a delivery sealed to another key", () => {
    const result = check(buyer, { cardNumber: CARD, code: CODE, to: stranger });
    expect(result).to.include({ keyMatches: true, deliveryOpened: false, codeMatches: false, card: undefined });
    expect(result.verdict).to.equal(
      "The delivery does not open with the buyer's order key: objective evidence for the buyer.",
    );
  });

  it("refuses evidence that is not the buyer's order key", () => {
    const result = check(stranger, { cardNumber: CARD, code: CODE, to: stranger });
    expect(result).to.include({ evidenceOpened: true, keyMatches: false, codeMatches: false, card: undefined });
  });

  it("opens nothing for anyone but the arbiter", () => {
    const result = check(buyer, { cardNumber: CARD, code: CODE, to: buyer }, { openWith: stranger });
    expect(result).to.include({ evidenceOpened: false, keyMatches: false, card: undefined });
    expect(result.verdict).to.equal(
      "The evidence does not open with the arbiter's key, so it proves nothing about the delivery.",
    );
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
