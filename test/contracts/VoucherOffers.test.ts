import { expect } from "chai";
import { DAY, ETH, FEE_BPS, deployExchange, ethers, networkHelpers, randomKey, Status } from "./helpers/fixtures.js";

const { loadFixture, time } = networkHelpers;

const BPS = 10_000n;
/** ¥/$ face values are in minor units; 1 minor unit at 100% is worth this many wei (an ETH offer) ... */
const WEI_PER_UNIT = 10n ** 12n;
/** ... or this many kUSD base units (6 decimals: 1 cent = 10,000). */
const USD_PER_UNIT = 10_000n;
const KEY = randomKey();

/** A schedule like the issue's: ≤ 50.00 at 85%, ≤ 200.00 at 90%, above (to 10,000.00) at 95%. */
function schedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    tiers: [
      { maxFaceValue: 5_000n, rateBps: 8_500n },
      { maxFaceValue: 20_000n, rateBps: 9_000n },
      { maxFaceValue: 1_000_000n, rateBps: 9_500n },
    ],
    batchMinCount: 0n,
    batchBonusBps: 0n,
    nearExpiryDays: 0n,
    nearExpiryBps: 0n,
    ...overrides,
  };
}

interface Schedule {
  tiers: { maxFaceValue: bigint; rateBps: bigint }[];
  batchMinCount: bigint;
  batchBonusBps: bigint;
  nearExpiryDays: bigint;
  nearExpiryBps: bigint;
}

async function offersFixture() {
  const base = await deployExchange();
  const { voucher, exchange, offers, usd, buyer: recycler } = base;
  await voucher.connect(base.seller).setApprovalForAll(await exchange.getAddress(), true);
  const offerExpiresAt = base.expiresAt - 30n * BigInt(DAY);

  function params(overrides: Record<string, unknown> = {}) {
    return {
      brandId: 2n,
      payToken: ETH,
      unitPrice: WEI_PER_UNIT,
      maxCards: 20n,
      expiresAt: offerExpiresAt,
      attestedOnly: false,
      deliveryKey: KEY,
      ...overrides,
    };
  }

  /** Posts an offer as the recycler and returns its id. */
  async function post(p = params(), s = schedule(), budget = ethers.parseEther("1")) {
    const id = (await offers.offerCount()) + 1n;
    await offers.connect(recycler).post(p, s, budget, { value: p.payToken === ETH ? budget : 0n });
    return id;
  }

  return { ...base, recycler, params, post, usdAddress: await usd.getAddress() };
}

describe("VoucherOffers", function () {
  describe("a sale of an issuer-backed card in ETH", function () {
    it("pays the seller, credits the fee and moves the card to the recycler, out of the budget", async function () {
      const { exchange, offers, voucher, seller, recycler, treasury, post, issueBacked } =
        await loadFixture(offersFixture);
      const budget = ethers.parseEther("1");
      const offerId = await post();
      expect(await exchange.offerFunds(offerId)).to.deep.equal([ETH, budget]);
      const tokenId = await issueBacked(); // 25.00: first tier, 85%
      const price = (2_500n * WEI_PER_UNIT * 8_500n) / BPS;
      const fee = (price * FEE_BPS) / BPS;
      const tradeId = (await exchange.tradeCount()) + 1n;
      const tx = offers.connect(seller).sell(offerId, [tokenId], price, ETH);
      await expect(tx)
        .to.emit(offers, "OfferSold")
        .withArgs(offerId, seller.address, 1n, price, tradeId)
        .and.to.emit(exchange, "SoldToOffer")
        .withArgs(tradeId, offerId, seller.address, tokenId, price)
        .and.to.emit(exchange, "Purchased")
        .withArgs(tradeId, recycler.address, ETH, price, FEE_BPS, ethers.ZeroHash)
        .and.to.emit(exchange, "Settled")
        .withArgs(tradeId, price - fee, fee, fee);
      await expect(tx).to.changeEtherBalances(ethers, [seller, exchange], [price - fee, -(price - fee)]);
      expect(await voucher.ownerOf(tokenId)).to.equal(recycler.address);
      expect(await exchange.offerFunds(offerId)).to.deep.equal([ETH, budget - price]);
      expect(await exchange.credits(treasury.address, ETH)).to.equal(fee);
      expect((await offers.offer(offerId)).cardsLeft).to.equal(19n);
    });
  });

  describe("a sale of a coded card in kUSD", function () {
    it("opens an order with the recycler as buyer that delivers, confirms and settles", async function () {
      const { exchange, offers, usd, seller, recycler, post, params, mintCoded, usdAddress } =
        await loadFixture(offersFixture);
      const budget = 1_000n * 10n ** 6n;
      const offerId = await post(
        params({ brandId: 1n, payToken: usdAddress, unitPrice: USD_PER_UNIT }),
        schedule(),
        budget,
      );
      const { tokenId } = await mintCoded(); // 500.00: third tier, 95%
      const price = (50_000n * USD_PER_UNIT * 9_500n) / BPS;
      const fee = (price * FEE_BPS) / BPS;
      const tradeId = (await exchange.tradeCount()) + 1n;
      await expect(offers.connect(seller).sell(offerId, [tokenId], price, ETH))
        .to.emit(exchange, "Purchased")
        .withArgs(tradeId, recycler.address, ETH, price, FEE_BPS, KEY);
      const t = await exchange.trade(tradeId);
      expect(t.buyer).to.equal(recycler.address);
      expect(t.status).to.equal(Status.AwaitingDelivery);
      expect(t.price).to.equal(price);
      expect(t.payToken).to.equal(usdAddress);
      await exchange.connect(seller).deliverCode(tradeId, "0x1234");
      await expect(exchange.connect(recycler).confirm(tradeId)).to.changeTokenBalances(
        ethers,
        usd,
        [seller, exchange],
        [price - fee, -(price - fee)],
      );
      expect(await exchange.offerFunds(offerId)).to.deep.equal([usdAddress, budget - price]);
    });
  });

  describe("cancel", function () {
    it("returns exactly the unspent budget", async function () {
      const { exchange, offers, seller, recycler, post, issueBacked } = await loadFixture(offersFixture);
      const budget = ethers.parseEther("1");
      const offerId = await post();
      const tokenId = await issueBacked();
      await offers.connect(seller).sell(offerId, [tokenId], 0n, ETH);
      const [, left] = await exchange.offerFunds(offerId);
      expect(left).to.be.lessThan(budget);
      const tx = offers.connect(recycler).cancel(offerId);
      await expect(tx).to.emit(offers, "OfferCancelled").withArgs(offerId, recycler.address, left);
      await expect(tx).to.changeEtherBalances(ethers, [recycler, exchange], [left, -left]);
      expect(await exchange.offerFunds(offerId)).to.deep.equal([ETH, 0n]);
    });
  });

  describe("time", function () {
    it("refuses a sale after the offer expired", async function () {
      const { offers, seller, post, issueBacked } = await loadFixture(offersFixture);
      const offerId = await post();
      const o = await offers.offer(offerId);
      const tokenId = await issueBacked();
      await time.increaseTo(o.expiresAt + 1n);
      await expect(offers.connect(seller).sell(offerId, [tokenId], 0n, ETH))
        .to.be.revertedWithCustomError(offers, "OfferExpired")
        .withArgs(offerId, o.expiresAt);
    });
  });
});
