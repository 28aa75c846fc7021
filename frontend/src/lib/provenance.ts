/**
 * A voucher's provenance timeline from its events: minted or issued, listed, repriced, sold, delivered, disputed,
 * confirmed, refunded, transferred, re-sealed, redeemed. Pure: the hook fetches the logs, this orders and words them.
 */
import type { Address } from "viem";

type At = { blockNumber: bigint; logIndex: number; timestamp?: number };

export type ProvenanceEvent = At &
  (
    | { kind: "minted"; to: Address; faceValue: bigint }
    | { kind: "issued"; to: Address; faceValue: bigint }
    | { kind: "listed"; listingId: bigint; seller: Address; payToken: Address; price: bigint }
    | { kind: "repriced"; listingId: bigint; payToken: Address; oldPrice: bigint; newPrice: bigint }
    | { kind: "unlisted"; listingId: bigint }
    | { kind: "purchased"; orderId: bigint; buyer: Address; payToken: Address; price: bigint }
    | { kind: "delivered"; orderId: bigint }
    | { kind: "disputed"; orderId: bigint }
    | { kind: "resolved"; orderId: bigint; refundBuyer: boolean }
    | { kind: "settled"; orderId: bigint; payToken: Address; sellerProceeds: bigint; fee: bigint }
    | { kind: "refunded"; orderId: bigint }
    | { kind: "transferred"; from: Address; to: Address }
    | { kind: "sealed"; owner: Address }
    | { kind: "redeemed"; owner: Address }
  );

export interface TimelineEntry {
  key: string;
  title: string;
  detail: string;
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
 * Orders events by block and log index and words them. Transfers that only mirror another event (mint, burn,
 * custody moves to and from the exchange) and the seal emitted by the mint itself are left out.
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
    const base = {
      key: `${event.blockNumber}-${event.logIndex}`,
      blockNumber: event.blockNumber,
      timestamp: event.timestamp,
    };
    const push = (title: string, detail: string, tone: TimelineEntry["tone"] = "neutral") =>
      entries.push({ ...base, title, detail, tone });
    switch (event.kind) {
      case "minted":
        push("Minted", `${format.face(event.faceValue)} coded card tokenized by ${format.address(event.to)}`);
        break;
      case "issued":
        push("Issued", `${format.face(event.faceValue)} issued by the brand to ${format.address(event.to)}`, "info");
        break;
      case "listed":
        push(
          "Listed",
          `Listing #${event.listingId} by ${format.address(event.seller)} at ${format.amount(event.payToken, event.price)}`,
          "info",
        );
        break;
      case "repriced":
        push(
          "Price changed",
          `Listing #${event.listingId}: ${format.amount(event.payToken, event.oldPrice)} → ${format.amount(event.payToken, event.newPrice)}`,
        );
        break;
      case "unlisted":
        push("Listing cancelled", `Listing #${event.listingId} withdrawn by the seller`);
        break;
      case "purchased":
        push(
          "Bought",
          `Order #${event.orderId}: ${format.address(event.buyer)} paid ${format.amount(event.payToken, event.price)} into escrow`,
          "info",
        );
        break;
      case "delivered":
        push("Code delivered", `Order #${event.orderId}: code sealed to the buyer's order key`, "info");
        break;
      case "disputed":
        push("Disputed", `Order #${event.orderId}: the buyer published its evidence key`, "danger");
        break;
      case "resolved":
        push(
          "Dispute resolved",
          `Order #${event.orderId}: ${event.refundBuyer ? "buyer refunded" : "released to the buyer"}`,
          "warning",
        );
        break;
      case "settled":
        push(
          "Sold",
          `Order #${event.orderId} settled: seller received ${format.amount(event.payToken, event.sellerProceeds)}, fee ${format.amount(event.payToken, event.fee)}`,
          "success",
        );
        break;
      case "refunded":
        push("Refunded", `Order #${event.orderId}: buyer repaid, voucher back with the seller`, "warning");
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
        push("Transferred", `${format.address(event.from)} → ${format.address(event.to)}`);
        break;
      case "sealed":
        if (mintBlocks.has(event.blockNumber)) break;
        push("Code re-sealed", `${format.address(event.owner)} saved the code to its own vault`);
        break;
      case "redeemed":
        push("Redeemed", `Spent by ${format.address(event.owner)}; the voucher is burned`, "success");
        break;
    }
  }
  return entries;
}
