/**
 * A voucher's provenance timeline from its events: minted or issued, verified by its issuer (or not any more), listed,
 * repriced, sold (or sold to a recycler's offer), delivered, disputed (with its bond), confirmed, refunded, its code disclosed, transferred, re-sealed,
 * redeemed. Pure: the hook fetches the logs, this orders them and picks
 * each one's words (catalog keys under `timeline.`) and values.
 */
import type { Address } from "viem";

type At = { blockNumber: bigint; logIndex: number; timestamp?: number };

export type ProvenanceEvent = At &
  (
    | { kind: "minted"; to: Address; faceValue: bigint }
    | { kind: "issued"; to: Address; faceValue: bigint }
    | { kind: "listed"; tradeId: bigint; seller: Address; payToken: Address; price: bigint }
    | { kind: "repriced"; tradeId: bigint; payToken: Address; oldPrice: bigint; newPrice: bigint }
    | { kind: "unlisted"; tradeId: bigint }
    | { kind: "purchased"; tradeId: bigint; buyer: Address; payToken: Address; price: bigint }
    | { kind: "soldToOffer"; tradeId: bigint; offerId: bigint; seller: Address; payToken: Address; price: bigint }
    | { kind: "delivered"; tradeId: bigint }
    | { kind: "disputed"; tradeId: bigint; payToken: Address; bond: bigint }
    | { kind: "bondPaid"; tradeId: bigint; payToken: Address; to: Address; amount: bigint }
    | { kind: "attested"; issuer: Address; faceValue: bigint }
    | { kind: "unattested"; issuer: Address }
    | { kind: "disclosed" }
    | { kind: "resolved"; tradeId: bigint; refundBuyer: boolean }
    | { kind: "settled"; tradeId: bigint; payToken: Address; sellerProceeds: bigint; fee: bigint }
    | { kind: "refunded"; tradeId: bigint }
    | { kind: "transferred"; from: Address; to: Address }
    | { kind: "sealed"; owner: Address }
    | { kind: "redeemed"; owner: Address }
  );

/** What each entry says: a key under `timeline.` in the catalogs (title and detail) and the values of its detail. */
export type TimelineKind =
  | "minted"
  | "issued"
  | "listed"
  | "repriced"
  | "unlisted"
  | "purchased"
  | "soldToOffer"
  | "delivered"
  | "disputed"
  | "bondPaid"
  | "attested"
  | "unattested"
  | "disclosed"
  | "resolvedRefund"
  | "resolvedRelease"
  | "settled"
  | "refunded"
  | "transferred"
  | "sealed"
  | "redeemed";

export interface TimelineEntry {
  key: string;
  kind: TimelineKind;
  values: Record<string, string>;
  blockNumber: bigint;
  timestamp?: number;
  tone: "neutral" | "info" | "success" | "warning" | "danger";
}

export interface TimelineFormat {
  address: (address: Address) => string;
  amount: (payToken: Address, amount: bigint) => string;
  face: (faceValue: bigint) => string;
}

const ZERO = "0x0000000000000000000000000000000000000000";

/**
 * Orders events by block and log index and gives each its catalog key and values (formatted with `format`). Transfers
 * that only mirror another event (mint, burn, custody moves to and from the exchange) and the seal emitted by the mint
 * itself are left out.
 */
export function buildTimeline(
  events: readonly ProvenanceEvent[],
  exchange: Address,
  format: TimelineFormat,
): TimelineEntry[] {
  const sorted = [...events].sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
  const ex = exchange.toLowerCase();
  const mintBlocks = new Set(sorted.filter((e) => e.kind === "minted").map((e) => e.blockNumber));
  const entries: TimelineEntry[] = [];
  for (const event of sorted) {
    const push = (kind: TimelineKind, values: Record<string, string>, tone: TimelineEntry["tone"] = "neutral") =>
      entries.push({
        key: `${event.blockNumber}-${event.logIndex}`,
        kind,
        values,
        blockNumber: event.blockNumber,
        timestamp: event.timestamp,
        tone,
      });
    switch (event.kind) {
      case "minted":
        push("minted", { face: format.face(event.faceValue), holder: format.address(event.to) });
        break;
      case "issued":
        push("issued", { face: format.face(event.faceValue), holder: format.address(event.to) }, "info");
        break;
      case "listed":
        push(
          "listed",
          {
            id: String(event.tradeId),
            seller: format.address(event.seller),
            price: format.amount(event.payToken, event.price),
          },
          "info",
        );
        break;
      case "repriced":
        push("repriced", {
          id: String(event.tradeId),
          from: format.amount(event.payToken, event.oldPrice),
          to: format.amount(event.payToken, event.newPrice),
        });
        break;
      case "unlisted":
        push("unlisted", { id: String(event.tradeId) });
        break;
      case "purchased":
        push(
          "purchased",
          {
            id: String(event.tradeId),
            buyer: format.address(event.buyer),
            price: format.amount(event.payToken, event.price),
          },
          "info",
        );
        break;
      case "soldToOffer":
        push(
          "soldToOffer",
          {
            id: String(event.tradeId),
            offer: String(event.offerId),
            seller: format.address(event.seller),
            price: format.amount(event.payToken, event.price),
          },
          "info",
        );
        break;
      case "delivered":
        push("delivered", { id: String(event.tradeId) }, "info");
        break;
      case "disputed":
        push("disputed", { id: String(event.tradeId), bond: format.amount(event.payToken, event.bond) }, "danger");
        break;
      case "bondPaid":
        push("bondPaid", {
          id: String(event.tradeId),
          to: format.address(event.to),
          amount: format.amount(event.payToken, event.amount),
        });
        break;
      case "attested":
        push("attested", { issuer: format.address(event.issuer), face: format.face(event.faceValue) }, "success");
        break;
      case "unattested":
        push("unattested", { issuer: format.address(event.issuer) }, "warning");
        break;
      case "disclosed":
        push("disclosed", {}, "warning");
        break;
      case "resolved":
        push(event.refundBuyer ? "resolvedRefund" : "resolvedRelease", { id: String(event.tradeId) }, "warning");
        break;
      case "settled":
        push(
          "settled",
          {
            id: String(event.tradeId),
            proceeds: format.amount(event.payToken, event.sellerProceeds),
            fee: format.amount(event.payToken, event.fee),
          },
          "success",
        );
        break;
      case "refunded":
        push("refunded", { id: String(event.tradeId) }, "warning");
        break;
      case "transferred":
        if (
          event.from.toLowerCase() === ZERO ||
          event.to.toLowerCase() === ZERO ||
          event.from.toLowerCase() === ex ||
          event.to.toLowerCase() === ex
        ) {
          break;
        }
        push("transferred", { from: format.address(event.from), to: format.address(event.to) });
        break;
      case "sealed":
        if (mintBlocks.has(event.blockNumber)) break;
        push("sealed", { holder: format.address(event.owner) });
        break;
      case "redeemed":
        push("redeemed", { holder: format.address(event.owner) }, "success");
        break;
    }
  }
  return entries;
}
