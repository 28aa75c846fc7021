import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import {
  ETH,
  LEVEL_SHARES,
  MAX_PRICE,
  MIN_PRICE,
  Status,
  deployExchange,
  ethers,
  minedAt,
  networkHelpers,
  randomKey,
} from "./helpers/fixtures.js";

const { loadFixture } = networkHelpers;

type Signer = Awaited<ReturnType<typeof ethers.getSigners>>[number];

/** The distributor chain d3 ← d2 ← d1 (d1 the root) and a helper that sells a fresh issuer-backed voucher. */
async function feesFixture() {
  const base = await deployExchange();
  const { exchange, seller, buyer, issueBacked, list, distributorChain } = base;
  await distributorChain();
  const usdAddress = await base.usd.getAddress();

  /** Lists a new issuer-backed voucher of `from` at `price` and returns the listing id. */
  async function listBacked(price: bigint, payToken = ETH, from: Signer = seller) {
    return list(await issueBacked(from), price, payToken, from);
  }

  /** Sells a new issuer-backed voucher at `price` to `to` through `referrer`; returns the listing id and the tx. */
  async function sell(price: bigint, referrer = ETH, payToken = ETH, to: Signer = buyer, from: Signer = seller) {
    const id = await listBacked(price, payToken, from);
    const value = payToken === ETH ? price : 0n;
    const tx = exchange.connect(to).buy(id, price, referrer, ethers.ZeroHash, { value });
    return { id, tx };
  }

  return { ...base, usdAddress, exchangeAddress: await exchange.getAddress(), listBacked, sell };
}

type Fixture = Awaited<ReturnType<typeof feesFixture>>;

/** The split by the documented formula: fee = price * feeBps / 10000, level i gets fee * share_i / 10000. */
function formulaSplit(price: bigint, feeBps: bigint, levels: (0 | 1 | 2)[]) {
  const fee = (price * feeBps) / 10_000n;
  const shares = levels.map((i) => (fee * LEVEL_SHARES[i]) / 10_000n);
  return { fee, proceeds: price - fee, shares, treasury: fee - shares.reduce((a, b) => a + b, 0n) };
}

async function credit(f: Fixture, who: { address: string }, token = ETH) {
  return f.exchange.credits(who.address, token);
}

describe("VoucherExchange fees, distributors and credits", function () {
  describe("joinDistributors", function () {
    describe("when an account joins as a root or under a distributor", function () {
      it("records it with its upline and emits DistributorJoined", async function () {
        const f = await loadFixture(feesFixture);
        const joinedRoot = await f.exchange.connect(f.other).joinDistributors(ETH);
        await expect(joinedRoot).to.emit(f.exchange, "DistributorJoined").withArgs(f.other.address, ETH);
        expect(await f.exchange.distributor(f.other.address)).to.deep.equal([true, ETH, await minedAt(joinedRoot)]);
        const joinedUnder = await f.exchange.connect(f.buyer).joinDistributors(f.d3.address);
        await expect(joinedUnder).to.emit(f.exchange, "DistributorJoined").withArgs(f.buyer.address, f.d3.address);
        expect(await f.exchange.distributor(f.buyer.address)).to.deep.equal([
          true,
          f.d3.address,
          await minedAt(joinedUnder),
        ]);
        expect((await f.exchange.distributor(f.d2.address)).slice(0, 2)).to.deep.equal([true, f.d1.address]);
        expect(await f.exchange.distributor(f.seller.address)).to.deep.equal([false, ETH, 0n]);
      });
    });

    describe("when the account already joined", function () {
      it("reverts with AlreadyDistributor", async function () {
        const f = await loadFixture(feesFixture);
        for (const upline of [ETH, f.d3.address]) {
          await expect(f.exchange.connect(f.d1).joinDistributors(upline))
            .to.be.revertedWithCustomError(f.exchange, "AlreadyDistributor")
            .withArgs(f.d1.address);
        }
      });
    });

    describe("when the upline is not a distributor", function () {
      it("reverts with NotDistributor, also for the account itself (no cycles)", async function () {
        const f = await loadFixture(feesFixture);
        await expect(f.exchange.connect(f.buyer).joinDistributors(f.other.address))
          .to.be.revertedWithCustomError(f.exchange, "NotDistributor")
          .withArgs(f.other.address);
        await expect(f.exchange.connect(f.buyer).joinDistributors(f.buyer.address))
          .to.be.revertedWithCustomError(f.exchange, "NotDistributor")
          .withArgs(f.buyer.address);
      });
    });
  });

  describe("fee and split", function () {
    describe("when the fee does not divide evenly", function () {
      it("rounds the fee and each share down and gives the treasury the remainder", async function () {
        const f = await loadFixture(feesFixture);
        // 10,001 * 200 / 10,000 = 200 (200.02); shares 60 / 30 / 10; treasury 100; seller 9,801.
        const { id, tx } = await f.sell(10_001n, f.d3.address);
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(id, 9_801n, 200n, 100n);
        await expect(tx).to.changeEtherBalances(ethers, [f.buyer, f.seller, f.exchange], [-10_001n, 9_801n, 200n]);
        expect([await credit(f, f.d3), await credit(f, f.d2), await credit(f, f.d1)]).to.deep.equal([60n, 30n, 10n]);
        expect(await credit(f, f.treasury)).to.equal(100n);
      });
    });

    describe("when the price is MIN_PRICE at the 1% minimum fee", function () {
      it("still takes a non-zero fee of 100 base units", async function () {
        const f = await loadFixture(feesFixture);
        await f.exchange.setProtocolFee(100);
        const { id, tx } = await f.sell(MIN_PRICE, f.d3.address, f.usdAddress);
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(id, 9_900n, 100n, 50n);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.usd,
          [f.buyer, f.seller, f.exchange],
          [-10_000n, 9_900n, 100n],
        );
        const credits = await Promise.all([f.d3, f.d2, f.d1].map((d) => credit(f, d, f.usdAddress)));
        expect(credits).to.deep.equal([30n, 15n, 5n]);
      });
    });

    describe("when the fee is the 3% maximum", function () {
      it("splits 3% of the price", async function () {
        const f = await loadFixture(feesFixture);
        await f.exchange.setProtocolFee(300);
        const price = ethers.parseEther("1");
        const { id, tx } = await f.sell(price, f.d3.address);
        await expect(tx)
          .to.emit(f.exchange, "Settled")
          .withArgs(id, ethers.parseEther("0.97"), ethers.parseEther("0.03"), ethers.parseEther("0.015"));
        await expect(tx)
          .to.emit(f.exchange, "ReferralCredited")
          .withArgs(id, f.d3.address, 1n, ethers.parseEther("0.009"));
        await expect(tx)
          .to.emit(f.exchange, "ReferralCredited")
          .withArgs(id, f.d2.address, 2n, ethers.parseEther("0.0045"));
        await expect(tx)
          .to.emit(f.exchange, "ReferralCredited")
          .withArgs(id, f.d1.address, 3n, ethers.parseEther("0.0015"));
      });
    });

    describe("when the referrer's chain is shorter than three levels", function () {
      it("credits the levels that exist and gives the missing level's share to the treasury", async function () {
        const f = await loadFixture(feesFixture);
        // Referrer d2 (level 1) → d1 (level 2) → none. Fee 0.01 ETH: 30% + 15% to distributors, 55% treasury.
        const { id, tx } = await f.sell(ethers.parseEther("0.5"), f.d2.address);
        await expect(tx)
          .to.emit(f.exchange, "ReferralCredited")
          .withArgs(id, f.d2.address, 1n, ethers.parseEther("0.003"));
        await expect(tx)
          .to.emit(f.exchange, "ReferralCredited")
          .withArgs(id, f.d1.address, 2n, ethers.parseEther("0.0015"));
        await expect(tx)
          .to.emit(f.exchange, "Settled")
          .withArgs(id, ethers.parseEther("0.49"), ethers.parseEther("0.01"), ethers.parseEther("0.0055"));
        expect(await credit(f, f.d3)).to.equal(0n);
      });
    });

    describe("when the chain is deeper than three levels", function () {
      it("pays exactly three levels", async function () {
        const f = await loadFixture(feesFixture);
        await f.exchange.connect(f.other).joinDistributors(f.d3.address); // other ← d3 ← d2 ← d1
        const { id, tx } = await f.sell(1_000_000n, f.other.address);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(id, f.other.address, 1n, 6_000n);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(id, f.d3.address, 2n, 3_000n);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(id, f.d2.address, 3n, 1_000n);
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(id, 980_000n, 20_000n, 10_000n);
        expect(await credit(f, f.d1)).to.equal(0n);
      });
    });

    describe("when the referrer is not a distributor", function () {
      it("credits the whole fee to the treasury while Purchased still names the referrer", async function () {
        const f = await loadFixture(feesFixture);
        const { id, tx } = await f.sell(1_000_000n, f.other.address);
        await expect(tx)
          .to.emit(f.exchange, "Purchased")
          .withArgs(id, f.buyer.address, f.other.address, 1_000_000n, 200n, ethers.ZeroHash);
        await expect(tx).not.to.emit(f.exchange, "ReferralCredited");
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(id, 980_000n, 20_000n, 20_000n);
        expect(await credit(f, f.other)).to.equal(0n);
        expect(await credit(f, f.treasury)).to.equal(20_000n);
      });
    });

    describe("when the buyer refers itself", function () {
      it("skips the buyer's level and still pays its uplines", async function () {
        const f = await loadFixture(feesFixture);
        await f.exchange.connect(f.buyer).joinDistributors(f.d2.address); // buyer ← d2 ← d1
        const { id, tx } = await f.sell(1_000_000n, f.buyer.address);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(id, f.d2.address, 2n, 3_000n);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(id, f.d1.address, 3n, 1_000n);
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(id, 980_000n, 20_000n, 16_000n);
        expect(await credit(f, f.buyer)).to.equal(0n);
      });
    });

    describe("when the seller is in the referrer's chain", function () {
      it("skips the seller's level", async function () {
        const f = await loadFixture(feesFixture);
        await f.exchange.connect(f.seller).joinDistributors(f.d1.address);
        await f.exchange.connect(f.other).joinDistributors(f.seller.address); // other ← seller ← d1
        const { id, tx } = await f.sell(1_000_000n, f.other.address);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(id, f.other.address, 1n, 6_000n);
        await expect(tx).to.emit(f.exchange, "ReferralCredited").withArgs(id, f.d1.address, 3n, 1_000n);
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(id, 980_000n, 20_000n, 13_000n);
        expect(await credit(f, f.seller)).to.equal(0n);
      });
    });

    describe("when the level shares take the most they may (half the fee) or none of it", function () {
      it("leaves the treasury half, or everything", async function () {
        const f = await loadFixture(feesFixture);
        await f.exchange.setLevelShares([2500, 1500, 1000]);
        const most = await f.sell(1_000_000n, f.d3.address);
        await expect(most.tx).to.emit(f.exchange, "Settled").withArgs(most.id, 980_000n, 20_000n, 10_000n);
        expect([await credit(f, f.d3), await credit(f, f.d2), await credit(f, f.d1)]).to.deep.equal([
          5_000n,
          3_000n,
          2_000n,
        ]);
        expect(await credit(f, f.treasury)).to.equal(10_000n);

        await f.exchange.setLevelShares([0, 0, 0]);
        const none = await f.sell(1_000_000n, f.d3.address);
        await expect(none.tx).not.to.emit(f.exchange, "ReferralCredited");
        await expect(none.tx).to.emit(f.exchange, "Settled").withArgs(none.id, 980_000n, 20_000n, 20_000n);
        expect(await credit(f, f.treasury)).to.equal(30_000n);
      });
    });

    describe("when a buyer refers itself through a chain of fresh addresses", function () {
      it("gets back at most half of the fee: the protocol keeps the other half", async function () {
        const f = await loadFixture(feesFixture);
        // The buyer's own three fresh addresses: a ← b ← c, and it buys through c.
        const [a, b, c] = Array.from({ length: 3 }, () => ethers.Wallet.createRandom().connect(ethers.provider));
        for (const w of [a, b, c]) await f.owner.sendTransaction({ to: w.address, value: ethers.parseEther("1") });
        await f.exchange.connect(a).joinDistributors(ETH);
        await f.exchange.connect(b).joinDistributors(a.address);
        await f.exchange.connect(c).joinDistributors(b.address);
        const { id, tx } = await f.sell(1_000_000n, c.address);
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(id, 980_000n, 20_000n, 10_000n);
        const rebate = (await credit(f, a)) + (await credit(f, b)) + (await credit(f, c));
        expect(rebate).to.equal(10_000n);
        expect(await credit(f, f.treasury)).to.equal(10_000n);
      });
    });

    describe("when the owner changes the fee while an order is open", function () {
      it("settles the open order at the fee it was bought at; new orders pay the new fee", async function () {
        const f = await loadFixture(feesFixture);
        const tokenId = (await f.mintCoded()).tokenId;
        const id = await f.list(tokenId, 1_000_000n);
        await f.exchange.connect(f.buyer).buy(id, 1_000_000n, f.d3.address, randomKey(), { value: 1_000_000n });
        await f.exchange.setProtocolFee(300);
        await f.exchange.connect(f.seller).deliverCode(id, "0x01");
        await expect(f.exchange.connect(f.buyer).confirm(id))
          .to.emit(f.exchange, "Settled")
          .withArgs(id, 980_000n, 20_000n, 10_000n);
        const next = await f.sell(1_000_000n, f.d3.address);
        await expect(next.tx)
          .to.emit(f.exchange, "Purchased")
          .withArgs(next.id, f.buyer.address, f.d3.address, 1_000_000n, 300n, ethers.ZeroHash);
        await expect(next.tx).to.emit(f.exchange, "Settled").withArgs(next.id, 970_000n, 30_000n, 15_000n);
      });
    });
  });

  describe("when the owner changes the terms between a coded purchase and its settlement", function () {
    it("settles with the quote given before the buy: shares, treasury and referrer as at purchase", async function () {
      const f = await loadFixture(feesFixture);
      const { tokenId } = await f.mintCoded();
      const id = await f.list(tokenId, 1_000_000n);
      const quoted = await f.exchange.connect(f.buyer).quote(id, f.d3.address);
      await f.exchange.connect(f.buyer).buy(id, 1_000_000n, f.d3.address, randomKey(), { value: 1_000_000n });
      await f.exchange.setLevelShares([0, 0, 0]);
      await f.exchange.setTreasury(f.other.address);
      await f.exchange.setProtocolFee(300);
      await f.exchange.setWindows(3600, 3600, 3600);
      await f.exchange.connect(f.seller).deliverCode(id, "0x01");
      const tx = f.exchange.connect(f.buyer).confirm(id);
      await expect(tx)
        .to.emit(f.exchange, "Settled")
        .withArgs(id, quoted.sellerProceeds, quoted.fee, quoted.treasuryShare);
      for (let level = 0; level < 3; level++) {
        await expect(tx)
          .to.emit(f.exchange, "ReferralCredited")
          .withArgs(id, quoted.distributors[level], BigInt(level + 1), quoted.distributorShares[level]);
        expect(await f.exchange.credits(quoted.distributors[level], ETH)).to.equal(quoted.distributorShares[level]);
      }
      expect(await credit(f, f.treasury)).to.equal(quoted.treasuryShare);
      expect(await credit(f, f.other)).to.equal(0n);
    });

    it("pays nobody for a referrer that joins the network only after the purchase", async function () {
      const f = await loadFixture(feesFixture);
      const { tokenId } = await f.mintCoded();
      const id = await f.list(tokenId, 1_000_000n);
      const quoted = await f.exchange.connect(f.buyer).quote(id, f.other.address);
      expect(quoted.treasuryShare).to.equal(quoted.fee);
      const bought = f.exchange
        .connect(f.buyer)
        .buy(id, 1_000_000n, f.other.address, randomKey(), { value: 1_000_000n });
      await expect(bought)
        .to.emit(f.exchange, "Purchased")
        .withArgs(id, f.buyer.address, f.other.address, 1_000_000n, 200n, anyValue);
      const trade = await f.exchange.trade(id);
      await f.exchange.connect(f.other).joinDistributors(f.d3.address);
      const [joined, , joinedAt] = await f.exchange.distributor(f.other.address);
      expect(joined).to.equal(true);
      expect(joinedAt > trade.purchasedAt).to.equal(true);
      await f.exchange.connect(f.seller).deliverCode(id, "0x01");
      const tx = f.exchange.connect(f.buyer).confirm(id);
      await expect(tx).not.to.emit(f.exchange, "ReferralCredited");
      await expect(tx).to.emit(f.exchange, "Settled").withArgs(id, 980_000n, 20_000n, 20_000n);
      expect(await credit(f, f.other)).to.equal(0n);
    });
  });

  describe("quote", function () {
    describe("when quoting an active listing for the caller as buyer", function () {
      it("returns the exact split the purchase then produces", async function () {
        const f = await loadFixture(feesFixture);
        const id = await f.listBacked(450_000_000n, f.usdAddress);
        const q = await f.exchange.connect(f.buyer).quote(id, f.d3.address);
        expect(q.price).to.equal(450_000_000n);
        expect(q.fee).to.equal(9_000_000n);
        expect(q.sellerProceeds).to.equal(441_000_000n);
        expect(q.distributors).to.deep.equal([f.d3.address, f.d2.address, f.d1.address]);
        expect(q.distributorShares).to.deep.equal([2_700_000n, 1_350_000n, 450_000n]);
        expect(q.treasuryShare).to.equal(4_500_000n);
        const tx = f.exchange.connect(f.buyer).buy(id, q.price, f.d3.address, ethers.ZeroHash);
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(id, q.sellerProceeds, q.fee, q.treasuryShare);
        await expect(tx).to.changeTokenBalances(
          ethers,
          f.usd,
          [f.buyer, f.seller, f.exchange],
          [-q.price, q.sellerProceeds, q.fee],
        );
        for (let i = 0; i < 3; i++) {
          expect(await credit(f, { address: q.distributors[i] }, f.usdAddress)).to.equal(q.distributorShares[i]);
        }
      });
    });

    describe("when the caller is itself in the chain", function () {
      it("leaves the caller's level empty", async function () {
        const f = await loadFixture(feesFixture);
        const id = await f.listBacked(1_000_000n);
        const q = await f.exchange.connect(f.d2).quote(id, f.d3.address);
        expect(q.distributors).to.deep.equal([f.d3.address, ETH, f.d1.address]);
        expect(q.distributorShares).to.deep.equal([6_000n, 0n, 1_000n]);
        expect(q.treasuryShare).to.equal(13_000n);
      });
    });

    describe("when there is no referrer", function () {
      it("gives the treasury the whole fee, at the current protocol fee", async function () {
        const f = await loadFixture(feesFixture);
        await f.exchange.setProtocolFee(150);
        const id = await f.listBacked(1_000_000n);
        const q = await f.exchange.connect(f.buyer).quote(id, ETH);
        expect([q.price, q.fee, q.sellerProceeds, q.treasuryShare]).to.deep.equal([
          1_000_000n,
          15_000n,
          985_000n,
          15_000n,
        ]);
        expect(q.distributors).to.deep.equal([ETH, ETH, ETH]);
        expect(q.distributorShares).to.deep.equal([0n, 0n, 0n]);
      });
    });

    describe("when the listing is not active", function () {
      it("reverts with InvalidStatus", async function () {
        const f = await loadFixture(feesFixture);
        await expect(f.exchange.quote(7n, ETH))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(7n, Status.None);
        const { id, tx } = await f.sell(1_000_000n);
        await tx;
        await expect(f.exchange.quote(id, ETH))
          .to.be.revertedWithCustomError(f.exchange, "InvalidStatus")
          .withArgs(id, Status.Completed);
      });
    });
  });

  describe("previewSplit", function () {
    describe("for prices from 1 wei to the largest safe value and every fee bound", function () {
      it("follows the formula and conserves the price to the wei", async function () {
        const f = await loadFixture(feesFixture);
        const prices = [
          1n,
          MIN_PRICE - 1n,
          MIN_PRICE,
          10_001n,
          123_456_789n,
          10n ** 18n + 7n,
          MAX_PRICE,
          10n ** 30n + 3n,
          (2n ** 256n - 1n) / 10_000n,
        ];
        for (const feeBps of [100n, 199n, 300n]) {
          for (const price of prices) {
            const s = await f.exchange.previewSplit(price, feeBps, f.d3.address, f.buyer.address, f.seller.address);
            const expected = formulaSplit(price, feeBps, [0, 1, 2]);
            expect([s.fee, s.sellerProceeds, s.treasuryShare]).to.deep.equal([
              expected.fee,
              expected.proceeds,
              expected.treasury,
            ]);
            expect(s.distributorShares).to.deep.equal(expected.shares);
            const sum = s.sellerProceeds + s.distributorShares.reduce((a, b) => a + b, 0n) + s.treasuryShare;
            expect(sum).to.equal(price);
          }
        }
      });
    });

    describe("for the buyer or seller named in the chain", function () {
      it("matches quote and skips them", async function () {
        const f = await loadFixture(feesFixture);
        const id = await f.listBacked(777_777n);
        const q = await f.exchange.connect(f.d3).quote(id, f.d3.address);
        const s = await f.exchange.previewSplit(777_777n, 200, f.d3.address, f.d3.address, f.seller.address);
        expect([...s]).to.deep.equal([...q]);
        const expected = formulaSplit(777_777n, 200n, [1, 2]);
        expect(s.distributorShares).to.deep.equal([0n, ...expected.shares]);
        expect(s.treasuryShare).to.equal(expected.treasury);
        const bySeller = await f.exchange.previewSplit(777_777n, 200, f.d3.address, f.buyer.address, f.d2.address);
        expect(bySeller.distributors).to.deep.equal([f.d3.address, ETH, f.d1.address]);
      });
    });
  });

  describe("claim", function () {
    describe("when a distributor claims its ETH credit", function () {
      it("pays the whole credit, zeroes it and emits Claimed", async function () {
        const f = await loadFixture(feesFixture);
        await (
          await f.sell(ethers.parseEther("0.5"), f.d3.address)
        ).tx;
        const amount = ethers.parseEther("0.003");
        const tx = f.exchange.connect(f.d3).claim(ETH);
        await expect(tx).to.emit(f.exchange, "Claimed").withArgs(f.d3.address, ETH, amount);
        await expect(tx).to.changeEtherBalances(ethers, [f.d3, f.exchange, f.d2], [amount, -amount, 0n]);
        expect(await credit(f, f.d3)).to.equal(0n);
        expect(await credit(f, f.d2)).to.equal(ethers.parseEther("0.0015"));
      });
    });

    describe("when credits accrue over several sales in the stablecoin", function () {
      it("pays their sum in one claim", async function () {
        const f = await loadFixture(feesFixture);
        await (
          await f.sell(450_000_000n, f.d3.address, f.usdAddress)
        ).tx;
        await (
          await f.sell(100_000_000n, f.d3.address, f.usdAddress, f.other)
        ).tx;
        // Treasury: 50% of 9,000,000 + 50% of 2,000,000.
        const amount = 4_500_000n + 1_000_000n;
        expect(await credit(f, f.treasury, f.usdAddress)).to.equal(amount);
        const tx = f.exchange.connect(f.treasury).claim(f.usdAddress);
        await expect(tx).to.emit(f.exchange, "Claimed").withArgs(f.treasury.address, f.usdAddress, amount);
        await expect(tx).to.changeTokenBalances(ethers, f.usd, [f.treasury, f.exchange], [amount, -amount]);
      });
    });

    describe("when every party has claimed", function () {
      it("leaves the exchange holding nothing", async function () {
        const f = await loadFixture(feesFixture);
        await (
          await f.sell(ethers.parseEther("0.5"), f.d3.address)
        ).tx;
        await (
          await f.sell(450_000_000n, f.d3.address, f.usdAddress)
        ).tx;
        for (const who of [f.d1, f.d2, f.d3, f.treasury]) {
          await f.exchange.connect(who).claim(ETH);
          await f.exchange.connect(who).claim(f.usdAddress);
        }
        expect(await ethers.provider.getBalance(f.exchangeAddress)).to.equal(0n);
        expect(await f.usd.balanceOf(f.exchangeAddress)).to.equal(0n);
      });
    });

    describe("when there is nothing to claim", function () {
      it("reverts with NothingToClaim, after a claim and in a token with no credit", async function () {
        const f = await loadFixture(feesFixture);
        await (
          await f.sell(1_000_000n, f.d3.address)
        ).tx;
        await f.exchange.connect(f.d3).claim(ETH);
        await expect(f.exchange.connect(f.d3).claim(ETH))
          .to.be.revertedWithCustomError(f.exchange, "NothingToClaim")
          .withArgs(f.d3.address, ETH);
        await expect(f.exchange.connect(f.d3).claim(f.usdAddress))
          .to.be.revertedWithCustomError(f.exchange, "NothingToClaim")
          .withArgs(f.d3.address, f.usdAddress);
        await expect(f.exchange.connect(f.other).claim(ETH))
          .to.be.revertedWithCustomError(f.exchange, "NothingToClaim")
          .withArgs(f.other.address, ETH);
      });
    });
  });

  describe("credits", function () {
    describe("when the seller's address cannot take ETH", function () {
      it("keeps its proceeds as a credit and emits PaymentDeferred", async function () {
        const f = await loadFixture(feesFixture);
        // A contract with no receive or fallback (the stablecoin) acting as a seller: pushes to it fail.
        const contractSeller = await ethers.getImpersonatedSigner(f.usdAddress);
        await networkHelpers.setBalance(f.usdAddress, ethers.parseEther("1"));
        const tokenId = await f.issueBacked(f.seller);
        await f.voucher.connect(f.seller).transferFrom(f.seller.address, f.usdAddress, tokenId);
        await f.voucher.connect(contractSeller).approve(f.exchangeAddress, tokenId);
        const id = await f.list(tokenId, 1_000_000n, ETH, contractSeller);
        const tx = f.exchange.connect(f.buyer).buy(id, 1_000_000n, ETH, ethers.ZeroHash, { value: 1_000_000n });
        await expect(tx).to.emit(f.exchange, "PaymentDeferred").withArgs(f.usdAddress, ETH, 980_000n);
        await expect(tx).to.emit(f.exchange, "Settled").withArgs(id, 980_000n, 20_000n, 20_000n);
        await expect(tx).to.changeEtherBalances(
          ethers,
          [f.buyer, f.exchange, f.usdAddress],
          [-1_000_000n, 1_000_000n, 0n],
        );
        expect(await credit(f, { address: f.usdAddress })).to.equal(980_000n);
        expect(await f.voucher.ownerOf(tokenId)).to.equal(f.buyer.address);
      });
    });
  });

  describe("account", function () {
    describe("when asked for several tokens", function () {
      it("returns the reputation counters and the credits in the order asked", async function () {
        const f = await loadFixture(feesFixture);
        await (
          await f.sell(ethers.parseEther("0.5"), f.d3.address)
        ).tx;
        await (
          await f.sell(450_000_000n, f.d3.address, f.usdAddress)
        ).tx;
        const [stats, balances] = await f.exchange.account(f.d3.address, [ETH, f.usdAddress, ETH]);
        expect([stats.sales, stats.purchases, stats.disputesOpened, stats.disputesLost]).to.deep.equal([
          0n,
          0n,
          0n,
          0n,
        ]);
        expect(balances).to.deep.equal([ethers.parseEther("0.003"), 2_700_000n, ethers.parseEther("0.003")]);
        const [sellerStats] = await f.exchange.account(f.seller.address, []);
        const [buyerStats] = await f.exchange.account(f.buyer.address, []);
        expect([sellerStats.sales, buyerStats.purchases]).to.deep.equal([2n, 2n]);
      });
    });
  });
});
