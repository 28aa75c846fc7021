import { createTestClient, maxUint256, zeroAddress, type Address } from "viem";
import * as sdk from "#sdk";
import { LOCAL_CHAIN_ID, testStablecoinAbi, voucherTokenAbi, type Deployment, type Kaquan } from "#sdk";
import { connect, type Eip1193Provider } from "./chain.js";
import { issuerDatabasePath, writeIssuerDatabase, type IssuerCard } from "./issuer-db.js";
import {
  ACTORS,
  BRANDS,
  BRAND_KEYS,
  BUYERS,
  BUYER_FUNDING,
  CLAIMS,
  DISTRIBUTORS,
  HISTORY_DAYS,
  OFFERS,
  OFFER_SALES,
  RECYCLER_FUNDING,
  SALES,
  SPARE_CARDS,
  VOUCHERS,
  brandId,
  demoCard,
  listingPrice,
  unitPrice,
  type Actor,
  type BrandKey,
  type OfferPlan,
  type PayToken,
  type SalePlan,
  type VoucherPlan,
} from "./demo-market.js";

export const DAY = 24 * 60 * 60;

export interface SeedOptions {
  log?: (message: string) => void;
  /** Where to write Henry's card database (default .issuer-data/<chainId>-<henry>.json). */
  issuerDatabase?: string;
}

export interface SeedResult {
  /** True when the chain already had brands and nothing was sent. */
  skipped: boolean;
  /** Chain time the history ends at ("now" of the demo), in seconds. */
  end: number;
  /** Token id of every planned voucher, by plan key. */
  tokenIds: ReadonlyMap<string, bigint>;
  /** Trade id of every planned listing, by voucher plan key. */
  listingIds: ReadonlyMap<string, bigint>;
  /** Trade id of every planned sale, by sale key ("s1" … "s10", "dispute", "delivered", "awaiting"). */
  orderIds: ReadonlyMap<string, bigint>;
  /** Each coded voucher's card number and code, by plan key (demo data; the chain holds only sealed copies). */
  cards: ReadonlyMap<string, { cardNumber: string; code: string }>;
  /** Henry's card database: the cards he sold (some minted and attested, some spare, one already redeemed). */
  issuerDatabase: string;
  /** Offer id of every planned standing offer, by plan key ("jack-jd", …). */
  offerIds: ReadonlyMap<string, bigint>;
  /** Trade ids of every planned sale into an offer, by its key ("os-meituan", "os-tmall"). */
  offerTradeIds: ReadonlyMap<string, readonly bigint[]>;
}

type OfferSalePlan = (typeof OFFER_SALES)[number];

type Step =
  | { at: number; rank: 1; kind: "mint"; plan: VoucherPlan }
  | { at: number; rank: 2; kind: "issue"; plan: VoucherPlan }
  | { at: number; rank: 3; kind: "list"; plan: VoucherPlan }
  | { at: number; rank: 4; kind: "buy"; sale: SalePlan }
  | { at: number; rank: 5; kind: "deliver"; sale: SalePlan }
  | { at: number; rank: 6; kind: "close"; sale: SalePlan }
  | { at: number; rank: 7; kind: "reseal"; sale: SalePlan }
  | { at: number; rank: 8; kind: "claim"; account: Actor; token: PayToken }
  | { at: number; rank: 9; kind: "post"; offer: OfferPlan }
  | { at: number; rank: 10; kind: "sell"; sale: OfferSalePlan }
  | { at: number; rank: 11; kind: "deliver-offer"; sale: OfferSalePlan }
  | { at: number; rank: 12; kind: "confirm-offer"; sale: OfferSalePlan };

/**
 * Lays down the demo market (scripts/lib/demo-market.ts) on a freshly deployed local chain: brands with their
 * denominations, the arbiter's published evidence key, a distributor tree, funded buyers, 57 vouchers (each coded card
 * with its own card number and PIN, sealed to its holder's vault key; six attested by Henry, their issuer), listings in
 * ETH and the stablecoins, two weeks of sales, and one order in each open state (the dispute with its bond and sealed
 * evidence), five recyclers' standing offers with their budgets escrowed (one in ETH, one attested-only) and two sales
 * into them, plus unlisted cards for Ivy to sell into them. Writes Henry's card database for the issuer agent. The chain clock is moved through the history with
 * `evm_setNextBlockTimestamp`, ending at the later of "now" and the chain's start plus HISTORY_DAYS. Every step is the
 * SDK's own action (keys derived exactly as the frontend derives them: accounts sign `keyMessage` through the node), so
 * every code can be revealed in the UI. Runs once per chain: a chain that already has brands is left alone.
 */
export async function seedDemo(
  target: string | Eip1193Provider,
  deployment: Deployment,
  options: SeedOptions = {},
): Promise<SeedResult> {
  const log = options.log ?? (() => {});
  const kaquan = await connect(target);
  const { publicClient } = kaquan;
  const chainId = kaquan.chain.id;
  if (chainId !== LOCAL_CHAIN_ID || deployment.chainId !== LOCAL_CHAIN_ID) {
    throw new Error(
      `The demo seed only runs on the local chain (${LOCAL_CHAIN_ID}): it uses Hardhat's unlocked test accounts ` +
        `and moves the chain clock. This is chain ${chainId}.`,
    );
  }
  const token = deployment.voucherToken;
  const exchange = deployment.voucherExchange;
  const stablecoins = { kUSD: deployment.stablecoin, kCNY: deployment.cnyStablecoin } as const;
  const result = {
    skipped: false,
    end: 0,
    tokenIds: new Map<string, bigint>(),
    listingIds: new Map<string, bigint>(),
    orderIds: new Map<string, bigint>(),
    cards: new Map<string, { cardNumber: string; code: string }>(),
    issuerDatabase: "",
    offerIds: new Map<string, bigint>(),
    offerTradeIds: new Map<string, readonly bigint[]>(),
  };

  const brandCount = await publicClient.readContract({
    address: token,
    abi: voucherTokenAbi,
    functionName: "brandCount",
  });
  if (brandCount > 0n) {
    log(`Chain ${chainId} already has ${brandCount} brands: the demo seed ran before; nothing sent.`);
    const accounts = await kaquan.accounts();
    const issuerDatabase = options.issuerDatabase ?? issuerDatabasePath(chainId, accounts[ACTORS.henry]);
    return { ...result, skipped: true, issuerDatabase, end: Number((await publicClient.getBlock()).timestamp) };
  }
  const accounts = await kaquan.accounts();
  if (accounts.length <= Math.max(...Object.values(ACTORS))) {
    throw new Error(`The demo seed needs Hardhat's default ${Object.keys(ACTORS).length}+ unlocked accounts`);
  }
  const address = (actor: Actor): Address => accounts[ACTORS[actor]];
  result.issuerDatabase = options.issuerDatabase ?? issuerDatabasePath(chainId, address("henry"));
  const as = (actor: Actor): Kaquan => ({ deployment, publicClient, walletClient: kaquan.wallet(address(actor)) });
  const payToken = (pay: PayToken): Address => (pay === "ETH" ? zeroAddress : stablecoins[pay]);
  const testClient = createTestClient({ mode: "hardhat", chain: kaquan.chain, transport: kaquan.transport });

  const startTime = Number((await publicClient.getBlock()).timestamp);
  const end = Math.max(Math.floor(Date.now() / 1000), startTime + HISTORY_DAYS * DAY);
  result.end = end;
  async function moveClockTo(daysAgo: number): Promise<void> {
    const target = end - Math.round(daysAgo * DAY);
    const latest = Number((await publicClient.getBlock()).timestamp);
    if (target <= latest) return;
    // An empty block at the new time, so the SDK's simulations (run on the latest block) see the clock the
    // transactions will run at.
    await testClient.setNextBlockTimestamp({ timestamp: BigInt(target) });
    await testClient.mine({ blocks: 1 });
  }

  const plans = new Map(VOUCHERS.map((plan) => [plan.key, plan]));
  const price = (plan: VoucherPlan) =>
    listingPrice(plan.face, BRANDS[plan.brand].currency, plan.listing!.pct, plan.listing!.pay);
  const expiresAt = (plan: VoucherPlan) => BigInt(end + Math.round(plan.expiresIn * DAY));
  const faceMinor = (plan: VoucherPlan) => BigInt(Math.round(plan.face * 100));

  // ── Setup: brands, the arbiter's key, distributor tree, buyers' stablecoin, approvals ───────────────────────────
  await moveClockTo(HISTORY_DAYS - 0.05);
  for (const key of BRAND_KEYS) {
    const { name, category, currency, denominations } = BRANDS[key];
    const args = [name, category, currency, address("henry")] as const;
    await sdk.execute(as("owner"), sdk.contractCall(token, voucherTokenAbi, "registerBrand", args));
    const faceValues = denominations.map((face) => BigInt(face * 100));
    await sdk.setDenominations(as("owner"), brandId(key), { faceValues });
  }
  await sdk.setArbiterKey(as("arbiter"));
  for (const { account, upline } of DISTRIBUTORS) await sdk.join(as(account), upline ? address(upline) : zeroAddress);
  for (const buyer of BUYERS) {
    for (const stablecoin of Object.values(stablecoins)) {
      const coin = (call: "faucet" | "approve", to: Address, amount: bigint) =>
        sdk.execute(as(buyer), sdk.contractCall(stablecoin, testStablecoinAbi, call, [to, amount]));
      await coin("faucet", address(buyer), BUYER_FUNDING);
      await coin("approve", exchange, maxUint256);
    }
  }
  for (const seller of new Set(VOUCHERS.filter((plan) => plan.listing).map((plan) => plan.owner))) {
    await sdk.approveVouchers(as(seller));
  }
  for (const recycler of new Set(OFFERS.filter((offer) => offer.pay !== "ETH").map((offer) => offer.recycler))) {
    const coin = stablecoins.kCNY;
    const faucet = [address(recycler), RECYCLER_FUNDING] as const;
    await sdk.execute(as(recycler), sdk.contractCall(coin, testStablecoinAbi, "faucet", faucet));
  }

  // ── The timeline: every mint, listing and trade step, oldest first ──────────────────────────────────────────────
  const steps: Step[] = [];
  for (const plan of VOUCHERS) {
    steps.push(
      plan.backed
        ? { at: plan.mintedAgo, rank: 2, kind: "issue", plan }
        : { at: plan.mintedAgo, rank: 1, kind: "mint", plan },
    );
    if (plan.listing) steps.push({ at: plan.listing.ago, rank: 3, kind: "list", plan });
  }
  for (const sale of SALES) {
    steps.push({ at: sale.boughtAgo, rank: 4, kind: "buy", sale });
    if (sale.deliveredAgo !== undefined) steps.push({ at: sale.deliveredAgo, rank: 5, kind: "deliver", sale });
    if (sale.closedAgo !== undefined) steps.push({ at: sale.closedAgo, rank: 6, kind: "close", sale });
    if (sale.end === "confirm" || sale.end === "finalize")
      steps.push({ at: sale.closedAgo!, rank: 7, kind: "reseal", sale });
  }
  for (const claim of CLAIMS) steps.push({ at: claim.ago, rank: 8, kind: "claim", ...claim });
  for (const offer of OFFERS) steps.push({ at: offer.postedAgo, rank: 9, kind: "post", offer });
  for (const sale of OFFER_SALES) {
    steps.push({ at: sale.ago, rank: 10, kind: "sell", sale });
    if (sale.deliveredAgo !== undefined) steps.push({ at: sale.deliveredAgo, rank: 11, kind: "deliver-offer", sale });
    if (sale.confirmedAgo !== undefined) steps.push({ at: sale.confirmedAgo, rank: 12, kind: "confirm-offer", sale });
  }
  steps.sort((a, b) => b.at - a.at || a.rank - b.rank);

  for (let i = 0; i < steps.length;) {
    const step = steps[i];
    await moveClockTo(step.at);
    if (step.kind === "mint" || step.kind === "list") {
      // Consecutive mints of one holder (or listings of one seller in one token) at one time go in one batch.
      const batch: VoucherPlan[] = [];
      while (i < steps.length) {
        const next = steps[i];
        if (next.kind !== step.kind || next.at !== step.at) break;
        if (next.plan.owner !== step.plan.owner) break;
        if (step.kind === "list" && next.plan.listing!.pay !== step.plan.listing!.pay) break;
        batch.push(next.plan);
        i++;
      }
      if (step.kind === "mint") await mintBatch(step.plan.owner, batch);
      else await listBatch(step.plan.owner, batch);
      continue;
    }
    i++;
    switch (step.kind) {
      case "issue":
        await issue(step.plan);
        break;
      case "buy":
        await buy(step.sale);
        break;
      case "deliver":
        await deliver(step.sale);
        break;
      case "close":
        await close(step.sale);
        break;
      case "reseal":
        await reseal(step.sale);
        break;
      case "claim":
        await sdk.claim(as(step.account), payToken(step.token));
        break;
      case "post":
        await post(step.offer);
        break;
      case "sell":
        await sellToOffer(step.sale);
        break;
      case "deliver-offer":
        for (const tradeId of result.offerTradeIds.get(step.sale.key)!)
          await sdk.deliver(as(step.sale.seller), tradeId);
        break;
      case "confirm-offer":
        await confirmOffer(step.sale);
        break;
    }
  }
  // End the history at "now": later blocks follow the wall clock from here.
  await moveClockTo(0);
  await testClient.mine({ blocks: 1 });

  writeIssuerDatabase(result.issuerDatabase, { version: 1, issuer: address("henry"), cards: issuerCards() });

  const open = (key: string) => `#${result.orderIds.get(key)}`;
  const listed = VOUCHERS.filter((plan) => plan.listing).length - SALES.length;
  log(
    `Seeded ${BRAND_KEYS.length} brands, ${VOUCHERS.length} vouchers, ${listed} open listings, ` +
      `${SALES.filter((s) => s.end === "confirm" || s.end === "finalize" || s.end === "instant").length} settled ` +
      `sales; open orders: awaiting delivery ${open("awaiting")}, awaiting confirmation ${open("delivered")}, ` +
      `disputed ${open("dispute")}; ${OFFERS.length} recyclers' offers (#${[...result.offerIds.values()].join(", #")}). ` +
      `Henry's card database: ${result.issuerDatabase}.`,
  );
  return result;

  // ── Steps ──────────────────────────────────────────────────────────────────────────────────────────────────────
  /** The holder mints its cards in one batch; Henry attests those he finds in his records. */
  async function mintBatch(owner: Actor, batch: VoucherPlan[]): Promise<void> {
    const cards = batch.map((plan) => {
      const card = demoCard(plan.brand, plan.key);
      result.cards.set(plan.key, card);
      return { brandId: brandId(plan.brand), faceValue: faceMinor(plan), expiresAt: expiresAt(plan), ...card };
    });
    const { tokenIds } = await sdk.mintBatch(as(owner), cards);
    tokenIds.forEach((tokenId, index) => result.tokenIds.set(batch[index].key, tokenId));
    for (const [index, plan] of batch.entries()) {
      if (plan.attested) await sdk.attest(as("henry"), tokenIds[index], faceMinor(plan));
    }
  }

  /**
   * What Henry's back office knows: the cards of the vouchers he attested, the spare cards nobody minted yet, and Ivy's
   * Tmall card, which his records show as already spent (the agent never verifies it).
   */
  function issuerCards(): IssuerCard[] {
    const entry = (brand: BrandKey, key: string, face: number, status: IssuerCard["status"]): IssuerCard => {
      const { cardNumber, code } = demoCard(brand, key);
      const { name, currency } = BRANDS[brand];
      const faceValue = String(face * 100);
      return { brandId: brandId(brand), brand: name, cardNumber, pin: code, faceValue, currency, status };
    };
    return [
      ...VOUCHERS.filter((plan) => plan.attested).map((plan) => entry(plan.brand, plan.key, plan.face, "active")),
      ...SPARE_CARDS.map((card) => entry(card.brand, card.key, card.face, "active")),
      entry("tmall", "ivy-tmall100", 100, "redeemed"),
    ];
  }

  async function issue(plan: VoucherPlan): Promise<void> {
    const args = { to: address(plan.owner), brandId: brandId(plan.brand), faceValue: faceMinor(plan) };
    const { tokenId } = await sdk.issue(as("henry"), { ...args, expiresAt: expiresAt(plan) });
    result.tokenIds.set(plan.key, tokenId);
  }

  async function listBatch(owner: Actor, batch: VoucherPlan[]): Promise<void> {
    const { tradeIds } = await sdk.listBatch(as(owner), {
      tokenIds: batch.map((plan) => result.tokenIds.get(plan.key)!),
      prices: batch.map(price),
      payToken: payToken(batch[0].listing!.pay),
    });
    tradeIds.forEach((tradeId, index) => result.listingIds.set(batch[index].key, tradeId));
  }

  async function buy(sale: SalePlan): Promise<void> {
    const tradeId = result.listingIds.get(sale.voucher)!;
    await sdk.buy(as(sale.buyer), { tradeId, referrer: sale.referrer ? address(sale.referrer) : zeroAddress });
    result.orderIds.set(sale.key, tradeId);
  }

  /** A recycler posts a standing offer in the market's terms (see OfferPlan), its budget escrowed. */
  async function post(offer: OfferPlan): Promise<void> {
    const { offerId } = await sdk.postOffer(as(offer.recycler), {
      brandId: brandId(offer.brand),
      payToken: payToken(offer.pay),
      unitPrice: unitPrice(BRANDS[offer.brand].currency, offer.pay),
      maxCards: offer.maxCards,
      expiresAt: BigInt(end + Math.round(offer.expiresIn * DAY)),
      attestedOnly: offer.attestedOnly ?? false,
      schedule: offerSchedule(offer),
      budget: BigInt(offer.budget) * 10n ** (offer.pay === "ETH" ? 18n : 6n),
    });
    result.offerIds.set(offer.key, offerId);
  }

  async function sellToOffer(sale: OfferSalePlan): Promise<void> {
    const tokenIds = sale.vouchers.map((key) => result.tokenIds.get(key)!);
    const offerId = result.offerIds.get(sale.offer)!;
    const { tradeIds } = await sdk.sellToOffer(as(sale.seller), { offerId, tokenIds });
    result.offerTradeIds.set(sale.key, tradeIds);
  }

  /** The recycler confirms each delivered card and keeps its code in its vault, as its agent does. */
  async function confirmOffer(sale: OfferSalePlan): Promise<void> {
    const recycler = as(OFFERS.find((offer) => offer.key === sale.offer)!.recycler);
    for (const tradeId of result.offerTradeIds.get(sale.key)!) {
      const check = await sdk.openOfferDelivery(recycler, tradeId);
      if (!check.ok) throw new Error(`The seeded delivery of order #${tradeId} does not match: ${check.reason}`);
      await sdk.confirm(recycler, tradeId);
      await sdk.keepOfferCode(recycler, tradeId);
    }
  }

  /** The seller delivers from its vault; for the dispute, it pastes the right card number with a mistyped PIN. */
  async function deliver(sale: SalePlan): Promise<void> {
    const seller = as(plans.get(sale.voucher)!.owner);
    const tradeId = result.orderIds.get(sale.key)!;
    if (sale.end !== "dispute") {
      await sdk.deliver(seller, tradeId);
      return;
    }
    const order = await sdk.getOrder(seller, tradeId);
    const vaultCopy = await sdk.getSealedCode(seller, order.trade.tokenId, seller.walletClient.account.address);
    const card = sdk.openCode(vaultCopy!, (await sdk.deriveKey(seller, "vault")).secretKey);
    const mistyped = { cardNumber: card.cardNumber, code: mistype(card.code) };
    await sdk.deliverCode(seller, tradeId, sdk.sealCode(mistyped, card.salt, sdk.fromBytes32(order.buyerKey!)));
  }

  async function close(sale: SalePlan): Promise<void> {
    const tradeId = result.orderIds.get(sale.key)!;
    // Nobody confirmed a "finalize" sale within the window, so its seller settles it.
    if (sale.end === "confirm") await sdk.confirm(as(sale.buyer), tradeId);
    else if (sale.end === "finalize") await sdk.finalize(as(plans.get(sale.voucher)!.owner), tradeId);
    // The buyer pays the bond and seals its order key to the arbiter's published key.
    else if (sale.end === "dispute") await sdk.dispute(as(sale.buyer), tradeId);
  }

  /** The buyer opens the delivery, checks it against the commitment, and re-seals the code to its own vault. */
  async function reseal(sale: SalePlan): Promise<void> {
    await sdk.keepCode(as(sale.buyer), result.orderIds.get(sale.key)!);
  }
}

/** An offer plan's schedule as the contract takes it: face values in minor units, percentages and points in bps. */
export function offerSchedule(offer: OfferPlan): sdk.OfferSchedule {
  return {
    tiers: offer.tiers.map(([face, pct]) => ({ maxFaceValue: face * 100, rateBps: pct * 100 })),
    batchMinCount: offer.batch?.[0] ?? 0,
    batchBonusBps: (offer.batch?.[1] ?? 0) * 100,
    nearExpiryDays: offer.nearExpiry?.[0] ?? 0,
    nearExpiryBps: (offer.nearExpiry?.[1] ?? 0) * 100,
  };
}

/** The code with its last digit or letter changed: what a seller who pasted the wrong card would deliver. */
function mistype(code: string): string {
  const last = code[code.length - 1];
  const replacement = /[0-9]/.test(last)
    ? String((Number(last) + 1) % 10)
    : last === "Z"
      ? "A"
      : String.fromCharCode(last.charCodeAt(0) + 1);
  return code.slice(0, -1) + replacement;
}
