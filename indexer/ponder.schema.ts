/**
 * The indexer's tables: the contracts' events folded into the rows the app reads. One row per brand, voucher, trade
 * (a listing and the order it becomes share one id, as on chain; so does a card sold into a recycler's offer), sale,
 * distributor, credit, account, recycler's offer and card sold into one; plus three append-only histories (every event
 * that touched a voucher, every state a trade went through, every event of an offer). Amounts are bigints in
 * base units; face values stay in minor units of the brand's currency and are never compared across currencies.
 */
import { index, onchainTable, primaryKey } from "ponder";

export const brand = onchainTable(
  "brand",
  (t) => ({
    id: t.integer().primaryKey(),
    name: t.text().notNull(),
    category: t.text().notNull(),
    /** ISO-4217 code: face values of this brand's vouchers are in its minor units. */
    currency: t.text().notNull(),
    issuer: t.hex().notNull(),
    active: t.boolean().notNull(),
    /** Face values the brand's cards come in (DenominationsSet, once the contracts emit it); null: any. */
    denominations: t.json().$type<string[]>(),
    maxFaceValue: t.bigint(),
    registeredAt: t.integer().notNull(),
  }),
  (table) => ({ categoryIndex: index().on(table.category) }),
);

export const voucher = onchainTable(
  "voucher",
  (t) => ({
    tokenId: t.bigint().primaryKey(),
    brandId: t.integer().notNull(),
    faceValue: t.bigint().notNull(),
    expiresAt: t.bigint().notNull(),
    issuerBacked: t.boolean().notNull(),
    /** keccak256(code, salt) of a coded voucher; null for issuer-backed ones. */
    codeHash: t.hex(),
    /** Current holder (the exchange while listed or in escrow); zero once redeemed. */
    owner: t.hex().notNull(),
    creator: t.hex().notNull(),
    createdAt: t.integer().notNull(),
    redeemedAt: t.integer(),
    /** How many times a code was sealed to a holder's vault (CodeSealed). */
    seals: t.integer().notNull(),
    /** The brand's issuer checked it (VoucherAttested / AttestationRevoked, once the contracts emit them). */
    attested: t.boolean().notNull(),
    attestedFaceValue: t.bigint(),
    /** Its code was disclosed in a dispute (CodeDisclosed, once the contracts emit it): no longer sellable as coded. */
    disclosed: t.boolean().notNull(),
    /** The latest trade it was listed in (or sold into an offer as). */
    lastTradeId: t.bigint(),
  }),
  (table) => ({ ownerIndex: index().on(table.owner), brandIndex: index().on(table.brandId) }),
);

/** A listing and, once bought, its order: IVoucherExchange.Trade plus what the market filters on. */
export const trade = onchainTable(
  "trade",
  (t) => ({
    tradeId: t.bigint().primaryKey(),
    tokenId: t.bigint().notNull(),
    seller: t.hex().notNull(),
    payToken: t.hex().notNull(),
    /** The payment token's symbol and decimals at listing time (discounts need them). */
    tokenSymbol: t.text().notNull(),
    tokenDecimals: t.integer().notNull(),
    price: t.bigint().notNull(),
    /** IVoucherExchange.Status (sdk/constants.ts `Status`). */
    status: t.integer().notNull(),
    // The voucher's terms, copied from its row so the market's filters and sorts read one table.
    brandId: t.integer().notNull(),
    category: t.text().notNull(),
    currency: t.text().notNull(),
    faceValue: t.bigint().notNull(),
    expiresAt: t.bigint().notNull(),
    issuerBacked: t.boolean().notNull(),
    listedAt: t.integer().notNull(),
    updatedAt: t.integer().notNull(),
    buyer: t.hex(),
    referrer: t.hex(),
    feeBps: t.integer(),
    buyerKey: t.hex(),
    /** Treasury of the terms in force at purchase: it receives the fee's remainder. */
    treasury: t.hex(),
    purchasedAt: t.integer(),
    delivery: t.hex(),
    deliveredAt: t.integer(),
    /** The buyer's order key sealed to the arbiter (only the arbiter opens it). */
    sealedEvidence: t.hex(),
    disputedAt: t.integer(),
    refundBuyer: t.boolean(),
    closedAt: t.integer(),
    sellerProceeds: t.bigint(),
    fee: t.bigint(),
    treasuryShare: t.bigint(),
    /** The recycler's offer the card was sold into (`SoldToOffer`): never listed, bought at once. Null for listings. */
    offerId: t.bigint(),
  }),
  (table) => ({
    activeIndex: index().on(table.status, table.expiresAt),
    brandIndex: index().on(table.brandId, table.status),
    sellerIndex: index().on(table.seller),
    buyerIndex: index().on(table.buyer),
    tokenIndex: index().on(table.tokenId),
  }),
);

/** Every state a trade went through, in order: its state history. */
export const tradeEvent = onchainTable(
  "trade_event",
  (t) => ({
    id: t.text().primaryKey(),
    tradeId: t.bigint().notNull(),
    event: t.text().notNull(),
    /** Status after the event. */
    status: t.integer().notNull(),
    actor: t.hex(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.integer().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ tradeIndex: index().on(table.tradeId) }),
);

/** A settled sale: what sold, for how much, when (brand statistics and price history read it). */
export const sale = onchainTable(
  "sale",
  (t) => ({
    tradeId: t.bigint().primaryKey(),
    tokenId: t.bigint().notNull(),
    brandId: t.integer().notNull(),
    currency: t.text().notNull(),
    faceValue: t.bigint().notNull(),
    payToken: t.hex().notNull(),
    tokenSymbol: t.text().notNull(),
    tokenDecimals: t.integer().notNull(),
    price: t.bigint().notNull(),
    fee: t.bigint().notNull(),
    seller: t.hex().notNull(),
    buyer: t.hex().notNull(),
    timestamp: t.integer().notNull(),
  }),
  (table) => ({ brandIndex: index().on(table.brandId, table.timestamp) }),
);

/** Every event that touched a voucher, decoded: its provenance. */
export const voucherEvent = onchainTable(
  "voucher_event",
  (t) => ({
    id: t.text().primaryKey(),
    tokenId: t.bigint().notNull(),
    event: t.text().notNull(),
    tradeId: t.bigint(),
    /** The event's arguments as JSON (bigints as decimal strings). */
    args: t.json().$type<Record<string, unknown>>().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.integer().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ tokenIndex: index().on(table.tokenId) }),
);

export const payToken = onchainTable("pay_token", (t) => ({
  address: t.hex().primaryKey(),
  symbol: t.text().notNull(),
  decimals: t.integer().notNull(),
  /** Zero disallows an ERC-20. */
  minPrice: t.bigint().notNull(),
}));

export const distributor = onchainTable(
  "distributor",
  (t) => ({
    account: t.hex().primaryKey(),
    upline: t.hex().notNull(),
    /** 1 for a root, its upline's depth + 1 below. */
    depth: t.integer().notNull(),
    joinedAt: t.integer().notNull(),
    referredOrders: t.integer().notNull(),
  }),
  (table) => ({ uplineIndex: index().on(table.upline) }),
);

/** A distributor's referral earnings in one token, all time. */
export const earning = onchainTable(
  "earning",
  (t) => ({
    account: t.hex().notNull(),
    token: t.hex().notNull(),
    amount: t.bigint().notNull(),
    credits: t.integer().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.account, table.token] }) }),
);

export const referralCredit = onchainTable(
  "referral_credit",
  (t) => ({
    id: t.text().primaryKey(),
    tradeId: t.bigint().notNull(),
    distributor: t.hex().notNull(),
    level: t.integer().notNull(),
    token: t.hex().notNull(),
    amount: t.bigint().notNull(),
    timestamp: t.integer().notNull(),
  }),
  (table) => ({ distributorIndex: index().on(table.distributor) }),
);

/** What an account may claim in one token (`credits(account, token)` on chain), and what it claimed. */
export const credit = onchainTable(
  "credit",
  (t) => ({
    account: t.hex().notNull(),
    token: t.hex().notNull(),
    balance: t.bigint().notNull(),
    claimed: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.account, table.token] }) }),
);

export const claim = onchainTable(
  "claim",
  (t) => ({
    id: t.text().primaryKey(),
    account: t.hex().notNull(),
    token: t.hex().notNull(),
    amount: t.bigint().notNull(),
    timestamp: t.integer().notNull(),
  }),
  (table) => ({ accountIndex: index().on(table.account) }),
);

/** Reputation counters (`account(...)` stats on chain): completed sales, purchases, disputes lost. */
export const reputation = onchainTable("reputation", (t) => ({
  account: t.hex().primaryKey(),
  sales: t.integer().notNull(),
  purchases: t.integer().notNull(),
  disputesLost: t.integer().notNull(),
}));

/** Operators an owner approved for all its vouchers (the exchange, before listing). */
export const operatorApproval = onchainTable(
  "operator_approval",
  (t) => ({ owner: t.hex().notNull(), operator: t.hex().notNull(), approved: t.boolean().notNull() }),
  (table) => ({ pk: primaryKey({ columns: [table.owner, table.operator] }) }),
);

/** The exchange's and the token's governance, one row per contract ("exchange", "token"). */
export const settings = onchainTable("settings", (t) => ({
  id: t.text().primaryKey(),
  owner: t.hex(),
  pendingOwner: t.hex(),
  feeBps: t.integer(),
  levelShares: t.json().$type<number[]>(),
  treasury: t.hex(),
  arbiter: t.hex(),
  paused: t.boolean().notNull(),
  deliveryWindow: t.integer(),
  confirmWindow: t.integer(),
  arbitrationWindow: t.integer(),
  termsId: t.integer().notNull(),
  /** The offers contract the exchange lets fund, refund and sell into offers (OffersSet). */
  offers: t.hex(),
}));

/** One tier of an offer's rate schedule (IVoucherOffers.Tier). */
export interface OfferTier {
  maxFaceValue: number;
  rateBps: number;
}

/**
 * A recycler's standing offer (IVoucherOffers.OfferView): its terms, its current schedule, what it still buys and the
 * budget the exchange escrows for it (OfferFunded − OfferRefunded − what its sales paid: `offerFunds(id)` on chain).
 */
export const offer = onchainTable(
  "offer",
  (t) => ({
    offerId: t.bigint().primaryKey(),
    recycler: t.hex().notNull(),
    brandId: t.integer().notNull(),
    payToken: t.hex().notNull(),
    tokenSymbol: t.text().notNull(),
    tokenDecimals: t.integer().notNull(),
    /** Base units of the token one minor unit of face value is worth at 100%. */
    unitPrice: t.bigint().notNull(),
    tiers: t.json().$type<OfferTier[]>().notNull(),
    /** The first tier's rate: how offers rank when no face value is given. */
    firstRateBps: t.integer().notNull(),
    batchMinCount: t.integer().notNull(),
    batchBonusBps: t.integer().notNull(),
    nearExpiryDays: t.integer().notNull(),
    nearExpiryBps: t.integer().notNull(),
    maxCards: t.integer().notNull(),
    cardsLeft: t.integer().notNull(),
    /** Unix seconds (a uint32: beyond a Postgres integer). */
    expiresAt: t.bigint().notNull(),
    attestedOnly: t.boolean().notNull(),
    /** Not cancelled (an expired offer stays open until someone cancels it). */
    open: t.boolean().notNull(),
    deliveryKey: t.hex().notNull(),
    /** The token's minimum price when the offer was posted: no card sells below it. */
    minPrice: t.bigint().notNull(),
    /** Unspent budget escrowed in the exchange. */
    budget: t.bigint().notNull(),
    funded: t.bigint().notNull(),
    spent: t.bigint().notNull(),
    refunded: t.bigint().notNull(),
    cardsSold: t.integer().notNull(),
    /** Sales (OfferSold): a batch is one. */
    sales: t.integer().notNull(),
    postedAt: t.integer().notNull(),
    updatedAt: t.integer().notNull(),
    closedAt: t.integer(),
    cancelledBy: t.hex(),
  }),
  (table) => ({
    brandIndex: index().on(table.brandId, table.open),
    recyclerIndex: index().on(table.recycler),
  }),
);

/** A card sold into an offer (`SoldToOffer`): its trade, in the `trade` table, follows it like any order. */
export const offerSale = onchainTable(
  "offer_sale",
  (t) => ({
    tradeId: t.bigint().primaryKey(),
    offerId: t.bigint().notNull(),
    recycler: t.hex().notNull(),
    seller: t.hex().notNull(),
    tokenId: t.bigint().notNull(),
    brandId: t.integer().notNull(),
    currency: t.text().notNull(),
    faceValue: t.bigint().notNull(),
    issuerBacked: t.boolean().notNull(),
    payToken: t.hex().notNull(),
    tokenSymbol: t.text().notNull(),
    tokenDecimals: t.integer().notNull(),
    price: t.bigint().notNull(),
    timestamp: t.integer().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({
    offerIndex: index().on(table.offerId),
    sellerIndex: index().on(table.seller),
    recyclerIndex: index().on(table.recycler),
  }),
);

/** Every event of an offer, in order: posted, funded, topped up, rescheduled, sold into, refunded, cancelled. */
export const offerEvent = onchainTable(
  "offer_event",
  (t) => ({
    id: t.text().primaryKey(),
    offerId: t.bigint().notNull(),
    event: t.text().notNull(),
    /** The event's arguments as JSON (bigints as decimal strings). */
    args: t.json().$type<Record<string, unknown>>().notNull(),
    blockNumber: t.bigint().notNull(),
    logIndex: t.integer().notNull(),
    timestamp: t.integer().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ offerIndex: index().on(table.offerId) }),
);
