/**
 * The indexing functions: every event of VoucherToken, VoucherExchange and VoucherOffers (the ABIs in sdk/abis.ts)
 * folded into the tables of ponder.schema.ts. Each handler mirrors the state change the contract made when it emitted the event, so a
 * row equals what the contract's own views return (test/indexer checks this against a real node). The card-trust
 * events fill voucher.attested / attestedFaceValue / disclosed and brand.denominations (DisputeBondPaid moves no state
 * the market reads).
 * A card sold into a recycler's offer has no `Listed`: its `SoldToOffer` creates the trade row (seller, voucher, price,
 * the offer's token) and the `Purchased`, `Settled`, `CodeDelivered`… after it update that row as for any purchase.
 */
import { ponder, type Context } from "ponder:registry";
import schema from "ponder:schema";
import { erc20Abi, zeroAddress, type Address, type Hex } from "viem";
import { Status } from "#sdk";

const {
  brand,
  claim,
  credit,
  distributor,
  earning,
  offer,
  offerEvent,
  offerSale,
  operatorApproval,
  payToken,
  referralCredit,
  reputation,
  sale,
  settings,
  trade,
  tradeEvent,
  voucher,
  voucherEvent,
} = schema;

type Db = Context["db"];
interface At {
  id: string;
  block: { number: bigint; timestamp: bigint };
  log: { logIndex: number };
  transaction: { hash: Hex; from: Address };
}

const time = (event: At) => Number(event.block.timestamp);
const lower = (address: Address) => address.toLowerCase() as Hex;

/** JSON-safe event arguments: bigints as decimal strings, arrays kept. */
function jsonArgs(args: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(args, (_, value) => (typeof value === "bigint" ? value.toString() : value)));
}

async function addVoucherEvent(db: Db, event: At & { args: object }, name: string, tokenId: bigint, tradeId?: bigint) {
  await db.insert(voucherEvent).values({
    id: event.id,
    tokenId,
    event: name,
    tradeId: tradeId ?? null,
    args: jsonArgs(event.args),
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    timestamp: time(event),
    transactionHash: event.transaction.hash,
  });
}

/** A trade's event: its row changes by `change`, its state history and its voucher's provenance get a line each. */
async function onTrade(
  db: Db,
  event: At & { args: { tradeId: bigint } },
  name: string,
  change: Partial<typeof trade.$inferInsert> = {},
) {
  const row = await db.update(trade, { tradeId: event.args.tradeId }).set({ ...change, updatedAt: time(event) });
  await db.insert(tradeEvent).values({
    id: event.id,
    tradeId: row.tradeId,
    event: name,
    status: row.status,
    actor: lower(event.transaction.from),
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    timestamp: time(event),
    transactionHash: event.transaction.hash,
  });
  await addVoucherEvent(
    db,
    { ...event, args: { ...event.args, payToken: row.payToken } },
    name,
    row.tokenId,
    row.tradeId,
  );
  return row;
}

async function bumpReputation(db: Db, account: Hex, field: "sales" | "purchases" | "disputesLost") {
  await db
    .insert(reputation)
    .values({ account, sales: 0, purchases: 0, disputesLost: 0, [field]: 1 })
    .onConflictDoUpdate((row) => ({ [field]: row[field] + 1 }));
}

async function addCredit(db: Db, account: Hex, token: Hex, amount: bigint) {
  await db
    .insert(credit)
    .values({ account, token, balance: amount, claimed: 0n })
    .onConflictDoUpdate((row) => ({ balance: row.balance + amount }));
}

async function updateSettings(db: Db, id: "exchange" | "token", change: Partial<typeof settings.$inferInsert>) {
  await db
    .insert(settings)
    .values({ id, paused: false, termsId: 0, ...change })
    .onConflictDoUpdate(change);
}

// ─── VoucherToken ────────────────────────────────────────────────────────────────────────────────────────────────

ponder.on("VoucherToken:BrandRegistered", async ({ event, context }) => {
  const { brandId, name, category, currency, issuer } = event.args;
  await context.db.insert(brand).values({
    id: Number(brandId),
    name,
    category,
    currency,
    issuer: lower(issuer),
    active: true,
    registeredAt: time(event),
  });
});

ponder.on("VoucherToken:BrandStatusChanged", async ({ event, context }) => {
  await context.db.update(brand, { id: Number(event.args.brandId) }).set({ active: event.args.active });
});

async function createVoucher(
  context: Context,
  event: At & { args: { tokenId: bigint; to: Address; brandId: bigint; faceValue: bigint; expiresAt: bigint } },
  name: string,
  codeHash: Hex | null,
) {
  const { tokenId, to, brandId, faceValue, expiresAt } = event.args;
  await context.db.insert(voucher).values({
    tokenId,
    brandId: Number(brandId),
    faceValue,
    expiresAt,
    issuerBacked: codeHash === null,
    codeHash,
    owner: lower(to),
    creator: lower(event.transaction.from),
    createdAt: time(event),
    seals: 0,
    attested: false,
    disclosed: false,
  });
  await addVoucherEvent(context.db, event, name, tokenId);
}

ponder.on("VoucherToken:VoucherMinted", async ({ event, context }) => {
  await createVoucher(context, event, "VoucherMinted", event.args.codeHash);
});

ponder.on("VoucherToken:VoucherIssued", async ({ event, context }) => {
  await createVoucher(context, event, "VoucherIssued", null);
});

ponder.on("VoucherToken:Transfer", async ({ event, context }) => {
  const { from, to, tokenId } = event.args;
  // A mint's Transfer comes before VoucherMinted / VoucherIssued, which create the row with its first owner.
  if (from === zeroAddress) return;
  await context.db.update(voucher, { tokenId }).set({ owner: lower(to) });
  await addVoucherEvent(context.db, event, "Transfer", tokenId);
});

ponder.on("VoucherToken:CodeSealed", async ({ event, context }) => {
  await context.db.update(voucher, { tokenId: event.args.tokenId }).set((row) => ({ seals: row.seals + 1 }));
  await addVoucherEvent(context.db, event, "CodeSealed", event.args.tokenId);
});

ponder.on("VoucherToken:DenominationsSet", async ({ event, context }) => {
  const { brandId, faceValues } = event.args;
  await context.db.update(brand, { id: Number(brandId) }).set({ denominations: faceValues.map(String) });
});

ponder.on("VoucherToken:VoucherAttested", async ({ event, context }) => {
  const { tokenId, faceValue } = event.args;
  await context.db.update(voucher, { tokenId }).set({ attested: true, attestedFaceValue: faceValue });
  await addVoucherEvent(context.db, event, "VoucherAttested", tokenId);
});

ponder.on("VoucherToken:AttestationRevoked", async ({ event, context }) => {
  await context.db.update(voucher, { tokenId: event.args.tokenId }).set({ attested: false, attestedFaceValue: null });
  await addVoucherEvent(context.db, event, "AttestationRevoked", event.args.tokenId);
});

ponder.on("VoucherToken:CodeDisclosed", async ({ event, context }) => {
  await context.db.update(voucher, { tokenId: event.args.tokenId }).set({ disclosed: true });
  await addVoucherEvent(context.db, event, "CodeDisclosed", event.args.tokenId);
});

ponder.on("VoucherToken:Redeemed", async ({ event, context }) => {
  await context.db.update(voucher, { tokenId: event.args.tokenId }).set({ redeemedAt: time(event) });
  await addVoucherEvent(context.db, event, "Redeemed", event.args.tokenId);
});

// A single-token approval is cleared by the next transfer and the market never reads it: nothing to keep.
ponder.on("VoucherToken:Approval", async () => {});

ponder.on("VoucherToken:ApprovalForAll", async ({ event, context }) => {
  const { owner, operator, approved } = event.args;
  await context.db
    .insert(operatorApproval)
    .values({ owner: lower(owner), operator: lower(operator), approved })
    .onConflictDoUpdate({ approved });
});

ponder.on("VoucherToken:OwnershipTransferStarted", async ({ event, context }) => {
  await updateSettings(context.db, "token", { pendingOwner: lower(event.args.newOwner) });
});

ponder.on("VoucherToken:OwnershipTransferred", async ({ event, context }) => {
  await updateSettings(context.db, "token", { owner: lower(event.args.newOwner), pendingOwner: null });
});

/** What a trade copies from its voucher and the voucher's brand when it opens (a listing, or a sale into an offer). */
function cardTerms(card: typeof voucher.$inferSelect, cardBrand: typeof brand.$inferSelect) {
  const { brandId, faceValue, expiresAt, issuerBacked } = card;
  return { brandId, category: cardBrand.category, currency: cardBrand.currency, faceValue, expiresAt, issuerBacked };
}

// ─── VoucherExchange: trades ─────────────────────────────────────────────────────────────────────────────────────

ponder.on("VoucherExchange:Listed", async ({ event, context }) => {
  const { tradeId, seller, tokenId, payToken: token, price } = event.args;
  const card = await context.db.find(voucher, { tokenId });
  if (!card) throw new Error(`Listed #${tradeId}: voucher ${tokenId} was never created`);
  const [cardBrand, paidIn] = await Promise.all([
    context.db.find(brand, { id: card.brandId }),
    context.db.find(payToken, { address: lower(token) }),
  ]);
  if (!cardBrand || !paidIn) throw new Error(`Listed #${tradeId}: unknown brand or payment token`);
  await context.db.insert(trade).values({
    tradeId,
    tokenId,
    seller: lower(seller),
    payToken: lower(token),
    tokenSymbol: paidIn.symbol,
    tokenDecimals: paidIn.decimals,
    price,
    status: Status.Listed,
    ...cardTerms(card, cardBrand),
    listedAt: time(event),
    updatedAt: time(event),
  });
  await context.db.update(voucher, { tokenId }).set({ lastTradeId: tradeId });
  await onTrade(context.db, event, "Listed");
});

// A card sold into an offer: bought at once, never listed. What `Listed` records of a listing comes from the voucher
// and the offer; its `Purchased` (and, issuer-backed, `Settled`) follows in the same transaction.
ponder.on("VoucherExchange:SoldToOffer", async ({ event, context }) => {
  const { tradeId, offerId, seller, tokenId, price } = event.args;
  const [card, bought] = await Promise.all([
    context.db.find(voucher, { tokenId }),
    context.db.find(offer, { offerId }),
  ]);
  if (!card || !bought) throw new Error(`SoldToOffer #${tradeId}: unknown voucher ${tokenId} or offer ${offerId}`);
  const cardBrand = await context.db.find(brand, { id: card.brandId });
  if (!cardBrand) throw new Error(`SoldToOffer #${tradeId}: unknown brand ${card.brandId}`);
  await context.db.insert(trade).values({
    tradeId,
    tokenId,
    seller: lower(seller),
    payToken: bought.payToken,
    tokenSymbol: bought.tokenSymbol,
    tokenDecimals: bought.tokenDecimals,
    price,
    status: Status.AwaitingDelivery,
    ...cardTerms(card, cardBrand),
    listedAt: time(event),
    updatedAt: time(event),
    offerId,
  });
  await context.db.insert(offerSale).values({
    tradeId,
    offerId,
    recycler: bought.recycler,
    seller: lower(seller),
    tokenId,
    brandId: card.brandId,
    currency: cardBrand.currency,
    faceValue: card.faceValue,
    issuerBacked: card.issuerBacked,
    payToken: bought.payToken,
    tokenSymbol: bought.tokenSymbol,
    tokenDecimals: bought.tokenDecimals,
    price,
    timestamp: time(event),
    transactionHash: event.transaction.hash,
  });
  await context.db.update(voucher, { tokenId }).set({ lastTradeId: tradeId });
  await onOffer(context.db, event, "SoldToOffer", (row) => ({
    cardsLeft: row.cardsLeft - 1,
    cardsSold: row.cardsSold + 1,
    budget: row.budget - price,
    spent: row.spent + price,
  }));
  await onTrade(context.db, event, "SoldToOffer");
});

ponder.on("VoucherExchange:ListingCancelled", async ({ event, context }) => {
  await onTrade(context.db, event, "ListingCancelled", { status: Status.Cancelled, closedAt: time(event) });
});

ponder.on("VoucherExchange:PriceUpdated", async ({ event, context }) => {
  await onTrade(context.db, event, "PriceUpdated", { price: event.args.newPrice });
});

ponder.on("VoucherExchange:Purchased", async ({ event, context }) => {
  const { buyer, referrer, feeBps, buyerKey } = event.args;
  const exchange = await context.db.find(settings, { id: "exchange" });
  // An issuer-backed voucher settles in this same transaction: `Settled` follows and completes the trade.
  await onTrade(context.db, event, "Purchased", {
    status: Status.AwaitingDelivery,
    buyer: lower(buyer),
    referrer: lower(referrer),
    feeBps,
    buyerKey,
    treasury: exchange?.treasury ?? null,
    purchasedAt: time(event),
  });
});

ponder.on("VoucherExchange:CodeDelivered", async ({ event, context }) => {
  await onTrade(context.db, event, "CodeDelivered", {
    status: Status.Delivered,
    delivery: event.args.ciphertext,
    deliveredAt: time(event),
  });
});

ponder.on("VoucherExchange:Disputed", async ({ event, context }) => {
  await onTrade(context.db, event, "Disputed", {
    status: Status.Disputed,
    sealedEvidence: event.args.sealedEvidence,
    disputedAt: time(event),
  });
});

ponder.on("VoucherExchange:DisputeResolved", async ({ event, context }) => {
  const row = await onTrade(context.db, event, "DisputeResolved", { refundBuyer: event.args.refundBuyer });
  const loser = event.args.refundBuyer ? row.seller : row.buyer;
  if (loser) await bumpReputation(context.db, loser, "disputesLost");
});

ponder.on("VoucherExchange:Settled", async ({ event, context }) => {
  const { sellerProceeds, fee, treasuryShare } = event.args;
  const row = await onTrade(context.db, event, "Settled", {
    status: Status.Completed,
    sellerProceeds,
    fee,
    treasuryShare,
    closedAt: time(event),
  });
  if (!row.buyer) throw new Error(`Settled #${row.tradeId} without a purchase`);
  await context.db.insert(sale).values({
    tradeId: row.tradeId,
    tokenId: row.tokenId,
    brandId: row.brandId,
    currency: row.currency,
    faceValue: row.faceValue,
    payToken: row.payToken,
    tokenSymbol: row.tokenSymbol,
    tokenDecimals: row.tokenDecimals,
    price: sellerProceeds + fee,
    fee,
    seller: row.seller,
    buyer: row.buyer,
    timestamp: time(event),
  });
  await bumpReputation(context.db, row.seller, "sales");
  await bumpReputation(context.db, row.buyer, "purchases");
  if (treasuryShare > 0n && row.treasury) await addCredit(context.db, row.treasury, row.payToken, treasuryShare);
});

ponder.on("VoucherExchange:Refunded", async ({ event, context }) => {
  await onTrade(context.db, event, "Refunded", { status: Status.Refunded, closedAt: time(event) });
});

// ─── VoucherExchange and VoucherOffers: recyclers' offers ────────────────────────────────────────────────────────

/** Schedule columns of an offer row from an event's `Schedule`. */
function scheduleOf(schedule: {
  tiers: readonly { maxFaceValue: number; rateBps: number }[];
  batchMinCount: number;
  batchBonusBps: number;
  nearExpiryDays: number;
  nearExpiryBps: number;
}) {
  return {
    tiers: schedule.tiers.map(({ maxFaceValue, rateBps }) => ({ maxFaceValue, rateBps })),
    firstRateBps: schedule.tiers[0]?.rateBps ?? 0,
    batchMinCount: schedule.batchMinCount,
    batchBonusBps: schedule.batchBonusBps,
    nearExpiryDays: schedule.nearExpiryDays,
    nearExpiryBps: schedule.nearExpiryBps,
  };
}

type OfferRow = typeof offer.$inferSelect;

/** An offer's event: its history gets a line and its row changes by `change` (given the row as it was). */
async function onOffer(
  db: Db,
  event: At & { args: { offerId: bigint } },
  name: string,
  change: (row: OfferRow) => Partial<typeof offer.$inferInsert> = () => ({}),
) {
  await db.insert(offerEvent).values({
    id: event.id,
    offerId: event.args.offerId,
    event: name,
    args: jsonArgs(event.args),
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    timestamp: time(event),
    transactionHash: event.transaction.hash,
  });
  return db.update(offer, { offerId: event.args.offerId }).set((row) => ({ ...change(row), updatedAt: time(event) }));
}

// `OfferPosted` comes before the `OfferFunded` that escrows its budget (same transaction): the row starts empty.
ponder.on("VoucherOffers:OfferPosted", async ({ event, context }) => {
  const { offerId, recycler, brandId, params, schedule } = event.args;
  const paidIn = await context.db.find(payToken, { address: lower(params.payToken) });
  if (!paidIn) throw new Error(`OfferPosted #${offerId}: unknown payment token ${params.payToken}`);
  await context.db.insert(offer).values({
    offerId,
    recycler: lower(recycler),
    brandId: Number(brandId),
    payToken: lower(params.payToken),
    tokenSymbol: paidIn.symbol,
    tokenDecimals: paidIn.decimals,
    unitPrice: params.unitPrice,
    ...scheduleOf(schedule),
    maxCards: params.maxCards,
    cardsLeft: params.maxCards,
    expiresAt: BigInt(params.expiresAt),
    attestedOnly: params.attestedOnly,
    open: true,
    deliveryKey: params.deliveryKey,
    minPrice: paidIn.minPrice,
    budget: 0n,
    funded: 0n,
    spent: 0n,
    refunded: 0n,
    cardsSold: 0,
    sales: 0,
    postedAt: time(event),
    updatedAt: time(event),
  });
  await onOffer(context.db, event, "OfferPosted");
});

ponder.on("VoucherExchange:OfferFunded", async ({ event, context }) => {
  const { amount } = event.args;
  await onOffer(context.db, event, "OfferFunded", (row) => ({
    budget: row.budget + amount,
    funded: row.funded + amount,
  }));
});

// The budget moves with the `OfferFunded` that follows.
ponder.on("VoucherOffers:OfferToppedUp", async ({ event, context }) => {
  await onOffer(context.db, event, "OfferToppedUp");
});

ponder.on("VoucherOffers:ScheduleSet", async ({ event, context }) => {
  await onOffer(context.db, event, "ScheduleSet", () => scheduleOf(event.args.schedule));
});

ponder.on("VoucherOffers:OfferCancelled", async ({ event, context }) => {
  await onOffer(context.db, event, "OfferCancelled", () => ({
    open: false,
    closedAt: time(event),
    cancelledBy: lower(event.args.by),
  }));
});

ponder.on("VoucherExchange:OfferRefunded", async ({ event, context }) => {
  const { amount } = event.args;
  await onOffer(context.db, event, "OfferRefunded", (row) => ({
    budget: row.budget - amount,
    refunded: row.refunded + amount,
  }));
});

// Comes after the sale's `SoldToOffer`s, which already moved the cards and the budget.
ponder.on("VoucherOffers:OfferSold", async ({ event, context }) => {
  await onOffer(context.db, event, "OfferSold", (row) => ({ sales: row.sales + 1 }));
});

ponder.on("VoucherExchange:OffersSet", async ({ event, context }) => {
  await updateSettings(context.db, "exchange", { offers: lower(event.args.offers) });
});

// ─── VoucherExchange: distributors and credits ───────────────────────────────────────────────────────────────────

ponder.on("VoucherExchange:DistributorJoined", async ({ event, context }) => {
  const { account, upline } = event.args;
  const parent = upline === zeroAddress ? undefined : await context.db.find(distributor, { account: lower(upline) });
  await context.db.insert(distributor).values({
    account: lower(account),
    upline: lower(upline),
    depth: (parent?.depth ?? 0) + 1,
    joinedAt: time(event),
    referredOrders: 0,
  });
});

ponder.on("VoucherExchange:ReferralCredited", async ({ event, context }) => {
  const { tradeId, distributor: account, level, amount } = event.args;
  const row = await context.db.find(trade, { tradeId });
  if (!row) throw new Error(`ReferralCredited for unknown trade #${tradeId}`);
  const who = lower(account);
  await context.db.insert(referralCredit).values({
    id: event.id,
    tradeId,
    distributor: who,
    level,
    token: row.payToken,
    amount,
    timestamp: time(event),
  });
  await context.db
    .insert(earning)
    .values({ account: who, token: row.payToken, amount, credits: 1 })
    .onConflictDoUpdate((e) => ({ amount: e.amount + amount, credits: e.credits + 1 }));
  await context.db.update(distributor, { account: who }).set((d) => ({ referredOrders: d.referredOrders + 1 }));
  await addCredit(context.db, who, row.payToken, amount);
});

ponder.on("VoucherExchange:PaymentDeferred", async ({ event, context }) => {
  await addCredit(context.db, lower(event.args.account), lower(event.args.token), event.args.amount);
});

ponder.on("VoucherExchange:Claimed", async ({ event, context }) => {
  const { account, token, amount } = event.args;
  await context.db
    .update(credit, { account: lower(account), token: lower(token) })
    .set((row) => ({ balance: row.balance - amount, claimed: row.claimed + amount }));
  await context.db.insert(claim).values({
    id: event.id,
    account: lower(account),
    token: lower(token),
    amount,
    timestamp: time(event),
  });
});

// ─── VoucherExchange: governance ─────────────────────────────────────────────────────────────────────────────────

ponder.on("VoucherExchange:PayTokenSet", async ({ event, context }) => {
  const { token, minPrice } = event.args;
  const known = await context.db.find(payToken, { address: lower(token) });
  if (known) {
    await context.db.update(payToken, { address: lower(token) }).set({ minPrice });
    return;
  }
  const erc20 = { address: token, abi: erc20Abi } as const;
  const [symbol, decimals] =
    token === zeroAddress
      ? ["ETH", 18]
      : await Promise.all([
          context.client.readContract({ ...erc20, functionName: "symbol" }),
          context.client.readContract({ ...erc20, functionName: "decimals" }),
        ]);
  await context.db.insert(payToken).values({ address: lower(token), symbol, decimals, minPrice });
});

ponder.on("VoucherExchange:ProtocolFeeSet", async ({ event, context }) => {
  await updateSettings(context.db, "exchange", { feeBps: event.args.feeBps });
});

ponder.on("VoucherExchange:LevelSharesSet", async ({ event, context }) => {
  await updateSettings(context.db, "exchange", { levelShares: [...event.args.shares] });
});

ponder.on("VoucherExchange:TreasurySet", async ({ event, context }) => {
  await updateSettings(context.db, "exchange", { treasury: lower(event.args.treasury) });
});

ponder.on("VoucherExchange:ArbiterSet", async ({ event, context }) => {
  await updateSettings(context.db, "exchange", { arbiter: lower(event.args.arbiter) });
});

ponder.on("VoucherExchange:WindowsSet", async ({ event, context }) => {
  const { deliveryWindow, confirmWindow, arbitrationWindow } = event.args;
  await updateSettings(context.db, "exchange", { deliveryWindow, confirmWindow, arbitrationWindow });
});

ponder.on("VoucherExchange:TermsRecorded", async ({ event, context }) => {
  await updateSettings(context.db, "exchange", { termsId: Number(event.args.termsId) });
});

ponder.on("VoucherExchange:Paused", async ({ context }) => {
  await updateSettings(context.db, "exchange", { paused: true });
});

ponder.on("VoucherExchange:Unpaused", async ({ context }) => {
  await updateSettings(context.db, "exchange", { paused: false });
});

ponder.on("VoucherExchange:OwnershipTransferStarted", async ({ event, context }) => {
  await updateSettings(context.db, "exchange", { pendingOwner: lower(event.args.newOwner) });
});

ponder.on("VoucherExchange:OwnershipTransferred", async ({ event, context }) => {
  await updateSettings(context.db, "exchange", { owner: lower(event.args.newOwner), pendingOwner: null });
});
