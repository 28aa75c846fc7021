/**
 * The app's reads: the SDK's (sdk/reads.ts) on the app's clients, in the shapes the app's pure modules take
 * (lib/provenance.ts's events, lib/market.ts's listings and sales). The hooks in hooks/queries.ts wrap these in
 * TanStack Query.
 */
import {
  getOrder,
  getProvenance,
  getSealedCode,
  type Deployment,
  type KaquanReader,
  type ProvenanceEvent as SdkProvenanceEvent,
} from "#sdk";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
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

/** What lib/provenance.ts calls each of the SDK's provenance events. */
const KINDS: Record<SdkProvenanceEvent["event"], ProvenanceEvent["kind"]> = {
  VoucherMinted: "minted",
  VoucherIssued: "issued",
  Transfer: "transferred",
  CodeSealed: "sealed",
  VoucherAttested: "attested",
  AttestationRevoked: "unattested",
  CodeDisclosed: "disclosed",
  Redeemed: "redeemed",
  Listed: "listed",
  SoldToOffer: "soldToOffer",
  ListingCancelled: "unlisted",
  PriceUpdated: "repriced",
  Purchased: "purchased",
  CodeDelivered: "delivered",
  Disputed: "disputed",
  DisputeResolved: "resolved",
  DisputeBondPaid: "bondPaid",
  Settled: "settled",
  Refunded: "refunded",
};

/** A voucher's events as lib/provenance.ts words them (the SDK's fields, the event's kind in the app's words). */
export function provenanceEvents(events: readonly SdkProvenanceEvent[]): ProvenanceEvent[] {
  return events.map(({ event, args, ...at }) => ({ ...args, ...at, kind: KINDS[event] }) as ProvenanceEvent);
}

/**
 * A voucher's provenance: from `indexed` (the indexer's, in the SDK's shape) when it answers, else from the chain's
 * logs. Both give the same events but the mint's `Transfer` from the zero address, which the timeline does not show.
 */
export async function fetchProvenance(
  kaquan: KaquanReader,
  tokenId: bigint,
  indexed?: (tokenId: bigint) => Promise<SdkProvenanceEvent[] | undefined>,
): Promise<ProvenanceEvent[]> {
  return provenanceEvents((await indexed?.(tokenId)) ?? (await getProvenance(kaquan, tokenId)));
}
