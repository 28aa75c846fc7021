/**
 * Typed reads of Kaquan's state, as plain functions of a viem public client and a deployment: listings, orders, a
 * wallet's vouchers and orders, a voucher's provenance, the exchange's settings, brands, tokens, sales, distribution.
 * Concurrent calls share the client's JSON-RPC batching. Event scans start at the deployment's startBlock.
 */
import {
  erc20Abi,
  zeroAddress,
  type Address,
  type ContractEventName,
  type GetContractEventsReturnType,
  type Hex,
  type PublicClient,
} from "viem";
import { voucherExchangeAbi, voucherTokenAbi } from "./abis.ts";
import { MAX_PAGE, Status } from "./constants.ts";
import type { Deployment } from "./deployment.ts";
import { cardHash } from "./codeDelivery.ts";
import type { Brand, Denominations, Listing, PayToken, TraderRecord, Sale, Trade, VoucherInfo } from "./types.ts";

/** What every read needs: a client for the chain and where Kaquan lives on it. */
export interface KaquanReader {
  publicClient: PublicClient;
  deployment: Deployment;
}

/** ETH as a payment token (address(0)). */
export const ETH: PayToken = { address: zeroAddress, symbol: "ETH", decimals: 18 };

const PAGE = BigInt(MAX_PAGE);

function range(from: bigint, toInclusive: bigint): bigint[] {
  const out: bigint[] = [];
  for (let i = from; i <= toInclusive; i++) out.push(i);
  return out;
}

const exchange = ({ deployment }: KaquanReader) => ({ address: deployment.voucherExchange, abi: voucherExchangeAbi });
const token = ({ deployment }: KaquanReader) => ({ address: deployment.voucherToken, abi: voucherTokenAbi });
const logsOf = ({ deployment }: KaquanReader) => ({ fromBlock: BigInt(deployment.startBlock), strict: true }) as const;

/** Chain time in unix seconds: the latest block's timestamp (deadlines are judged by it). */
export async function getChainTime({ publicClient }: KaquanReader): Promise<number> {
  return Number((await publicClient.getBlock({ blockTag: "latest" })).timestamp);
}

/** Every brand with its denominations, by id order. */
export async function getBrands(kaquan: KaquanReader): Promise<Brand[]> {
  const { publicClient } = kaquan;
  const count = await publicClient.readContract({ ...token(kaquan), functionName: "brandCount" });
  const ids = range(1n, count);
  const [brands, denominations] = await Promise.all([
    Promise.all(ids.map((id) => publicClient.readContract({ ...token(kaquan), functionName: "brand", args: [id] }))),
    Promise.all(ids.map((id) => getDenominations(kaquan, id))),
  ]);
  return brands.map((brand, i) => ({ ...brand, id: Number(ids[i]), denominations: denominations[i] }));
}

/** The face values a brand's cards come in, or its maximum face value. */
export async function getDenominations(kaquan: KaquanReader, brandId: number | bigint): Promise<Denominations> {
  const [faceValues, maxFaceValue] = await kaquan.publicClient.readContract({
    ...token(kaquan),
    functionName: "denominations",
    args: [BigInt(brandId)],
  });
  return { faceValues, maxFaceValue };
}

/** Whether a brand accepts `faceValue`: one of its face values, or up to its maximum (a brand with neither takes none). */
export function faceValueAllowed(denominations: Denominations, faceValue: bigint): boolean {
  if (faceValue <= 0n) return false;
  return denominations.maxFaceValue > 0n
    ? faceValue <= denominations.maxFaceValue
    : denominations.faceValues.includes(faceValue);
}

/**
 * The voucher that registered `cardNumber` under a brand (a live, redeemed or disclosed one: a card number is spent for
 * good), or undefined when the brand never saw it. What a sell form checks before asking for a signature.
 */
export async function getCardToken(
  kaquan: KaquanReader,
  brandId: number | bigint,
  cardNumber: string,
): Promise<bigint | undefined> {
  const tokenId = await kaquan.publicClient.readContract({
    ...token(kaquan),
    functionName: "cardToken",
    args: [BigInt(brandId), cardHash(brandId, cardNumber)],
  });
  return tokenId === 0n ? undefined : tokenId;
}

/** ETH first, then every allow-listed ERC-20, each with its symbol, decimals and minimum price. */
export async function getPayTokens(kaquan: KaquanReader): Promise<PayToken[]> {
  const { publicClient } = kaquan;
  const minPrice = (token: Address) =>
    publicClient.readContract({ ...exchange(kaquan), functionName: "minPrice", args: [token] });
  const addresses = await publicClient.readContract({ ...exchange(kaquan), functionName: "payTokens" });
  const tokens = await Promise.all([
    minPrice(ETH.address).then((min) => ({ ...ETH, minPrice: min })),
    ...addresses.map(async (address) => {
      const [symbol, decimals, min] = await Promise.all([
        publicClient.readContract({ address, abi: erc20Abi, functionName: "symbol" }),
        publicClient.readContract({ address, abi: erc20Abi, functionName: "decimals" }),
        minPrice(address),
      ]);
      return { address, symbol, decimals, minPrice: min };
    }),
  ]);
  return tokens;
}

/**
 * All active listings, in id order: `activeListings` over every id, one call per MAX_PAGE ids, all concurrent. The
 * first page is read together with `tradeCount` (ids start at 1, so it always exists), the others once the count is
 * known. `onPage` (optional) receives the listings read so far, in id order, each time a page arrives.
 */
export async function getListings(kaquan: KaquanReader, onPage?: (partial: Listing[]) => void): Promise<Listing[]> {
  const { publicClient } = kaquan;
  const pages: Listing[][] = [];
  const read = async (index: number) => {
    const from = 1n + BigInt(index) * PAGE;
    const page = await publicClient.readContract({
      ...exchange(kaquan),
      functionName: "activeListings",
      args: [from, PAGE],
    });
    pages[index] = [...page];
    onPage?.(pages.flat()); // flat() skips the pages still on their way
  };
  const [count] = await Promise.all([
    publicClient.readContract({ ...exchange(kaquan), functionName: "tradeCount" }),
    read(0),
  ]);
  const total = count === 0n ? 1 : Number((count - 1n) / PAGE) + 1;
  await Promise.all(Array.from({ length: total - 1 }, (_, i) => read(i + 1)));
  return pages.slice(0, total).flat();
}

/**
 * What each voucher was created as, from its creation events, with its attestation (the latest of VoucherAttested and
 * AttestationRevoked) and whether its code was disclosed (all vouchers, or those in `tokenIds`).
 */
export async function getVoucherInfos(kaquan: KaquanReader, tokenIds?: bigint[]): Promise<Map<bigint, VoucherInfo>> {
  if (tokenIds && tokenIds.length === 0) return new Map();
  const base = { ...token(kaquan), ...logsOf(kaquan), ...(tokenIds ? { args: { tokenId: tokenIds } } : {}) };
  const { publicClient } = kaquan;
  const [minted, issued, attested, revoked, disclosed] = await Promise.all([
    publicClient.getContractEvents({ ...base, eventName: "VoucherMinted" }),
    publicClient.getContractEvents({ ...base, eventName: "VoucherIssued" }),
    publicClient.getContractEvents({ ...base, eventName: "VoucherAttested" }),
    publicClient.getContractEvents({ ...base, eventName: "AttestationRevoked" }),
    publicClient.getContractEvents({ ...base, eventName: "CodeDisclosed" }),
  ]);
  const attestations = new Map<bigint, boolean>();
  const changes = [
    ...attested.map((log) => ({ log, attested: true })),
    ...revoked.map((log) => ({ log, attested: false })),
  ].sort((a, b) => Number(a.log.blockNumber - b.log.blockNumber) || a.log.logIndex - b.log.logIndex);
  for (const { log, attested } of changes) attestations.set(log.args.tokenId, attested);
  const disclosedIds = new Set(disclosed.map((log) => log.args.tokenId));
  const infos = new Map<bigint, VoucherInfo>();
  const created = [
    ...minted.map(({ args }) => ({ ...args, issuerBacked: false })),
    ...issued.map(({ args }) => ({ ...args, issuerBacked: true, codeHash: undefined, cardHash: undefined })),
  ];
  for (const { tokenId, brandId, faceValue, expiresAt, issuerBacked, codeHash, cardHash } of created) {
    infos.set(tokenId, {
      tokenId,
      brandId: Number(brandId),
      faceValue,
      expiresAt,
      issuerBacked,
      attested: attestations.get(tokenId) ?? false,
      disclosed: disclosedIds.has(tokenId),
      codeHash,
      cardHash,
    });
  }
  return infos;
}

/** Block timestamps, from the logs when the node includes them, otherwise from the blocks (batched). */
async function timestamps(
  { publicClient }: KaquanReader,
  logs: readonly { blockNumber: bigint | null; blockTimestamp?: unknown }[],
): Promise<Map<bigint, number>> {
  const times = new Map<bigint, number>();
  const missing = new Set<bigint>();
  for (const log of logs) {
    if (log.blockNumber === null) continue;
    if (typeof log.blockTimestamp === "bigint") times.set(log.blockNumber, Number(log.blockTimestamp));
    else if (!times.has(log.blockNumber)) missing.add(log.blockNumber);
  }
  const blocks = await Promise.all([...missing].map((blockNumber) => publicClient.getBlock({ blockNumber })));
  for (const block of blocks) times.set(block.number, Number(block.timestamp));
  return times;
}

/** The payment token of each offer (`offerFunds`), by offer id. */
async function offerTokens(kaquan: KaquanReader, offerIds: readonly bigint[]): Promise<Map<bigint, Address>> {
  const ids = [...new Set(offerIds)];
  const funds = await Promise.all(
    ids.map((id) => kaquan.publicClient.readContract({ ...exchange(kaquan), functionName: "offerFunds", args: [id] })),
  );
  return new Map(ids.map((id, i) => [id, funds[i][0]]));
}

/**
 * Where each trade came from, by trade id: its `Listed`, or for a card sold into a recycler's offer its `SoldToOffer`
 * with the offer's payment token (such a trade was never listed).
 */
async function tradeOrigins(
  kaquan: KaquanReader,
  filter: { tokenId?: bigint } = {},
): Promise<Map<bigint, { tokenId: bigint; payToken: Address; offerId?: bigint }>> {
  const base = { ...exchange(kaquan), ...logsOf(kaquan) };
  const [listed, sold] = await Promise.all([
    kaquan.publicClient.getContractEvents({ ...base, eventName: "Listed", args: { tokenId: filter.tokenId } }),
    // SoldToOffer does not index the token id: filtered here.
    kaquan.publicClient.getContractEvents({ ...base, eventName: "SoldToOffer" }),
  ]);
  const ofToken = sold.filter((log) => filter.tokenId === undefined || log.args.tokenId === filter.tokenId);
  const tokens = await offerTokens(
    kaquan,
    ofToken.map((log) => log.args.offerId),
  );
  const origins = new Map<bigint, { tokenId: bigint; payToken: Address; offerId?: bigint }>();
  for (const { args } of listed) origins.set(args.tradeId, { tokenId: args.tokenId, payToken: args.payToken });
  for (const { args } of ofToken) {
    origins.set(args.tradeId, { tokenId: args.tokenId, payToken: tokens.get(args.offerId)!, offerId: args.offerId });
  }
  return origins;
}

/**
 * Every settled sale with its brand, face value, token, price and time: the market's history. Cards sold into
 * recyclers' offers count as sales like purchases.
 */
export async function getSales(kaquan: KaquanReader): Promise<Sale[]> {
  const base = { ...exchange(kaquan), ...logsOf(kaquan) };
  const [settled, listings, infos] = await Promise.all([
    kaquan.publicClient.getContractEvents({ ...base, eventName: "Settled" }),
    tradeOrigins(kaquan),
    getVoucherInfos(kaquan),
  ]);
  const times = await timestamps(kaquan, settled);
  const sales: Sale[] = [];
  for (const { args, blockNumber } of settled) {
    const listing = listings.get(args.tradeId);
    const info = listing ? infos.get(listing.tokenId) : undefined;
    if (!listing || !info) continue;
    sales.push({
      tradeId: args.tradeId,
      tokenId: listing.tokenId,
      brandId: info.brandId,
      faceValue: info.faceValue,
      payToken: listing.payToken,
      price: args.sellerProceeds + args.fee,
      timestamp: times.get(blockNumber) ?? 0,
    });
  }
  return sales;
}

/** A trade as the exchange stores it (its token id widened to a bigint, like every token id in the SDK). */
export async function getTrade(kaquan: KaquanReader, tradeId: bigint): Promise<Trade> {
  const trade = await kaquan.publicClient.readContract({ ...exchange(kaquan), functionName: "trade", args: [tradeId] });
  return { ...trade, tokenId: BigInt(trade.tokenId) };
}

/** A trade with everything around it: the trade, its purchase, the delivery, the dispute, the voucher. */
export interface OrderDetails {
  id: bigint;
  trade: Trade;
  /** The buyer from `Purchased` (the stored buyer stays zero for instant, issuer-backed sales). */
  buyer: Address | undefined;
  buyerKey: Hex | undefined;
  referrer: Address | undefined;
  purchasedAt: number | undefined;
  delivery: Hex | undefined;
  /** The buyer's order key sealed to the arbiter (`Disputed`): only the arbiter's key opens it. */
  sealedEvidence: Hex | undefined;
  /** The dispute bond the buyer paid, in the order's payment token. */
  bond: bigint | undefined;
  voucher: VoucherInfo | undefined;
}

export async function getOrders(kaquan: KaquanReader, ids: readonly bigint[]): Promise<OrderDetails[]> {
  if (ids.length === 0) return [];
  const { publicClient } = kaquan;
  const base = { ...exchange(kaquan), ...logsOf(kaquan), args: { tradeId: [...ids] } };
  const [trades, purchased, delivered, disputed] = await Promise.all([
    Promise.all(ids.map((id) => getTrade(kaquan, id))),
    publicClient.getContractEvents({ ...base, eventName: "Purchased" }),
    publicClient.getContractEvents({ ...base, eventName: "CodeDelivered" }),
    publicClient.getContractEvents({ ...base, eventName: "Disputed" }),
  ]);
  const infos = await getVoucherInfos(kaquan, [...new Set(trades.map((t) => t.tokenId))]);
  const times = await timestamps(kaquan, purchased);
  const purchases = new Map(purchased.map((log) => [log.args.tradeId, log]));
  const deliveries = new Map(delivered.map((log) => [log.args.tradeId, log.args.ciphertext]));
  const disputes = new Map(disputed.map((log) => [log.args.tradeId, log.args]));
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
      sealedEvidence: disputes.get(id)?.sealedEvidence,
      bond: disputes.get(id)?.bond,
      voucher: infos.get(trades[i].tokenId),
    };
  });
}

export async function getOrder(kaquan: KaquanReader, tradeId: bigint): Promise<OrderDetails> {
  const [order] = await getOrders(kaquan, [tradeId]);
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
  /**
   * Its listings, and the coded cards it sold into recyclers' offers (`SoldToOffer`: orders opened without a listing,
   * whose codes it delivers like any sale's). An issuer-backed card sold into an offer settled in the sale and left no
   * order.
   */
  selling: OrderDetails[];
  /** The exchange may move all of the account's vouchers (setApprovalForAll). */
  approved: boolean;
}

/**
 * An account's vouchers (newest first), its orders as buyer and as seller (its sales into recyclers' offers included),
 * and whether the exchange is approved.
 */
export async function getWallet(kaquan: KaquanReader, account: Address): Promise<WalletData> {
  const { publicClient, deployment } = kaquan;
  const ex = { ...exchange(kaquan), ...logsOf(kaquan) };
  const tok = { ...token(kaquan), ...logsOf(kaquan) };
  const [received, sealedToMe, listedByMe, soldByMe, boughtByMe, approved] = await Promise.all([
    publicClient.getContractEvents({ ...tok, eventName: "Transfer", args: { to: account } }),
    publicClient.getContractEvents({ ...tok, eventName: "CodeSealed", args: { owner: account } }),
    publicClient.getContractEvents({ ...ex, eventName: "Listed", args: { seller: account } }),
    publicClient.getContractEvents({ ...ex, eventName: "SoldToOffer", args: { seller: account } }),
    publicClient.getContractEvents({ ...ex, eventName: "Purchased", args: { buyer: account } }),
    publicClient.readContract({
      ...token(kaquan),
      functionName: "isApprovedForAll",
      args: [account, deployment.voucherExchange],
    }),
  ]);
  const candidates = [...new Set(received.map((log) => log.args.tokenId))];
  const owners = await Promise.all(
    candidates.map((tokenId) =>
      publicClient.readContract({ ...token(kaquan), functionName: "ownerOf", args: [tokenId] }).catch(() => undefined),
    ),
  );
  const held = candidates.filter((_, i) => owners[i]?.toLowerCase() === account.toLowerCase());
  const [infos, bought, sold] = await Promise.all([
    getVoucherInfos(kaquan, held),
    getOrders(
      kaquan,
      boughtByMe.map((log) => log.args.tradeId),
    ),
    getOrders(
      kaquan,
      [...listedByMe, ...soldByMe].map((log) => log.args.tradeId),
    ),
  ]);
  // A listing is always stored; an issuer-backed card sold into an offer is not (it settled in the sale, and its
  // `Purchased` names the recycler as buyer): neither side has an order to show for it.
  const stored = (order: OrderDetails) => order.trade.status !== Status.None;
  const buying = bought.filter(stored);
  const selling = sold.filter(stored);
  const sealed = new Set(sealedToMe.map((log) => log.args.tokenId));
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
export async function getSealedCode(kaquan: KaquanReader, tokenId: bigint, owner: Address): Promise<Hex | undefined> {
  const logs = await kaquan.publicClient.getContractEvents({
    ...token(kaquan),
    ...logsOf(kaquan),
    eventName: "CodeSealed",
    args: { tokenId, owner },
  });
  return logs.at(-1)?.args.sealedCode;
}

export interface VoucherDetails {
  info: VoucherInfo | undefined;
  owner: Address | undefined;
  tokenUri: string | undefined;
  /** The voucher's latest listing with its trade's current status, if it was ever listed. */
  listing: (Listing & { status: number }) | undefined;
  /** Its most recent trade id (listing or order), if it ever traded. */
  lastTradeId: bigint | undefined;
}

export async function getVoucherDetails(kaquan: KaquanReader, tokenId: bigint): Promise<VoucherDetails> {
  const { publicClient } = kaquan;
  const [infos, owner, tokenUri, listed] = await Promise.all([
    getVoucherInfos(kaquan, [tokenId]),
    publicClient.readContract({ ...token(kaquan), functionName: "ownerOf", args: [tokenId] }).catch(() => undefined),
    publicClient.readContract({ ...token(kaquan), functionName: "tokenURI", args: [tokenId] }).catch(() => undefined),
    publicClient.getContractEvents({ ...exchange(kaquan), ...logsOf(kaquan), eventName: "Listed", args: { tokenId } }),
  ]);
  const info = infos.get(tokenId);
  const lastTradeId = listed.at(-1)?.args.tradeId;
  let listing: VoucherDetails["listing"];
  if (lastTradeId !== undefined && info) {
    const { seller, payToken, price, status } = await getTrade(kaquan, lastTradeId);
    const { brandId, faceValue, expiresAt, issuerBacked, attested } = info;
    listing = {
      tradeId: lastTradeId,
      tokenId,
      seller,
      payToken,
      price,
      brandId,
      faceValue,
      expiresAt,
      issuerBacked,
      attested,
      status,
    };
  }
  return { info, owner, tokenUri, listing, lastTradeId };
}

const TOKEN_EVENTS = [
  "VoucherMinted",
  "VoucherIssued",
  "Transfer",
  "CodeSealed",
  "VoucherAttested",
  "AttestationRevoked",
  "CodeDisclosed",
  "Redeemed",
] as const;
const TRADE_EVENTS = [
  "Listed",
  "SoldToOffer",
  "ListingCancelled",
  "PriceUpdated",
  "Purchased",
  "CodeDelivered",
  "Disputed",
  "DisputeResolved",
  "DisputeBondPaid",
  "Settled",
  "Refunded",
] as const;
type TokenEvent = (typeof TOKEN_EVENTS)[number];
type TradeEvent = (typeof TRADE_EVENTS)[number];

type Logged<abi extends typeof voucherTokenAbi | typeof voucherExchangeAbi, name extends ContractEventName<abi>> = {
  event: name;
  args: GetContractEventsReturnType<abi, name, true>[number]["args"];
  blockNumber: bigint;
  logIndex: number;
  /** Block timestamp (unix seconds). */
  timestamp: number | undefined;
};

/**
 * One event in a voucher's history, decoded with the contract's own field names. Trade events also carry the trade's
 * payment token (the token every amount in them is in).
 */
export type ProvenanceEvent =
  | { [name in TokenEvent]: Logged<typeof voucherTokenAbi, name> }[TokenEvent]
  | { [name in TradeEvent]: Logged<typeof voucherExchangeAbi, name> & { payToken: Address } }[TradeEvent];

/** Every event that touched a voucher, oldest first: its provenance. */
export async function getProvenance(kaquan: KaquanReader, tokenId: bigint): Promise<ProvenanceEvent[]> {
  const { publicClient } = kaquan;
  const tok = { ...token(kaquan), ...logsOf(kaquan), args: { tokenId } };
  const ex = { ...exchange(kaquan), ...logsOf(kaquan) };
  const [tokenLogs, origins] = await Promise.all([
    Promise.all(TOKEN_EVENTS.map((eventName) => publicClient.getContractEvents({ ...tok, eventName }))),
    tradeOrigins(kaquan, { tokenId }),
  ]);
  const ids = [...origins.keys()];
  const payTokens = new Map([...origins].map(([tradeId, origin]) => [tradeId, origin.payToken]));
  const tradeLogs =
    ids.length === 0
      ? []
      : await Promise.all(
          TRADE_EVENTS.map((eventName) =>
            publicClient.getContractEvents({
              ...ex,
              eventName,
              args: { tradeId: ids },
            } as never),
          ),
        );
  const logs = [...tokenLogs.flat(), ...(tradeLogs.flat() as (typeof tokenLogs)[number])];
  const times = await timestamps(kaquan, logs);
  const events = logs.map((log) => {
    const tradeId = (log.args as { tradeId?: bigint }).tradeId;
    return {
      event: log.eventName,
      args: log.args,
      blockNumber: log.blockNumber,
      logIndex: log.logIndex,
      timestamp: times.get(log.blockNumber),
      ...(log.address.toLowerCase() === kaquan.deployment.voucherExchange.toLowerCase()
        ? { payToken: (tradeId !== undefined ? payTokens.get(tradeId) : undefined) ?? zeroAddress }
        : {}),
    } as ProvenanceEvent;
  });
  return events.sort((a, b) => Number(a.blockNumber - b.blockNumber) || a.logIndex - b.logIndex);
}

/** The exchange's governance settings, as they stand now. */
export interface ExchangeSettings {
  owner: Address;
  tokenOwner: Address;
  feeBps: number;
  levelShares: readonly [number, number, number];
  treasury: Address;
  arbiter: Address;
  /** The X25519 key dispute evidence is sealed to (zero until the arbiter publishes one). */
  arbiterKey: Hex;
  /** The dispute bond new orders get, in bps of the price. */
  disputeBondBps: number;
  paused: boolean;
  windows: { delivery: number; confirm: number; arbitration: number };
}

export async function getSettings(kaquan: KaquanReader): Promise<ExchangeSettings> {
  const { publicClient } = kaquan;
  const ex = exchange(kaquan);
  const [owner, tokenOwner, feeBps, shares, treasury, arbiter, arbiterKey, disputeBondBps, paused, windows] =
    await Promise.all([
      publicClient.readContract({ ...ex, functionName: "owner" }),
      publicClient.readContract({ ...token(kaquan), functionName: "owner" }),
      publicClient.readContract({ ...ex, functionName: "protocolFeeBps" }),
      publicClient.readContract({ ...ex, functionName: "levelShares" }),
      publicClient.readContract({ ...ex, functionName: "treasury" }),
      publicClient.readContract({ ...ex, functionName: "arbiter" }),
      publicClient.readContract({ ...ex, functionName: "arbiterKey" }),
      publicClient.readContract({ ...ex, functionName: "disputeBondBps" }),
      publicClient.readContract({ ...ex, functionName: "paused" }),
      publicClient.readContract({ ...ex, functionName: "windows" }),
    ]);
  return {
    owner,
    tokenOwner,
    feeBps,
    levelShares: [shares[0], shares[1], shares[2]],
    treasury,
    arbiter,
    arbiterKey,
    disputeBondBps,
    paused,
    windows: { delivery: windows[0], confirm: windows[1], arbitration: windows[2] },
  };
}

/** An account's place in the distributor tree and what it earned. */
export interface Distribution {
  joined: boolean;
  upline: Address;
  /** Every join, for the whole tree (downline views). */
  joins: { account: Address; upline: Address }[];
  /** Referral earnings per token address (lower case), all time. */
  earned: Map<string, bigint>;
  referredOrders: number;
}

export async function getDistribution(kaquan: KaquanReader, account: Address): Promise<Distribution> {
  const { publicClient } = kaquan;
  const ex = { ...exchange(kaquan), ...logsOf(kaquan) };
  const [[joined, upline], joinedLogs, credited, listed] = await Promise.all([
    publicClient.readContract({ ...exchange(kaquan), functionName: "distributor", args: [account] }),
    publicClient.getContractEvents({ ...ex, eventName: "DistributorJoined" }),
    publicClient.getContractEvents({ ...ex, eventName: "ReferralCredited", args: { distributor: account } }),
    publicClient.getContractEvents({ ...ex, eventName: "Listed" }),
  ]);
  const payToken = new Map(listed.map((log) => [log.args.tradeId, log.args.payToken.toLowerCase()]));
  const earned = new Map<string, bigint>();
  for (const { args } of credited) {
    const token = payToken.get(args.tradeId) ?? zeroAddress;
    earned.set(token, (earned.get(token) ?? 0n) + args.amount);
  }
  return {
    joined,
    upline,
    joins: joinedLogs.map(({ args }) => ({ account: args.account, upline: args.upline })),
    earned,
    referredOrders: new Set(credited.map((log) => log.args.tradeId)).size,
  };
}

/** Orders currently in dispute, oldest first: the arbiter's queue. */
export async function getDisputes(kaquan: KaquanReader): Promise<OrderDetails[]> {
  const logs = await kaquan.publicClient.getContractEvents({
    ...exchange(kaquan),
    ...logsOf(kaquan),
    eventName: "Disputed",
  });
  const orders = await getOrders(
    kaquan,
    logs.map((log) => log.args.tradeId),
  );
  return orders.filter((order) => order.trade.status === Status.Disputed);
}

/**
 * Traders' records, by lower-case address: the exchange's counters (`account(...).stats`) and how many of the vouchers
 * each ever listed are attested by their brand's issuer. What buyers see next to a listing.
 */
export async function getReputations(
  kaquan: KaquanReader,
  accounts: readonly Address[],
): Promise<Map<string, TraderRecord>> {
  const unique = [...new Set(accounts.map((account) => account.toLowerCase() as Address))];
  if (unique.length === 0) return new Map();
  const { publicClient } = kaquan;
  const [stats, listed] = await Promise.all([
    Promise.all(
      unique.map((account) =>
        publicClient.readContract({ ...exchange(kaquan), functionName: "account", args: [account, []] }),
      ),
    ),
    publicClient.getContractEvents({
      ...exchange(kaquan),
      ...logsOf(kaquan),
      eventName: "Listed",
      args: { seller: unique },
    }),
  ]);
  const tokensBySeller = new Map<string, Set<bigint>>();
  for (const { args } of listed) {
    const seller = args.seller.toLowerCase();
    tokensBySeller.set(seller, (tokensBySeller.get(seller) ?? new Set()).add(args.tokenId));
  }
  const infos = await getVoucherInfos(kaquan, [...new Set(listed.map((log) => log.args.tokenId))]);
  return new Map(
    unique.map((account, i) => {
      const tokens = [...(tokensBySeller.get(account) ?? [])];
      const { sales, purchases, disputesOpened, disputesLost } = stats[i][0];
      const reputation: TraderRecord = {
        sales,
        purchases,
        disputesOpened,
        disputesLost,
        listed: tokens.length,
        verified: tokens.filter((tokenId) => infos.get(tokenId)?.attested).length,
      };
      return [account, reputation];
    }),
  );
}

/** One trader's record (see `getReputations`). */
export async function getReputation(kaquan: KaquanReader, account: Address): Promise<TraderRecord> {
  return (await getReputations(kaquan, [account])).get(account.toLowerCase())!;
}
