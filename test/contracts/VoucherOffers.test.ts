// Recyclers' standing offers: the book (VoucherOffers) and the budgets, sales and orders it opens in the exchange.
import { expect } from "chai";
import {
  CONFIRM_WINDOW,
  DAY,
  DELIVERY_WINDOW,
  ETH,
  FEE_BPS,
  LEVEL_SHARES,
  MIN_PRICE,
  Status,
  deployExchange,
  ethers,
  networkHelpers,
  randomKey,
} from "./helpers/fixtures.js";

const { loadFixture, time } = networkHelpers;

const BPS = 10_000n;
/** An ETH offer values 1 minor unit of face value (1 cent / 1 fen) at 1e12 wei at 100%. */
const WEI_PER_UNIT = 10n ** 12n;
/** A kUSD offer (6 decimals): 1 cent = 10,000 base units. */
const USD_PER_UNIT = 10_000n;
const KEY = randomKey();
const ETH_BUDGET = ethers.parseEther("1");
const USD_BUDGET = 10_000n * 10n ** 6n;
/** The fixture's face values: issuer-backed 25.00 (brand 2), coded 500.00 (brand 1). */
const BACKED_FACE = 2_500n;
const CODED_FACE = 50_000n;

interface Schedule {
  tiers: { maxFaceValue: bigint; rateBps: bigint }[];
  batchMinCount: bigint;
  batchBonusBps: bigint;
  nearExpiryDays: bigint;
  nearExpiryBps: bigint;
}

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

function priceOf(faceValue: bigint, unitPrice: bigint, rateBps: bigint) {
  return (faceValue * unitPrice * rateBps) / BPS;
}

function feeOf(price: bigint) {
  return (price * FEE_BPS) / BPS;
}

async function offersFixture() {
  const base = await deployExchange();
  const { voucher, exchange, offers, usd, buyer: recycler, seller, issuer } = base;
  const exchangeAddress = await exchange.getAddress();
  const usdAddress = await usd.getAddress();
  await voucher.connect(seller).setApprovalForAll(exchangeAddress, true);
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

  /** Params of a kUSD offer for coded brand 1. */
  function usdParams(overrides: Record<string, unknown> = {}) {
    return params({ brandId: 1n, payToken: usdAddress, unitPrice: USD_PER_UNIT, ...overrides });
  }

  /** Posts an offer as `from` (the recycler by default) and returns its id. */
  async function post(p = params(), s = schedule(), budget?: bigint, from = recycler) {
    const amount = budget ?? (p.payToken === ETH ? ETH_BUDGET : USD_BUDGET);
    const id = (await offers.offerCount()) + 1n;
    await offers.connect(from).post(p, s, amount, { value: p.payToken === ETH ? amount : 0n });
    return id;
  }

  /** Issues `n` issuer-backed vouchers (brand 2) to the seller with the given face value and expiry. */
  async function backed(n = 1, faceValue = BACKED_FACE, expiry = base.expiresAt) {
    const ids: bigint[] = [];
    for (let i = 0; i < n; i++) {
      const tx = await voucher.connect(issuer).issue(seller.address, 2n, faceValue, expiry);
      const receipt = await tx.wait();
      const log = receipt!.logs.map((l) => voucher.interface.parseLog(l)).find((l) => l?.name === "VoucherIssued");
      ids.push(log!.args.tokenId as bigint);
    }
    return ids;
  }

  /** Mints a coded voucher (brand 1) to the seller with a given face value and expiry. */
  async function coded(faceValue = CODED_FACE, expiry = base.expiresAt) {
    const id = (await voucher.totalMinted()) + 1n;
    await voucher
      .connect(seller)
      .mint(1n, faceValue, expiry, ethers.id(`card-${id}`), ethers.id(`code-${id}`), "0x1234");
    return id;
  }

  return { ...base, recycler, params, usdParams, post, backed, coded, usdAddress, exchangeAddress, offerExpiresAt };
}

type Fixture = Awaited<ReturnType<typeof offersFixture>>;

/** Parses the fixture's contracts' events out of a transaction's receipt. */
async function eventsOf(f: Fixture, tx: Promise<{ wait(): Promise<unknown> }>, name: string) {
  const receipt = (await (await tx).wait()) as { logs: { topics: string[]; data: string }[] };
  const parsed = [];
  for (const log of receipt.logs) {
    for (const c of [f.offers, f.exchange]) {
      try {
        const p = c.interface.parseLog(log);
        if (p?.name === name) parsed.push(p);
      } catch {
        // not this contract's event
      }
    }
  }
  return parsed;
}

describe("VoucherOffers", function () {
  describe("post", function () {
    describe("when an ETH offer is posted", function () {
      it("escrows the budget in the exchange, records the offer and emits every parameter", async function () {
        const f = await loadFixture(offersFixture);
        const { offers, exchange, recycler, params } = f;
        const p = params({ attestedOnly: true });
        const s = schedule({ batchMinCount: 10n, batchBonusBps: 300n, nearExpiryDays: 30n, nearExpiryBps: -500n });
        const tx = offers.connect(recycler).post(p, s, ETH_BUDGET, { value: ETH_BUDGET });
        await expect(tx).to.changeEtherBalances(ethers, [recycler, exchange], [-ETH_BUDGET, ETH_BUDGET]);
        await expect(tx).to.emit(exchange, "OfferFunded").withArgs(1n, recycler.address, ETH, ETH_BUDGET);
        const [posted] = await eventsOf(f, tx, "OfferPosted");
        expect(posted.args.offerId).to.equal(1n);
        expect(posted.args.recycler).to.equal(recycler.address);
        expect(posted.args.brandId).to.equal(2n);
        expect(posted.args.budget).to.equal(ETH_BUDGET);
        expect(posted.args.params.toObject()).to.deep.equal(p);
        expect(posted.args.schedule.batchBonusBps).to.equal(300n);
        expect(posted.args.schedule.nearExpiryBps).to.equal(-500n);
        expect(posted.args.schedule.tiers.map((t: { rateBps: bigint }) => t.rateBps)).to.deep.equal([
          8_500n,
          9_000n,
          9_500n,
        ]);

        const o = await offers.offer(1n);
        expect(o.recycler).to.equal(recycler.address);
        expect(o.payToken).to.equal(ETH);
        expect(o.unitPrice).to.equal(WEI_PER_UNIT);
        expect(o.cardsLeft).to.equal(20n);
        expect(o.expiresAt).to.equal(p.expiresAt);
        expect(o.attestedOnly).to.equal(true);
        expect(o.open).to.equal(true);
        expect(o.deliveryKey).to.equal(KEY);
        expect(o.budget).to.equal(ETH_BUDGET);
        expect(o.schedule.tiers.length).to.equal(3);
        expect(o.schedule.tiers[2].maxFaceValue).to.equal(1_000_000n);
        expect(o.schedule.batchMinCount).to.equal(10n);
        expect(o.schedule.nearExpiryDays).to.equal(30n);
        expect(await offers.offerCount()).to.equal(1n);
        expect(await offers.brandOfferCount(2n)).to.equal(1n);
        expect(await exchange.offerFunds(1n)).to.deep.equal([ETH, ETH_BUDGET]);
      });
    });

    describe("when a kUSD offer is posted", function () {
      it("pulls the budget from the recycler only", async function () {
        const { offers, exchange, usd, recycler, usdParams } = await loadFixture(offersFixture);
        const tx = offers.connect(recycler).post(usdParams(), schedule(), USD_BUDGET);
        await expect(tx).to.changeTokenBalances(ethers, usd, [recycler, exchange], [-USD_BUDGET, USD_BUDGET]);
        expect(await exchange.offerFunds(1n)).to.deep.equal([await usd.getAddress(), USD_BUDGET]);
      });
    });

    describe("when the parameters are invalid", function () {
      it("reverts with InvalidOfferParams", async function () {
        const { offers, recycler, params } = await loadFixture(offersFixture);
        const now = BigInt(await time.latest());
        for (const bad of [
          { unitPrice: 0n },
          { maxCards: 0n },
          { expiresAt: now + 1n }, // the next block's timestamp
          { deliveryKey: ethers.ZeroHash },
        ]) {
          await expect(
            offers.connect(recycler).post(params(bad), schedule(), ETH_BUDGET, { value: ETH_BUDGET }),
          ).to.be.revertedWithCustomError(offers, "InvalidOfferParams");
        }
      });

      it("reverts with UnknownBrand for brand 0 and an unregistered brand", async function () {
        const { offers, recycler, params } = await loadFixture(offersFixture);
        for (const brandId of [0n, 3n]) {
          await expect(
            offers.connect(recycler).post(params({ brandId }), schedule(), ETH_BUDGET, { value: ETH_BUDGET }),
          )
            .to.be.revertedWithCustomError(offers, "UnknownBrand")
            .withArgs(brandId);
        }
      });

      it("reverts with PayTokenNotAllowed for a token the exchange does not accept", async function () {
        const { offers, recycler, params, other } = await loadFixture(offersFixture);
        await expect(offers.connect(recycler).post(params({ payToken: other.address }), schedule(), ETH_BUDGET))
          .to.be.revertedWithCustomError(offers, "PayTokenNotAllowed")
          .withArgs(other.address);
      });

      it("reverts with BudgetTooLow below one card at the token's minimum price", async function () {
        const { offers, recycler, params } = await loadFixture(offersFixture);
        await expect(offers.connect(recycler).post(params(), schedule(), MIN_PRICE - 1n, { value: MIN_PRICE - 1n }))
          .to.be.revertedWithCustomError(offers, "BudgetTooLow")
          .withArgs(MIN_PRICE - 1n, MIN_PRICE);
      });

      it("reverts with InvalidTiers for a bad tier list", async function () {
        const { offers, recycler, params } = await loadFixture(offersFixture);
        const tier = (maxFaceValue: bigint, rateBps = 9_000n) => ({ maxFaceValue, rateBps });
        const cases: [Schedule["tiers"], bigint][] = [
          [[], 0n],
          [[tier(1n), tier(2n), tier(3n), tier(4n), tier(5n)], 5n],
          [[tier(0n)], 0n],
          [[tier(10n), tier(10n)], 1n],
          [[tier(10n), tier(5n)], 1n],
          [[tier(10n, 999n)], 0n],
          [[tier(10n), tier(20n, 10_001n)], 1n],
        ];
        for (const [tiers, index] of cases) {
          await expect(offers.connect(recycler).post(params(), schedule({ tiers }), ETH_BUDGET, { value: ETH_BUDGET }))
            .to.be.revertedWithCustomError(offers, "InvalidTiers")
            .withArgs(index);
        }
      });

      it("reverts with InvalidBatchBonus and InvalidNearExpiry for bad adjustments", async function () {
        const { offers, recycler, params } = await loadFixture(offersFixture);
        const post = (adjustment: Parameters<typeof schedule>[0]) =>
          offers.connect(recycler).post(params(), schedule(adjustment), ETH_BUDGET, { value: ETH_BUDGET });
        for (const [count, bonus] of [
          [10n, 1_001n],
          [0n, 300n],
          [51n, 300n],
        ]) {
          await expect(post({ batchMinCount: count, batchBonusBps: bonus }))
            .to.be.revertedWithCustomError(offers, "InvalidBatchBonus")
            .withArgs(count, bonus);
        }
        for (const [days, bps] of [
          [30n, 1_001n],
          [30n, -1_001n],
          [0n, -500n],
        ]) {
          await expect(post({ nearExpiryDays: days, nearExpiryBps: bps }))
            .to.be.revertedWithCustomError(offers, "InvalidNearExpiry")
            .withArgs(days, bps);
        }
      });
    });

    describe("when the payment does not match", function () {
      it("reverts with WrongPayment for ETH short and for ETH sent with a token budget", async function () {
        const { offers, exchange, recycler, params, usdParams } = await loadFixture(offersFixture);
        await expect(offers.connect(recycler).post(params(), schedule(), ETH_BUDGET, { value: ETH_BUDGET - 1n }))
          .to.be.revertedWithCustomError(exchange, "WrongPayment")
          .withArgs(ETH_BUDGET - 1n, ETH_BUDGET);
        await expect(offers.connect(recycler).post(usdParams(), schedule(), USD_BUDGET, { value: 1n }))
          .to.be.revertedWithCustomError(exchange, "WrongPayment")
          .withArgs(1n, 0n);
      });

      it("refuses a fee-on-transfer token with PaymentShortfall", async function () {
        const { offers, exchange, owner, recycler, params } = await loadFixture(offersFixture);
        // Mocks outside the app's contracts have no generated types after `npm ci` alone: a minimal ABI types the calls.
        const address = await (await ethers.deployContract("FeeOnTransferToken")).getAddress();
        const fot = new ethers.Contract(
          address,
          [
            "function mint(address to, uint256 amount)",
            "function approve(address spender, uint256 amount) returns (bool)",
          ],
          recycler,
        );
        await exchange.connect(owner).setPayToken(address, MIN_PRICE);
        await fot.mint(recycler.address, 10n ** 18n);
        await fot.approve(await exchange.getAddress(), ethers.MaxUint256);
        const budget = 1_000_000n;
        await expect(offers.connect(recycler).post(params({ payToken: address }), schedule(), budget))
          .to.be.revertedWithCustomError(exchange, "PaymentShortfall")
          .withArgs(budget - budget / 100n, budget);
      });
    });

    describe("when the exchange is paused", function () {
      it("reverts with EnforcedPause", async function () {
        const { offers, exchange, owner, recycler, params } = await loadFixture(offersFixture);
        await exchange.connect(owner).pause();
        await expect(
          offers.connect(recycler).post(params(), schedule(), ETH_BUDGET, { value: ETH_BUDGET }),
        ).to.be.revertedWithCustomError(exchange, "EnforcedPause");
      });
    });
  });

  describe("topUp", function () {
    it("adds to the budget (ETH and kUSD)", async function () {
      const { offers, exchange, usd, recycler, post, usdParams } = await loadFixture(offersFixture);
      const id = await post();
      const tx = offers.connect(recycler).topUp(id, 5n, { value: 5n });
      await expect(tx).to.emit(offers, "OfferToppedUp").withArgs(id, 5n);
      await expect(tx).to.emit(exchange, "OfferFunded").withArgs(id, recycler.address, ETH, 5n);
      await expect(tx).to.changeEtherBalances(ethers, [recycler, exchange], [-5n, 5n]);
      expect((await offers.offer(id)).budget).to.equal(ETH_BUDGET + 5n);
      const usdId = await post(usdParams());
      await expect(offers.connect(recycler).topUp(usdId, 7n)).to.changeTokenBalances(
        ethers,
        usd,
        [recycler, exchange],
        [-7n, 7n],
      );
      expect(await exchange.offerFunds(usdId)).to.deep.equal([await usd.getAddress(), USD_BUDGET + 7n]);
    });

    it("reverts for an unknown, closed or expired offer, a stranger, zero, or while paused", async function () {
      const { offers, exchange, owner, recycler, other, post, offerExpiresAt } = await loadFixture(offersFixture);
      const id = await post();
      await expect(offers.connect(recycler).topUp(9n, 1n, { value: 1n }))
        .to.be.revertedWithCustomError(offers, "UnknownOffer")
        .withArgs(9n);
      await expect(offers.connect(other).topUp(id, 1n, { value: 1n }))
        .to.be.revertedWithCustomError(offers, "NotRecycler")
        .withArgs(other.address, id);
      await expect(offers.connect(recycler).topUp(id, 0n))
        .to.be.revertedWithCustomError(offers, "BudgetTooLow")
        .withArgs(0n, 1n);
      await expect(offers.connect(recycler).topUp(id, 2n, { value: 1n }))
        .to.be.revertedWithCustomError(exchange, "WrongPayment")
        .withArgs(1n, 2n);
      await exchange.connect(owner).pause();
      await expect(offers.connect(recycler).topUp(id, 1n, { value: 1n })).to.be.revertedWithCustomError(
        exchange,
        "EnforcedPause",
      );
      await exchange.connect(owner).unpause();
      const closed = await post();
      await offers.connect(recycler).cancel(closed);
      await expect(offers.connect(recycler).topUp(closed, 1n, { value: 1n }))
        .to.be.revertedWithCustomError(offers, "OfferClosed")
        .withArgs(closed);
      await time.increaseTo(offerExpiresAt + 1n);
      await expect(offers.connect(recycler).topUp(id, 1n, { value: 1n }))
        .to.be.revertedWithCustomError(offers, "OfferExpired")
        .withArgs(id, offerExpiresAt);
    });
  });

  describe("setSchedule", function () {
    it("replaces the rates of later sales (also while the exchange is paused)", async function () {
      const { offers, exchange, owner, recycler, seller, post, backed } = await loadFixture(offersFixture);
      const id = await post();
      const s = schedule({ tiers: [{ maxFaceValue: 100_000n, rateBps: 7_000n }] });
      await exchange.connect(owner).pause();
      const tx = offers.connect(recycler).setSchedule(id, s);
      await expect(tx).to.emit(offers, "ScheduleSet");
      const [set] = await eventsOf(await loadFixtureLike(offers, exchange), tx, "ScheduleSet");
      expect(set.args.schedule.tiers[0].rateBps).to.equal(7_000n);
      await exchange.connect(owner).unpause();
      const o = await offers.offer(id);
      expect(o.schedule.tiers.length).to.equal(1);
      expect(o.unitPrice).to.equal(WEI_PER_UNIT);
      expect(o.open).to.equal(true);
      const [tokenId] = await backed();
      const q = await offers.quote(id, [tokenId]);
      expect(q.rateBps).to.deep.equal([7_000n]);
      expect(q.total).to.equal(priceOf(BACKED_FACE, WEI_PER_UNIT, 7_000n));
      await expect(offers.connect(seller).sell(id, [tokenId], q.total, ETH)).to.emit(offers, "OfferSold");
    });

    it("reverts for a stranger, an unknown, closed or expired offer, or a bad schedule", async function () {
      const { offers, recycler, other, post, offerExpiresAt } = await loadFixture(offersFixture);
      const id = await post();
      await expect(offers.connect(other).setSchedule(id, schedule()))
        .to.be.revertedWithCustomError(offers, "NotRecycler")
        .withArgs(other.address, id);
      await expect(offers.connect(recycler).setSchedule(7n, schedule()))
        .to.be.revertedWithCustomError(offers, "UnknownOffer")
        .withArgs(7n);
      await expect(offers.connect(recycler).setSchedule(id, schedule({ tiers: [] })))
        .to.be.revertedWithCustomError(offers, "InvalidTiers")
        .withArgs(0n);
      const closed = await post();
      await offers.connect(recycler).cancel(closed);
      await expect(offers.connect(recycler).setSchedule(closed, schedule()))
        .to.be.revertedWithCustomError(offers, "OfferClosed")
        .withArgs(closed);
      await time.increaseTo(offerExpiresAt + 1n);
      await expect(offers.connect(recycler).setSchedule(id, schedule()))
        .to.be.revertedWithCustomError(offers, "OfferExpired")
        .withArgs(id, offerExpiresAt);
    });
  });

  describe("cancel", function () {
    describe("after partial use", function () {
      it("returns exactly the unspent budget to the recycler", async function () {
        const { exchange, offers, seller, recycler, post, backed } = await loadFixture(offersFixture);
        const id = await post();
        const total = await offers.connect(seller).sell.staticCall(id, await backed(2), 0n, ETH);
        await offers.connect(seller).sell(id, await backed(2), 0n, ETH);
        const left = ETH_BUDGET - total;
        expect(await exchange.offerFunds(id)).to.deep.equal([ETH, left]);
        const tx = offers.connect(recycler).cancel(id);
        await expect(tx).to.emit(offers, "OfferCancelled").withArgs(id, recycler.address, left);
        await expect(tx).to.emit(exchange, "OfferRefunded").withArgs(id, recycler.address, left);
        await expect(tx).to.changeEtherBalances(ethers, [recycler, exchange], [left, -left]);
        expect(await exchange.offerFunds(id)).to.deep.equal([ETH, 0n]);
        const o = await offers.offer(id);
        expect(o.open).to.equal(false);
        expect(o.budget).to.equal(0n);
        expect(await offers.brandOfferCount(2n)).to.equal(0n);
      });
    });

    describe("when the offer is kUSD and the exchange is paused", function () {
      it("still returns the budget", async function () {
        const { exchange, offers, usd, owner, recycler, post, usdParams } = await loadFixture(offersFixture);
        const id = await post(usdParams());
        await exchange.connect(owner).pause();
        await expect(offers.connect(recycler).cancel(id)).to.changeTokenBalances(
          ethers,
          usd,
          [recycler, exchange],
          [USD_BUDGET, -USD_BUDGET],
        );
      });
    });

    describe("when the offer has expired", function () {
      it("lets anyone cancel, and the budget still goes to the recycler", async function () {
        const { offers, exchange, recycler, other, post, offerExpiresAt } = await loadFixture(offersFixture);
        const id = await post();
        await expect(offers.connect(other).cancel(id))
          .to.be.revertedWithCustomError(offers, "NotRecycler")
          .withArgs(other.address, id);
        await time.increaseTo(offerExpiresAt + 1n);
        const tx = offers.connect(other).cancel(id);
        await expect(tx).to.emit(offers, "OfferCancelled").withArgs(id, other.address, ETH_BUDGET);
        await expect(tx).to.changeEtherBalances(ethers, [recycler, other, exchange], [ETH_BUDGET, 0n, -ETH_BUDGET]);
      });
    });

    describe("when the budget is spent", function () {
      it("closes the offer with nothing to refund", async function () {
        const { offers, exchange, recycler, seller, post, backed } = await loadFixture(offersFixture);
        const [tokenId] = await backed();
        const price = priceOf(BACKED_FACE, WEI_PER_UNIT, 8_500n);
        const id = await post(undefined, undefined, price);
        await offers.connect(seller).sell(id, [tokenId], price, ETH);
        const tx = offers.connect(recycler).cancel(id);
        await expect(tx).to.emit(offers, "OfferCancelled").withArgs(id, recycler.address, 0n);
        await expect(tx).not.to.emit(exchange, "OfferRefunded");
      });
    });

    describe("when the recycler refuses ETH", function () {
      it("credits the refund instead (PaymentDeferred), claimable later", async function () {
        const { offers, exchange, params } = await loadFixture(offersFixture);
        const rejecting = await ethers.deployContract("RejectingReceiver");
        const offersAddress = await offers.getAddress();
        const postData = offers.interface.encodeFunctionData("post", [params(), schedule(), ETH_BUDGET]);
        await rejecting.act(offersAddress, ETH_BUDGET, postData, { value: ETH_BUDGET });
        const cancel = rejecting.act(offersAddress, 0n, offers.interface.encodeFunctionData("cancel", [1n]));
        await expect(cancel)
          .to.emit(exchange, "PaymentDeferred")
          .withArgs(await rejecting.getAddress(), ETH, ETH_BUDGET);
        expect(await exchange.credits(await rejecting.getAddress(), ETH)).to.equal(ETH_BUDGET);
        await rejecting.setAccepting(true);
        const claim = rejecting.act(
          await exchange.getAddress(),
          0n,
          exchange.interface.encodeFunctionData("claim", [ETH]),
        );
        await expect(claim).to.changeEtherBalances(ethers, [rejecting, exchange], [ETH_BUDGET, -ETH_BUDGET]);
      });
    });

    it("reverts for an unknown or closed offer", async function () {
      const { offers, recycler, post } = await loadFixture(offersFixture);
      await expect(offers.connect(recycler).cancel(3n)).to.be.revertedWithCustomError(offers, "UnknownOffer");
      const id = await post();
      await offers.connect(recycler).cancel(id);
      await expect(offers.connect(recycler).cancel(id))
        .to.be.revertedWithCustomError(offers, "OfferClosed")
        .withArgs(id);
    });

    it("keeps the brand's list of offers exact (swap and pop)", async function () {
      const { offers, recycler, post } = await loadFixture(offersFixture);
      const a = await post();
      const b = await post();
      const c = await post();
      await offers.connect(recycler).cancel(a);
      let page = await offers.openOffers(2n, 0n, 0n, 10n);
      expect(page.map((o) => o.offerId).sort()).to.deep.equal([b, c]);
      await offers.connect(recycler).cancel(b);
      page = await offers.openOffers(2n, 0n, 0n, 10n);
      expect(page.map((o) => o.offerId)).to.deep.equal([c]);
      expect(await offers.brandOfferCount(2n)).to.equal(1n);
    });
  });

  describe("sell", function () {
    describe("one issuer-backed card in ETH through a 3-level referral", function () {
      it("settles at once: exact split, credits, stats, events, voucher to the recycler", async function () {
        const f = await loadFixture(offersFixture);
        const { exchange, offers, voucher, seller, recycler, treasury, d1, d2, d3, post, backed, distributorChain } = f;
        await distributorChain();
        const id = await post();
        const [tokenId] = await backed();
        const price = priceOf(BACKED_FACE, WEI_PER_UNIT, 8_500n);
        const fee = feeOf(price);
        const shares = LEVEL_SHARES.map((bps) => (fee * bps) / BPS);
        const treasuryShare = fee - shares[0] - shares[1] - shares[2];
        const tradeId = (await exchange.tradeCount()) + 1n;
        const tx = offers.connect(seller).sell(id, [tokenId], price, d3.address);
        await expect(tx).to.emit(offers, "OfferSold").withArgs(id, seller.address, 1n, price, tradeId);
        await expect(tx).to.emit(exchange, "SoldToOffer").withArgs(tradeId, id, seller.address, tokenId, price);
        await expect(tx)
          .to.emit(exchange, "Purchased")
          .withArgs(tradeId, recycler.address, d3.address, price, FEE_BPS, ethers.ZeroHash);
        await expect(tx).to.emit(exchange, "ReferralCredited").withArgs(tradeId, d3.address, 1, shares[0]);
        await expect(tx).to.emit(exchange, "ReferralCredited").withArgs(tradeId, d2.address, 2, shares[1]);
        await expect(tx).to.emit(exchange, "ReferralCredited").withArgs(tradeId, d1.address, 3, shares[2]);
        await expect(tx)
          .to.emit(exchange, "Settled")
          .withArgs(tradeId, price - fee, fee, treasuryShare);
        await expect(tx).to.changeEtherBalances(
          ethers,
          [seller, recycler, exchange],
          [price - fee, 0n, -(price - fee)],
        );
        expect(await voucher.ownerOf(tokenId)).to.equal(recycler.address);
        expect(await exchange.credits(d3.address, ETH)).to.equal(shares[0]);
        expect(await exchange.credits(d2.address, ETH)).to.equal(shares[1]);
        expect(await exchange.credits(d1.address, ETH)).to.equal(shares[2]);
        expect(await exchange.credits(treasury.address, ETH)).to.equal(treasuryShare);
        expect(await exchange.offerFunds(id)).to.deep.equal([ETH, ETH_BUDGET - price]);
        const [sellerStats] = await exchange.account(seller.address, []);
        const [recyclerStats] = await exchange.account(recycler.address, []);
        expect(sellerStats.sales).to.equal(1n);
        expect(recyclerStats.purchases).to.equal(1n);
        // No stored trade for an instant sale: its record is the events.
        expect((await exchange.trade(tradeId)).status).to.equal(Status.None);
        expect(await exchange.tradeCount()).to.equal(tradeId);
        // The exchange holds the rest of the budget plus the credits, to the wei.
        expect(await ethers.provider.getBalance(exchange)).to.equal(ETH_BUDGET - price + fee);
      });
    });

    describe("a batch of issuer-backed cards in kUSD", function () {
      it("pays the seller once, for the sum of per-card proceeds", async function () {
        const { exchange, offers, usd, seller, recycler, post, backed, params, usdAddress } =
          await loadFixture(offersFixture);
        const id = await post(params({ payToken: usdAddress, unitPrice: USD_PER_UNIT }), schedule(), USD_BUDGET);
        const ids = await backed(3, 10_000n); // 100.00 each: second tier, 90%
        const price = priceOf(10_000n, USD_PER_UNIT, 9_000n);
        const proceeds = 3n * (price - feeOf(price));
        const tx = offers.connect(seller).sell(id, ids, 3n * price, ETH);
        await expect(tx).to.changeTokenBalances(ethers, usd, [seller, recycler, exchange], [proceeds, 0n, -proceeds]);
        const transfers = (await eventsOf(await loadFixtureLike(offers, exchange), tx, "SoldToOffer")).length;
        expect(transfers).to.equal(3);
        expect(await exchange.offerFunds(id)).to.deep.equal([usdAddress, USD_BUDGET - 3n * price]);
        expect((await offers.offer(id)).cardsLeft).to.equal(17n);
        const [recyclerStats] = await exchange.account(recycler.address, []);
        expect(recyclerStats.purchases).to.equal(3n);
      });
    });

    describe("coded cards in kUSD: post → sell → deliver → confirm → claims", function () {
      it("opens orders like purchases with the recycler as buyer, settling to the wei", async function () {
        const f = await loadFixture(offersFixture);
        const { exchange, offers, usd, voucher, seller, recycler, treasury, d3, post, usdParams, coded } = f;
        await f.distributorChain();
        const id = await post(usdParams());
        const a = await coded(); // 500.00: 95%
        const b = await coded(10_000n); // 100.00: 90%
        const pa = priceOf(CODED_FACE, USD_PER_UNIT, 9_500n);
        const pb = priceOf(10_000n, USD_PER_UNIT, 9_000n);
        const first = (await exchange.tradeCount()) + 1n;
        const tx = offers.connect(seller).sell(id, [a, b], pa + pb, d3.address);
        await expect(tx)
          .to.emit(offers, "OfferSold")
          .withArgs(id, seller.address, 2n, pa + pb, first);
        await expect(tx).to.emit(exchange, "Purchased").withArgs(first, recycler.address, d3.address, pa, FEE_BPS, KEY);
        await expect(tx)
          .to.emit(exchange, "Purchased")
          .withArgs(first + 1n, recycler.address, d3.address, pb, FEE_BPS, KEY);
        await expect(tx).not.to.emit(exchange, "Settled");
        await expect(tx).to.changeTokenBalances(ethers, usd, [seller, exchange], [0n, 0n]);
        const now = BigInt(await time.latest());
        const t = await exchange.trade(first);
        expect(t.seller).to.equal(seller.address);
        expect(t.buyer).to.equal(recycler.address);
        expect(t.tokenId).to.equal(a);
        expect(t.status).to.equal(Status.AwaitingDelivery);
        expect(t.price).to.equal(pa);
        expect(t.feeBps).to.equal(FEE_BPS);
        expect(t.payToken).to.equal(await usd.getAddress());
        expect(t.referrer).to.equal(d3.address);
        expect(t.purchasedAt).to.equal(now);
        expect(t.deadline).to.equal(now + DELIVERY_WINDOW);
        expect(t.termsId).to.equal(await exchange.currentTermsId());
        expect(await voucher.ownerOf(a)).to.equal(await exchange.getAddress());
        expect(await exchange.offerFunds(id)).to.deep.equal([await usd.getAddress(), USD_BUDGET - pa - pb]);

        // The seller delivers both; the recycler confirms one, the other finalizes after the confirm window.
        const quoteA = await exchange.connect(recycler).previewSplit(pa, FEE_BPS, d3.address, recycler, seller);
        await exchange.connect(seller).deliverCode(first, "0xc0de");
        await exchange.connect(seller).deliverCode(first + 1n, "0xc0de");
        await expect(exchange.connect(recycler).confirm(first)).to.changeTokenBalances(
          ethers,
          usd,
          [seller, exchange],
          [quoteA.sellerProceeds, -quoteA.sellerProceeds],
        );
        expect(await voucher.ownerOf(a)).to.equal(recycler.address);
        await time.increase(CONFIRM_WINDOW + 1n);
        await exchange.finalize(first + 1n);
        expect(await voucher.ownerOf(b)).to.equal(recycler.address);
        const feeA = feeOf(pa);
        const feeB = feeOf(pb);
        expect(await exchange.credits(d3.address, await usd.getAddress())).to.equal(
          (feeA * LEVEL_SHARES[0]) / BPS + (feeB * LEVEL_SHARES[0]) / BPS,
        );
        // Claims drain everything but the unspent budget.
        for (const who of [treasury, f.d1, f.d2, d3]) await exchange.connect(who).claim(await usd.getAddress());
        expect(await usd.balanceOf(exchange)).to.equal(USD_BUDGET - pa - pb);
      });
    });

    describe("a coded card that is never delivered", function () {
      it("refunds the price to the recycler, not to the offer's budget", async function () {
        const { exchange, offers, usd, seller, recycler, post, usdParams, coded } = await loadFixture(offersFixture);
        const id = await post(usdParams());
        const tokenId = await coded();
        const price = priceOf(CODED_FACE, USD_PER_UNIT, 9_500n);
        const tradeId = (await exchange.tradeCount()) + 1n;
        await offers.connect(seller).sell(id, [tokenId], price, ETH);
        await time.increase(DELIVERY_WINDOW + 1n);
        await expect(exchange.cancelUndelivered(tradeId)).to.changeTokenBalances(
          ethers,
          usd,
          [recycler, exchange],
          [price, -price],
        );
        expect(await exchange.offerFunds(id)).to.deep.equal([await usd.getAddress(), USD_BUDGET - price]);
      });
    });

    describe("when the recycler cuts its rates in front of the sale", function () {
      it("reverts with TotalBelowMinimum: minTotal protects the seller", async function () {
        const { offers, seller, recycler, post, backed } = await loadFixture(offersFixture);
        const id = await post();
        const ids = await backed(2);
        const { total } = await offers.quote(id, ids);
        await offers
          .connect(recycler)
          .setSchedule(id, schedule({ tiers: [{ maxFaceValue: 1_000_000n, rateBps: 1_000n }] }));
        const cut = priceOf(BACKED_FACE, WEI_PER_UNIT, 1_000n) * 2n;
        await expect(offers.connect(seller).sell(id, ids, total, ETH))
          .to.be.revertedWithCustomError(offers, "TotalBelowMinimum")
          .withArgs(cut, total);
      });
    });

    describe("batch bonus", function () {
      it("applies from exactly batchMinCount cards, capped at 100%", async function () {
        const { offers, post, backed } = await loadFixture(offersFixture);
        const s = schedule({
          tiers: [
            { maxFaceValue: 5_000n, rateBps: 8_500n },
            { maxFaceValue: 1_000_000n, rateBps: 9_800n },
          ],
          batchMinCount: 3n,
          batchBonusBps: 300n,
        });
        const id = await post(undefined, s);
        const two = await backed(2);
        expect((await offers.quote(id, two)).rateBps).to.deep.equal([8_500n, 8_500n]);
        const three = await backed(3);
        expect((await offers.quote(id, three)).rateBps).to.deep.equal([8_800n, 8_800n, 8_800n]);
        const big = [...(await backed(2)), ...(await backed(1, 100_000n))];
        expect((await offers.quote(id, big)).rateBps).to.deep.equal([8_800n, 8_800n, 10_000n]);
      });
    });

    describe("near-expiry pricing", function () {
      it("adjusts cards with exactly nearExpiryDays left or fewer, and not one second more", async function () {
        const { offers, exchange, seller, post, backed } = await loadFixture(offersFixture);
        const s = schedule({ nearExpiryDays: 30n, nearExpiryBps: -600n });
        const id = await post(undefined, s);
        const saleAt = BigInt(await time.latest()) + 100n;
        const window = 30n * BigInt(DAY);
        const [near] = await backed(1, BACKED_FACE, saleAt + window);
        const [far] = await backed(1, BACKED_FACE, saleAt + window + 1n);
        const nearPrice = priceOf(BACKED_FACE, WEI_PER_UNIT, 7_900n);
        const farPrice = priceOf(BACKED_FACE, WEI_PER_UNIT, 8_500n);
        const tradeId = await nextTrade(offers);
        await time.setNextBlockTimestamp(saleAt);
        const tx = offers.connect(seller).sell(id, [near, far], 0n, ETH);
        await expect(tx)
          .to.emit(offers, "OfferSold")
          .withArgs(id, seller.address, 2n, nearPrice + farPrice, tradeId);
        await expect(tx).to.emit(exchange, "SoldToOffer").withArgs(tradeId, id, seller.address, near, nearPrice);
        await expect(tx)
          .to.emit(exchange, "SoldToOffer")
          .withArgs(tradeId + 1n, id, seller.address, far, farPrice);
      });

      it("never prices below 1 bp nor above 100%", async function () {
        const { offers, post, backed } = await loadFixture(offersFixture);
        const low = await post(
          undefined,
          schedule({
            tiers: [{ maxFaceValue: 1_000_000n, rateBps: 1_000n }],
            nearExpiryDays: 365n,
            nearExpiryBps: -1_000n,
          }),
          ETH_BUDGET,
        );
        const high = await post(
          undefined,
          schedule({
            tiers: [{ maxFaceValue: 1_000_000n, rateBps: 10_000n }],
            nearExpiryDays: 365n,
            nearExpiryBps: 1_000n,
          }),
        );
        const [tokenId] = await backed(1, 1_000_000n);
        expect((await offers.quote(low, [tokenId])).rateBps).to.deep.equal([1n]);
        expect((await offers.quote(high, [tokenId])).rateBps).to.deep.equal([10_000n]);
      });
    });

    describe("when a card does not match the offer", function () {
      it("reverts with WrongBrand, FaceValueOutOfSchedule, VoucherExpired, NotVoucherOwner", async function () {
        const { offers, voucher, seller, other, issuer, post, backed, coded } = await loadFixture(offersFixture);
        const id = await post();
        const codedId = await coded();
        await expect(offers.connect(seller).sell(id, [codedId], 0n, ETH))
          .to.be.revertedWithCustomError(offers, "WrongBrand")
          .withArgs(codedId, 1n, 2n);
        const [huge] = await backed(1, 1_000_001n - 1n);
        const tiers4 = schedule({
          tiers: [
            { maxFaceValue: 10n, rateBps: 9_000n },
            { maxFaceValue: 20n, rateBps: 9_000n },
            { maxFaceValue: 30n, rateBps: 9_000n },
            { maxFaceValue: 40n, rateBps: 9_000n },
          ],
        });
        const four = await post(undefined, tiers4);
        await expect(offers.connect(seller).sell(four, [huge], 0n, ETH))
          .to.be.revertedWithCustomError(offers, "FaceValueOutOfSchedule")
          .withArgs(huge, 1_000_000n);
        const short = await post(undefined, schedule({ tiers: [{ maxFaceValue: 1_000n, rateBps: 9_000n }] }));
        const [big] = await backed(1, 1_001n);
        await expect(offers.connect(seller).sell(short, [big], 0n, ETH))
          .to.be.revertedWithCustomError(offers, "FaceValueOutOfSchedule")
          .withArgs(big, 1_001n);
        const [notMine] = await backed();
        await voucher.connect(seller).transferFrom(seller.address, other.address, notMine);
        await expect(offers.connect(seller).sell(id, [notMine], 0n, ETH))
          .to.be.revertedWithCustomError(offers, "NotVoucherOwner")
          .withArgs(seller.address, notMine);
        const soon = BigInt(await time.latest()) + 100n;
        const expiring = await voucher.connect(issuer).issue.staticCall(seller.address, 2n, BACKED_FACE, soon);
        await voucher.connect(issuer).issue(seller.address, 2n, BACKED_FACE, soon);
        await time.increaseTo(soon);
        await expect(offers.connect(seller).sell(id, [expiring], 0n, ETH))
          .to.be.revertedWithCustomError(offers, "VoucherExpired")
          .withArgs(expiring, soon);
      });

      it("reverts with VoucherDisclosed for a coded card whose code was disclosed", async function () {
        const f = await loadFixture(offersFixture);
        const { offers, exchange, seller, buyer, arbiter, post, usdParams, coded, list, dispute } = f;
        const tokenId = await coded();
        const listing = await list(tokenId, MIN_PRICE);
        await exchange.connect(buyer).buy(listing, MIN_PRICE, ETH, KEY, { value: MIN_PRICE });
        await exchange.connect(seller).deliverCode(listing, "0x01");
        await (
          await dispute(listing)
        ).tx;
        await exchange.connect(arbiter).resolve(listing, true);
        const id = await post(usdParams());
        await expect(offers.connect(seller).sell(id, [tokenId], 0n, ETH))
          .to.be.revertedWithCustomError(offers, "VoucherDisclosed")
          .withArgs(tokenId);
      });

      it("reverts with NotAttested for an unattested coded card in an attested-only offer", async function () {
        const { offers, voucher, issuer, seller, post, usdParams, params, coded, backed } =
          await loadFixture(offersFixture);
        const id = await post(usdParams({ attestedOnly: true }));
        const tokenId = await coded();
        await expect(offers.connect(seller).sell(id, [tokenId], 0n, ETH))
          .to.be.revertedWithCustomError(offers, "NotAttested")
          .withArgs(tokenId);
        await voucher.connect(issuer).attest(tokenId, CODED_FACE);
        await expect(offers.connect(seller).sell(id, [tokenId], 0n, ETH)).to.emit(offers, "OfferSold");
        // Issuer-backed cards always qualify.
        const backedId = await post(params({ attestedOnly: true }));
        await expect(offers.connect(seller).sell(backedId, await backed(), 0n, ETH)).to.emit(offers, "OfferSold");
      });

      it("reverts with ExpiresBeforeSettlement for a coded card that could not settle before it expires", async function () {
        const { offers, exchange, seller, post, usdParams, coded } = await loadFixture(offersFixture);
        const id = await post(usdParams());
        const now = BigInt(await time.latest());
        const expiry = now + DELIVERY_WINDOW + CONFIRM_WINDOW;
        const tokenId = await coded(CODED_FACE, expiry);
        const tradeId = (await exchange.tradeCount()) + 1n;
        await expect(offers.connect(seller).sell(id, [tokenId], 0n, ETH))
          .to.be.revertedWithCustomError(exchange, "ExpiresBeforeSettlement")
          .withArgs(tradeId, expiry, now + 2n + DELIVERY_WINDOW + CONFIRM_WINDOW);
      });

      it("reverts with PriceOutOfRange for a card worth less than the token's minimum", async function () {
        const { offers, seller, post, params, backed } = await loadFixture(offersFixture);
        const [tiny] = await backed(1, 1n); // 0.01 at 85% of 1 wei a cent: 0 wei
        const cheap = await post(params({ unitPrice: 1n }));
        await expect(offers.connect(seller).sell(cheap, [tiny], 0n, ETH))
          .to.be.revertedWithCustomError(offers, "PriceOutOfRange")
          .withArgs(priceOf(1n, 1n, 8_500n), MIN_PRICE);
      });
    });

    describe("when the offer cannot take the sale", function () {
      it("reverts with UnknownOffer, OfferClosed, OfferExpired, SellerIsRecycler, CardsExhausted", async function () {
        const { offers, voucher, seller, recycler, exchangeAddress, post, params, backed, offerExpiresAt } =
          await loadFixture(offersFixture);
        const ids = await backed(3);
        await expect(offers.connect(seller).sell(5n, ids, 0n, ETH))
          .to.be.revertedWithCustomError(offers, "UnknownOffer")
          .withArgs(5n);
        const two = await post(params({ maxCards: 2n }));
        await expect(offers.connect(seller).sell(two, ids, 0n, ETH))
          .to.be.revertedWithCustomError(offers, "CardsExhausted")
          .withArgs(two, 2n, 3n);
        await offers.connect(seller).sell(two, ids.slice(0, 2), 0n, ETH);
        await expect(offers.connect(seller).sell(two, ids.slice(2), 0n, ETH))
          .to.be.revertedWithCustomError(offers, "CardsExhausted")
          .withArgs(two, 0n, 1n);
        const own = await post();
        const [recyclerCard] = await backed();
        await voucher.connect(seller).transferFrom(seller.address, recycler.address, recyclerCard);
        await voucher.connect(recycler).setApprovalForAll(exchangeAddress, true);
        await expect(offers.connect(recycler).sell(own, [recyclerCard], 0n, ETH))
          .to.be.revertedWithCustomError(offers, "SellerIsRecycler")
          .withArgs(own);
        await offers.connect(recycler).cancel(own);
        await expect(offers.connect(seller).sell(own, ids.slice(2), 0n, ETH))
          .to.be.revertedWithCustomError(offers, "OfferClosed")
          .withArgs(own);
        const late = await post();
        await time.increaseTo(offerExpiresAt + 1n);
        await expect(offers.connect(seller).sell(late, ids.slice(2), 0n, ETH))
          .to.be.revertedWithCustomError(offers, "OfferExpired")
          .withArgs(late, offerExpiresAt);
      });

      it("sells up to the offer's expiry second", async function () {
        const { offers, seller, post, backed, offerExpiresAt } = await loadFixture(offersFixture);
        const id = await post();
        const ids = await backed();
        await time.setNextBlockTimestamp(offerExpiresAt);
        await expect(offers.connect(seller).sell(id, ids, 0n, ETH)).to.emit(offers, "OfferSold");
      });

      it("reverts with OfferFundsShort: an offer never pays more than it holds", async function () {
        const { offers, exchange, seller, post, backed } = await loadFixture(offersFixture);
        const price = priceOf(BACKED_FACE, WEI_PER_UNIT, 8_500n);
        const id = await post(undefined, undefined, 2n * price - 1n);
        const ids = await backed(2);
        await expect(offers.quote(id, ids))
          .to.be.revertedWithCustomError(offers, "OfferFundsShort")
          .withArgs(id, 2n * price - 1n, 2n * price);
        await expect(offers.connect(seller).sell(id, ids, 0n, ETH))
          .to.be.revertedWithCustomError(exchange, "OfferFundsShort")
          .withArgs(id, 2n * price - 1n, 2n * price);
        await offers.connect(seller).sell(id, ids.slice(0, 1), 0n, ETH);
        expect(await exchange.offerFunds(id)).to.deep.equal([ETH, price - 1n]);
      });

      it("reverts with InvalidBatchSize and CardsNotAscending", async function () {
        const { offers, seller, post, backed, params } = await loadFixture(offersFixture);
        const id = await post(params({ maxCards: 100n }), schedule(), ethers.parseEther("10"));
        await expect(offers.connect(seller).sell(id, [], 0n, ETH))
          .to.be.revertedWithCustomError(offers, "InvalidBatchSize")
          .withArgs(0n);
        const many = Array.from({ length: 51 }, (_, i) => BigInt(i + 1));
        await expect(offers.connect(seller).sell(id, many, 0n, ETH))
          .to.be.revertedWithCustomError(offers, "InvalidBatchSize")
          .withArgs(51n);
        const [a, b] = await backed(2);
        await expect(offers.connect(seller).sell(id, [a, a], 0n, ETH))
          .to.be.revertedWithCustomError(offers, "CardsNotAscending")
          .withArgs(1n);
        await expect(offers.connect(seller).sell(id, [b, a], 0n, ETH))
          .to.be.revertedWithCustomError(offers, "CardsNotAscending")
          .withArgs(1n);
      });

      it("reverts with EnforcedPause while the exchange is paused", async function () {
        const { offers, exchange, owner, seller, post, backed } = await loadFixture(offersFixture);
        const id = await post();
        const ids = await backed();
        await exchange.connect(owner).pause();
        await expect(offers.connect(seller).sell(id, ids, 0n, ETH)).to.be.revertedWithCustomError(
          exchange,
          "EnforcedPause",
        );
        await expect(offers.quote(id, ids)).to.be.revertedWithCustomError(offers, "EnforcedPause");
      });
    });

    describe("when the seller refuses ETH", function () {
      it("credits its aggregated proceeds instead", async function () {
        const { offers, exchange, voucher, issuer, exchangeAddress, post } = await loadFixture(offersFixture);
        const rejecting = await ethers.deployContract("RejectingReceiver");
        const seller = await rejecting.getAddress();
        const ids: bigint[] = [];
        for (let i = 0; i < 2; i++) {
          ids.push(
            await voucher.connect(issuer).issue.staticCall(seller, 2n, BACKED_FACE, (await time.latest()) + DAY * 90),
          );
          await voucher.connect(issuer).issue(seller, 2n, BACKED_FACE, (await time.latest()) + DAY * 90);
        }
        await rejecting.act(
          await voucher.getAddress(),
          0n,
          voucher.interface.encodeFunctionData("setApprovalForAll", [exchangeAddress, true]),
        );
        const id = await post();
        const price = priceOf(BACKED_FACE, WEI_PER_UNIT, 8_500n);
        const proceeds = 2n * (price - feeOf(price));
        const sale = rejecting.act(
          await offers.getAddress(),
          0n,
          offers.interface.encodeFunctionData("sell", [id, ids, 0n, ETH]),
        );
        await expect(sale).to.emit(exchange, "PaymentDeferred").withArgs(seller, ETH, proceeds);
        expect(await exchange.credits(seller, ETH)).to.equal(proceeds);
      });
    });
  });

  describe("quote", function () {
    it("is exactly what the sale then does, card by card", async function () {
      const { offers, exchange, seller, post, backed } = await loadFixture(offersFixture);
      const id = await post(undefined, schedule({ batchMinCount: 2n, batchBonusBps: 300n }));
      const ids = [...(await backed(1, 4_000n)), ...(await backed(1, 15_000n)), ...(await backed(1, 30_000n))];
      const q = await offers.quote(id, ids);
      expect(q.rateBps).to.deep.equal([8_800n, 9_300n, 9_800n]);
      const prices = [
        priceOf(4_000n, WEI_PER_UNIT, 8_800n),
        priceOf(15_000n, WEI_PER_UNIT, 9_300n),
        priceOf(30_000n, WEI_PER_UNIT, 9_800n),
      ];
      expect(q.prices).to.deep.equal(prices);
      const total = prices.reduce((a, b) => a + b, 0n);
      const fee = prices.reduce((a, p) => a + feeOf(p), 0n);
      expect(q.total).to.equal(total);
      expect(q.fee).to.equal(fee);
      expect(q.sellerProceeds).to.equal(total - fee);
      const tx = offers.connect(seller).sell(id, ids, q.total, ETH);
      await expect(tx).to.changeEtherBalances(ethers, [seller], [q.sellerProceeds]);
      expect(await exchange.offerFunds(id)).to.deep.equal([ETH, ETH_BUDGET - total]);
    });

    it("reverts as the sale would, without checking who sells", async function () {
      const f = await loadFixture(offersFixture);
      const { offers, exchange, recycler, post, usdParams, backed, coded, offerExpiresAt } = f;
      const id = await post();
      const ids = await backed(1);
      // The recycler's own quote works (a sale by it would not).
      expect((await offers.connect(recycler).quote(id, ids)).total).to.be.greaterThan(0n);
      await expect(offers.quote(9n, ids)).to.be.revertedWithCustomError(offers, "UnknownOffer");
      const two = await post(f.params({ maxCards: 1n }));
      await expect(offers.quote(two, [...ids, ...(await backed(1))]))
        .to.be.revertedWithCustomError(offers, "CardsExhausted")
        .withArgs(two, 1n, 2n);
      const usdOffer = await post(usdParams());
      const now = BigInt(await time.latest());
      const expiry = now + DELIVERY_WINDOW + CONFIRM_WINDOW + 10n;
      const tokenId = await coded(CODED_FACE, expiry);
      await time.increase(20);
      const later = BigInt(await time.latest());
      await expect(offers.quote(usdOffer, [tokenId]))
        .to.be.revertedWithCustomError(offers, "ExpiresBeforeSettlement")
        .withArgs((await exchange.tradeCount()) + 1n, expiry, later + DELIVERY_WINDOW + CONFIRM_WINDOW);
      await time.increaseTo(offerExpiresAt + 1n);
      await expect(offers.quote(id, ids)).to.be.revertedWithCustomError(offers, "OfferExpired");
    });
  });

  describe("openOffers", function () {
    it("lists the open offers that buy a face value, best first: rate, then unit price, then age", async function () {
      const { offers, recycler, seller, post, params, backed, offerExpiresAt } = await loadFixture(offersFixture);
      const flat = (rateBps: bigint, maxFaceValue = 1_000_000n) => schedule({ tiers: [{ maxFaceValue, rateBps }] });
      const a = await post(params(), flat(9_000n)); // 90%
      const b = await post(params({ unitPrice: 2n * WEI_PER_UNIT }), flat(9_000n)); // 90%, dearer unit
      const c = await post(params(), flat(9_500n)); // 95%
      const d = await post(params(), flat(9_000n)); // 90%, younger than a
      const small = await post(params(), flat(9_900n, 1_000n)); // only up to 10.00
      const closed = await post(params(), flat(9_900n));
      await offers.connect(recycler).cancel(closed);
      const exhausted = await post(params({ maxCards: 1n }), flat(9_900n));
      await offers.connect(seller).sell(exhausted, await backed(), 0n, ETH);
      const soon = await post(params({ expiresAt: BigInt(await time.latest()) + 1_000n }), flat(9_900n));
      const page = await offers.openOffers(2n, BACKED_FACE, 0n, 100n);
      expect(page.map((o) => o.offerId)).to.deep.equal([soon, c, b, a, d]);
      // Face value 0: every open offer by its first tier's rate.
      const any = await offers.openOffers(2n, 0n, 0n, 100n);
      expect(any.map((o) => o.offerId)).to.deep.equal([small, soon, c, b, a, d]);
      // Paging through the brand's list (cancelled offers leave it).
      expect(await offers.brandOfferCount(2n)).to.equal(7n);
      // The list is [a, b, c, d, small, exhausted, soon] (closed left it): from 5, only soon buys.
      expect((await offers.openOffers(2n, 0n, 5n, 10n)).map((o) => o.offerId)).to.deep.equal([soon]);
      expect((await offers.openOffers(2n, 0n, 0n, 2n)).map((o) => o.offerId)).to.deep.equal([b, a]);
      expect(await offers.openOffers(2n, 0n, 7n, 10n)).to.deep.equal([]);
      expect(await offers.openOffers(1n, 0n, 0n, 10n)).to.deep.equal([]);
      await time.increaseTo(offerExpiresAt - 10n);
      expect((await offers.openOffers(2n, BACKED_FACE, 0n, 100n)).map((o) => o.offerId)).to.deep.equal([c, b, a, d]);
    });

    it("leaves out offers whose budget is spent and scans at most MAX_SCAN offers", async function () {
      const { offers, seller, post, params, backed } = await loadFixture(offersFixture);
      const price = priceOf(BACKED_FACE, WEI_PER_UNIT, 8_500n);
      const spent = await post(params(), schedule(), price);
      await offers.connect(seller).sell(spent, await backed(), 0n, ETH);
      expect(await offers.openOffers(2n, 0n, 0n, 10n)).to.deep.equal([]);
      expect(await offers.MAX_SCAN()).to.equal(100n);
      // A count above MAX_SCAN is cut to it (one offer here, so the page has it).
      await post();
      expect((await offers.openOffers(2n, 0n, 0n, 10_000n)).length).to.equal(1);
    });
  });

  describe("bestOffer", function () {
    it("picks the open offer paying the most for the card now, skipping what could not buy it", async function () {
      const { offers, seller, recycler, voucher, post, params, usdParams, backed, coded, issuer } =
        await loadFixture(offersFixture);
      const flat = (rateBps: bigint) => schedule({ tiers: [{ maxFaceValue: 1_000_000n, rateBps }] });
      const [card] = await backed();
      expect(await offers.bestOffer(card)).to.deep.equal([0n, 0n]);
      const a = await post(params(), flat(9_000n));
      const b = await post(params({ unitPrice: 2n * WEI_PER_UNIT }), flat(9_000n)); // same rate, higher price
      await post(params(), flat(8_000n));
      await post(params(), flat(9_900n), priceOf(BACKED_FACE, WEI_PER_UNIT, 9_900n) - 1n); // budget short
      await post(params({ unitPrice: 1n }), flat(9_950n), MIN_PRICE); // price below the minimum
      await post(params(), schedule({ tiers: [{ maxFaceValue: 1_000n, rateBps: 9_990n }] })); // face value above it
      expect(await offers.bestOffer(card)).to.deep.equal([b, priceOf(BACKED_FACE, 2n * WEI_PER_UNIT, 9_000n)]);
      // The recycler's own card is never matched with its own offers.
      await voucher.connect(seller).transferFrom(seller.address, recycler.address, card);
      expect(await offers.bestOffer(card)).to.deep.equal([0n, 0n]);
      expect(a).to.equal(1n);

      // Coded: attested-only offers skip unattested cards; disclosed or too-late cards have no offer.
      const attested = await post(usdParams({ attestedOnly: true }), flat(9_900n));
      const plain = await post(usdParams(), flat(9_000n));
      const tokenId = await coded();
      expect((await offers.bestOffer(tokenId))[0]).to.equal(plain);
      await voucher.connect(issuer).attest(tokenId, CODED_FACE);
      expect((await offers.bestOffer(tokenId))[0]).to.equal(attested);
      const late = await coded(CODED_FACE, BigInt(await time.latest()) + DELIVERY_WINDOW);
      expect(await offers.bestOffer(late)).to.deep.equal([0n, 0n]);
    });

    it("has no offer for an expired card or while the exchange is paused", async function () {
      const { offers, exchange, owner, post, backed } = await loadFixture(offersFixture);
      await post();
      const soon = BigInt(await time.latest()) + 100n;
      const [card] = await backed();
      const [expiring] = await backed(1, BACKED_FACE, soon);
      expect((await offers.bestOffer(card))[0]).to.equal(1n);
      await exchange.connect(owner).pause();
      expect(await offers.bestOffer(card)).to.deep.equal([0n, 0n]);
      await exchange.connect(owner).unpause();
      await time.increaseTo(soon);
      expect(await offers.bestOffer(expiring)).to.deep.equal([0n, 0n]);
    });

    it("has no offer for a disclosed coded card", async function () {
      const f = await loadFixture(offersFixture);
      const { offers, exchange, seller, buyer, arbiter, post, usdParams, coded, list, dispute } = f;
      await post(usdParams());
      const tokenId = await coded();
      const listing = await list(tokenId, MIN_PRICE);
      await exchange.connect(buyer).buy(listing, MIN_PRICE, ETH, KEY, { value: MIN_PRICE });
      await exchange.connect(seller).deliverCode(listing, "0x01");
      await (
        await dispute(listing)
      ).tx;
      await exchange.connect(arbiter).resolve(listing, true);
      expect(await offers.bestOffer(tokenId)).to.deep.equal([0n, 0n]);
    });
  });

  describe("offer", function () {
    it("reverts with UnknownOffer for an id never posted", async function () {
      const { offers } = await loadFixture(offersFixture);
      await expect(offers.offer(0n)).to.be.revertedWithCustomError(offers, "UnknownOffer").withArgs(0n);
      expect(await offers.VOUCHER()).to.not.equal(ETH);
      expect(await offers.MAX_TIERS()).to.equal(4n);
    });
  });
});

describe("VoucherExchange offer entry points", function () {
  describe("setOffers", function () {
    it("names the offers contract once, owner only", async function () {
      const { exchange, offers, owner, other } = await loadFixture(offersFixture);
      expect(await exchange.offers()).to.equal(await offers.getAddress());
      await expect(exchange.connect(owner).setOffers(other.address))
        .to.be.revertedWithCustomError(exchange, "InvalidOffers")
        .withArgs(await offers.getAddress());
      const fresh = await ethers.deployContract("VoucherExchange", [
        other.address,
        owner.address,
        owner.address,
        owner.address,
        200,
      ]);
      await expect(fresh.connect(other).setOffers(other.address))
        .to.be.revertedWithCustomError(fresh, "OwnableUnauthorizedAccount")
        .withArgs(other.address);
      await expect(fresh.connect(owner).setOffers(ETH))
        .to.be.revertedWithCustomError(fresh, "InvalidOffers")
        .withArgs(ETH);
      await expect(fresh.connect(owner).setOffers(other.address)).to.emit(fresh, "OffersSet").withArgs(other.address);
    });
  });

  describe("when anyone but the offers contract calls", function () {
    it("reverts with NotOffers", async function () {
      const { exchange, other } = await loadFixture(offersFixture);
      await expect(exchange.connect(other).fundOffer(1n, ETH, other.address, 1n, { value: 1n }))
        .to.be.revertedWithCustomError(exchange, "NotOffers")
        .withArgs(other.address);
      await expect(exchange.connect(other).refundOffer(1n, other.address, 0n))
        .to.be.revertedWithCustomError(exchange, "NotOffers")
        .withArgs(other.address);
      const sale = { offerId: 1n, seller: other.address, recycler: other.address, referrer: ETH, deliveryKey: KEY };
      await expect(exchange.connect(other).sellToOffer(sale, []))
        .to.be.revertedWithCustomError(exchange, "NotOffers")
        .withArgs(other.address);
    });
  });

  describe("when the offers contract misbehaves (an account stands in for it)", function () {
    async function trustFixture() {
      const f = await deployExchange();
      const { voucher, owner, other: book, seller, issuer } = f;
      const exchange = await ethers.deployContract("VoucherExchange", [
        await voucher.getAddress(),
        owner.address,
        f.treasury.address,
        f.arbiter.address,
        FEE_BPS,
      ]);
      await exchange.connect(owner).setOffers(book.address);
      await exchange.connect(owner).setPayToken(await f.usd.getAddress(), MIN_PRICE);
      await f.usd.connect(book).approve(await exchange.getAddress(), ethers.MaxUint256);
      await voucher.connect(seller).setApprovalForAll(await exchange.getAddress(), true);
      const tokenId = await voucher.connect(issuer).issue.staticCall(seller.address, 2n, BACKED_FACE, f.expiresAt);
      await voucher.connect(issuer).issue(seller.address, 2n, BACKED_FACE, f.expiresAt);
      return { ...f, exchange, book, tokenId };
    }

    it("never lets it spend more than an offer holds, nor mix tokens in one budget", async function () {
      const { exchange, book, usd, seller, other, tokenId } = await loadFixture(trustFixture);
      await exchange.connect(book).fundOffer(1n, ETH, book.address, 100_000n, { value: 100_000n });
      await expect(exchange.connect(book).fundOffer(1n, await usd.getAddress(), book.address, 1n))
        .to.be.revertedWithCustomError(exchange, "OfferTokenMismatch")
        .withArgs(1n, await usd.getAddress(), ETH);
      await expect(exchange.connect(book).refundOffer(1n, other.address, 100_001n))
        .to.be.revertedWithCustomError(exchange, "OfferFundsShort")
        .withArgs(1n, 100_000n, 100_001n);
      const sale = { offerId: 1n, seller: seller.address, recycler: other.address, referrer: ETH, deliveryKey: KEY };
      const card = (price: bigint) => ({ tokenId, price, expiresAt: 2n ** 32n, issuerBacked: true });
      await expect(exchange.connect(book).sellToOffer(sale, [card(100_001n)]))
        .to.be.revertedWithCustomError(exchange, "OfferFundsShort")
        .withArgs(1n, 100_000n, 100_001n);
      await expect(exchange.connect(book).sellToOffer(sale, []))
        .to.be.revertedWithCustomError(exchange, "InvalidBatchSize")
        .withArgs(0n);
      await expect(exchange.connect(book).sellToOffer(sale, Array(51).fill(card(MIN_PRICE))))
        .to.be.revertedWithCustomError(exchange, "InvalidBatchSize")
        .withArgs(51n);
      await expect(exchange.connect(book).sellToOffer(sale, [card(MIN_PRICE - 1n)]))
        .to.be.revertedWithCustomError(exchange, "PriceOutOfRange")
        .withArgs(MIN_PRICE - 1n, MIN_PRICE);
      // A token disallowed cannot fund.
      await expect(exchange.connect(book).fundOffer(2n, other.address, book.address, 1n))
        .to.be.revertedWithCustomError(exchange, "PayTokenNotAllowed")
        .withArgs(other.address);
      // A budget once spent to zero may restart in another token.
      await exchange.connect(book).refundOffer(1n, other.address, 100_000n);
      await exchange.connect(book).fundOffer(1n, await usd.getAddress(), book.address, 5n);
      expect(await exchange.offerFunds(1n)).to.deep.equal([await usd.getAddress(), 5n]);
    });

    it("keeps a coded card's expiry beyond 2106 as 2106 on its order", async function () {
      const { exchange, book, seller, other, voucher } = await loadFixture(trustFixture);
      const far = 2n ** 33n;
      const tokenId = await voucher
        .connect(seller)
        .mint.staticCall(1n, 50_000n, far, ethers.id("far"), ethers.id("c"), "0x12");
      await voucher.connect(seller).mint(1n, 50_000n, far, ethers.id("far"), ethers.id("c"), "0x12");
      await exchange.connect(book).fundOffer(1n, ETH, book.address, 100_000n, { value: 100_000n });
      const sale = { offerId: 1n, seller: seller.address, recycler: other.address, referrer: ETH, deliveryKey: KEY };
      const tradeId = (await exchange.tradeCount()) + 1n;
      await exchange
        .connect(book)
        .sellToOffer(sale, [{ tokenId, price: 100_000n, expiresAt: far, issuerBacked: false }]);
      expect((await exchange.trade(tradeId)).voucherExpiresAt).to.equal(2n ** 32n - 1n);
    });
  });
});

// ─── small helpers ────────────────────────────────────────────────────────────────────────────────────────────────

/** A minimal stand-in for the fixture when only the two contracts are needed to parse events. */
async function loadFixtureLike(offers: Fixture["offers"], exchange: Fixture["exchange"]) {
  return { offers, exchange } as unknown as Fixture;
}

async function nextTrade(offers: Fixture["offers"]) {
  const exchange = await ethers.getContractAt("VoucherExchange", await offers.EXCHANGE());
  return (await exchange.tradeCount()) + 1n;
}
