import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import {
  cardHash,
  checkDelivery,
  commitmentsOf,
  DEFAULT_DISPUTE_BOND_BPS,
  DEFAULT_LEVEL_SHARES,
  deriveKeyPair,
  getOffer,
  getOfferSales,
  getOpenOffers,
  keyMessage,
  quoteOfferSale,
  toBytes32,
  Status,
  verifyEvidence,
  type Hex,
  type KeyPurpose,
} from "#sdk";
import { DEMO_ACCOUNT_LIST } from "../../scripts/demo-accounts.js";
import { DEFAULT_FEE_BPS, STABLECOIN_MIN_PRICE, deployKaquan } from "../../scripts/lib/deploy.js";
import {
  ACTORS,
  BRANDS,
  BUYER_FUNDING,
  CLAIMS,
  OFFERS,
  OFFER_SALES,
  SALES,
  SPARE_CARDS,
  VOUCHERS,
  demoCard,
  listingPrice,
  type Actor,
  type SalePlan,
  type VoucherPlan,
} from "../../scripts/lib/demo-market.js";
import { readAllDeployments, readDeployment, type Deployment } from "../../scripts/lib/deployments.js";
import { readIssuerDatabase } from "../../scripts/lib/issuer-db.js";
import { DAY, offerSchedule, seedDemo, type SeedResult } from "../../scripts/lib/seed.js";
import { connect } from "../../scripts/lib/chain.js";

const { ethers, provider, networkHelpers } = await network.create();

const LEVEL_SHARES = DEFAULT_LEVEL_SHARES.map(BigInt);
const UPLINE: Partial<Record<Actor, Actor>> = { erin: "dave", dave: "carol" };

const plans = new Map(VOUCHERS.map((plan) => [plan.key, plan]));
const priceOf = (plan: VoucherPlan) =>
  listingPrice(plan.face, BRANDS[plan.brand].currency, plan.listing!.pct, plan.listing!.pay);
const settled = (sale: SalePlan) => sale.end === "confirm" || sale.end === "finalize" || sale.end === "instant";
const settledAgo = (sale: SalePlan) => (sale.end === "instant" ? sale.boughtAgo : sale.closedAgo!);

/** The dispute bond of an order: 10% of its price by default. */
const bondOf = (sale: SalePlan) => (priceOf(plans.get(sale.voucher)!) * BigInt(DEFAULT_DISPUTE_BOND_BPS)) / 10_000n;

/** The split the contract must have made for a settled sale: IVoucherExchange's fee arithmetic, written out. */
function splitOf(sale: SalePlan) {
  const price = priceOf(plans.get(sale.voucher)!);
  const fee = (price * BigInt(DEFAULT_FEE_BPS)) / 10_000n;
  const shares = new Map<Actor, bigint>();
  let level: Actor | undefined = sale.referrer;
  for (let i = 0; i < 3 && level !== undefined; i++, level = UPLINE[level]) {
    shares.set(level, (fee * LEVEL_SHARES[i]) / 10_000n);
  }
  const distributed = [...shares.values()].reduce((sum, share) => sum + share, 0n);
  return { price, fee, sellerProceeds: price - fee, shares, treasury: fee - distributed };
}

/** Deploys into a temporary deployments/ folder and seeds: the state every test below reads. */
async function deployAndSeed() {
  const dir = mkdtempSync(path.join(tmpdir(), "kaquan-deploy-"));
  const deployed = await deployKaquan(provider, { deploymentsDir: dir });
  const deployment = deployed.deployment;
  const seed = await seedDemo(provider, deployment, { issuerDatabase: path.join(dir, "henry-cards.json") });
  return {
    dir,
    firstRunReused: deployed.reused,
    deployment,
    seed,
    blockAfterSeed: await ethers.provider.getBlockNumber(),
    signers: await ethers.getSigners(),
    token: await ethers.getContractAt("VoucherToken", deployment.voucherToken),
    exchange: await ethers.getContractAt("VoucherExchange", deployment.voucherExchange),
    usd: await ethers.getContractAt("TestStablecoin", deployment.stablecoin),
  };
}

describe("deploy + demo seed (in-process network)", function () {
  let dir: string;
  let deployment: Deployment;
  let seed: SeedResult;
  let blockAfterSeed: number;
  let signers: Awaited<ReturnType<typeof deployAndSeed>>["signers"];
  let token: Awaited<ReturnType<typeof deployAndSeed>>["token"];
  let exchange: Awaited<ReturnType<typeof deployAndSeed>>["exchange"];
  let usd: Awaited<ReturnType<typeof deployAndSeed>>["usd"];
  const who = (actor: Actor) => signers[ACTORS[actor]].address;

  async function keyOf(actor: Actor, purpose: KeyPurpose) {
    const signature = await signers[ACTORS[actor]].signMessage(keyMessage(31337, deployment.voucherExchange, purpose));
    return deriveKeyPair(signature as Hex);
  }

  /** A coded voucher's commitments as the chain holds them. */
  async function commitments(tokenId: bigint) {
    const { brandId, cardHash, codeHash } = await token.voucher(tokenId);
    return commitmentsOf({ brandId, cardHash: cardHash as Hex, codeHash: codeHash as Hex })!;
  }

  before(async function () {
    const state = await deployAndSeed();
    expect(state.firstRunReused).to.equal(false);
    ({ dir, deployment, seed, blockAfterSeed, signers, token, exchange, usd } = state);
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  describe("deploy", function () {
    it("records the deployment with the local roles (#0 owner, #1 treasury, #2 arbiter)", async function () {
      expect(readDeployment(31337, dir)).to.deep.equal(deployment);
      expect(deployment.deployer).to.equal(signers[0].address);
      expect(deployment.treasury).to.equal(signers[1].address);
      expect(deployment.arbiter).to.equal(signers[2].address);
      expect(deployment.startBlock).to.equal(1);
      expect(await token.owner()).to.equal(signers[0].address);
      expect(await exchange.owner()).to.equal(signers[0].address);
      expect(await exchange.treasury()).to.equal(signers[1].address);
      expect(await exchange.arbiter()).to.equal(signers[2].address);
      expect(await exchange.VOUCHER()).to.equal(deployment.voucherToken);
      expect(await token.exchange()).to.equal(deployment.voucherExchange);
      expect(await exchange.protocolFeeBps()).to.equal(200n);
      expect(await exchange.payTokens()).to.deep.equal([deployment.stablecoin, deployment.cnyStablecoin]);
      for (const token of [deployment.stablecoin, deployment.cnyStablecoin]) {
        expect(await exchange.minPrice(token)).to.equal(STABLECOIN_MIN_PRICE);
      }
      expect(await usd.decimals()).to.equal(6n);
    });

    it("is idempotent: a rerun on the same chain sends nothing and returns the record", async function () {
      const again = await deployKaquan(provider, { deploymentsDir: dir });
      expect(again.reused).to.equal(true);
      expect(again.deployment).to.deep.equal(deployment);
      expect(await ethers.provider.getBlockNumber()).to.equal(blockAfterSeed);
    });

    it("is what the app's build reads: every deployments/<chainId>.json of the folder", function () {
      expect(readAllDeployments(dir)).to.deep.equal([deployment]);
      const empty = mkdtempSync(path.join(tmpdir(), "kaquan-empty-"));
      expect(readAllDeployments(empty)).to.deep.equal([]);
      rmSync(empty, { recursive: true });
    });
  });

  describe("seed", function () {
    it("registers 11 brands across the seven categories, in CNY and USD, all issued by Henry", async function () {
      expect(await token.brandCount()).to.equal(11n);
      const categories = new Set<string>();
      for (let id = 1n; id <= 11n; id++) {
        const brand = await token.brand(id);
        categories.add(brand.category);
        expect(brand.issuer).to.equal(who("henry"));
        expect(["CNY", "USD"]).to.include(brand.currency);
      }
      expect([...categories].sort()).to.deep.equal([
        "coffee",
        "e-commerce card",
        "game card",
        "hotel voucher",
        "meal voucher",
        "phone top-up",
        "supermarket card",
      ]);
    });

    it("gives every brand its real-world face values, and every demo card is one of them", async function () {
      for (const [index, key] of Object.keys(BRANDS).entries()) {
        const [faceValues, maxFaceValue] = await token.denominations(BigInt(index + 1));
        expect(faceValues, key).to.deep.equal(
          BRANDS[key as keyof typeof BRANDS].denominations.map((f) => BigInt(f * 100)),
        );
        expect(maxFaceValue).to.equal(0n);
      }
      expect(BRANDS.jd.denominations).to.deep.equal([100, 200, 500, 1000]);
      expect(BRANDS.starbucks.denominations).to.deep.equal([50, 100, 200]);
      expect(BRANDS.cmcc.denominations).to.deep.equal([30, 50, 100]);
      for (const plan of [...VOUCHERS, ...SPARE_CARDS]) {
        expect(BRANDS[plan.brand].denominations, plan.key).to.include(plan.face);
      }
    });

    it("has the arbiter's evidence key published: the one the Judge's wallet derives", async function () {
      expect(await exchange.arbiterKey()).to.equal(toBytes32((await keyOf("arbiter", "arbiter")).publicKey));
    });

    it("builds the three-level distributor tree Carol <- Dave <- Erin", async function () {
      const tree = async (actor: Actor) => (await exchange.distributor(who(actor))).slice(0, 2);
      expect(await tree("carol")).to.deep.equal([true, ethers.ZeroAddress]);
      expect(await tree("dave")).to.deep.equal([true, who("carol")]);
      expect(await tree("erin")).to.deep.equal([true, who("dave")]);
    });

    it("creates 57 vouchers (46 coded, 11 issuer-backed), one expired and eight within 30 days of expiry", async function () {
      expect(await token.totalMinted()).to.equal(57n);
      const now = BigInt(await networkHelpers.time.latest());
      let backed = 0;
      let expired = 0;
      let nearExpiry = 0;
      for (const plan of VOUCHERS) {
        const voucher = await token.voucher(seed.tokenIds.get(plan.key)!);
        expect(voucher.brandId).to.equal(BigInt(Object.keys(BRANDS).indexOf(plan.brand) + 1));
        expect(voucher.faceValue).to.equal(BigInt(plan.face * 100));
        expect(voucher.issuerBacked).to.equal(plan.backed === true);
        if (voucher.issuerBacked) backed++;
        if (voucher.expiresAt <= now) expired++;
        else if (voucher.expiresAt - now <= BigInt(30 * DAY)) nearExpiry++;
      }
      expect([backed, expired, nearExpiry]).to.deep.equal([11, 1, 8]);
    });

    it("leaves every voucher with the right owner: escrow for listings and open orders, buyers for settled sales", async function () {
      const sold = new Map(SALES.map((sale) => [sale.voucher, sale]));
      const soldToOffer = new Map(
        OFFER_SALES.flatMap((sale) =>
          sale.vouchers.map((key) => [key, OFFERS.find((offer) => offer.key === sale.offer)!.recycler] as const),
        ),
      );
      for (const plan of VOUCHERS) {
        const sale = sold.get(plan.key);
        const recycler = soldToOffer.get(plan.key);
        const expected = recycler
          ? who(recycler)
          : sale && settled(sale)
            ? who(sale.buyer)
            : plan.listing
              ? deployment.voucherExchange
              : who(plan.owner);
        expect(await token.ownerOf(seed.tokenIds.get(plan.key)!), plan.key).to.equal(expected);
      }
    });

    it("lists 25 open offers in ETH and the stablecoins (¥ cards in kCNY) at 85-97% of face value", async function () {
      const page = await exchange.activeListings(1n, 1000n);
      expect(page.length).to.equal(25);
      const open = VOUCHERS.filter((plan) => plan.listing && !SALES.some((sale) => sale.voucher === plan.key));
      expect(page.map((listing) => listing.tradeId)).to.deep.equal(
        open.map((plan) => seed.listingIds.get(plan.key)!).sort((a, b) => Number(a - b)),
      );
      const byId = new Map(open.map((plan) => [seed.listingIds.get(plan.key)!, plan]));
      for (const listing of page) {
        const plan = byId.get(listing.tradeId)!;
        expect(listing.seller).to.equal(who(plan.owner));
        const payTokens = { ETH: ethers.ZeroAddress, kUSD: deployment.stablecoin, kCNY: deployment.cnyStablecoin };
        expect(listing.payToken).to.equal(payTokens[plan.listing!.pay]);
        if (plan.listing!.pay === "kCNY") expect(BRANDS[plan.brand].currency).to.equal("CNY");
        expect(listing.price).to.equal(priceOf(plan));
        expect(plan.listing!.pct).to.be.within(0.85, 0.97);
      }
      expect(page.filter((listing) => listing.payToken === ethers.ZeroAddress).length).to.equal(10);
      // One price written out: 500 CNY at 96.5% = 67.55 USD = 0.022516 ETH at 3000 USD/ETH (micro-ETH, rounded down).
      expect(priceOf(plans.get("alice-jd500-a")!)).to.equal(22_516_000_000_000_000n);
    });

    it("puts each sale in its planned state", async function () {
      const expected: Record<string, bigint> = {
        confirm: BigInt(Status.Completed),
        finalize: BigInt(Status.Completed),
        instant: BigInt(Status.Completed),
        dispute: BigInt(Status.Disputed),
        delivered: BigInt(Status.Delivered),
        "awaiting-delivery": BigInt(Status.AwaitingDelivery),
      };
      for (const sale of SALES) {
        const trade = await exchange.trade(seed.orderIds.get(sale.key)!);
        expect(trade.status, sale.key).to.equal(expected[sale.end]);
        expect(trade.seller).to.equal(who(plans.get(sale.voucher)!.owner));
        expect(trade.price).to.equal(priceOf(plans.get(sale.voucher)!));
      }
      // Deadlines run from the step that set them (the window opens at that block; blocks in one step are seconds apart).
      const opened = (daysAgo: number, windowDays: number) => seed.end - Math.round(daysAgo * DAY) + windowDays * DAY;
      const deadline = async (key: string) => Number((await exchange.trade(seed.orderIds.get(key)!)).deadline);
      expect((await deadline("awaiting")) - opened(0.25, 1)).to.be.within(0, 60);
      expect((await deadline("delivered")) - opened(0.99, 3)).to.be.within(0, 60);
      expect((await deadline("dispute")) - opened(2, 7)).to.be.within(0, 60);
    });

    it("posts five open recyclers' offers (one in ETH, one attested-only) as planned, the sold cards paid out of them", async function () {
      const reader = { deployment, publicClient: (await connect(provider)).publicClient };
      for (const plan of OFFERS) {
        const offerId = seed.offerIds.get(plan.key)!;
        const offer = await getOffer(reader, offerId);
        const sold = await getOfferSales(reader, { offerId });
        const spent = sold.reduce((sum, sale) => sum + sale.price, 0n);
        const unit = plan.pay === "ETH" ? 10n ** 18n : 10n ** 6n;
        expect(offer, plan.key).to.deep.include({
          recycler: who(plan.recycler),
          brandId: Object.keys(BRANDS).indexOf(plan.brand) + 1,
          open: true,
          attestedOnly: plan.attestedOnly ?? false,
          budget: BigInt(plan.budget) * unit - spent,
          cardsLeft: plan.maxCards - sold.length,
        });
        expect(offer.schedule, plan.key).to.deep.equal(offerSchedule(plan));
        expect(offer.payToken).to.equal(plan.pay === "ETH" ? ethers.ZeroAddress : deployment.cnyStablecoin);
      }
      for (const sale of OFFER_SALES) {
        const sales = await getOfferSales(reader, { offerId: seed.offerIds.get(sale.offer)! });
        expect(sales.map((s) => [s.seller, s.tradeId, s.status])).to.deep.equal(
          seed.offerTradeIds.get(sale.key)!.map((tradeId) => [who(sale.seller), tradeId, Status.Completed]),
        );
      }
      // JD's rules: ¥100 at 90%, +3 points for 11 cards, −5 points within 30 days of expiry.
      const ivyJd = [...Array.from({ length: 10 }, (_, i) => `ivy-jd100-${i + 1}`), "ivy-jd200-soon"];
      const quote = await quoteOfferSale(
        reader,
        seed.offerIds.get("jack-jd")!,
        ivyJd.map((key) => seed.tokenIds.get(key)!),
      );
      expect([...quote.rateBps]).to.deep.equal([...Array(10).fill(9_300), 8_800]);
      expect(quote.total).to.equal(
        10n * ((10_000n * 10_000n * 9_300n) / 10_000n) + (20_000n * 10_000n * 8_800n) / 10_000n,
      );
      const [best] = await getOpenOffers(reader, Object.keys(BRANDS).indexOf("jd") + 1);
      expect(best.offerId).to.equal(seed.offerIds.get("jack-jd"));
    });

    it("credits the fee to the distributor tree and the treasury to the wei", async function () {
      const credits = new Map<string, bigint>();
      const add = (account: string, token: string, amount: bigint) =>
        credits.set(`${account}/${token}`, (credits.get(`${account}/${token}`) ?? 0n) + amount);
      const claimed = CLAIMS[0];
      let daveClaimed = 0n;
      for (const sale of SALES.filter(settled)) {
        const pay = plans.get(sale.voucher)!.listing!.pay;
        const split = splitOf(sale);
        add("treasury", pay, split.treasury);
        for (const [account, share] of split.shares) {
          if (account === claimed.account && pay === claimed.token && settledAgo(sale) > claimed.ago) {
            daveClaimed += share;
          } else add(account, pay, share);
        }
      }
      for (const account of ["treasury", "carol", "dave", "erin"] as Actor[]) {
        for (const pay of ["ETH", "kUSD"] as const) {
          const tokenAddress = pay === "ETH" ? ethers.ZeroAddress : deployment.stablecoin;
          expect(await exchange.credits(who(account), tokenAddress), `${account} ${pay}`).to.equal(
            credits.get(`${account}/${pay}`) ?? 0n,
          );
        }
      }
      expect(daveClaimed).to.be.greaterThan(0n);
      expect(await usd.balanceOf(who("dave"))).to.equal(daveClaimed);
      // Two sales written out: s1 (0.022516 ETH via Erin) and the kUSD credit Erin holds.
      expect(splitOf(SALES[0]).shares.get("erin")).to.equal(135_096_000_000_000n);
      expect(credits.get("erin/ETH")).to.be.greaterThan(135_096_000_000_000n);
    });

    it("moves the stablecoin to the wei: buyers paid, sellers got their proceeds, the escrow holds the rest", async function () {
      const balances = new Map<Actor, bigint>([
        ["bob", BUYER_FUNDING],
        ["grace", BUYER_FUNDING],
      ]);
      const change = (actor: Actor, amount: bigint) => balances.set(actor, (balances.get(actor) ?? 0n) + amount);
      let escrow = 0n;
      for (const sale of SALES) {
        const plan = plans.get(sale.voucher)!;
        if (plan.listing!.pay !== "kUSD") continue;
        const split = splitOf(sale);
        change(sale.buyer, -split.price);
        if (settled(sale)) change(plan.owner, split.sellerProceeds);
        else escrow += split.price;
      }
      for (const actor of ["bob", "grace", "alice", "frank", "ivy", "henry"] as Actor[]) {
        expect(await usd.balanceOf(who(actor)), actor).to.equal(balances.get(actor) ?? 0n);
      }
      const credits = await Promise.all(
        (["treasury", "carol", "dave", "erin"] as Actor[]).map((a) => exchange.credits(who(a), deployment.stablecoin)),
      );
      expect(await usd.balanceOf(deployment.voucherExchange)).to.equal(credits.reduce((s, c) => s + c, escrow));
    });

    it("holds exactly the open ETH orders plus the ETH credits", async function () {
      let escrow = 0n;
      for (const sale of SALES.filter((s) => !settled(s) && plans.get(s.voucher)!.listing!.pay === "ETH")) {
        escrow += splitOf(sale).price;
      }
      // The dispute's bond waits in escrow with its price.
      const disputed = SALES.find((sale) => sale.end === "dispute")!;
      expect(plans.get(disputed.voucher)!.listing!.pay).to.equal("ETH");
      escrow += bondOf(disputed);
      // The ETH offers' budgets are escrowed here too, untouched.
      for (const offer of OFFERS.filter((o) => o.pay === "ETH")) {
        const [, amount] = await exchange.offerFunds(seed.offerIds.get(offer.key)!);
        expect(amount).to.equal(BigInt(offer.budget) * 10n ** 18n);
        escrow += amount;
      }
      const credits = await Promise.all(
        (["treasury", "carol", "dave", "erin"] as Actor[]).map((a) => exchange.credits(who(a), ethers.ZeroAddress)),
      );
      expect(await ethers.provider.getBalance(deployment.voucherExchange)).to.equal(
        credits.reduce((s, c) => s + c, escrow),
      );
    });

    it("counts reputation: Alice 6 sales, Frank 3, Bob 6 purchases, Grace 4", async function () {
      expect((await exchange.account(who("alice"), [])).stats.sales).to.equal(6n);
      expect((await exchange.account(who("frank"), [])).stats.sales).to.equal(3n);
      expect((await exchange.account(who("grace"), [])).stats.sales).to.equal(1n);
      expect((await exchange.account(who("bob"), [])).stats.purchases).to.equal(6n);
      expect((await exchange.account(who("grace"), [])).stats.purchases).to.equal(4n);
      expect((await exchange.account(who("grace"), [])).stats.disputesOpened).to.equal(1n);
    });

    it("gives every coded card its own card number and PIN, registered under its brand", async function () {
      const coded = VOUCHERS.filter((plan) => !plan.backed);
      const seen = new Set<string>();
      for (const plan of coded) {
        const card = seed.cards.get(plan.key)!;
        expect(card, plan.key).to.deep.equal(demoCard(plan.brand, plan.key));
        expect(card.cardNumber).to.not.equal(card.code);
        const brand = BigInt(Object.keys(BRANDS).indexOf(plan.brand) + 1);
        seen.add(`${brand}/${cardHash(brand, card.cardNumber)}`);
        const tokenId = seed.tokenIds.get(plan.key)!;
        expect(await token.cardToken(brand, cardHash(brand, card.cardNumber)), plan.key).to.equal(tokenId);
        expect((await token.voucher(tokenId)).cardHash).to.equal(cardHash(brand, card.cardNumber));
      }
      expect(seen.size).to.equal(coded.length);
      // Written out: one JD E-Card, in its brand's format.
      expect(seed.cards.get("alice-jd500-d")!.cardNumber).to.match(/^JD\d\d \d{4} \d{4} \d{4}$/);
      expect(seed.cards.get("alice-jd500-d")!.code).to.match(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    });

    it("has Henry attest the six cards he finds in his records, and writes his card database", async function () {
      const attested = [];
      for (const plan of VOUCHERS) {
        const voucher = await token.voucher(seed.tokenIds.get(plan.key)!);
        if (voucher.attested) attested.push(plan.key);
      }
      expect(attested).to.deep.equal(VOUCHERS.filter((plan) => plan.attested).map((plan) => plan.key));
      expect(attested).to.have.length(6);
      const database = readIssuerDatabase(seed.issuerDatabase);
      expect(database.issuer).to.equal(who("henry"));
      expect(database.cards.map((card) => [card.cardNumber, card.faceValue, card.status])).to.deep.equal([
        ...attested.map((key) => [seed.cards.get(key)!.cardNumber, String(plans.get(key)!.face * 100), "active"]),
        ...SPARE_CARDS.map((card) => [demoCard(card.brand, card.key).cardNumber, String(card.face * 100), "active"]),
        [seed.cards.get("ivy-tmall100")!.cardNumber, "10000", "redeemed"],
      ]);
      expect(database.cards[0].pin).to.equal(seed.cards.get(attested[0])!.code);
      // The spare cards are nobody's yet: the registry never saw them.
      for (const spare of SPARE_CARDS) {
        const brand = BigInt(Object.keys(BRANDS).indexOf(spare.brand) + 1);
        expect(await token.cardToken(brand, cardHash(brand, demoCard(spare.brand, spare.key).cardNumber))).to.equal(0n);
      }
    });

    it("seals every holder's card to its vault key and the buyers' re-sealed cards to theirs", async function () {
      const sealed = await token.queryFilter(token.filters.CodeSealed());
      const latest = new Map<bigint, { owner: string; sealedCode: string }>();
      for (const event of sealed) latest.set(event.args.tokenId, event.args);
      const vaults = new Map<string, Uint8Array>();
      for (const actor of ["alice", "frank", "ivy", "grace", "bob", "jack"] as Actor[]) {
        vaults.set(who(actor), (await keyOf(actor, "vault")).secretKey);
      }
      let opened = 0;
      for (const plan of VOUCHERS.filter((p) => !p.backed)) {
        const tokenId = seed.tokenIds.get(plan.key)!;
        const { owner, sealedCode } = latest.get(tokenId)!;
        const check = checkDelivery(sealedCode as Hex, vaults.get(owner)!, await commitments(tokenId));
        expect(check.ok, plan.key).to.equal(true);
        expect(check.card, plan.key).to.deep.include(seed.cards.get(plan.key));
        opened++;
      }
      expect(opened).to.equal(46);
      // Bob's purchases were re-sealed to Bob after they settled.
      expect(latest.get(seed.tokenIds.get("alice-jd500-a")!)!.owner).to.equal(who("bob"));
    });

    it("delivers the awaiting-confirmation order to Bob's per-order key, with the committed card", async function () {
      const orderId = seed.orderIds.get("delivered")!;
      const [event] = await exchange.queryFilter(exchange.filters.CodeDelivered(orderId));
      const tokenId = seed.tokenIds.get("alice-tmall300")!;
      const check = checkDelivery(
        event.args.ciphertext as Hex,
        (await keyOf("bob", `order:${orderId}`)).secretKey,
        await commitments(tokenId),
      );
      expect(check).to.deep.include({ ok: true, cardMatches: true, codeMatches: true });
      expect(check.card).to.deep.include(seed.cards.get("alice-tmall300"));
    });

    it("leaves a bonded dispute whose sealed evidence shows the arbiter the right card number with a wrong PIN", async function () {
      const orderId = seed.orderIds.get("dispute")!;
      const [purchase] = await exchange.queryFilter(exchange.filters.Purchased(orderId));
      const [disputed] = await exchange.queryFilter(exchange.filters.Disputed(orderId));
      const [delivery] = await exchange.queryFilter(exchange.filters.CodeDelivered(orderId));
      expect(disputed.args.bond).to.equal(bondOf(SALES.find((sale) => sale.key === "dispute")!));
      expect(await exchange.disputeBond(orderId)).to.equal(disputed.args.bond);
      const order = {
        sealedEvidence: disputed.args.sealedEvidence as Hex,
        buyerKey: purchase.args.buyerKey as Hex,
        delivery: delivery.args.ciphertext as Hex,
        voucher: await commitments(seed.tokenIds.get("frank-amazon50")!),
      };
      // Nobody but the arbiter opens it: not the buyer's own vault key, not the seller's.
      for (const [actor, purpose] of [
        ["grace", "vault"],
        ["frank", "arbiter"],
      ] as const) {
        expect(verifyEvidence(order, (await keyOf(actor, purpose)).secretKey).evidenceOpened).to.equal(false);
      }
      const ruling = verifyEvidence(order, (await keyOf("arbiter", "arbiter")).secretKey);
      expect(ruling).to.deep.include({ evidenceOpened: true, keyMatches: true, cardMatches: true, codeMatches: false });
      const committed = seed.cards.get("frank-amazon50")!;
      expect(ruling.card!.cardNumber).to.equal(committed.cardNumber);
      expect(ruling.card!.code).to.not.equal(committed.code);
      expect(ruling.card!.code.slice(0, -1)).to.equal(committed.code.slice(0, -1));
    });

    it("ends the history at the chain's now, two weeks after the first seeded block", async function () {
      // The deploy takes nine blocks: token, exchange, offers, kUSD, kCNY, setExchange, setOffers, two setPayToken.
      const firstSeeded = await ethers.provider.getBlock(deployment.startBlock + 9);
      const latest = await networkHelpers.time.latest();
      expect(latest - seed.end).to.be.within(0, 60);
      expect(seed.end - firstSeeded!.timestamp).to.be.within(13.9 * DAY, 14 * DAY);
    });

    it("runs once: a second seed sends nothing", async function () {
      const again = await seedDemo(provider, deployment);
      expect(again.skipped).to.equal(true);
      expect(await ethers.provider.getBlockNumber()).to.equal(blockAfterSeed);
    });

    it("labels every seeded role in demo-accounts with the node's own addresses", function () {
      for (const account of DEMO_ACCOUNT_LIST) expect(signers[account.index].address).to.equal(account.address);
      for (const [actor, index] of Object.entries(ACTORS)) {
        expect(DEMO_ACCOUNT_LIST[index].name.toLowerCase()).to.equal(
          { owner: "owner", treasury: "treasury", arbiter: "judge" }[actor] ?? actor,
        );
      }
    });
  });

  describe("on another chain", function () {
    it("refuses to deploy over a recorded deployment the chain does not have, and refuses to seed", async function () {
      const sepolia = await network.create({ override: { chainId: 11155111 } });
      const record = { ...deployment, chainId: 11155111 };
      writeFileSync(path.join(dir, "11155111.json"), JSON.stringify(record));
      try {
        const deployError = await deployKaquan(sepolia.provider, { deploymentsDir: dir }).then(
          () => undefined,
          (e: Error) => e,
        );
        expect(deployError?.message).to.match(
          /11155111\.json records a deployment that chain 11155111 does not have \(no contract at voucherToken .*\)\. Refusing to deploy over it/,
        );
        const seedError = await seedDemo(sepolia.provider, record).then(
          () => undefined,
          (e: Error) => e,
        );
        expect(seedError?.message).to.equal(
          "The demo seed only runs on the local chain (31337): it uses Hardhat's unlocked test accounts and moves " +
            "the chain clock. This is chain 11155111.",
        );
        expect(JSON.parse(readFileSync(path.join(dir, "11155111.json"), "utf8"))).to.deep.equal(record);
      } finally {
        await sepolia.close();
      }
    });
  });
});
