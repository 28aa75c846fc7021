/**
 * Every read the app makes, as plain functions of a viem public client (the hooks wrap them in TanStack Query).
 * Concurrent calls go out as one JSON-RPC batch (see wagmi.ts). Event scans start at the deployment's startBlock.
 */
import { createPublicClient, erc20Abi, http, zeroAddress, type Address, type Hex, type PublicClient } from "viem";
import { voucherExchangeAbi, voucherTokenAbi, type Deployment } from "../generated/contracts.ts";
import type { TokenInfo } from "../lib/format.ts";
import type { Brand, Listing, Sale } from "../lib/market.ts";
import type { TradeView } from "../lib/orders.ts";
import type { ProvenanceEvent } from "../lib/provenance.ts";
import type { Join } from "../lib/referral.ts";

export type Client = PublicClient;

/** The exchange's MAX_PAGE (250): ids scanned per `activeListings` call. */
export const LISTING_PAGE = 250n;

export const ETH_TOKEN: TokenInfo = { address: zeroAddress, symbol: "ETH", decimals: 18 };

function range(from: bigint, toInclusive: bigint): bigint[] {
  const out: bigint[] = [];
  for (let i = from; i <= toInclusive; i++) out.push(i);
  return out;
}

const fromBlock = (d: Deployment) => BigInt(d.startBlock);

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

export async function fetchChainTime(client: Client): Promise<number> {
  const block = await fastClient(client).getBlock({ blockTag: "latest" });
  return Number(block.timestamp);
}

export async function fetchBrands(app: Client, d: Deployment): Promise<Brand[]> {
  const client = fastClient(app, "batched");
  const count = await client.readContract({
    address: d.voucherToken,
    abi: voucherTokenAbi,
    functionName: "brandCount",
  });
  const ids = range(1n, count);
  const brands = await Promise.all(
    ids.map((id) =>
      client.readContract({ address: d.voucherToken, abi: voucherTokenAbi, functionName: "brand", args: [id] }),
    ),
  );
  return brands.map((b, i) => ({
    id: Number(ids[i]),
    name: b.name,
    category: b.category,
    currency: b.currency,
    issuer: b.issuer,
    active: b.active,
  }));
}

/** ETH first, then every allow-listed ERC-20 with its symbol and decimals. */
export async function fetchPayTokens(app: Client, d: Deployment): Promise<TokenInfo[]> {
  const client = fastClient(app, "batched");
  const addresses = await client.readContract({
    address: d.voucherExchange,
    abi: voucherExchangeAbi,
    functionName: "payTokens",
  });
  const tokens = await Promise.all(
    addresses.map(async (address) => {
      const [symbol, decimals] = await Promise.all([
        client.readContract({ address, abi: erc20Abi, functionName: "symbol" }),
        client.readContract({ address, abi: erc20Abi, functionName: "decimals" }),
      ]);
      return { address, symbol, decimals };
    }),
  );
  return [ETH_TOKEN, ...tokens];
}

const toListing = (l: {
  listingId: bigint;
  tokenId: bigint;
  seller: Address;
  payToken: Address;
  price: bigint;
  brandId: bigint | number;
  faceValue: bigint;
  expiresAt: bigint;
  issuerBacked: boolean;
}): Listing => ({
  listingId: l.listingId,
  tokenId: l.tokenId,
  seller: l.seller,
  payToken: l.payToken,
  price: l.price,
  brandId: Number(l.brandId),
  faceValue: l.faceValue,
  expiresAt: l.expiresAt,
  issuerBacked: l.issuerBacked,
});

/**
 * All active listings, in id order: `activeListings` over every id, one call per 250 ids, each its own concurrent
 * request. The first page is read together with `tradeCount` (ids start at 1, so it always exists), the others once
 * the count is known. `onPage` (optional) receives the listings read so far, in id order, each time a page arrives.
 */
export async function fetchListings(
  app: Client,
  d: Deployment,
  onPage?: (partial: Listing[]) => void,
): Promise<Listing[]> {
  const client = fastClient(app);
  const ex = { address: d.voucherExchange, abi: voucherExchangeAbi } as const;
  const pages: (Listing[] | undefined)[] = [];
  const read = async (index: number) => {
    const from = 1n + BigInt(index) * LISTING_PAGE;
    const page = await client.readContract({ ...ex, functionName: "activeListings", args: [from, LISTING_PAGE] });
    pages[index] = page.map(toListing);
    onPage?.(pages.flat() as Listing[]); // flat() skips the pages still on their way
  };
  const [count] = await Promise.all([client.readContract({ ...ex, functionName: "tradeCount" }), read(0)]);
  const total = count === 0n ? 1 : Number((count - 1n) / LISTING_PAGE) + 1;
  await Promise.all(Array.from({ length: total - 1 }, (_, i) => read(i + 1)));
  return pages.slice(0, total).flat() as Listing[];
}

/** What a voucher was created as (from its creation event, so it survives redemption). */
export interface VoucherInfo {
  tokenId: bigint;
  brandId: number;
  faceValue: bigint;
  expiresAt: bigint;
  issuerBacked: boolean;
  codeHash: Hex | undefined;
}

export async function fetchVoucherInfos(client: Client, d: Deployment, tokenIds?: bigint[]) {
  const base = { address: d.voucherToken, abi: voucherTokenAbi, fromBlock: fromBlock(d) } as const;
  const filter = tokenIds ? { args: { tokenId: tokenIds } } : {};
  if (tokenIds && tokenIds.length === 0) return new Map<bigint, VoucherInfo>();
  const [minted, issued] = await Promise.all([
    client.getContractEvents({ ...base, eventName: "VoucherMinted", ...filter }),
    client.getContractEvents({ ...base, eventName: "VoucherIssued", ...filter }),
  ]);
  const infos = new Map<bigint, VoucherInfo>();
  const logs = [
    ...minted.map((log) => ({ args: log.args, issuerBacked: false, codeHash: log.args.codeHash })),
    ...issued.map((log) => ({ args: log.args, issuerBacked: true, codeHash: undefined })),
  ];
  for (const { args: a, issuerBacked, codeHash } of logs) {
    infos.set(a.tokenId!, {
      tokenId: a.tokenId!,
      brandId: Number(a.brandId!),
      faceValue: a.faceValue!,
      expiresAt: a.expiresAt!,
      issuerBacked,
      codeHash,
    });
  }
  return infos;
}

/** Block timestamps, from the logs when the node includes them, otherwise from the blocks (batched). */
async function timestamps(client: Client, logs: readonly { blockNumber: bigint | null; blockTimestamp?: unknown }[]) {
  const times = new Map<bigint, number>();
  const missing = new Set<bigint>();
  for (const log of logs) {
    if (log.blockNumber === null) continue;
    if (typeof log.blockTimestamp === "bigint") times.set(log.blockNumber, Number(log.blockTimestamp));
    else if (!times.has(log.blockNumber)) missing.add(log.blockNumber);
  }
  const blocks = await Promise.all([...missing].map((blockNumber) => client.getBlock({ blockNumber })));
  for (const block of blocks) times.set(block.number, Number(block.timestamp));
  return times;
}

/** Every settled sale with its brand, face value, token, price and time: the market's history. */
export async function fetchSales(client: Client, d: Deployment): Promise<Sale[]> {
  const base = { address: d.voucherExchange, abi: voucherExchangeAbi, fromBlock: fromBlock(d) } as const;
  const [settled, listed, infos] = await Promise.all([
    client.getContractEvents({ ...base, eventName: "Settled" }),
    client.getContractEvents({ ...base, eventName: "Listed" }),
    fetchVoucherInfos(client, d),
  ]);
  const listings = new Map(listed.map((log) => [log.args.listingId!, log.args]));
  const times = await timestamps(client, settled);
  const sales: Sale[] = [];
  for (const log of settled) {
    const listing = listings.get(log.args.orderId!);
    const info = listing ? infos.get(listing.tokenId!) : undefined;
    if (!listing || !info) continue;
    sales.push({
      orderId: log.args.orderId!,
      tokenId: listing.tokenId!,
      brandId: info.brandId,
      faceValue: info.faceValue,
      payToken: listing.payToken!,
      price: log.args.sellerProceeds! + log.args.fee!,
      timestamp: times.get(log.blockNumber) ?? 0,
    });
  }
  return sales;
}

/** A trade id with everything around it: the trade, its listing and purchase events, the delivery, the dispute. */
export interface OrderDetails {
  id: bigint;
  trade: TradeView;
  /** The buyer from `Purchased` (the stored buyer stays zero for instant, issuer-backed sales). */
  buyer: Address | undefined;
  buyerKey: Hex | undefined;
  referrer: Address | undefined;
  purchasedAt: number | undefined;
  delivery: Hex | undefined;
  evidenceKey: Hex | undefined;
  voucher: VoucherInfo | undefined;
}

export async function fetchTrade(client: Client, d: Deployment, id: bigint): Promise<TradeView> {
  const t = await client.readContract({
    address: d.voucherExchange,
    abi: voucherExchangeAbi,
    functionName: "trade",
    args: [id],
  });
  return {
    seller: t.seller,
    buyer: t.buyer,
    tokenId: t.tokenId,
    status: t.status,
    issuerBacked: t.issuerBacked,
    deadline: Number(t.deadline),
    payToken: t.payToken,
    price: t.price,
    feeBps: t.feeBps,
  };
}

export async function fetchOrders(client: Client, d: Deployment, ids: bigint[]): Promise<OrderDetails[]> {
  if (ids.length === 0) return [];
  const base = { address: d.voucherExchange, abi: voucherExchangeAbi, fromBlock: fromBlock(d) } as const;
  const [trades, purchased, delivered, disputed] = await Promise.all([
    Promise.all(ids.map((id) => fetchTrade(client, d, id))),
    client.getContractEvents({ ...base, eventName: "Purchased", args: { orderId: ids } }),
    client.getContractEvents({ ...base, eventName: "CodeDelivered", args: { orderId: ids } }),
    client.getContractEvents({ ...base, eventName: "Disputed", args: { orderId: ids } }),
  ]);
  const infos = await fetchVoucherInfos(client, d, [...new Set(trades.map((t) => t.tokenId))]);
  const times = await timestamps(client, purchased);
  const purchases = new Map(purchased.map((log) => [log.args.orderId!, log]));
  const deliveries = new Map(delivered.map((log) => [log.args.orderId!, log.args.ciphertext!]));
  const disputes = new Map(disputed.map((log) => [log.args.orderId!, log.args.evidenceKey!]));
  return ids.map((id, i) => {
    const purchase = purchases.get(id);
    return {
      id,
      trade: trades[i],
      buyer: purchase?.args.buyer,
      buyerKey: purchase?.args.buyerKey,
      referrer: purchase?.args.referrer,
      purchasedAt: purchase ? times.get(purchase.blockNumber) : undefined,
      delivery: deliveries.get(id),
      evidenceKey: disputes.get(id),
      voucher: infos.get(trades[i].tokenId),
    };
  });
}

export async function fetchOrder(client: Client, d: Deployment, id: bigint): Promise<OrderDetails> {
  const [order] = await fetchOrders(client, d, [id]);
  return order;
}

/** A voucher the account holds in its wallet right now. */
export interface OwnedVoucher extends VoucherInfo {
  /** The order through which the account bought it, if it did (to reveal a delivered code). */
  boughtIn: bigint | undefined;
  /** A code was sealed to this account's vault for it (at mint or by a re-seal). */
  sealedToMe: boolean;
}

export interface WalletData {
  vouchers: OwnedVoucher[];
  buying: OrderDetails[];
  selling: OrderDetails[];
  /** The exchange may move all of the account's vouchers (setApprovalForAll). */
  approved: boolean;
}

export async function fetchWallet(client: Client, d: Deployment, account: Address): Promise<WalletData> {
  const ex = { address: d.voucherExchange, abi: voucherExchangeAbi, fromBlock: fromBlock(d) } as const;
  const token = { address: d.voucherToken, abi: voucherTokenAbi, fromBlock: fromBlock(d) } as const;
  const [received, sealedToMe, listedByMe, boughtByMe, approved] = await Promise.all([
    client.getContractEvents({ ...token, eventName: "Transfer", args: { to: account } }),
    client.getContractEvents({ ...token, eventName: "CodeSealed", args: { owner: account } }),
    client.getContractEvents({ ...ex, eventName: "Listed", args: { seller: account } }),
    client.getContractEvents({ ...ex, eventName: "Purchased", args: { buyer: account } }),
    client.readContract({
      address: d.voucherToken,
      abi: voucherTokenAbi,
      functionName: "isApprovedForAll",
      args: [account, d.voucherExchange],
    }),
  ]);
  const candidates = [...new Set(received.map((log) => log.args.tokenId!))];
  const owners = await Promise.all(
    candidates.map((tokenId) =>
      client
        .readContract({ address: d.voucherToken, abi: voucherTokenAbi, functionName: "ownerOf", args: [tokenId] })
        .catch(() => undefined),
    ),
  );
  const held = candidates.filter((_, i) => owners[i]?.toLowerCase() === account.toLowerCase());
  const buyingIds = boughtByMe.map((log) => log.args.orderId!);
  const sellingIds = listedByMe.map((log) => log.args.listingId!);
  const [infos, buying, selling] = await Promise.all([
    fetchVoucherInfos(client, d, held),
    fetchOrders(client, d, buyingIds),
    fetchOrders(client, d, sellingIds),
  ]);
  const sealed = new Set(sealedToMe.map((log) => log.args.tokenId!));
  const boughtIn = new Map<bigint, bigint>();
  for (const order of buying) boughtIn.set(order.trade.tokenId, order.id);
  const vouchers = held
    .map((tokenId) => infos.get(tokenId))
    .filter((info): info is VoucherInfo => info !== undefined)
    .map((info) => ({ ...info, boughtIn: boughtIn.get(info.tokenId), sealedToMe: sealed.has(info.tokenId) }))
    .sort((a, b) => Number(b.tokenId - a.tokenId));
  const newestFirst = (a: OrderDetails, b: OrderDetails) => Number(b.id - a.id);
  return { vouchers, buying: buying.sort(newestFirst), selling: selling.sort(newestFirst), approved };
}

/** The code sealed to `owner` most recently for `tokenId` (CodeSealed at mint or re-seal), if any. */
export async function fetchSealedCode(client: Client, d: Deployment, tokenId: bigint, owner: Address) {
  const logs = await client.getContractEvents({
    address: d.voucherToken,
    abi: voucherTokenAbi,
    eventName: "CodeSealed",
    args: { tokenId, owner },
    fromBlock: fromBlock(d),
  });
  return logs.at(-1)?.args.sealedCode;
}

export interface VoucherDetails {
  info: VoucherInfo | undefined;
  owner: Address | undefined;
  tokenUri: string | undefined;
  /** The voucher's active listing, if it is for sale. */
  listing: (Listing & { status: number }) | undefined;
  /** Its most recent trade id (listing or order), if it ever traded. */
  lastTradeId: bigint | undefined;
}

export async function fetchVoucherDetails(client: Client, d: Deployment, tokenId: bigint): Promise<VoucherDetails> {
  const token = { address: d.voucherToken, abi: voucherTokenAbi } as const;
  const [infos, owner, tokenUri, listed] = await Promise.all([
    fetchVoucherInfos(client, d, [tokenId]),
    client.readContract({ ...token, functionName: "ownerOf", args: [tokenId] }).catch(() => undefined),
    client.readContract({ ...token, functionName: "tokenURI", args: [tokenId] }).catch(() => undefined),
    client.getContractEvents({
      address: d.voucherExchange,
      abi: voucherExchangeAbi,
      eventName: "Listed",
      args: { tokenId },
      fromBlock: fromBlock(d),
    }),
  ]);
  const info = infos.get(tokenId);
  const lastTradeId = listed.at(-1)?.args.listingId;
  let listing: VoucherDetails["listing"];
  if (lastTradeId !== undefined && info) {
    const trade = await fetchTrade(client, d, lastTradeId);
    listing = {
      listingId: lastTradeId,
      tokenId,
      seller: trade.seller,
      payToken: trade.payToken,
      price: trade.price,
      brandId: info.brandId,
      faceValue: info.faceValue,
      expiresAt: info.expiresAt,
      issuerBacked: info.issuerBacked,
      status: trade.status,
    };
  }
  return { info, owner, tokenUri, listing, lastTradeId };
}

/** Every event that touched a voucher, for its provenance timeline. */
export async function fetchProvenance(client: Client, d: Deployment, tokenId: bigint): Promise<ProvenanceEvent[]> {
  const token = { address: d.voucherToken, abi: voucherTokenAbi, fromBlock: fromBlock(d) } as const;
  const ex = { address: d.voucherExchange, abi: voucherExchangeAbi, fromBlock: fromBlock(d) } as const;
  const [minted, issued, transfers, sealed, redeemed, listed] = await Promise.all([
    client.getContractEvents({ ...token, eventName: "VoucherMinted", args: { tokenId } }),
    client.getContractEvents({ ...token, eventName: "VoucherIssued", args: { tokenId } }),
    client.getContractEvents({ ...token, eventName: "Transfer", args: { tokenId } }),
    client.getContractEvents({ ...token, eventName: "CodeSealed", args: { tokenId } }),
    client.getContractEvents({ ...token, eventName: "Redeemed", args: { tokenId } }),
    client.getContractEvents({ ...ex, eventName: "Listed", args: { tokenId } }),
  ]);
  const ids = listed.map((log) => log.args.listingId!);
  const payTokens = new Map(listed.map((log) => [log.args.listingId!, log.args.payToken!]));
  const byId = ids.length > 0 ? { args: { orderId: ids } } : undefined;
  const [cancelled, repriced, purchased, delivered, disputed, resolved, settled, refunded] = byId
    ? await Promise.all([
        client.getContractEvents({ ...ex, eventName: "ListingCancelled", args: { listingId: ids } }),
        client.getContractEvents({ ...ex, eventName: "PriceUpdated", args: { listingId: ids } }),
        client.getContractEvents({ ...ex, eventName: "Purchased", ...byId }),
        client.getContractEvents({ ...ex, eventName: "CodeDelivered", ...byId }),
        client.getContractEvents({ ...ex, eventName: "Disputed", ...byId }),
        client.getContractEvents({ ...ex, eventName: "DisputeResolved", ...byId }),
        client.getContractEvents({ ...ex, eventName: "Settled", ...byId }),
        client.getContractEvents({ ...ex, eventName: "Refunded", ...byId }),
      ])
    : [[], [], [], [], [], [], [], []];
  const at = (log: { blockNumber: bigint; logIndex: number }) => ({
    blockNumber: log.blockNumber,
    logIndex: log.logIndex,
  });
  const events: ProvenanceEvent[] = [
    ...minted.map((l) => ({ ...at(l), kind: "minted" as const, to: l.args.to!, faceValue: l.args.faceValue! })),
    ...issued.map((l) => ({ ...at(l), kind: "issued" as const, to: l.args.to!, faceValue: l.args.faceValue! })),
    ...transfers.map((l) => ({ ...at(l), kind: "transferred" as const, from: l.args.from!, to: l.args.to! })),
    ...sealed.map((l) => ({ ...at(l), kind: "sealed" as const, owner: l.args.owner! })),
    ...redeemed.map((l) => ({ ...at(l), kind: "redeemed" as const, owner: l.args.owner! })),
    ...listed.map((l) => ({
      ...at(l),
      kind: "listed" as const,
      listingId: l.args.listingId!,
      seller: l.args.seller!,
      payToken: l.args.payToken!,
      price: l.args.price!,
    })),
    ...cancelled.map((l) => ({ ...at(l), kind: "unlisted" as const, listingId: l.args.listingId! })),
    ...repriced.map((l) => ({
      ...at(l),
      kind: "repriced" as const,
      listingId: l.args.listingId!,
      payToken: payTokens.get(l.args.listingId!) ?? zeroAddress,
      oldPrice: l.args.oldPrice!,
      newPrice: l.args.newPrice!,
    })),
    ...purchased.map((l) => ({
      ...at(l),
      kind: "purchased" as const,
      orderId: l.args.orderId!,
      buyer: l.args.buyer!,
      payToken: payTokens.get(l.args.orderId!) ?? zeroAddress,
      price: l.args.price!,
    })),
    ...delivered.map((l) => ({ ...at(l), kind: "delivered" as const, orderId: l.args.orderId! })),
    ...disputed.map((l) => ({ ...at(l), kind: "disputed" as const, orderId: l.args.orderId! })),
    ...resolved.map((l) => ({
      ...at(l),
      kind: "resolved" as const,
      orderId: l.args.orderId!,
      refundBuyer: l.args.refundBuyer!,
    })),
    ...settled.map((l) => ({
      ...at(l),
      kind: "settled" as const,
      orderId: l.args.orderId!,
      payToken: payTokens.get(l.args.orderId!) ?? zeroAddress,
      sellerProceeds: l.args.sellerProceeds!,
      fee: l.args.fee!,
    })),
    ...refunded.map((l) => ({ ...at(l), kind: "refunded" as const, orderId: l.args.orderId! })),
  ];
  const logs = [minted, issued, transfers, sealed, redeemed, listed, purchased, settled].flat();
  const times = await timestamps(client, logs);
  return events.map((e) => ({ ...e, timestamp: times.get(e.blockNumber) }));
}

export interface ExchangeSettings {
  owner: Address;
  tokenOwner: Address;
  feeBps: number;
  levelShares: readonly [number, number, number];
  treasury: Address;
  arbiter: Address;
  paused: boolean;
  windows: { delivery: number; confirm: number; arbitration: number };
}

export async function fetchSettings(client: Client, d: Deployment): Promise<ExchangeSettings> {
  const ex = { address: d.voucherExchange, abi: voucherExchangeAbi } as const;
  const [owner, tokenOwner, feeBps, shares, treasury, arbiter, paused, windows] = await Promise.all([
    client.readContract({ ...ex, functionName: "owner" }),
    client.readContract({ address: d.voucherToken, abi: voucherTokenAbi, functionName: "owner" }),
    client.readContract({ ...ex, functionName: "protocolFeeBps" }),
    client.readContract({ ...ex, functionName: "levelShares" }),
    client.readContract({ ...ex, functionName: "treasury" }),
    client.readContract({ ...ex, functionName: "arbiter" }),
    client.readContract({ ...ex, functionName: "paused" }),
    client.readContract({ ...ex, functionName: "windows" }),
  ]);
  return {
    owner,
    tokenOwner,
    feeBps,
    levelShares: [shares[0], shares[1], shares[2]],
    treasury,
    arbiter,
    paused,
    windows: { delivery: windows[0], confirm: windows[1], arbitration: windows[2] },
  };
}

export interface Distribution {
  joined: boolean;
  upline: Address;
  joins: Join[];
  /** Referral earnings per token address (lower case), all time. */
  earned: Map<string, bigint>;
  referredOrders: number;
}

export async function fetchDistribution(client: Client, d: Deployment, account: Address): Promise<Distribution> {
  const ex = { address: d.voucherExchange, abi: voucherExchangeAbi, fromBlock: fromBlock(d) } as const;
  const [[joined, upline], joinedLogs, credited, listed] = await Promise.all([
    client.readContract({ ...ex, functionName: "distributor", args: [account] }),
    client.getContractEvents({ ...ex, eventName: "DistributorJoined" }),
    client.getContractEvents({ ...ex, eventName: "ReferralCredited", args: { distributor: account } }),
    client.getContractEvents({ ...ex, eventName: "Listed" }),
  ]);
  const payToken = new Map(listed.map((log) => [log.args.listingId!, log.args.payToken!.toLowerCase()]));
  const earned = new Map<string, bigint>();
  for (const log of credited) {
    const token = payToken.get(log.args.orderId!) ?? zeroAddress;
    earned.set(token, (earned.get(token) ?? 0n) + log.args.amount!);
  }
  return {
    joined,
    upline,
    joins: joinedLogs.map((log) => ({ account: log.args.account!, upline: log.args.upline! })),
    earned,
    referredOrders: new Set(credited.map((log) => log.args.orderId!)).size,
  };
}

/** Orders currently in dispute (status Disputed), oldest first: the arbiter's queue. */
export async function fetchDisputes(client: Client, d: Deployment): Promise<OrderDetails[]> {
  const logs = await client.getContractEvents({
    address: d.voucherExchange,
    abi: voucherExchangeAbi,
    eventName: "Disputed",
    fromBlock: fromBlock(d),
  });
  const orders = await fetchOrders(
    client,
    d,
    logs.map((log) => log.args.orderId!),
  );
  return orders.filter((o) => o.trade.status === 5);
}
