/**
 * Dispute evidence: a buyer disputes by sealing its per-order secret key to the arbiter's published X25519 key (the
 * public sees opaque bytes, never a key that opens the delivery); the arbiter opens it with its own key, checks that it
 * is the secret half of the order's `buyerKey`, opens the delivery with it and checks the card against the voucher's
 * commitments. Pure.
 *
 * Sealed evidence: `ephemeralPub(32) ‖ nonce(24) ‖ XChaCha20-Poly1305(orderSecretKey(32))`, keyed like a code
 * delivery (X25519 + HKDF-SHA256) but for another purpose (`kaquan/dispute-evidence/v1`), so neither payload can be
 * passed off as the other.
 */
import { bytesToHex, type Hex } from "viem";
import {
  checkDelivery,
  commitmentsOf,
  evidenceMatchesBuyerKey,
  fromBytes32,
  openFrom,
  sealTo,
  type OpenedCard,
} from "./codeDelivery.ts";

const EVIDENCE_INFO = "kaquan/dispute-evidence/v1";
const KEY_BYTES = 32;

/** Seals the order's X25519 secret key to the arbiter's public key: the `sealedEvidence` of `dispute`. */
export function sealEvidence(orderSecretKey: Uint8Array, arbiterPublicKey: Uint8Array): Hex {
  if (orderSecretKey.length !== KEY_BYTES) throw new Error(`Invalid order secret key: expected ${KEY_BYTES} bytes`);
  return sealTo(orderSecretKey, arbiterPublicKey, EVIDENCE_INFO);
}

/** Opens sealed evidence with the arbiter's secret key: the order's secret key as bytes32 hex. Throws for any other key. */
export function openEvidence(sealedEvidence: Hex, arbiterSecretKey: Uint8Array): Hex {
  const key = openFrom(sealedEvidence, arbiterSecretKey, EVIDENCE_INFO, KEY_BYTES, "dispute evidence");
  if (key.length !== KEY_BYTES) throw new Error("The dispute evidence is malformed");
  return bytesToHex(key);
}

/** What the arbiter's check reads of an order (`getOrder` gives all of it). */
export interface EvidenceInput {
  sealedEvidence: Hex | undefined;
  buyerKey: Hex | undefined;
  delivery: Hex | undefined;
  /** The voucher (its commitments; issuer-backed vouchers have none). */
  voucher: Parameters<typeof commitmentsOf>[0];
}

export interface EvidenceResult {
  /** The arbiter's key opened the evidence. */
  evidenceOpened: boolean;
  /** The evidence is the secret half of the order's buyerKey. */
  keyMatches: boolean;
  delivered: boolean;
  /** The order key opened the delivery. */
  deliveryOpened: boolean;
  /** The delivered card number matches the voucher's cardHash. */
  cardMatches: boolean;
  /** The delivered code matches the voucher's codeHash. */
  codeMatches: boolean;
  /** What the seller delivered, when the evidence opens it: for the arbiter's eyes only. */
  card: OpenedCard | undefined;
  reason: string | undefined;
  /** What the evidence says, in one sentence (the arbiter still decides). */
  verdict: string;
}

/** The arbiter's check of a dispute, with the arbiter's secret key. */
export function verifyEvidence(input: EvidenceInput, arbiterSecretKey: Uint8Array): EvidenceResult {
  const { sealedEvidence, buyerKey, delivery, voucher } = input;
  const none = {
    delivered: delivery !== undefined,
    deliveryOpened: false,
    cardMatches: false,
    codeMatches: false,
    card: undefined,
  };
  let evidenceKey: Hex;
  try {
    if (!sealedEvidence) throw new Error("No evidence was posted for this order");
    evidenceKey = openEvidence(sealedEvidence, arbiterSecretKey);
  } catch (error) {
    return {
      ...none,
      evidenceOpened: false,
      keyMatches: false,
      reason: (error as Error).message,
      verdict: "The evidence does not open with the arbiter's key, so it proves nothing about the delivery.",
    };
  }
  let keyMatches = false;
  try {
    keyMatches = !!buyerKey && evidenceMatchesBuyerKey(evidenceKey, buyerKey);
  } catch {
    keyMatches = false;
  }
  if (!keyMatches) {
    return {
      ...none,
      evidenceOpened: true,
      keyMatches,
      reason: "The sealed key is not the buyer's order key, so it proves nothing about the delivery.",
      verdict: "The buyer's evidence does not open this order: it cannot show a bad delivery.",
    };
  }
  const commitments = commitmentsOf(voucher);
  if (!delivery || !commitments) {
    return {
      ...none,
      evidenceOpened: true,
      keyMatches,
      reason: "No delivery was posted for this order.",
      verdict: "Nothing was delivered.",
    };
  }
  const check = checkDelivery(delivery, fromBytes32(evidenceKey), commitments);
  const { ok, opened, ...matches } = check;
  const result = { evidenceOpened: true, keyMatches, delivered: true, deliveryOpened: opened, ...matches };
  if (ok) {
    return {
      ...result,
      verdict:
        "The seller delivered exactly the card number and code it committed to when minting. A refund is only right if the card itself was already used or void.",
    };
  }
  if (!opened) {
    return {
      ...result,
      verdict: "The delivery does not open with the buyer's order key: objective evidence for the buyer.",
    };
  }
  return {
    ...result,
    verdict: "The delivery does not match what the voucher committed to: objective evidence for the buyer.",
  };
}
