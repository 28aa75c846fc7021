/**
 * The arbiter's check of a dispute, from public data only: the buyer's published evidence key must be the secret half
 * of the order's buyerKey, and the delivery it opens must match the voucher's codeHash. Pure.
 */
import type { Hex } from "viem";
import { checkDelivery, evidenceMatchesBuyerKey, fromBytes32 } from "./codeDelivery.ts";

export interface EvidenceInput {
  evidenceKey: Hex | undefined;
  buyerKey: Hex | undefined;
  delivery: Hex | undefined;
  voucher: { codeHash: Hex | undefined } | undefined;
}

export interface EvidenceResult {
  keyMatches: boolean;
  delivered: boolean;
  codeMatches: boolean;
  code: string | undefined;
  reason: string | undefined;
  /** What the evidence says, in one sentence (the arbiter still decides). */
  verdict: string;
}

export function verifyEvidence(input: EvidenceInput): EvidenceResult {
  const { evidenceKey, buyerKey, delivery } = input;
  const codeHash = input.voucher?.codeHash;
  let keyMatches = false;
  try {
    keyMatches = !!evidenceKey && !!buyerKey && evidenceMatchesBuyerKey(evidenceKey, buyerKey);
  } catch {
    keyMatches = false;
  }
  if (!keyMatches) {
    return {
      keyMatches,
      delivered: !!delivery,
      codeMatches: false,
      code: undefined,
      reason: "The published key is not the buyer's order key, so it proves nothing about the delivery.",
      verdict: "The buyer's evidence does not open this order: it cannot show a bad delivery.",
    };
  }
  if (!delivery || !codeHash) {
    return {
      keyMatches,
      delivered: !!delivery,
      codeMatches: false,
      code: undefined,
      reason: "No delivery was posted for this order.",
      verdict: "Nothing was delivered.",
    };
  }
  const check = checkDelivery(delivery, fromBytes32(evidenceKey!), codeHash);
  if (check.ok) {
    return {
      keyMatches,
      delivered: true,
      codeMatches: true,
      code: check.code,
      reason: undefined,
      verdict:
        "The seller delivered exactly the code it committed to when minting. A refund is only right if the card itself was already used or void.",
    };
  }
  return {
    keyMatches,
    delivered: true,
    codeMatches: false,
    code: undefined,
    reason: check.reason,
    verdict: "The delivery does not open to the committed code: objective evidence for the buyer.",
  };
}
