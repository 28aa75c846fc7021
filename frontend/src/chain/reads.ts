/**
 * The app's reads: the SDK's (sdk/reads.ts) on the app's clients, plus the shapes the app's pure modules still take
 * (lib/provenance.ts's events, lib/market.ts's listings and sales keep `listingId` / `orderId` where the contracts and
 * the SDK now say `tradeId`). The hooks in hooks/queries.ts wrap these in TanStack Query.
 */
import {
  getOrder,
  getProvenance,
  getSales,
  getSealedCode,
  type Deployment,
  type KaquanReader,
  type ProvenanceEvent as SdkProvenanceEvent,
} from "#sdk";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import type { Listing, Sale } from "../lib/market.ts";
import type { ProvenanceEvent } from "../lib/provenance.ts";

export type { OrderDetails, OwnedVoucher, VoucherDetails, WalletData } from "#sdk";
export type Client = PublicClient;

const fastClients = new WeakMap<Client, { single: Client; batched: Client }>();

/**
 * Clients for the market's critical path (chain time, brands, tokens, listings) on their own connections. The app's
 * client batches every concurrent call into one JSON-RPC request, and the node answers a batch only when its last call
 * is done: the market's table would wait behind the sales history's log scans. `single` sends each call as its own
 * HTTP request (each listing page arrives, and renders, as soon as it is read); `batched` batches only the calls made
 * in the same tick (a brand list in one request). Falls back to the given client when its transport is not HTTP.
 */
export function fastClient(client: Client, mode: "single" | "batched" = "single"): Client {
  let fast = fastClients.get(client);
  if (!fast) {
    const url = (client.transport as { url?: string }).url;
    if (typeof url !== "string") return client;
    const make = (batch: boolean) =>
      createPublicClient({ chain: client.chain, transport: http(url, { batch: batch && { wait: 0 } }) }) as Client;
    fast = { single: make(false), batched: make(true) };
    fastClients.set(client, fast);
  }
  return fast[mode];
}

const reader = (client: Client, deployment: Deployment): KaquanReader => ({ publicClient: client, deployment });

export const fetchOrder = (client: Client, d: Deployment, id: bigint) => getOrder(reader(client, d), id);

export const fetchSealedCode = (client: Client, d: Deployment, tokenId: bigint, owner: Address) =>
  getSealedCode(reader(client, d), tokenId, owner);

/** An SDK listing as lib/market.ts reads it. */
export const asListing = <T extends { tradeId: bigint }>(listing: T): T & Listing =>
  ({ ...listing, listingId: listing.tradeId }) as T & Listing;

/** The market's sales history, keyed the way lib/market.ts reads it. */
export async function fetchSales(kaquan: KaquanReader): Promise<Sale[]> {
  return (await getSales(kaquan)).map(({ tradeId, ...sale }) => ({ ...sale, orderId: tradeId }));
}

/** A voucher's events as lib/provenance.ts words them. */
export async function fetchProvenance(kaquan: KaquanReader, tokenId: bigint): Promise<ProvenanceEvent[]> {
  return (await getProvenance(kaquan, tokenId)).flatMap((event) => {
    const at = { blockNumber: event.blockNumber, logIndex: event.logIndex, timestamp: event.timestamp };
    const shown = provenanceEntry(event);
    return shown ? [{ ...at, ...shown } as ProvenanceEvent] : [];
  });
}

type Shown = ProvenanceEvent extends infer E
  ? E extends unknown
    ? Omit<E, "blockNumber" | "logIndex" | "timestamp">
    : never
  : never;

function provenanceEntry(e: SdkProvenanceEvent): Shown | undefined {
  switch (e.event) {
    case "VoucherMinted":
      return { kind: "minted", to: e.args.to, faceValue: e.args.faceValue };
    case "VoucherIssued":
      return { kind: "issued", to: e.args.to, faceValue: e.args.faceValue };
    case "Transfer":
      return { kind: "transferred", from: e.args.from, to: e.args.to };
    case "CodeSealed":
      return { kind: "sealed", owner: e.args.owner };
    case "Redeemed":
      return { kind: "redeemed", owner: e.args.owner };
    case "Listed":
      return {
        kind: "listed",
        listingId: e.args.tradeId,
        seller: e.args.seller,
        payToken: e.payToken,
        price: e.args.price,
      };
    case "ListingCancelled":
      return { kind: "unlisted", listingId: e.args.tradeId };
    case "PriceUpdated":
      return {
        kind: "repriced",
        listingId: e.args.tradeId,
        payToken: e.payToken,
        oldPrice: e.args.oldPrice,
        newPrice: e.args.newPrice,
      };
    case "Purchased":
      return {
        kind: "purchased",
        orderId: e.args.tradeId,
        buyer: e.args.buyer,
        payToken: e.payToken,
        price: e.args.price,
      };
    case "CodeDelivered":
      return { kind: "delivered", orderId: e.args.tradeId };
    case "Disputed":
      return { kind: "disputed", orderId: e.args.tradeId };
    case "DisputeResolved":
      return { kind: "resolved", orderId: e.args.tradeId, refundBuyer: e.args.refundBuyer };
    case "Settled":
      return {
        kind: "settled",
        orderId: e.args.tradeId,
        payToken: e.payToken,
        sellerProceeds: e.args.sellerProceeds,
        fee: e.args.fee,
      };
    case "Refunded":
      return { kind: "refunded", orderId: e.args.tradeId };
  }
}
