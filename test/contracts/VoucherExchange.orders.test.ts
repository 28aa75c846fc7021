import { expect } from "chai";
import {
  ARBITER_KEY,
  ARBITRATION_WINDOW,
  CONFIRM_WINDOW,
  DELIVERY_WINDOW,
  ETH,
  SEALED_EVIDENCE,
  Status,
  deployExchange,
  ethers,
  minedAt,
  networkHelpers,
  randomKey,
} from "./helpers/fixtures.js";

const { loadFixture, time } = networkHelpers;

// ETH listings: 0.5 ETH at 2% → fee 0.01 ETH, split 30% / 15% / 5% down the chain d3 ← d2 ← d1, 50% treasury.
const P = ethers.parseEther("0.5");
const FEE = ethers.parseEther("0.01");
const PROCEEDS = ethers.parseEther("0.49");
const D3 = ethers.parseEther("0.003");
const D2 = ethers.parseEther("0.0015");
const D1 = ethers.parseEther("0.0005");
const TREASURY = ethers.parseEther("0.005");
// The default dispute bond: 10% of the price.
const BOND = ethers.parseEther("0.05");
// Stablecoin listings: 450 kUSD (6 decimals).
const U = 450_000_000n;
const U_FEE = 9_000_000n;
const U_PROCEEDS = 441_000_000n;
const U_D3 = 2_700_000n;
const U_D2 = 1_350_000n;
const U_D1 = 450_000n;
const U_TREASURY = 4_500_000n;
const U_BOND = 45_000_000n;
/** The two coded listings' numbers, by trade id (1: ETH, 2: kUSD). */
const ASSET = [
  undefined,
  { price: P, bond: BOND, proceeds: PROCEEDS, fee: FEE, treasury: TREASURY },
  { price: U, bond: U_BOND, proceeds: U_PROCEEDS, fee: U_FEE, treasury: U_TREASURY },
] as unknown as { price: bigint; bond: bigint; proceeds: bigint; fee: bigint; treasury: bigint }[];

const CIPHERTEXT = ethers.hexlify(ethers.randomBytes(112));

/**
 * The distributor chain d3 ← d2 ← d1 and four listings by the seller: 1 coded in ETH, 2 coded in kUSD,
 * 3 issuer-backed in ETH, 4 issuer-backed in kUSD.
 */
async function ordersFixture() {
  const base = await deployExchange();
  const { exchange, buyer, usd, seller, distributorChain, mintCoded, issueBacked, list, dispute } = base;
  await distributorChain();
  const usdAddress = await usd.getAddress();
  const coded = [(await mintCoded()).tokenId, (await mintCoded()).tokenId];
  const backed = [await issueBacked(), await issueBacked()];
  await list(coded[0], P);
  await list(coded[1], U, usdAddress);
  await list(backed[0], P);
  await list(backed[1], U, usdAddress);

  /** The buyer buys coded listing `id` (1: ETH, 2: kUSD) with a fresh key; returns the key. */
  async function buyCoded(id: bigint, referrer = ETH) {
    const key = randomKey();
    const value = id === 1n ? P : 0n;
    await exchange.connect(buyer).buy(id, id === 1n ? P : U, referrer, key, { value });
    return key;
  }
  /** Bought and delivered; returns the delivery's confirm deadline. */
  async function delivered(id: bigint, referrer = ETH) {
    await buyCoded(id, referrer);
    await exchange.connect(seller).deliverCode(id, CIPHERTEXT);
    return (await exchange.trade(id)).deadline;
  }
  /** Bought, delivered and disputed (bond paid); returns the arbitration deadline. */
  async function disputed(id: bigint, referrer = ETH) {
    await delivered(id, referrer);
    await (
      await dispute(id)
    ).tx;
    return (await exchange.trade(id)).deadline;
  }

  return {
    ...base,
    usdAddress,
    exchangeAddress: await exchange.getAddress(),
    coded,
    backed,
    buyCoded,
    delivered,
    disputed,
  };
}

type Fixture = Awaited<ReturnType<typeof ordersFixture>>;

async function stats(f: Fixture, who: { address: string }) {
  const [s] = await f.exchange.account(who.address, []);
  return [s.sales, s.purchases, s.disputesOpened, s.disputesLost];
}

type Account = Parameters<typeof ethers.provider.getBalance>[0] | { getAddress(): Promise<string> };

/** Balance changes of trade `id`'s asset (1: ETH, 2: kUSD), to the wei. */
async function expectChanges(f: Fixture, id: bigint, tx: Promise<unknown>, who: Account[], deltas: bigint[]) {
  if (id === 1n) await expect(tx).to.changeEtherBalances(ethers, who as never[], deltas);
  else await expect(tx).to.changeTokenBalances(ethers, f.usd, who as never[], deltas);
}

/** What the exchange holds in trade `id`'s asset. */
async function escrowed(f: Fixture, id: bigint) {
  return id === 1n ? ethers.provider.getBalance(f.exchangeAddress) : f.usd.balanceOf(f.exchangeAddress);
}

async function expectEthChainCredits(f: Fixture) {
  expect(await f.exchange.credits(f.d3.address, ETH)).to.equal(D3);
  expect(await f.exchange.credits(f.d2.address, ETH)).to.equal(D2);
  expect(await f.exchange.credits(f.d1.address, ETH)).to.equal(D1);
  expect(await f.exchange.credits(f.treasury.address, ETH)).to.equal(TREASURY);
}

async function expectNoCredits(f: Fixture, token: string) {
  for (const who of [f.d1, f.d2, f.d3, f.treasury, f.seller, f.buyer]) {
    expect(await f.exchange.credits(who.address, token)).to.equal(0n);
  }
}

describe("VoucherExchange orders", function () {
  describe("buy", function () {
    describe("when a coded voucher is bought in ETH", function () {
      it("escrows the price, opens the order with a delivery deadline and emits Purchased", async function () {
        const f = await loadFixture(ordersFixture);
        const key = randomKey();
        const tx = f.exchange.connect(f.buyer).buy(1n, P, ETH, key, { value: P });
        await expect(tx).to.emit(f.exchange, "Purchased").withArgs(1n, f.buyer.address, ETH, P, 200n, key);
        await expect(tx).to.changeEtherBalances(ethers, [f.buyer, f.seller, f.exchange], [-P, 0n, P]);
        await expect(tx).not.to.emit(f.exchange, "Settled");
        const t = await f.exchange.trade(1n);
        expect([t.status, t.buyer, t.feeBps, t.deadline, t.referrer]).to.deep.equal([
          Status.AwaitingDelivery,
          f.buyer.address,
          200n,
          (await minedAt(await tx)) + DELIVERY_WINDOW,
          ETH,
        ]);
        expect(await f.voucher.ownerOf(f.coded[0])).to.equal(f.exchangeAddress);
        expect(await stats(f, f.buyer)).to.deep.equal([0n, 0n, 0n, 0n]);
      });
    });

    describe("when a coded voucher is bought in the stablecoin through a referral", function () {
      it("pulls exactly the price, stores the referrer and credits nobody yet", async function () {
        const f = await loadFixture(ordersFixture);
        const key = randomKey();
        const tx = f.exchange.connect(f.buyer).buy(2n, U, f.d3.address, key);
        await expect(tx).to.emit(f.exchange, "Purchased").withArgs(2n, f.buyer.address, f.d3.address, U, 200n, key);
        await expect(tx).to.changeTokenBalances(ethers, f.usd, [f.buyer, f.seller, f.exchange], [-U, 0n, U]);
        expect((await f.exchange.trade(2n)).referrer).to.equal(f.d3.address);
        await expectNoCredits(f, f.usdAddress);
      });
    });

    describe("when an issuer-backed voucher is bought in ETH through a 3-level referral", function () {
      it("settles at once: voucher to the buyer, proceeds pushed to the seller, fee credited down the chain", async function () {
        const f = await loadFixture(ordersFixture);
        const tx = f.exchange.connect(f.buyer).buy(3n, P, f.d3.address, ethers.ZeroHash, { value: P });
        await expect(tx)
          .to.emit(f.exchange, "Purchased")
          .withArgs(3n, f.buyer.address, f.d3.address, P, 200n, ethers.ZeroHash);
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(3n, PROCEEDS, FEE, TREASURY);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(3n, f.d3.address, 1n, D3);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(3n, f.d2.address, 2n, D2);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(3n, f.d1.address, 3n, D1);
        await expect(tx).to.emit(f.voucher, "Transfer").withArgs(f.exchangeAddress, f.buyer.address, f.backed[0]);
        await expect(tx).not.to.emit(f.exchange, "PaymentDeferred");
        await expect(tx).to.changeEtherBalances(
          ethers,
          [f.buyer, f.seller, f.exchange, f.treasury, f.d3],
          [-P, PROCEEDS, FEE, 0n, 0n],
        );
        await expectEthChainCredits(f);
        expect(await f.voucher.ownerOf(f.backed[0])).to.equal(f.buyer.address);
        const t = await f.exchange.trade(3n);
        // An instant sale's buyer lives only in Purchased; the trade keeps its zero buyer slot.
        expect([t.status, t.buyer, t.feeBps]).to.deep.equal([Status.Completed, ETH, 200n]);
        expect(await stats(f, f.seller)).to.deep.equal([1n, 0n, 0n, 0n]);
        expect(await stats(f, f.buyer)).to.deep.equal([0n, 1n, 0n, 0n]);
      });
    });

    describe("when an issuer-backed voucher is bought in the stablecoin through a 3-level referral", function () {
      it("moves exactly price, proceeds and fee in kUSD and credits the chain", async function () {
        const f = await loadFixture(ordersFixture);
        const tx = f.exchange.connect(f.buyer).buy(4n, U, f.d3.address, ethers.ZeroHash);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.usd,
          [f.buyer, f.seller, f.exchange, f.d3],
          [-U, U_PROCEEDS, U_FEE, 0n],
        );
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(4n, U_PROCEEDS, U_FEE, U_TREASURY);
        expect(await f.exchange.credits(f.d3.address, f.usdAddress)).to.equal(U_D3);
        expect(await f.exchange.credits(f.d2.address, f.usdAddress)).to.equal(U_D2);
        expect(await f.exchange.credits(f.d1.address, f.usdAddress)).to.equal(U_D1);
        expect(await f.exchange.credits(f.treasury.address, f.usdAddress)).to.equal(U_TREASURY);
        expect(await f.exchange.credits(f.d3.address, ETH)).to.equal(0n);
      });
    });

    describe("when the listing does not exist or is no longer for sale", function () {
      it("reverts with InvalidStatus and the trade's status", async function () {
        const f = await loadFixture(ordersFixture);
        await expect(f.exchange.connect(f.buyer).buy(99n, P, ETH, randomKey(), { value: P }))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(99n, Status.None);
        await f.buyCoded(1n);
        await expect(f.exchange.connect(f.other).buy(1n, P, ETH, randomKey(), { value: P }))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(1n, Status.AwaitingDelivery);
        await f.exchange.connect(f.buyer).buy(3n, P, ETH, ethers.ZeroHash, { value: P });
        await expect(f.exchange.connect(f.other).buy(3n, P, ETH, ethers.ZeroHash, { value: P }))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(3n, Status.Completed);
        await f.exchange.connect(f.seller).cancelListing(4n);
        await expect(f.exchange.connect(f.buyer).buy(4n, U, ETH, ethers.ZeroHash))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(4n, Status.Cancelled);
      });
    });

    describe("when the seller buys its own listing", function () {
      it("reverts with SellerCannotBuy", async function () {
        const f = await loadFixture(ordersFixture);
        await expect(f.exchange.connect(f.seller).buy(1n, P, ETH, randomKey(), { value: P }))
          .to.be.revertedWithCustomError(f.exchange, "SellerCannotBuy")
          .withArgs(1n);
      });
    });

    describe("when the price is above the buyer's maxPrice", function () {
      it("reverts with PriceAboveMax, also after the seller raises the price in front of the buy", async function () {
        const f = await loadFixture(ordersFixture);
        await expect(f.exchange.connect(f.buyer).buy(1n, P - 1n, ETH, randomKey(), { value: P }))
          .to.be.revertedWithCustomError(f.exchange, "PriceAboveMax")
          .withArgs(P, P - 1n);
        await f.exchange.connect(f.seller).updatePrice(3n, P * 2n);
        await expect(f.exchange.connect(f.buyer).buy(3n, P, ETH, ethers.ZeroHash, { value: P * 2n }))
          .to.be.revertedWithCustomError(f.exchange, "PriceAboveMax")
          .withArgs(P * 2n, P);
      });
    });

    describe("when a coded voucher would expire before its order could settle", function () {
      it("reverts with ExpiresBeforeSettlement once delivery + confirm windows pass the expiry", async function () {
        const f = await loadFixture(ordersFixture);
        const settleWindows = DELIVERY_WINDOW + CONFIRM_WINDOW;
        // The last second at which both windows still end by the expiry: the buy goes through.
        await time.setNextBlockTimestamp(f.expiresAt - settleWindows);
        await f.buyCoded(1n);
        // One second later a coded buy is refused, with when its windows would have ended.
        await time.setNextBlockTimestamp(f.expiresAt - settleWindows + 1n);
        await expect(f.exchange.connect(f.buyer).buy(2n, U, ETH, randomKey()))
          .to.be.revertedWithCustomError(f.exchange, "ExpiresBeforeSettlement")
          .withArgs(2n, f.expiresAt, f.expiresAt + 1n);
        // An issuer-backed voucher settles in the purchase itself, so it stays buyable until it expires.
        await time.setNextBlockTimestamp(f.expiresAt - 1n);
        await expect(f.exchange.connect(f.buyer).buy(3n, P, ETH, ethers.ZeroHash, { value: P })).to.emit(
          f.exchange,
          "Settled",
        );
      });

      it("keeps the seller from being paid for a card that expired before delivery", async function () {
        const f = await loadFixture(ordersFixture);
        await time.setNextBlockTimestamp(f.expiresAt - DELIVERY_WINDOW - CONFIRM_WINDOW);
        await f.buyCoded(1n);
        // Delivery can only come before the delivery deadline, which is before the expiry; after it, a refund.
        await time.increaseTo(f.expiresAt);
        await expect(f.exchange.connect(f.seller).deliverCode(1n, CIPHERTEXT)).to.be.revertedWithCustomError(
          f.exchange,
          "DeadlinePassed",
        );
        await expect(f.exchange.cancelUndelivered(1n)).to.changeEtherBalances(ethers, [f.buyer], [P]);
      });
    });

    describe("when the voucher has expired", function () {
      it("reverts with VoucherExpired from the expiry second on", async function () {
        const f = await loadFixture(ordersFixture);
        await time.setNextBlockTimestamp(f.expiresAt);
        await expect(f.exchange.connect(f.buyer).buy(1n, P, ETH, randomKey(), { value: P }))
          .to.be.revertedWithCustomError(f.exchange, "VoucherExpired")
          .withArgs(f.coded[0], f.expiresAt);
        await time.setNextBlockTimestamp(f.expiresAt - 1n);
        await expect(f.exchange.connect(f.buyer).buy(3n, P, ETH, ethers.ZeroHash, { value: P })).to.emit(
          f.exchange,
          "Settled",
        );
      });
    });

    describe("when a coded voucher is bought without a buyer key", function () {
      it("reverts with MissingBuyerKey", async function () {
        const f = await loadFixture(ordersFixture);
        await expect(
          f.exchange.connect(f.buyer).buy(1n, P, ETH, ethers.ZeroHash, { value: P }),
        ).to.be.revertedWithCustomError(f.exchange, "MissingBuyerKey");
      });
    });

    describe("when the ETH sent does not match", function () {
      it("reverts with WrongPayment for too little, too much, or any ETH on a token listing", async function () {
        const f = await loadFixture(ordersFixture);
        for (const value of [0n, P - 1n, P + 1n]) {
          await expect(f.exchange.connect(f.buyer).buy(1n, P, ETH, randomKey(), { value }))
            .to.be.revertedWithCustomError(f.exchange, "WrongPayment")
            .withArgs(value, P);
        }
        await expect(f.exchange.connect(f.buyer).buy(2n, U, ETH, randomKey(), { value: 1n }))
          .to.be.revertedWithCustomError(f.exchange, "WrongPayment")
          .withArgs(1n, 0n);
      });
    });

    describe("when the buyer has not approved or does not hold the stablecoin", function () {
      it("reverts with the token's ERC20InsufficientAllowance / ERC20InsufficientBalance", async function () {
        const f = await loadFixture(ordersFixture);
        await f.usd.connect(f.buyer).approve(f.exchangeAddress, U - 1n);
        await expect(f.exchange.connect(f.buyer).buy(2n, U, ETH, randomKey()))
          .to.be.revertedWithCustomError(f.usd, "ERC20InsufficientAllowance")
          .withArgs(f.exchangeAddress, U - 1n, U);
        await f.usd.connect(f.arbiter).approve(f.exchangeAddress, U);
        await expect(f.exchange.connect(f.arbiter).buy(4n, U, ETH, ethers.ZeroHash))
          .to.be.revertedWithCustomError(f.usd, "ERC20InsufficientBalance")
          .withArgs(f.arbiter.address, 0n, U);
      });
    });
  });

  describe("deliverCode", function () {
    describe("when the seller delivers inside the delivery window", function () {
      it("emits CodeDelivered with the ciphertext and opens the confirm window", async function () {
        const f = await loadFixture(ordersFixture);
        await f.buyCoded(1n);
        const tx = await f.exchange.connect(f.seller).deliverCode(1n, CIPHERTEXT);
        await expect(tx).to.emit(f.exchange, "CodeDelivered").withArgs(1n, CIPHERTEXT);
        const t = await f.exchange.trade(1n);
        expect([t.status, t.deadline]).to.deep.equal([Status.Delivered, (await minedAt(tx)) + CONFIRM_WINDOW]);
      });

      it("accepts a delivery at the deadline second", async function () {
        const f = await loadFixture(ordersFixture);
        await f.buyCoded(2n);
        const deadline = (await f.exchange.trade(2n)).deadline;
        await time.setNextBlockTimestamp(deadline);
        await expect(f.exchange.connect(f.seller).deliverCode(2n, CIPHERTEXT)).to.emit(f.exchange, "CodeDelivered");
      });
    });

    describe("when the delivery window has closed", function () {
      it("reverts with DeadlinePassed", async function () {
        const f = await loadFixture(ordersFixture);
        await f.buyCoded(1n);
        const deadline = (await f.exchange.trade(1n)).deadline;
        await time.setNextBlockTimestamp(deadline + 1n);
        await expect(f.exchange.connect(f.seller).deliverCode(1n, CIPHERTEXT))
          .to.be.revertedWithCustomError(f.exchange, "DeadlinePassed")
          .withArgs(1n, deadline);
      });
    });

    describe("when the caller is not the seller", function () {
      it("reverts with NotSeller", async function () {
        const f = await loadFixture(ordersFixture);
        await f.buyCoded(1n);
        for (const who of [f.buyer, f.other]) {
          await expect(f.exchange.connect(who).deliverCode(1n, CIPHERTEXT))
            .to.be.revertedWithCustomError(f.exchange, "NotSeller")
            .withArgs(who.address, 1n);
        }
      });
    });

    describe("when the order is not awaiting delivery", function () {
      it("reverts with InvalidStatus before the buy, after a delivery and for a settled instant sale", async function () {
        const f = await loadFixture(ordersFixture);
        await expect(f.exchange.connect(f.seller).deliverCode(1n, CIPHERTEXT))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(1n, Status.Listed);
        await f.delivered(1n);
        await expect(f.exchange.connect(f.seller).deliverCode(1n, CIPHERTEXT))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(1n, Status.Delivered);
        await f.exchange.connect(f.buyer).buy(3n, P, ETH, ethers.ZeroHash, { value: P });
        await expect(f.exchange.connect(f.seller).deliverCode(3n, CIPHERTEXT))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(3n, Status.Completed);
      });
    });

    describe("when the ciphertext is empty", function () {
      it("reverts with EmptyDelivery", async function () {
        const f = await loadFixture(ordersFixture);
        await f.buyCoded(1n);
        await expect(f.exchange.connect(f.seller).deliverCode(1n, "0x")).to.be.revertedWithCustomError(
          f.exchange,
          "EmptyDelivery",
        );
      });
    });
  });

  describe("confirm", function () {
    describe("when the buyer confirms an ETH order bought through a 3-level referral", function () {
      it("settles: voucher to the buyer, proceeds to the seller, fee credited down the chain", async function () {
        const f = await loadFixture(ordersFixture);
        await f.delivered(1n, f.d3.address);
        const tx = f.exchange.connect(f.buyer).confirm(1n);
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(1n, PROCEEDS, FEE, TREASURY);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(1n, f.d3.address, 1n, D3);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(1n, f.d2.address, 2n, D2);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(1n, f.d1.address, 3n, D1);
        await expect(tx).to.emit(f.voucher, "Transfer").withArgs(f.exchangeAddress, f.buyer.address, f.coded[0]);
        await expect(tx).to.changeEtherBalances(ethers, [f.buyer, f.seller, f.exchange], [0n, PROCEEDS, -PROCEEDS]);
        await expectEthChainCredits(f);
        expect(await f.voucher.ownerOf(f.coded[0])).to.equal(f.buyer.address);
        expect((await f.exchange.trade(1n)).status).to.equal(Status.Completed);
        expect(await stats(f, f.seller)).to.deep.equal([1n, 0n, 0n, 0n]);
        expect(await stats(f, f.buyer)).to.deep.equal([0n, 1n, 0n, 0n]);
      });
    });

    describe("when the buyer confirms a stablecoin order without a referrer", function () {
      it("pays the seller in kUSD and credits the whole fee to the treasury", async function () {
        const f = await loadFixture(ordersFixture);
        await f.delivered(2n);
        const tx = f.exchange.connect(f.buyer).confirm(2n);
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(2n, U_PROCEEDS, U_FEE, U_FEE);
        await expect(tx).not.to.emit(f.exchange, "ReferralCredited");
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.usd,
          [f.buyer, f.seller, f.exchange],
          [0n, U_PROCEEDS, -U_PROCEEDS],
        );
        expect(await f.exchange.credits(f.treasury.address, f.usdAddress)).to.equal(U_FEE);
      });
    });

    describe("when the confirm window has passed but nobody finalized", function () {
      it("still settles", async function () {
        const f = await loadFixture(ordersFixture);
        const deadline = await f.delivered(1n);
        await time.increaseTo(deadline + 100n);
        await expect(f.exchange.connect(f.buyer).confirm(1n))
          .to.emit(f.exchange, "Settled")
          .withArgs(1n, PROCEEDS, FEE, FEE);
      });
    });

    describe("when the caller is not the buyer", function () {
      it("reverts with NotBuyer", async function () {
        const f = await loadFixture(ordersFixture);
        await f.delivered(1n);
        for (const who of [f.seller, f.other]) {
          await expect(f.exchange.connect(who).confirm(1n))
            .to.be.revertedWithCustomError(f.exchange, "NotBuyer")
            .withArgs(who.address, 1n);
        }
        await expect(f.exchange.connect(f.buyer).confirm(99n))
          .to.be.revertedWithCustomError(f.exchange, "NotBuyer")
          .withArgs(f.buyer.address, 99n);
      });
    });

    describe("when the order is not delivered", function () {
      it("reverts with InvalidStatus before delivery, after settlement and while disputed", async function () {
        const f = await loadFixture(ordersFixture);
        await f.buyCoded(1n);
        await expect(f.exchange.connect(f.buyer).confirm(1n))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(1n, Status.AwaitingDelivery);
        await f.exchange.connect(f.seller).deliverCode(1n, CIPHERTEXT);
        await f.exchange.connect(f.buyer).confirm(1n);
        await expect(f.exchange.connect(f.buyer).confirm(1n))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(1n, Status.Completed);
        await f.disputed(2n);
        await expect(f.exchange.connect(f.buyer).confirm(2n))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(2n, Status.Disputed);
      });
    });
  });

  describe("finalize", function () {
    describe("when the confirm window has passed without a dispute", function () {
      it("lets anyone settle the order", async function () {
        const f = await loadFixture(ordersFixture);
        const deadline = await f.delivered(1n, f.d3.address);
        await time.setNextBlockTimestamp(deadline + 1n);
        const tx = f.exchange.connect(f.other).finalize(1n);
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(1n, PROCEEDS, FEE, TREASURY);
        await expect(tx).to.changeEtherBalances(
          ethers,
          [f.buyer, f.seller, f.exchange, f.other],
          [0n, PROCEEDS, -PROCEEDS, 0n],
        );
        await expectEthChainCredits(f);
        expect(await f.voucher.ownerOf(f.coded[0])).to.equal(f.buyer.address);
      });
    });

    describe("when the confirm window is still open", function () {
      it("reverts with DeadlineNotReached up to the deadline second", async function () {
        const f = await loadFixture(ordersFixture);
        const deadline = await f.delivered(1n);
        await time.setNextBlockTimestamp(deadline);
        await expect(f.exchange.connect(f.other).finalize(1n))
          .to.be.revertedWithCustomError(f.exchange, "DeadlineNotReached")
          .withArgs(1n, deadline);
      });
    });

    describe("when the order is not delivered", function () {
      it("reverts with InvalidStatus", async function () {
        const f = await loadFixture(ordersFixture);
        await f.buyCoded(1n);
        await expect(f.exchange.connect(f.other).finalize(1n))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(1n, Status.AwaitingDelivery);
        const deadline = await f.disputed(2n);
        await time.increaseTo(deadline + 1n);
        await expect(f.exchange.connect(f.other).finalize(2n))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(2n, Status.Disputed);
      });
    });
  });

  describe("cancelUndelivered", function () {
    describe("when the delivery window passed without a delivery", function () {
      it("lets anyone refund the buyer in full and return the voucher to the seller", async function () {
        const f = await loadFixture(ordersFixture);
        await f.buyCoded(1n, f.d3.address);
        const deadline = (await f.exchange.trade(1n)).deadline;
        await time.setNextBlockTimestamp(deadline + 1n);
        const tx = f.exchange.connect(f.other).cancelUndelivered(1n);
        await expect(tx).to.emit(f.exchange, "Refunded").withArgs(1n);
        await expect(tx).to.emit(f.voucher, "Transfer").withArgs(f.exchangeAddress, f.seller.address, f.coded[0]);
        await expect(tx).to.changeEtherBalances(ethers, [f.buyer, f.seller, f.exchange], [P, 0n, -P]);
        await expect(tx).not.to.emit(f.exchange, "Settled");
        expect((await f.exchange.trade(1n)).status).to.equal(Status.Refunded);
        await expectNoCredits(f, ETH);
        expect(await stats(f, f.seller)).to.deep.equal([0n, 0n, 0n, 0n]);
      });

      it("refunds a stablecoin order in kUSD", async function () {
        const f = await loadFixture(ordersFixture);
        await f.buyCoded(2n);
        await time.increase(DELIVERY_WINDOW + 1n);
        await expect(f.exchange.connect(f.other).cancelUndelivered(2n)).to.changeTokenBalances(
          ethers,
          f.usd,
          [f.buyer, f.seller, f.exchange],
          [U, 0n, -U],
        );
        expect(await f.voucher.ownerOf(f.coded[1])).to.equal(f.seller.address);
      });
    });

    describe("when the delivery window is still open", function () {
      it("reverts with DeadlineNotReached up to the deadline second", async function () {
        const f = await loadFixture(ordersFixture);
        await f.buyCoded(1n);
        const deadline = (await f.exchange.trade(1n)).deadline;
        await time.setNextBlockTimestamp(deadline);
        await expect(f.exchange.connect(f.buyer).cancelUndelivered(1n))
          .to.be.revertedWithCustomError(f.exchange, "DeadlineNotReached")
          .withArgs(1n, deadline);
      });
    });

    describe("when the code was delivered or the listing never sold", function () {
      it("reverts with InvalidStatus", async function () {
        const f = await loadFixture(ordersFixture);
        await expect(f.exchange.connect(f.buyer).cancelUndelivered(1n))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(1n, Status.Listed);
        await f.delivered(1n);
        await time.increase(DELIVERY_WINDOW + 1n);
        await expect(f.exchange.connect(f.buyer).cancelUndelivered(1n))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(1n, Status.Delivered);
      });
    });
  });

  describe("dispute", function () {
    for (const [id, asset] of [
      [1n, "ETH"],
      [2n, "the stablecoin"],
    ] as const) {
      describe(`when the buyer disputes inside the confirm window, paying the bond in ${asset}`, function () {
        it("escrows the bond, emits Disputed with the sealed evidence and opens the arbitration window", async function () {
          const f = await loadFixture(ordersFixture);
          await f.delivered(id);
          const { price, bond } = ASSET[Number(id)];
          expect(await f.exchange.disputeBond(id)).to.equal(bond);
          const evidence = ethers.hexlify(ethers.randomBytes(80));
          const tx = f.exchange.connect(f.buyer).dispute(id, evidence, { value: id === 1n ? bond : 0n });
          await expect(tx).to.emit(f.exchange, "Disputed").withArgs(id, bond, evidence);
          await expectChanges(f, id, tx, [f.buyer, f.seller, f.exchange], [-bond, 0n, bond]);
          const t = await f.exchange.trade(id);
          expect([t.status, t.deadline]).to.deep.equal([
            Status.Disputed,
            (await minedAt(await tx)) + ARBITRATION_WINDOW,
          ]);
          expect(await stats(f, f.buyer)).to.deep.equal([0n, 0n, 1n, 0n]);
          expect(await stats(f, f.seller)).to.deep.equal([0n, 0n, 0n, 0n]);
          expect(price + bond).to.equal(await escrowed(f, id));
        });
      });
    }

    describe("when the buyer disputes at the last second of the confirm window", function () {
      it("accepts the dispute", async function () {
        const f = await loadFixture(ordersFixture);
        const deadline = await f.delivered(1n);
        await time.setNextBlockTimestamp(deadline);
        await expect(f.exchange.connect(f.buyer).dispute(1n, SEALED_EVIDENCE, { value: BOND }))
          .to.emit(f.exchange, "Disputed")
          .withArgs(1n, BOND, SEALED_EVIDENCE);
      });
    });

    describe("when the ETH sent is not exactly the bond", function () {
      it("reverts with WrongPayment for too little, too much, or any ETH on a stablecoin order", async function () {
        const f = await loadFixture(ordersFixture);
        await f.delivered(1n);
        await f.delivered(2n);
        for (const value of [0n, BOND - 1n, BOND + 1n, P]) {
          await expect(f.exchange.connect(f.buyer).dispute(1n, SEALED_EVIDENCE, { value }))
            .to.be.revertedWithCustomError(f.exchange, "WrongPayment")
            .withArgs(value, BOND);
        }
        await expect(f.exchange.connect(f.buyer).dispute(2n, SEALED_EVIDENCE, { value: 1n }))
          .to.be.revertedWithCustomError(f.exchange, "WrongPayment")
          .withArgs(1n, 0n);
      });
    });

    describe("when the buyer has not approved or does not hold the stablecoin bond", function () {
      it("reverts with the token's ERC20InsufficientAllowance / ERC20InsufficientBalance", async function () {
        const f = await loadFixture(ordersFixture);
        await f.delivered(2n);
        await f.usd.connect(f.buyer).approve(f.exchangeAddress, U_BOND - 1n);
        await expect(f.exchange.connect(f.buyer).dispute(2n, SEALED_EVIDENCE))
          .to.be.revertedWithCustomError(f.usd, "ERC20InsufficientAllowance")
          .withArgs(f.exchangeAddress, U_BOND - 1n, U_BOND);
        await f.usd.connect(f.buyer).approve(f.exchangeAddress, ethers.MaxUint256);
        await f.usd.connect(f.buyer).transfer(f.other.address, await f.usd.balanceOf(f.buyer.address));
        await expect(f.exchange.connect(f.buyer).dispute(2n, SEALED_EVIDENCE))
          .to.be.revertedWithCustomError(f.usd, "ERC20InsufficientBalance")
          .withArgs(f.buyer.address, 0n, U_BOND);
      });
    });

    describe("when the confirm window has closed", function () {
      it("reverts with DeadlinePassed", async function () {
        const f = await loadFixture(ordersFixture);
        const deadline = await f.delivered(1n);
        await time.setNextBlockTimestamp(deadline + 1n);
        await expect(f.exchange.connect(f.buyer).dispute(1n, SEALED_EVIDENCE, { value: BOND }))
          .to.be.revertedWithCustomError(f.exchange, "DeadlinePassed")
          .withArgs(1n, deadline);
      });
    });

    describe("when the caller is not the buyer", function () {
      it("reverts with NotBuyer", async function () {
        const f = await loadFixture(ordersFixture);
        await f.delivered(1n);
        for (const who of [f.seller, f.other]) {
          await expect(f.exchange.connect(who).dispute(1n, SEALED_EVIDENCE, { value: BOND }))
            .to.be.revertedWithCustomError(f.exchange, "NotBuyer")
            .withArgs(who.address, 1n);
        }
      });
    });

    describe("when nothing was delivered yet, or the order is already disputed", function () {
      it("reverts with InvalidStatus", async function () {
        const f = await loadFixture(ordersFixture);
        await f.buyCoded(1n);
        await expect(f.exchange.connect(f.buyer).dispute(1n, SEALED_EVIDENCE, { value: BOND }))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(1n, Status.AwaitingDelivery);
        await f.disputed(2n);
        await expect(f.exchange.connect(f.buyer).dispute(2n, SEALED_EVIDENCE))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(2n, Status.Disputed);
      });
    });

    describe("when the evidence is empty", function () {
      it("reverts with MissingEvidence", async function () {
        const f = await loadFixture(ordersFixture);
        await f.delivered(1n);
        await expect(f.exchange.connect(f.buyer).dispute(1n, "0x", { value: BOND })).to.be.revertedWithCustomError(
          f.exchange,
          "MissingEvidence",
        );
      });
    });

    describe("when the arbiter has published no key to seal the evidence to", function () {
      it("reverts with NoArbiterKey until the arbiter publishes one", async function () {
        const f = await loadFixture(ordersFixture);
        await f.delivered(1n);
        await f.exchange.connect(f.arbiter).setArbiterKey(ethers.ZeroHash);
        await expect(
          f.exchange.connect(f.buyer).dispute(1n, SEALED_EVIDENCE, { value: BOND }),
        ).to.be.revertedWithCustomError(f.exchange, "NoArbiterKey");
        await f.exchange.connect(f.arbiter).setArbiterKey(ARBITER_KEY);
        await expect(f.exchange.connect(f.buyer).dispute(1n, SEALED_EVIDENCE, { value: BOND })).to.emit(
          f.exchange,
          "Disputed",
        );
      });
    });
  });

  describe("resolve", function () {
    for (const [id, asset] of [
      [1n, "ETH"],
      [2n, "the stablecoin"],
    ] as const) {
      describe(`when the arbiter refunds the buyer of an order in ${asset}`, function () {
        it("repays price and bond, returns the voucher marked disclosed, takes no fee and counts a lost dispute for the seller", async function () {
          const f = await loadFixture(ordersFixture);
          await f.disputed(id, f.d3.address);
          const { price, bond } = ASSET[Number(id)];
          const tokenId = f.coded[Number(id) - 1];
          const tx = f.exchange.connect(f.arbiter).resolve(id, true);
          await expect(tx).to.emit(f.exchange, "DisputeResolved").withArgs(id, true);
          await expect(tx).to.emit(f.exchange, "Refunded").withArgs(id);
          await expect(tx).to.emit(f.exchange, "DisputeBondPaid").withArgs(id, f.buyer.address, bond);
          await expect(tx).to.emit(f.voucher, "CodeDisclosed").withArgs(tokenId);
          await expect(tx).to.emit(f.voucher, "Transfer").withArgs(f.exchangeAddress, f.seller.address, tokenId);
          await expect(tx).not.to.emit(f.exchange, "Settled");
          await expect(tx).not.to.emit(f.exchange, "PaymentDeferred");
          await expectChanges(f, id, tx, [f.buyer, f.seller, f.exchange], [price + bond, 0n, -(price + bond)]);
          expect(await f.voucher.ownerOf(tokenId)).to.equal(f.seller.address);
          expect((await f.voucher.voucher(tokenId)).disclosed).to.equal(true);
          expect((await f.exchange.trade(id)).status).to.equal(Status.Refunded);
          await expectNoCredits(f, id === 1n ? ETH : f.usdAddress);
          expect(await stats(f, f.seller)).to.deep.equal([0n, 0n, 0n, 1n]);
          expect(await stats(f, f.buyer)).to.deep.equal([0n, 0n, 1n, 0n]);
        });
      });

      describe(`when the arbiter releases an order in ${asset} to the seller`, function () {
        it("settles as on confirm, pays the seller the buyer's bond and counts a lost dispute for the buyer", async function () {
          const f = await loadFixture(ordersFixture);
          await f.disputed(id, f.d3.address);
          const { bond, proceeds, fee, treasury } = ASSET[Number(id)];
          const tx = f.exchange.connect(f.arbiter).resolve(id, false);
          await expect(tx).to.emit(f.exchange, "DisputeResolved").withArgs(id, false);
          await expect(tx).to.emit(f.exchange, "Settled").withArgs(id, proceeds, fee, treasury);
          await expect(tx).to.emit(f.exchange, "DisputeBondPaid").withArgs(id, f.seller.address, bond);
          await expect(tx).not.to.emit(f.voucher, "CodeDisclosed");
          await expectChanges(f, id, tx, [f.buyer, f.seller, f.exchange], [0n, proceeds + bond, -(proceeds + bond)]);
          const tokenId = f.coded[Number(id) - 1];
          expect(await f.voucher.ownerOf(tokenId)).to.equal(f.buyer.address);
          expect((await f.voucher.voucher(tokenId)).disclosed).to.equal(false);
          expect((await f.exchange.trade(id)).status).to.equal(Status.Completed);
          expect(await escrowed(f, id)).to.equal(fee); // only the fee's credits stay behind
          expect(await stats(f, f.seller)).to.deep.equal([1n, 0n, 0n, 0n]);
          expect(await stats(f, f.buyer)).to.deep.equal([0n, 1n, 1n, 1n]);
        });
      });
    }

    describe("when the arbiter releases an order bought through a 3-level referral", function () {
      it("credits the chain as on confirm", async function () {
        const f = await loadFixture(ordersFixture);
        await f.disputed(2n, f.d3.address);
        const tx = f.exchange.connect(f.arbiter).resolve(2n, false);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(2n, f.d3.address, 1n, U_D3);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(2n, f.d2.address, 2n, U_D2);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(2n, f.d1.address, 3n, U_D1);
        expect(await f.exchange.credits(f.treasury.address, f.usdAddress)).to.equal(U_TREASURY);
      });
    });

    describe("when a refunded voucher's seller lists it again", function () {
      it("reverts with VoucherDisclosed: a code the buyer and the arbiter saw is never sold again", async function () {
        const f = await loadFixture(ordersFixture);
        await f.disputed(1n);
        await f.exchange.connect(f.arbiter).resolve(1n, true);
        await expect(f.exchange.connect(f.seller).list(f.coded[0], ETH, P))
          .to.be.revertedWithCustomError(f.exchange, "VoucherDisclosed")
          .withArgs(f.coded[0]);
        await expect(f.exchange.connect(f.seller).listBatch([f.coded[0]], f.usdAddress, [U]))
          .to.be.revertedWithCustomError(f.exchange, "VoucherDisclosed")
          .withArgs(f.coded[0]);
      });
    });

    describe("when the arbitration window is ending", function () {
      it("accepts a ruling at the deadline second and reverts with DeadlinePassed after it", async function () {
        const f = await loadFixture(ordersFixture);
        const first = await f.disputed(1n);
        await time.setNextBlockTimestamp(first);
        await expect(f.exchange.connect(f.arbiter).resolve(1n, false)).to.emit(f.exchange, "DisputeResolved");
        const second = await f.disputed(2n);
        await time.setNextBlockTimestamp(second + 1n);
        await expect(f.exchange.connect(f.arbiter).resolve(2n, true))
          .to.be.revertedWithCustomError(f.exchange, "DeadlinePassed")
          .withArgs(2n, second);
      });
    });

    describe("when the caller is not the arbiter", function () {
      it("reverts with NotArbiter, for the owner and the parties too", async function () {
        const f = await loadFixture(ordersFixture);
        await f.disputed(1n);
        for (const who of [f.owner, f.buyer, f.seller]) {
          await expect(f.exchange.connect(who).resolve(1n, true))
            .to.be.revertedWithCustomError(f.exchange, "NotArbiter")
            .withArgs(who.address);
        }
      });
    });

    describe("when the order is not disputed", function () {
      it("reverts with InvalidStatus: the arbiter only rules on disputes, once", async function () {
        const f = await loadFixture(ordersFixture);
        await f.delivered(1n);
        await expect(f.exchange.connect(f.arbiter).resolve(1n, true))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(1n, Status.Delivered);
        await f.disputed(2n);
        await f.exchange.connect(f.arbiter).resolve(2n, true);
        await expect(f.exchange.connect(f.arbiter).resolve(2n, false))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(2n, Status.Refunded);
      });
    });
  });

  describe("expireDispute", function () {
    for (const [id, asset] of [
      [1n, "ETH"],
      [2n, "the stablecoin"],
    ] as const) {
      describe(`when the arbitration window of an order in ${asset} passed without a ruling`, function () {
        it("lets anyone settle it as released: the seller gets proceeds and bond, the buyer loses the dispute", async function () {
          const f = await loadFixture(ordersFixture);
          const deadline = await f.disputed(id, f.d3.address);
          const { bond, proceeds, fee, treasury } = ASSET[Number(id)];
          await time.setNextBlockTimestamp(deadline + 1n);
          const tx = f.exchange.connect(f.other).expireDispute(id);
          await expect(tx).to.emit(f.exchange, "Settled").withArgs(id, proceeds, fee, treasury);
          await expect(tx).to.emit(f.exchange, "DisputeBondPaid").withArgs(id, f.seller.address, bond);
          await expect(tx).not.to.emit(f.exchange, "DisputeResolved");
          await expect(tx).not.to.emit(f.exchange, "Refunded");
          await expectChanges(
            f,
            id,
            tx,
            [f.buyer, f.seller, f.exchange, f.other],
            [0n, proceeds + bond, -(proceeds + bond), 0n],
          );
          const tokenId = f.coded[Number(id) - 1];
          expect(await f.voucher.ownerOf(tokenId)).to.equal(f.buyer.address);
          expect((await f.voucher.voucher(tokenId)).disclosed).to.equal(false);
          expect((await f.exchange.trade(id)).status).to.equal(Status.Completed);
          expect(await stats(f, f.seller)).to.deep.equal([1n, 0n, 0n, 0n]);
          expect(await stats(f, f.buyer)).to.deep.equal([0n, 1n, 1n, 1n]);
        });
      });
    }

    describe("when the terms changed after the purchase", function () {
      it("settles on the terms and the bond of the purchase", async function () {
        const f = await loadFixture(ordersFixture);
        await f.buyCoded(1n, f.d3.address);
        await f.exchange.setLevelShares([0, 0, 0]);
        await f.exchange.setTreasury(f.other.address);
        await f.exchange.setDisputeBond(5_000);
        await f.exchange.connect(f.seller).deliverCode(1n, CIPHERTEXT);
        await f.exchange.connect(f.buyer).dispute(1n, SEALED_EVIDENCE, { value: BOND });
        await time.increase(ARBITRATION_WINDOW + 1n);
        const tx = f.exchange.connect(f.other).expireDispute(1n);
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(1n, PROCEEDS, FEE, TREASURY);
        await expect(tx).to.changeEtherBalances(ethers, [f.seller], [PROCEEDS + BOND]);
        await expectEthChainCredits(f);
        expect(await f.exchange.credits(f.other.address, ETH)).to.equal(0n);
      });
    });

    describe("when the arbitration window is still open", function () {
      it("reverts with DeadlineNotReached up to the deadline second", async function () {
        const f = await loadFixture(ordersFixture);
        const deadline = await f.disputed(1n);
        await time.setNextBlockTimestamp(deadline);
        await expect(f.exchange.connect(f.other).expireDispute(1n))
          .to.be.revertedWithCustomError(f.exchange, "DeadlineNotReached")
          .withArgs(1n, deadline);
      });
    });

    describe("when the order is not disputed, or the arbiter already ruled", function () {
      it("reverts with InvalidStatus", async function () {
        const f = await loadFixture(ordersFixture);
        await f.delivered(1n);
        await expect(f.exchange.connect(f.other).expireDispute(1n))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(1n, Status.Delivered);
        const deadline = await f.disputed(2n);
        await f.exchange.connect(f.arbiter).resolve(2n, false);
        await time.increaseTo(deadline + 1n);
        await expect(f.exchange.connect(f.other).expireDispute(2n))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(2n, Status.Completed);
      });
    });
  });
});
