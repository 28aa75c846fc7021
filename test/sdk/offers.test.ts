/**
 * The SDK's standing offers against a fresh in-process chain: every action through the state machine (post, top up,
 * reschedule, sell coded and issuer-backed cards, deliver, confirm, dispute, cancel), the pure quote equal to the
 * contract's to the wei, and refusals decoded by name.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { zeroAddress, type Address } from "viem";
import * as sdk from "#sdk";
import { connect, type Chainish } from "../../scripts/lib/chain.js";
import { deployKaquan } from "../../scripts/lib/deploy.js";

const { provider } = await network.create();

const DAY = 86_400;
/** 1 fen in kCNY (6 decimals). */
const FEN = 10_000n;
const JD_RULES: sdk.OfferSchedule = {
  tiers: [
    { maxFaceValue: 5_000, rateBps: 8_500 },
    { maxFaceValue: 20_000, rateBps: 9_000 },
    { maxFaceValue: 100_000, rateBps: 9_500 },
  ],
  batchMinCount: 11,
  batchBonusBps: 300,
  nearExpiryDays: 30,
  nearExpiryBps: -500,
};
const FACE_VALUES = [5_000n, 10_000n, 20_000n, 50_000n, 100_000n];

describe("sdk offers", function () {
  let chain: Chainish;
  let dir: string;
  let as: (account: Address) => sdk.Kaquan;
  let owner: Address, arbiter: Address, seller: Address, buyer: Address, stranger: Address, issuer: Address;
  let recycler: Address, other: Address;
  let kcny: Address;
  let serial = 0;
  const JD = 1;
  const MEITUAN = 2;

  const now = async () => BigInt(await sdk.getChainTime(as(owner)));
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error as sdk.KaquanError,
    );

  /** A coded JD card of `holder`, expiring `days` from now; returns its token id. */
  async function coded(holder: Address, faceValue = 10_000n, days = 200): Promise<bigint> {
    const code = `PIN-${++serial}`;
    const expiresAt = (await now()) + BigInt(days * DAY);
    const card = { brandId: JD, faceValue, expiresAt, cardNumber: `JD88 ${String(serial).padStart(8, "0")}`, code };
    return (await sdk.mint(as(holder), card)).tokenId;
  }

  /** An issuer-backed card of `holder` (JD unless another brand is given). */
  async function backed(holder: Address, faceValue = 10_000n, brandId = JD): Promise<bigint> {
    const expiresAt = (await now()) + BigInt(200 * DAY);
    return (await sdk.issue(as(issuer), { to: holder, brandId, faceValue, expiresAt })).tokenId;
  }

  async function post(account: Address, extra: Partial<sdk.PostOfferArgs> = {}) {
    return sdk.postOffer(as(account), {
      brandId: JD,
      payToken: kcny,
      unitPrice: FEN,
      maxCards: 40,
      expiresAt: (await now()) + BigInt(60 * DAY),
      schedule: JD_RULES,
      budget: 100_000n * 10n ** 6n,
      ...extra,
    });
  }

  const balanceOf = (token: Address, account: Address) =>
    chain.publicClient.readContract({
      address: token,
      abi: sdk.testStablecoinAbi,
      functionName: "balanceOf",
      args: [account],
    });

  before(async function () {
    dir = mkdtempSync(path.join(tmpdir(), "kaquan-offers-"));
    const { deployment } = await deployKaquan(provider, { deploymentsDir: dir });
    chain = await connect(provider);
    const accounts = await chain.accounts();
    as = (account) => ({ deployment, publicClient: chain.publicClient, walletClient: chain.wallet(account) });
    [owner, arbiter, seller, buyer, stranger, issuer, recycler, other] = [0, 2, 3, 4, 9, 10, 12, 13].map(
      (i) => accounts[i],
    );
    kcny = deployment.cnyStablecoin;
    for (const [name, category] of [
      ["JD E-Card", "e-commerce card"],
      ["Meituan Meal Voucher", "meal voucher"],
    ] as const) {
      const brand = [name, category, "CNY", issuer] as const;
      await sdk.execute(
        as(owner),
        sdk.contractCall(deployment.voucherToken, sdk.voucherTokenAbi, "registerBrand", brand),
      );
    }
    await sdk.setDenominations(as(owner), JD, { faceValues: FACE_VALUES });
    await sdk.setDenominations(as(owner), MEITUAN, { faceValues: [5_000n, 10_000n, 20_000n, 200_000n] });
    await sdk.setArbiterKey(as(arbiter));
    for (const account of [recycler, other]) {
      const faucet = [account, 1_000_000n * 10n ** 6n] as const;
      await sdk.execute(as(account), sdk.contractCall(kcny, sdk.testStablecoinAbi, "faucet", faucet));
    }
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  describe("postOffer, getOffer, getRecyclerOffers", function () {
    it("approves the exchange for an ERC-20 budget when the allowance is short, escrows it, and keys the offer", async function () {
      const allowance = () =>
        chain.publicClient.readContract({
          address: kcny,
          abi: sdk.testStablecoinAbi,
          functionName: "allowance",
          args: [recycler, as(owner).deployment.voucherExchange],
        });
      expect(await allowance()).to.equal(0n);
      const { offerId, receipt } = await post(recycler);
      expect(receipt.status).to.equal("success");
      const offer = await sdk.getOffer(as(stranger), offerId);
      expect(offer).to.deep.include({
        offerId,
        recycler,
        brandId: JD,
        payToken: kcny,
        unitPrice: FEN,
        cardsLeft: 40,
        attestedOnly: false,
        open: true,
        budget: 100_000n * 10n ** 6n,
      });
      expect(offer.schedule.tiers).to.deep.equal(JD_RULES.tiers);
      const key = await sdk.offerKeyPair(as(recycler), offerId);
      expect(sdk.toBytes32(key.publicKey)).to.equal(offer.deliveryKey);
      const [token, amount] = await chain.publicClient.readContract({
        address: as(owner).deployment.voucherExchange,
        abi: sdk.voucherExchangeAbi,
        functionName: "offerFunds",
        args: [offerId],
      });
      expect([token, amount]).to.deep.equal([kcny, offer.budget]);
      expect((await sdk.getRecyclerOffers(as(stranger), recycler)).map((o) => o.offerId)).to.deep.equal([offerId]);
    });

    it("posts an ETH offer with the budget as value", async function () {
      const budget = 10n ** 18n;
      const { offerId } = await post(other, { payToken: zeroAddress, unitPrice: 466_666_666_666n, budget });
      const offer = await sdk.getOffer(as(stranger), offerId);
      expect(offer).to.deep.include({ payToken: zeroAddress, budget, recycler: other });
    });

    it("names a refused schedule or budget before any signature", async function () {
      const tiers = await failure(post(recycler, { schedule: { ...JD_RULES, tiers: [] } }));
      expect(tiers?.decoded).to.deep.include({ name: "InvalidTiers", args: [0n] });
      const bonus = await failure(post(recycler, { schedule: { ...JD_RULES, batchBonusBps: 1_001 } }));
      expect(bonus?.decoded.name).to.equal("InvalidBatchBonus");
      const near = await failure(post(recycler, { schedule: { ...JD_RULES, nearExpiryDays: 0 } }));
      expect(near?.decoded.name).to.equal("InvalidNearExpiry");
      const budget = await failure(post(recycler, { budget: 1n }));
      expect(budget?.decoded.name).to.equal("BudgetTooLow");
      expect(budget?.message).to.contain("below the least an offer may hold");
      for (const schedule of [
        { ...JD_RULES, tiers: [] },
        { ...JD_RULES, batchBonusBps: 1_001 },
        { ...JD_RULES, nearExpiryDays: 0 },
      ]) {
        expect(sdk.validateSchedule(schedule)).to.have.length(1);
      }
    });
  });

  describe("quotes", function () {
    it("computes the contract's quote to the wei for varied card sets (tiers, batch bonus, near expiry, fee)", async function () {
      const { offerId } = await post(recycler, { maxCards: 50 });
      const tokenIds: bigint[] = [];
      // Varied face values and expiries: far, near (≤ 30 days), just outside the near-expiry window.
      const days = [200, 10, 45, 29, 31, 300, 6, 120];
      for (let i = 0; i < 14; i++) tokenIds.push(await coded(seller, FACE_VALUES[(i * 3) % 5], days[i % days.length]));
      tokenIds.push(await backed(seller, 10_000n));
      const offer = await sdk.getOffer(as(stranger), offerId);
      const { feeBps } = await sdk.getSettings(as(stranger));
      const infos = await sdk.getVoucherInfos(as(stranger), tokenIds);
      const sets = [
        [tokenIds[0]],
        [tokenIds[1]],
        tokenIds.slice(0, 3),
        tokenIds.slice(2, 12),
        tokenIds.slice(0, 11),
        tokenIds.slice(1, 14),
      ];
      for (const set of sets) {
        const onChain = await sdk.quoteOfferSale(as(stranger), offerId, set);
        const pure = sdk.quoteCards(
          offer,
          set.map((id) => infos.get(id)!),
          await now(),
          feeBps,
        );
        expect(pure.total, `total of ${set.length}`).to.equal(onChain.total);
        expect(pure.fee).to.equal(onChain.fee);
        expect(pure.sellerReceives).to.equal(onChain.sellerProceeds);
        expect(pure.cards.map((c) => c.price)).to.deep.equal([...onChain.prices]);
        expect(pure.cards.map((c) => c.breakdown.rateBps)).to.deep.equal([...onChain.rateBps]);
      }
      const batch = sdk.quoteCards(
        offer,
        tokenIds.slice(0, 11).map((id) => infos.get(id)!),
        await now(),
        feeBps,
      );
      expect(batch.cards.every((c) => c.breakdown.batchBonusBps === 300)).to.equal(true);
      expect(batch.cards.some((c) => c.breakdown.nearExpiryBps === -500)).to.equal(true);
      // A card of another brand is refused by the pure check and by the contract alike.
      const meituan = await backed(seller, 10_000n, MEITUAN);
      const wrong = await failure(sdk.quoteOfferSale(as(stranger), offerId, [meituan]));
      expect(wrong?.decoded).to.deep.include({ name: "WrongBrand", args: [meituan, BigInt(MEITUAN), BigInt(JD)] });
    });

    it("lists a brand's open offers best first, and finds the best offer for a voucher", async function () {
      const better = await post(other, {
        schedule: { ...JD_RULES, tiers: [{ maxFaceValue: 100_000, rateBps: 9_600 }] },
      });
      const tokenId = await coded(seller, 10_000n);
      const open = await sdk.getOpenOffers(as(stranger), JD, 10_000n);
      expect(open[0].offerId).to.equal(better.offerId);
      const rates = open.map((offer) => sdk.tierOf(offer.schedule, 10_000n)!.rateBps);
      expect(rates).to.deep.equal([...rates].sort((a, b) => b - a));
      const best = await sdk.getBestOffer(as(stranger), tokenId);
      expect(best?.offer.offerId).to.equal(better.offerId);
      expect(best?.price).to.equal((10_000n * FEN * 9_600n) / 10_000n);
      await sdk.cancelOffer(as(other), better.offerId);
      expect((await sdk.getOpenOffers(as(stranger), JD)).map((o) => o.offerId)).to.not.include(better.offerId);
    });
  });

  describe("sellToOffer through delivery, confirmation and dispute", function () {
    let offerId: bigint;

    before(async function () {
      ({ offerId } = await post(recycler, { maxCards: 6 }));
    });

    it("approves the vouchers if needed, sells a batch at the quote, settles issuer-backed cards at once", async function () {
      const cards = [await coded(buyer), await backed(buyer), await coded(buyer, 50_000n)];
      const quote = await sdk.quoteOfferSale(as(buyer), offerId, cards);
      const before = await balanceOf(kcny, buyer);
      const { tradeIds, total } = await sdk.sellToOffer(as(buyer), { offerId, tokenIds: [...cards].reverse() });
      expect(total).to.equal(quote.total);
      expect(tradeIds).to.have.length(3);
      const sales = await sdk.getOfferSales(as(stranger), { offerId });
      expect(sales.map((s) => [s.tokenId, s.issuerBacked, s.status])).to.deep.equal([
        [cards[0], false, sdk.Status.AwaitingDelivery],
        [cards[1], true, sdk.Status.Completed],
        [cards[2], false, sdk.Status.AwaitingDelivery],
      ]);
      // The issuer-backed card is the recycler's and its seller is paid now; the coded ones wait in escrow.
      const tokenOwner = (tokenId: bigint) =>
        chain.publicClient.readContract({
          address: as(owner).deployment.voucherToken,
          abi: sdk.voucherTokenAbi,
          functionName: "ownerOf",
          args: [tokenId],
        });
      expect(await tokenOwner(cards[1])).to.equal(recycler);
      expect(await tokenOwner(cards[0])).to.equal(as(owner).deployment.voucherExchange);
      const proceeds =
        quote.prices[1] - (quote.prices[1] * BigInt((await sdk.getSettings(as(owner))).feeBps)) / 10_000n;
      expect((await balanceOf(kcny, buyer)) - before).to.equal(proceeds);
      expect((await sdk.getOffer(as(stranger), offerId)).cardsLeft).to.equal(3);
      const trade = await sdk.getTrade(as(stranger), tradeIds[0]);
      expect(trade.buyer).to.equal(recycler);
    });

    it("getWallet lists the seller's coded cards sold into an offer among its orders as seller", async function () {
      const sales = await sdk.getOfferSales(as(stranger), { offerId, seller: buyer });
      const coded = sales.filter((s) => !s.issuerBacked).map((s) => s.tradeId);
      const instant = sales.filter((s) => s.issuerBacked).map((s) => s.tradeId);
      expect([coded.length, instant.length]).to.deep.equal([2, 1]);
      const { selling } = await sdk.getWallet(as(buyer), buyer);
      const fromOffer = selling.filter((order) => sales.some((s) => s.tradeId === order.id));
      // Newest first, like every order; the issuer-backed card settled in the sale and left no order to follow.
      expect(fromOffer.map((order) => order.id)).to.deep.equal([...coded].reverse());
      const { deliveryKey } = await sdk.getOffer(as(stranger), offerId);
      for (const order of fromOffer) {
        expect(order.trade).to.deep.include({ seller: buyer, buyer: recycler, status: sdk.Status.AwaitingDelivery });
        expect(order.buyerKey).to.equal(deliveryKey);
      }
      // The recycler sees the same orders as its purchases, and no empty order for the card that settled at once.
      const { buying } = await sdk.getWallet(as(recycler), recycler);
      expect(buying.map((order) => order.id)).to.include.members(coded);
      expect(buying.map((order) => order.id)).to.not.include.members(instant);
      expect(buying.every((order) => order.trade.status !== sdk.Status.None)).to.equal(true);
    });

    it("the seller delivers, the recycler opens it with the offer key, confirms and keeps the code", async function () {
      const [sale] = (await sdk.getOfferSales(as(stranger), { offerId, seller: buyer })).filter(
        (s) => s.status === sdk.Status.AwaitingDelivery,
      );
      await sdk.deliver(as(buyer), sale.tradeId);
      const check = await sdk.openOfferDelivery(as(recycler), sale.tradeId);
      expect(check.ok).to.equal(true);
      await sdk.confirm(as(recycler), sale.tradeId);
      expect((await sdk.getTrade(as(stranger), sale.tradeId)).status).to.equal(sdk.Status.Completed);
      await sdk.keepOfferCode(as(recycler), sale.tradeId);
      const vaultCopy = await sdk.getSealedCode(as(recycler), sale.tokenId, recycler);
      const vault = await sdk.deriveKey(as(recycler), "vault");
      expect(sdk.openCode(vaultCopy!, vault.secretKey).code).to.equal(check.card!.code);
    });

    it("a wrong code is disputed with the bond and the offer key sealed to the arbiter", async function () {
      const [sale] = (await sdk.getOfferSales(as(stranger), { offerId, seller: buyer })).filter(
        (s) => s.status === sdk.Status.AwaitingDelivery,
      );
      const order = await sdk.getOrder(as(buyer), sale.tradeId);
      const vault = await sdk.deriveKey(as(buyer), "vault");
      const vaultCopy = await sdk.getSealedCode(as(buyer), sale.tokenId, buyer);
      const card = sdk.openCode(vaultCopy!, vault.secretKey);
      const wrong = sdk.sealCode({ ...card, code: `${card.code}X` }, card.salt, sdk.fromBytes32(order.buyerKey!));
      await sdk.deliverCode(as(buyer), sale.tradeId, wrong);
      const check = await sdk.openOfferDelivery(as(recycler), sale.tradeId);
      expect(check).to.deep.include({ ok: false, cardMatches: true, codeMatches: false });
      const { bond } = await sdk.getDisputeTerms(as(recycler), sale.tradeId);
      const before = await balanceOf(kcny, recycler);
      await sdk.disputeOfferOrder(as(recycler), sale.tradeId);
      expect(before - (await balanceOf(kcny, recycler))).to.equal(bond);
      expect((await sdk.getTrade(as(stranger), sale.tradeId)).status).to.equal(sdk.Status.Disputed);
      const ruling = await sdk.checkDispute(as(arbiter), sale.tradeId);
      expect(ruling).to.deep.include({ keyMatches: true, cardMatches: true, codeMatches: false });
    });

    it("a rate cut in front of a sale reverts it (TotalBelowMinimum) instead of paying less", async function () {
      const tokenId = await coded(buyer);
      const quote = await sdk.quoteOfferSale(as(buyer), offerId, [tokenId]);
      const cut = { ...JD_RULES, tiers: JD_RULES.tiers.map((tier) => ({ ...tier, rateBps: tier.rateBps - 1_000 })) };
      await sdk.setOfferSchedule(as(recycler), offerId, cut);
      const refused = await failure(
        sdk.sellToOffer(as(buyer), { offerId, tokenIds: [tokenId], minTotal: quote.total }),
      );
      expect(refused?.decoded.name).to.equal("TotalBelowMinimum");
      expect(refused?.decoded.args).to.deep.equal([(quote.total * 8_000n) / 9_000n, quote.total]);
      await sdk.setOfferSchedule(as(recycler), offerId, JD_RULES);
    });

    it("names the refusals: own offer, not the recycler, cards exhausted, face value out of schedule", async function () {
      const mine = await coded(recycler);
      await sdk.approveVouchers(as(recycler));
      const own = await failure(sdk.sellToOffer(as(recycler), { offerId, tokenIds: [mine], minTotal: 0n }));
      expect(own?.decoded).to.deep.include({ name: "SellerIsRecycler", args: [offerId] });
      const notMine = await failure(sdk.setOfferSchedule(as(stranger), offerId, JD_RULES));
      expect(notMine?.decoded).to.deep.include({ name: "NotRecycler", args: [stranger, offerId] });
      const many = [await coded(buyer), await coded(buyer), await coded(buyer), await coded(buyer)];
      const exhausted = await failure(sdk.sellToOffer(as(buyer), { offerId, tokenIds: many }));
      expect(exhausted?.decoded.name).to.equal("CardsExhausted");
      const narrow = { ...JD_RULES, tiers: [{ maxFaceValue: 20_000, rateBps: 9_000 }] };
      await sdk.setOfferSchedule(as(recycler), offerId, narrow);
      const big = await coded(buyer, 50_000n);
      const outOfSchedule = await failure(sdk.sellToOffer(as(buyer), { offerId, tokenIds: [big] }));
      expect(outOfSchedule?.decoded).to.deep.include({ name: "FaceValueOutOfSchedule", args: [big, 50_000n] });
      expect(outOfSchedule?.message).to.contain("above the offer's rate schedule");
      await sdk.setOfferSchedule(as(recycler), offerId, JD_RULES);
    });

    it("an attested-only offer refuses an unverified coded card (NotAttested)", async function () {
      const { offerId: attestedOnly } = await post(other, { attestedOnly: true });
      const tokenId = await coded(buyer);
      const refused = await failure(sdk.sellToOffer(as(buyer), { offerId: attestedOnly, tokenIds: [tokenId] }));
      expect(refused?.decoded).to.deep.include({ name: "NotAttested", args: [tokenId] });
      await sdk.attest(as(issuer), tokenId, 10_000n);
      await sdk.sellToOffer(as(buyer), { offerId: attestedOnly, tokenIds: [tokenId] });
    });

    it("tops up, then cancel returns exactly the unspent budget; a closed offer refuses everything", async function () {
      const amount = 5_000n * 10n ** 6n;
      const budgetBefore = (await sdk.getOffer(as(stranger), offerId)).budget;
      await sdk.topUpOffer(as(recycler), offerId, amount);
      const { budget } = await sdk.getOffer(as(stranger), offerId);
      expect(budget).to.equal(budgetBefore + amount);
      const before = await balanceOf(kcny, recycler);
      await sdk.cancelOffer(as(recycler), offerId);
      expect((await balanceOf(kcny, recycler)) - before).to.equal(budget);
      const offer = await sdk.getOffer(as(stranger), offerId);
      expect(offer).to.deep.include({ open: false, budget: 0n });
      const again = await failure(sdk.cancelOffer(as(recycler), offerId));
      expect(again?.decoded).to.deep.include({ name: "OfferClosed", args: [offerId] });
      const topUp = await failure(sdk.topUpOffer(as(recycler), offerId, amount));
      expect(topUp?.decoded.name).to.equal("OfferClosed");
      const unknown = await failure(sdk.quoteOfferSale(as(stranger), 999n, [1n]));
      expect(unknown?.decoded).to.deep.include({ name: "UnknownOffer", args: [999n] });
    });
  });
});
