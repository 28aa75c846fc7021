import {
  createTestClient,
  maxUint256,
  parseEventLogs,
  zeroAddress,
  type Address,
  type Hash,
  type Hex,
  type TransactionReceipt,
} from "viem";
import {
  checkDelivery,
  commitment,
  deriveKeyPair,
  keyMessage,
  randomSalt,
  sealCode,
  toBytes32,
  type KeyPair,
  type KeyPurpose,
} from "../../frontend/src/lib/codeDelivery.js";
import { testStablecoinAbi, voucherExchangeAbi, voucherTokenAbi } from "./artifacts.js";
import { LOCAL_CHAIN_ID, confirmed, connect, type Eip1193Provider } from "./chain.js";
import {
  ACTORS,
  BRANDS,
  BRAND_KEYS,
  BUYERS,
  BUYER_FUNDING,
  CLAIMS,
  DISTRIBUTORS,
  HISTORY_DAYS,
  SALES,
  VOUCHERS,
  brandId,
  demoCode,
  listingPrice,
  type Actor,
  type PayToken,
  type SalePlan,
  type VoucherPlan,
} from "./demo-market.js";
import type { Deployment } from "./deployments.js";

export const DAY = 24 * 60 * 60;

export interface SeedOptions {
  log?: (message: string) => void;
}

export interface SeedResult {
  /** True when the chain already had brands and nothing was sent. */
  skipped: boolean;
  /** Chain time the history ends at ("now" of the demo), in seconds. */
  end: number;
  /** Token id of every planned voucher, by plan key. */
  tokenIds: ReadonlyMap<string, bigint>;
  /** Listing (= order) id of every planned listing, by voucher plan key. */
  listingIds: ReadonlyMap<string, bigint>;
  /** Order id of every planned sale, by sale key ("s1" … "s10", "dispute", "delivered", "awaiting"). */
  orderIds: ReadonlyMap<string, bigint>;
  /** Each coded voucher's code, by plan key (demo data; the chain holds only sealed copies). */
  codes: ReadonlyMap<string, string>;
}

type Step =
  | { at: number; rank: 1; kind: "mint"; plan: VoucherPlan }
  | { at: number; rank: 2; kind: "issue"; plan: VoucherPlan }
  | { at: number; rank: 3; kind: "list"; plan: VoucherPlan }
  | { at: number; rank: 4; kind: "buy"; sale: SalePlan }
  | { at: number; rank: 5; kind: "deliver"; sale: SalePlan }
  | { at: number; rank: 6; kind: "close"; sale: SalePlan }
  | { at: number; rank: 7; kind: "reseal"; sale: SalePlan }
  | { at: number; rank: 8; kind: "claim"; account: Actor; token: PayToken };

/**
 * Lays down the demo market (scripts/lib/demo-market.ts) on a freshly deployed local chain: brands, a distributor
 * tree, funded buyers, 41 vouchers with codes sealed to their holders' vault keys, listings in ETH and the stablecoins,
 * two weeks of sales, and one order in each open state. The chain clock is moved through the history with
 * `evm_setNextBlockTimestamp`, ending at the later of "now" and the chain's start plus HISTORY_DAYS. Keys are derived
 * exactly as the frontend derives them (accounts sign `keyMessage` through the node), so every code can be revealed
 * in the UI. Runs once per chain: a chain that already has brands is left alone.
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
    codes: new Map<string, string>(),
  };

  const brandCount = await publicClient.readContract({
    address: token,
    abi: voucherTokenAbi,
    functionName: "brandCount",
  });
  if (brandCount > 0n) {
    log(`Chain ${chainId} already has ${brandCount} brands: the demo seed ran before; nothing sent.`);
    return { ...result, skipped: true, end: Number((await publicClient.getBlock()).timestamp) };
  }
  const accounts = await kaquan.accounts();
  if (accounts.length <= Math.max(...Object.values(ACTORS))) {
    throw new Error(`The demo seed needs Hardhat's default ${Object.keys(ACTORS).length}+ unlocked accounts`);
  }
  const address = (actor: Actor): Address => accounts[ACTORS[actor]];
  const wallet = (actor: Actor) => kaquan.wallet(address(actor));
  const payToken = (pay: PayToken): Address => (pay === "ETH" ? zeroAddress : stablecoins[pay]);
  const mined = (hash: Promise<Hash>): Promise<TransactionReceipt> => hash.then((h) => confirmed(publicClient, h));
  const testClient = createTestClient({ mode: "hardhat", chain: kaquan.chain, transport: kaquan.transport });

  const startTime = Number((await publicClient.getBlock()).timestamp);
  const end = Math.max(Math.floor(Date.now() / 1000), startTime + HISTORY_DAYS * DAY);
  result.end = end;
  async function moveClockTo(daysAgo: number): Promise<void> {
    const target = end - Math.round(daysAgo * DAY);
    const latest = Number((await publicClient.getBlock()).timestamp);
    if (target > latest) await testClient.setNextBlockTimestamp({ timestamp: BigInt(target) });
  }

  const keys = new Map<string, KeyPair>();
  async function keyOf(actor: Actor, purpose: KeyPurpose): Promise<KeyPair> {
    const id = `${actor}/${purpose}`;
    let pair = keys.get(id);
    if (pair === undefined) {
      pair = deriveKeyPair(await wallet(actor).signMessage({ message: keyMessage(chainId, exchange, purpose) }));
      keys.set(id, pair);
    }
    return pair;
  }

  const plans = new Map(VOUCHERS.map((plan) => [plan.key, plan]));
  const salts = new Map<string, Hex>();
  const price = (plan: VoucherPlan) =>
    listingPrice(plan.face, BRANDS[plan.brand].currency, plan.listing!.pct, plan.listing!.pay);
  const expiresAt = (plan: VoucherPlan) => BigInt(end + Math.round(plan.expiresIn * DAY));
  const faceMinor = (plan: VoucherPlan) => BigInt(Math.round(plan.face * 100));

  // ── Setup: brands, distributor tree, buyers' stablecoin, approvals ──────────────────────────────────────────────
  await moveClockTo(HISTORY_DAYS - 0.05);
  for (const key of BRAND_KEYS) {
    const brand = BRANDS[key];
    await mined(
      wallet("owner").writeContract({
        address: token,
        abi: voucherTokenAbi,
        functionName: "registerBrand",
        args: [brand.name, brand.category, brand.currency, address("henry")],
      }),
    );
  }
  for (const { account, upline } of DISTRIBUTORS) {
    await mined(
      wallet(account).writeContract({
        address: exchange,
        abi: voucherExchangeAbi,
        functionName: "joinDistributors",
        args: [upline ? address(upline) : zeroAddress],
      }),
    );
  }
  for (const buyer of BUYERS) {
    for (const stablecoin of Object.values(stablecoins)) {
      await mined(
        wallet(buyer).writeContract({
          address: stablecoin,
          abi: testStablecoinAbi,
          functionName: "faucet",
          args: [address(buyer), BUYER_FUNDING],
        }),
      );
      await mined(
        wallet(buyer).writeContract({
          address: stablecoin,
          abi: testStablecoinAbi,
          functionName: "approve",
          args: [exchange, maxUint256],
        }),
      );
    }
  }
  for (const seller of new Set(VOUCHERS.filter((plan) => plan.listing).map((plan) => plan.owner))) {
    await mined(
      wallet(seller).writeContract({
        address: token,
        abi: voucherTokenAbi,
        functionName: "setApprovalForAll",
        args: [exchange, true],
      }),
    );
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
        await mined(
          wallet(step.account).writeContract({
            address: exchange,
            abi: voucherExchangeAbi,
            functionName: "claim",
            args: [payToken(step.token)],
          }),
        );
        break;
    }
  }
  // End the history at "now": later blocks follow the wall clock from here.
  await moveClockTo(0);
  await testClient.mine({ blocks: 1 });

  const open = (key: string) => `#${result.orderIds.get(key)}`;
  const listed = VOUCHERS.filter((plan) => plan.listing).length - SALES.length;
  log(
    `Seeded ${BRAND_KEYS.length} brands, ${VOUCHERS.length} vouchers, ${listed} open listings, ` +
      `${SALES.filter((s) => s.end === "confirm" || s.end === "finalize" || s.end === "instant").length} settled ` +
      `sales; open orders: awaiting delivery ${open("awaiting")}, awaiting confirmation ${open("delivered")}, ` +
      `disputed ${open("dispute")}.`,
  );
  return result;

  // ── Steps ──────────────────────────────────────────────────────────────────────────────────────────────────────
  async function mintBatch(owner: Actor, batch: VoucherPlan[]): Promise<void> {
    const vault = await keyOf(owner, "vault");
    const requests = batch.map((plan) => {
      const code = demoCode(plan.brand, plan.key);
      const salt = randomSalt();
      result.codes.set(plan.key, code);
      salts.set(plan.key, salt);
      return {
        brandId: brandId(plan.brand),
        faceValue: faceMinor(plan),
        expiresAt: expiresAt(plan),
        codeHash: commitment(code, salt),
        sealedCode: sealCode(code, salt, vault.publicKey),
      };
    });
    const receipt = await mined(
      wallet(owner).writeContract({
        address: token,
        abi: voucherTokenAbi,
        functionName: "mintBatch",
        args: [requests],
      }),
    );
    const minted = parseEventLogs({ abi: voucherTokenAbi, logs: receipt.logs, eventName: "VoucherMinted" });
    minted.forEach((event, index) => result.tokenIds.set(batch[index].key, event.args.tokenId));
  }

  async function issue(plan: VoucherPlan): Promise<void> {
    const receipt = await mined(
      wallet("henry").writeContract({
        address: token,
        abi: voucherTokenAbi,
        functionName: "issue",
        args: [address(plan.owner), BigInt(brandId(plan.brand)), faceMinor(plan), expiresAt(plan)],
      }),
    );
    const [issued] = parseEventLogs({ abi: voucherTokenAbi, logs: receipt.logs, eventName: "VoucherIssued" });
    result.tokenIds.set(plan.key, issued.args.tokenId);
  }

  async function listBatch(owner: Actor, batch: VoucherPlan[]): Promise<void> {
    const receipt = await mined(
      wallet(owner).writeContract({
        address: exchange,
        abi: voucherExchangeAbi,
        functionName: "listBatch",
        args: [batch.map((plan) => result.tokenIds.get(plan.key)!), payToken(batch[0].listing!.pay), batch.map(price)],
      }),
    );
    const listed = parseEventLogs({ abi: voucherExchangeAbi, logs: receipt.logs, eventName: "Listed" });
    listed.forEach((event, index) => result.listingIds.set(batch[index].key, event.args.tradeId));
  }

  async function buy(sale: SalePlan): Promise<void> {
    const plan = plans.get(sale.voucher)!;
    const listingId = result.listingIds.get(plan.key)!;
    const amount = price(plan);
    const buyerKey = plan.backed
      ? toBytes32(new Uint8Array(32))
      : toBytes32((await keyOf(sale.buyer, `order:${listingId}`)).publicKey);
    await mined(
      wallet(sale.buyer).writeContract({
        address: exchange,
        abi: voucherExchangeAbi,
        functionName: "buy",
        args: [listingId, amount, sale.referrer ? address(sale.referrer) : zeroAddress, buyerKey],
        value: plan.listing!.pay === "ETH" ? amount : 0n,
      }),
    );
    result.orderIds.set(sale.key, listingId);
  }

  async function deliver(sale: SalePlan): Promise<void> {
    const plan = plans.get(sale.voucher)!;
    const orderId = result.orderIds.get(sale.key)!;
    const buyerKey = await keyOf(sale.buyer, `order:${orderId}`);
    const code = sale.end === "dispute" ? mistype(result.codes.get(plan.key)!) : result.codes.get(plan.key)!;
    await mined(
      wallet(plan.owner).writeContract({
        address: exchange,
        abi: voucherExchangeAbi,
        functionName: "deliverCode",
        args: [orderId, sealCode(code, salts.get(plan.key)!, buyerKey.publicKey)],
      }),
    );
  }

  async function close(sale: SalePlan): Promise<void> {
    const orderId = result.orderIds.get(sale.key)!;
    if (sale.end === "confirm") {
      await mined(
        wallet(sale.buyer).writeContract({
          address: exchange,
          abi: voucherExchangeAbi,
          functionName: "confirm",
          args: [orderId],
        }),
      );
    } else if (sale.end === "finalize") {
      // Nobody confirmed within the window, so the seller settles it.
      const seller = plans.get(sale.voucher)!.owner;
      await mined(
        wallet(seller).writeContract({
          address: exchange,
          abi: voucherExchangeAbi,
          functionName: "finalize",
          args: [orderId],
        }),
      );
    } else if (sale.end === "dispute") {
      const evidence = await keyOf(sale.buyer, `order:${orderId}`);
      await mined(
        wallet(sale.buyer).writeContract({
          address: exchange,
          abi: voucherExchangeAbi,
          functionName: "dispute",
          args: [orderId, toBytes32(evidence.secretKey)],
        }),
      );
    }
  }

  /** The buyer opens the delivery, checks it against the commitment, and re-seals the code to its own vault. */
  async function reseal(sale: SalePlan): Promise<void> {
    const plan = plans.get(sale.voucher)!;
    const orderId = result.orderIds.get(sale.key)!;
    const tokenId = result.tokenIds.get(plan.key)!;
    const [delivered] = await publicClient.getContractEvents({
      address: exchange,
      abi: voucherExchangeAbi,
      eventName: "CodeDelivered",
      args: { tradeId: orderId },
      fromBlock: BigInt(deployment.startBlock),
    });
    const voucher = await publicClient.readContract({
      address: token,
      abi: voucherTokenAbi,
      functionName: "voucher",
      args: [tokenId],
    });
    const check = checkDelivery(
      delivered.args.ciphertext!,
      (await keyOf(sale.buyer, `order:${orderId}`)).secretKey,
      voucher.codeHash,
    );
    if (!check.ok) throw new Error(`Seed: order #${orderId} delivery does not check out: ${check.reason}`);
    const vault = await keyOf(sale.buyer, "vault");
    await mined(
      wallet(sale.buyer).writeContract({
        address: token,
        abi: voucherTokenAbi,
        functionName: "sealCode",
        args: [tokenId, sealCode(check.code, check.salt, vault.publicKey)],
      }),
    );
  }
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
