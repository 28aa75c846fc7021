import { expect } from "chai";
import {
  ARBITER_KEY,
  ARBITRATION_WINDOW,
  CONFIRM_WINDOW,
  DAY,
  DELIVERY_WINDOW,
  ETH,
  FEE_BPS,
  MIN_PRICE,
  SEALED_EVIDENCE,
  Status,
  deployExchange,
  ethers,
  minedAt,
  networkHelpers,
  randomKey,
} from "./helpers/fixtures.js";

const { loadFixture, time } = networkHelpers;

const P = 1_000_000n;
/** The default 10% dispute bond on P. */
const BOND = 100_000n;
const HOUR = 3600;

/**
 * Trades in every open state, so pause and setter effects can be checked on each: 1 Listed, 2 AwaitingDelivery,
 * 3 Delivered, 4 Disputed (all coded, ETH, bought through d3), 5 an instant sale that left credits; plus `spare`, a
 * voucher the seller has not listed.
 */
async function adminFixture() {
  const base = await deployExchange();
  const { exchange, seller, buyer, d3, mintCoded, issueBacked, list, distributorChain, dispute } = base;
  await distributorChain();
  for (let i = 0; i < 4; i++) await list((await mintCoded()).tokenId, P);
  for (const id of [2n, 3n, 4n]) await exchange.connect(buyer).buy(id, P, d3.address, randomKey(), { value: P });
  for (const id of [3n, 4n]) await exchange.connect(seller).deliverCode(id, "0xc1fe");
  await (
    await dispute(4n)
  ).tx;
  await exchange.connect(buyer).buy(await list(await issueBacked(), P), P, d3.address, ethers.ZeroHash, { value: P });
  const spare = (await mintCoded()).tokenId;
  return { ...base, spare, usdAddress: await base.usd.getAddress(), exchangeAddress: await exchange.getAddress() };
}

describe("VoucherExchange administration", function () {
  describe("constructor", function () {
    describe("when deployed with valid arguments", function () {
      it("emits the initial configuration and exposes it through the views", async function () {
        const { voucher, owner, treasury, arbiter } = await loadFixture(adminFixture);
        const voucherAddress = await voucher.getAddress();
        const fresh = await ethers.deployContract("VoucherExchange", [
          voucherAddress,
          owner.address,
          treasury.address,
          arbiter.address,
          150,
        ]);
        const deployment = fresh.deploymentTransaction()!;
        await expect(deployment).to.emit(fresh, "ProtocolFeeSet").withArgs(150n);
        await expect(deployment).to.emit(fresh, "LevelSharesSet").withArgs([3000n, 1500n, 500n]);
        await expect(deployment).to.emit(fresh, "TreasurySet").withArgs(treasury.address);
        await expect(deployment).to.emit(fresh, "ArbiterSet").withArgs(arbiter.address);
        await expect(deployment)
          .to.emit(fresh, "WindowsSet")
          .withArgs(DELIVERY_WINDOW, CONFIRM_WINDOW, ARBITRATION_WINDOW);
        await expect(deployment).to.emit(fresh, "PayTokenSet").withArgs(ETH, ethers.parseEther("0.0001"));
        await expect(deployment).to.emit(fresh, "DisputeBondSet").withArgs(1000n);
        await expect(deployment).to.emit(fresh, "TermsRecorded").withArgs(1n);
        expect(await fresh.VOUCHER()).to.equal(voucherAddress);
        expect(await fresh.owner()).to.equal(owner.address);
        expect(await fresh.protocolFeeBps()).to.equal(150n);
        expect(await fresh.levelShares()).to.deep.equal([3000n, 1500n, 500n]);
        expect(await fresh.treasury()).to.equal(treasury.address);
        expect(await fresh.arbiter()).to.equal(arbiter.address);
        expect(await fresh.windows()).to.deep.equal([DELIVERY_WINDOW, CONFIRM_WINDOW, ARBITRATION_WINDOW]);
        expect(await fresh.paused()).to.equal(false);
        expect(await fresh.payTokens()).to.deep.equal([]);
        expect(await fresh.minPrice(ETH)).to.equal(ethers.parseEther("0.0001"));
        expect(await fresh.disputeBondBps()).to.equal(1000n);
        expect(await fresh.arbiterKey()).to.equal(ethers.ZeroHash);
        expect(await fresh.currentTermsId()).to.equal(1n);
        const terms = await fresh.terms(1n);
        expect([...terms]).to.deep.equal([
          treasury.address,
          3000n,
          1500n,
          500n,
          CONFIRM_WINDOW,
          ARBITRATION_WINDOW,
          1000n,
        ]);
        expect(await fresh.tradeCount()).to.equal(0n);
      });

      it("has the documented constants", async function () {
        const { exchange } = await loadFixture(adminFixture);
        expect(await exchange.MIN_FEE_BPS()).to.equal(100n);
        expect(await exchange.MAX_FEE_BPS()).to.equal(300n);
        expect(await exchange.MIN_PRICE_FLOOR()).to.equal(MIN_PRICE);
        expect(await exchange.MAX_BATCH()).to.equal(50n);
        expect(await exchange.MAX_LEVELS()).to.equal(3n);
        expect(await exchange.MAX_PAGE()).to.equal(250n);
        expect(await exchange.MIN_WINDOW()).to.equal(BigInt(HOUR));
        expect(await exchange.MAX_WINDOW()).to.equal(30n * BigInt(DAY));
        expect(await exchange.PUSH_GAS()).to.equal(30_000n);
        expect(await exchange.MAX_LEVEL_SHARES_BPS()).to.equal(5000n);
        expect(await exchange.DEFAULT_ETH_MIN_PRICE()).to.equal(ethers.parseEther("0.0001"));
        expect([
          await exchange.MIN_DISPUTE_BOND_BPS(),
          await exchange.MAX_DISPUTE_BOND_BPS(),
          await exchange.DEFAULT_DISPUTE_BOND_BPS(),
        ]).to.deep.equal([100n, 5000n, 1000n]);
        expect([
          await exchange.DEFAULT_LEVEL1_BPS(),
          await exchange.DEFAULT_LEVEL2_BPS(),
          await exchange.DEFAULT_LEVEL3_BPS(),
        ]).to.deep.equal([3000n, 1500n, 500n]);
        expect([
          await exchange.DEFAULT_DELIVERY_WINDOW(),
          await exchange.DEFAULT_CONFIRM_WINDOW(),
          await exchange.DEFAULT_ARBITRATION_WINDOW(),
        ]).to.deep.equal([DELIVERY_WINDOW, CONFIRM_WINDOW, ARBITRATION_WINDOW]);
      });
    });

    describe("when the voucher, treasury or arbiter is the zero address", function () {
      it("reverts with ZeroAddress", async function () {
        const { exchange, voucher, owner, treasury, arbiter } = await loadFixture(adminFixture);
        const v = await voucher.getAddress();
        for (const args of [
          [ETH, owner.address, treasury.address, arbiter.address, FEE_BPS],
          [v, owner.address, ETH, arbiter.address, FEE_BPS],
          [v, owner.address, treasury.address, ETH, FEE_BPS],
        ]) {
          await expect(ethers.deployContract("VoucherExchange", args)).to.be.revertedWithCustomError(
            exchange,
            "ZeroAddress",
          );
        }
      });
    });

    describe("when the fee is outside [100, 300] bps", function () {
      it("reverts with FeeOutOfBounds", async function () {
        const { exchange, voucher, owner, treasury, arbiter } = await loadFixture(adminFixture);
        for (const fee of [99n, 301n]) {
          await expect(
            ethers.deployContract("VoucherExchange", [
              await voucher.getAddress(),
              owner.address,
              treasury.address,
              arbiter.address,
              fee,
            ]),
          )
            .to.be.revertedWithCustomError(exchange, "FeeOutOfBounds")
            .withArgs(fee);
        }
      });
    });
  });

  describe("setProtocolFee", function () {
    describe("when the owner sets a fee within the bounds", function () {
      it("stores it, emits ProtocolFeeSet and charges it on the next purchase", async function () {
        const { exchange, buyer, spare, list } = await loadFixture(adminFixture);
        for (const fee of [100n, 300n, 250n]) {
          await expect(exchange.setProtocolFee(fee)).to.emit(exchange, "ProtocolFeeSet").withArgs(fee);
          expect(await exchange.protocolFeeBps()).to.equal(fee);
        }
        const id = await list(spare, P);
        const key = randomKey();
        await expect(exchange.connect(buyer).buy(id, P, ETH, key, { value: P }))
          .to.emit(exchange, "Purchased")
          .withArgs(id, buyer.address, ETH, P, 250n, key);
        expect((await exchange.trade(id)).feeBps).to.equal(250n);
      });
    });

    describe("when the fee is outside [MIN_FEE_BPS, MAX_FEE_BPS]", function () {
      it("reverts with FeeOutOfBounds", async function () {
        const { exchange } = await loadFixture(adminFixture);
        for (const fee of [0n, 99n, 301n, 10_000n, 65_535n]) {
          await expect(exchange.setProtocolFee(fee))
            .to.be.revertedWithCustomError(exchange, "FeeOutOfBounds")
            .withArgs(fee);
        }
        expect(await exchange.protocolFeeBps()).to.equal(FEE_BPS);
      });
    });

    describe("when the caller is not the owner", function () {
      it("reverts with OwnableUnauthorizedAccount", async function () {
        const { exchange, arbiter } = await loadFixture(adminFixture);
        await expect(exchange.connect(arbiter).setProtocolFee(150))
          .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
          .withArgs(arbiter.address);
      });
    });
  });

  describe("setLevelShares", function () {
    describe("when the shares sum to at most MAX_LEVEL_SHARES_BPS (half the fee)", function () {
      it("stores them, emits LevelSharesSet and records new terms", async function () {
        const { exchange, treasury } = await loadFixture(adminFixture);
        expect(await exchange.MAX_LEVEL_SHARES_BPS()).to.equal(5000n);
        const termsBefore = await exchange.currentTermsId();
        await expect(exchange.setLevelShares([3000, 1500, 500]))
          .to.emit(exchange, "LevelSharesSet")
          .withArgs([3000n, 1500n, 500n])
          .and.to.emit(exchange, "TermsRecorded")
          .withArgs(termsBefore + 1n);
        await expect(exchange.setLevelShares([4000, 1000, 0])).to.emit(exchange, "LevelSharesSet");
        expect(await exchange.levelShares()).to.deep.equal([4000n, 1000n, 0n]);
        expect(await exchange.currentTermsId()).to.equal(termsBefore + 2n);
        const recorded = await exchange.terms(termsBefore + 2n);
        expect([recorded.treasury, recorded.level1Bps, recorded.level2Bps, recorded.level3Bps]).to.deep.equal([
          treasury.address,
          4000n,
          1000n,
          0n,
        ]);
        await exchange.setLevelShares([0, 0, 0]);
        expect(await exchange.levelShares()).to.deep.equal([0n, 0n, 0n]);
      });
    });

    describe("when the shares sum above MAX_LEVEL_SHARES_BPS", function () {
      it("reverts with InvalidLevelShares and the sum: the protocol always keeps half of every fee", async function () {
        const { exchange } = await loadFixture(adminFixture);
        await expect(exchange.setLevelShares([3000, 1500, 501]))
          .to.be.revertedWithCustomError(exchange, "InvalidLevelShares")
          .withArgs(5_001n);
        await expect(exchange.setLevelShares([6000, 3000, 1000]))
          .to.be.revertedWithCustomError(exchange, "InvalidLevelShares")
          .withArgs(10_000n);
        await expect(exchange.setLevelShares([65_535, 65_535, 65_535]))
          .to.be.revertedWithCustomError(exchange, "InvalidLevelShares")
          .withArgs(196_605n);
      });
    });

    describe("when the caller is not the owner", function () {
      it("reverts with OwnableUnauthorizedAccount", async function () {
        const { exchange, d1 } = await loadFixture(adminFixture);
        await expect(exchange.connect(d1).setLevelShares([5_000, 0, 0]))
          .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
          .withArgs(d1.address);
      });
    });
  });

  describe("setTreasury", function () {
    describe("when the owner names a new treasury", function () {
      it("credits the fees of orders bought from now on to it; paid orders keep the old treasury", async function () {
        const { exchange, treasury, other, buyer, seller, d3 } = await loadFixture(adminFixture);
        const earned = await exchange.credits(treasury.address, ETH);
        expect(earned).to.equal(10_000n); // half of the 20,000 fee of the fixture's instant sale
        await expect(exchange.setTreasury(other.address))
          .to.emit(exchange, "TreasurySet")
          .withArgs(other.address)
          .and.to.emit(exchange, "TermsRecorded");
        expect(await exchange.treasury()).to.equal(other.address);
        // Order 3 was bought before the change: its treasury share goes to the treasury of its purchase.
        await exchange.connect(buyer).confirm(3n);
        expect(await exchange.credits(treasury.address, ETH)).to.equal(2n * earned);
        expect(await exchange.credits(other.address, ETH)).to.equal(0n);
        // Order 1, bought after the change, credits the new treasury.
        await exchange.connect(buyer).buy(1n, P, d3.address, randomKey(), { value: P });
        await exchange.connect(seller).deliverCode(1n, "0x01");
        await exchange.connect(buyer).confirm(1n);
        expect(await exchange.credits(other.address, ETH)).to.equal(10_000n);
        await expect(exchange.connect(treasury).claim(ETH)).to.changeEtherBalances(
          ethers,
          [treasury, exchange],
          [2n * earned, -2n * earned],
        );
      });
    });

    describe("when the new treasury is the zero address", function () {
      it("reverts with ZeroAddress", async function () {
        const { exchange } = await loadFixture(adminFixture);
        await expect(exchange.setTreasury(ETH)).to.be.revertedWithCustomError(exchange, "ZeroAddress");
      });
    });

    describe("when the caller is not the owner", function () {
      it("reverts with OwnableUnauthorizedAccount", async function () {
        const { exchange, treasury } = await loadFixture(adminFixture);
        await expect(exchange.connect(treasury).setTreasury(treasury.address))
          .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
          .withArgs(treasury.address);
      });
    });
  });

  describe("setArbiter", function () {
    describe("when the owner names a new arbiter", function () {
      it("hands it the open disputes and takes them from the old one", async function () {
        const { exchange, arbiter, other } = await loadFixture(adminFixture);
        await expect(exchange.setArbiter(other.address)).to.emit(exchange, "ArbiterSet").withArgs(other.address);
        expect(await exchange.arbiter()).to.equal(other.address);
        // Evidence already sealed stays the old arbiter's to read; the new one still rules on the open dispute.
        await expect(exchange.connect(arbiter).resolve(4n, true))
          .to.be.revertedWithCustomError(exchange, "NotArbiter")
          .withArgs(arbiter.address);
        await expect(exchange.connect(other).resolve(4n, true)).to.emit(exchange, "DisputeResolved").withArgs(4n, true);
      });

      it("clears the evidence key: no new dispute until the new arbiter publishes its own", async function () {
        const { exchange, buyer, seller, other } = await loadFixture(adminFixture);
        expect(await exchange.arbiterKey()).to.equal(ARBITER_KEY);
        await expect(exchange.setArbiter(other.address))
          .to.emit(exchange, "ArbiterKeySet")
          .withArgs(other.address, ethers.ZeroHash);
        expect(await exchange.arbiterKey()).to.equal(ethers.ZeroHash);
        await exchange.connect(seller).deliverCode(2n, "0x01");
        await expect(
          exchange.connect(buyer).dispute(2n, SEALED_EVIDENCE, { value: BOND }),
        ).to.be.revertedWithCustomError(exchange, "NoArbiterKey");
        const key = ethers.hexlify(ethers.randomBytes(32));
        await exchange.connect(other).setArbiterKey(key);
        await expect(exchange.connect(buyer).dispute(2n, SEALED_EVIDENCE, { value: BOND }))
          .to.emit(exchange, "Disputed")
          .withArgs(2n, BOND, SEALED_EVIDENCE);
      });
    });

    describe("when the new arbiter is the zero address", function () {
      it("reverts with ZeroAddress", async function () {
        const { exchange } = await loadFixture(adminFixture);
        await expect(exchange.setArbiter(ETH)).to.be.revertedWithCustomError(exchange, "ZeroAddress");
      });
    });

    describe("when the caller is not the owner", function () {
      it("reverts with OwnableUnauthorizedAccount", async function () {
        const { exchange, arbiter } = await loadFixture(adminFixture);
        await expect(exchange.connect(arbiter).setArbiter(arbiter.address))
          .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
          .withArgs(arbiter.address);
      });
    });
  });

  describe("setArbiterKey", function () {
    describe("when the arbiter publishes a key", function () {
      it("stores it and emits ArbiterKeySet; publishing again replaces it", async function () {
        const { exchange, arbiter } = await loadFixture(adminFixture);
        const key = ethers.hexlify(ethers.randomBytes(32));
        await expect(exchange.connect(arbiter).setArbiterKey(key))
          .to.emit(exchange, "ArbiterKeySet")
          .withArgs(arbiter.address, key);
        expect(await exchange.arbiterKey()).to.equal(key);
        await exchange.connect(arbiter).setArbiterKey(ARBITER_KEY);
        expect(await exchange.arbiterKey()).to.equal(ARBITER_KEY);
      });

      it("can withdraw it (zero): disputes wait until a key is published again", async function () {
        const { exchange, arbiter, buyer, seller } = await loadFixture(adminFixture);
        await expect(exchange.connect(arbiter).setArbiterKey(ethers.ZeroHash))
          .to.emit(exchange, "ArbiterKeySet")
          .withArgs(arbiter.address, ethers.ZeroHash);
        await exchange.connect(seller).deliverCode(2n, "0x01");
        await expect(
          exchange.connect(buyer).dispute(2n, SEALED_EVIDENCE, { value: BOND }),
        ).to.be.revertedWithCustomError(exchange, "NoArbiterKey");
      });
    });

    describe("when the caller is not the arbiter", function () {
      it("reverts with NotArbiter, for the owner and a former arbiter too", async function () {
        const { exchange, owner, arbiter, other } = await loadFixture(adminFixture);
        for (const who of [owner, other]) {
          await expect(exchange.connect(who).setArbiterKey(ARBITER_KEY))
            .to.be.revertedWithCustomError(exchange, "NotArbiter")
            .withArgs(who.address);
        }
        await exchange.setArbiter(other.address);
        await expect(exchange.connect(arbiter).setArbiterKey(ARBITER_KEY))
          .to.be.revertedWithCustomError(exchange, "NotArbiter")
          .withArgs(arbiter.address);
      });
    });
  });

  describe("setDisputeBond", function () {
    describe("when the owner sets a bond within [MIN_DISPUTE_BOND_BPS, MAX_DISPUTE_BOND_BPS]", function () {
      it("stores it, emits DisputeBondSet, records new terms and charges it on orders bought from now on", async function () {
        const { exchange, buyer, seller, spare, list } = await loadFixture(adminFixture);
        const termsBefore = await exchange.currentTermsId();
        for (const bps of [100n, 5000n]) {
          await expect(exchange.setDisputeBond(bps)).to.emit(exchange, "DisputeBondSet").withArgs(bps);
          expect(await exchange.disputeBondBps()).to.equal(bps);
        }
        await expect(exchange.setDisputeBond(2500))
          .to.emit(exchange, "DisputeBondSet")
          .withArgs(2500n)
          .and.to.emit(exchange, "TermsRecorded")
          .withArgs(termsBefore + 3n);
        expect((await exchange.terms(termsBefore + 3n)).disputeBondBps).to.equal(2500n);
        const id = await list(spare, P);
        await exchange.connect(buyer).buy(id, P, ETH, randomKey(), { value: P });
        await exchange.connect(seller).deliverCode(id, "0x01");
        expect(await exchange.disputeBond(id)).to.equal(250_000n);
        await expect(exchange.connect(buyer).dispute(id, SEALED_EVIDENCE, { value: 250_000n }))
          .to.emit(exchange, "Disputed")
          .withArgs(id, 250_000n, SEALED_EVIDENCE);
      });
    });

    describe("when an order was bought before the change", function () {
      it("keeps the bond of its purchase, in escrow and in what it pays back", async function () {
        const { exchange, buyer, seller, arbiter } = await loadFixture(adminFixture);
        await exchange.setDisputeBond(5000);
        expect(await exchange.disputeBond(3n)).to.equal(BOND);
        expect(await exchange.disputeBond(4n)).to.equal(BOND);
        await expect(exchange.connect(buyer).dispute(3n, SEALED_EVIDENCE, { value: P / 2n }))
          .to.be.revertedWithCustomError(exchange, "WrongPayment")
          .withArgs(P / 2n, BOND);
        await expect(exchange.connect(buyer).dispute(3n, SEALED_EVIDENCE, { value: BOND })).to.changeEtherBalances(
          ethers,
          [buyer, exchange],
          [-BOND, BOND],
        );
        await expect(exchange.connect(arbiter).resolve(3n, true)).to.changeEtherBalances(
          ethers,
          [buyer, seller, exchange],
          [P + BOND, 0n, -(P + BOND)],
        );
        await expect(exchange.connect(arbiter).resolve(4n, false)).to.changeEtherBalances(
          ethers,
          [buyer, seller, exchange],
          [0n, 980_000n + BOND, -(980_000n + BOND)],
        );
      });
    });

    describe("when the bond is outside [MIN_DISPUTE_BOND_BPS, MAX_DISPUTE_BOND_BPS]", function () {
      it("reverts with DisputeBondOutOfBounds", async function () {
        const { exchange } = await loadFixture(adminFixture);
        for (const bps of [0n, 99n, 5001n, 10_000n, 65_535n]) {
          await expect(exchange.setDisputeBond(bps))
            .to.be.revertedWithCustomError(exchange, "DisputeBondOutOfBounds")
            .withArgs(bps);
        }
        expect(await exchange.disputeBondBps()).to.equal(1000n);
      });
    });

    describe("when the caller is not the owner", function () {
      it("reverts with OwnableUnauthorizedAccount", async function () {
        const { exchange, arbiter } = await loadFixture(adminFixture);
        await expect(exchange.connect(arbiter).setDisputeBond(2000))
          .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
          .withArgs(arbiter.address);
      });
    });
  });

  describe("disputeBond", function () {
    describe("when the trade is not a paid order", function () {
      it("returns zero: a listing has no purchase terms yet", async function () {
        const { exchange } = await loadFixture(adminFixture);
        expect(await exchange.disputeBond(1n)).to.equal(0n);
        expect(await exchange.disputeBond(99n)).to.equal(0n);
        expect(await exchange.disputeBond(2n)).to.equal(BOND);
      });
    });
  });

  describe("setPayToken", function () {
    describe("when the owner allows and disallows tokens", function () {
      it("updates payTokens once per token and emits PayTokenSet", async function () {
        const { exchange, voucher, usdAddress } = await loadFixture(adminFixture);
        const other = await voucher.getAddress();
        expect(await exchange.payTokens()).to.deep.equal([usdAddress]);
        await expect(exchange.setPayToken(other, 10_000n)).to.emit(exchange, "PayTokenSet").withArgs(other, 10_000n);
        await exchange.setPayToken(other, 250_000n);
        expect(await exchange.payTokens()).to.deep.equal([usdAddress, other]);
        expect(await exchange.minPrice(other)).to.equal(250_000n);
        await expect(exchange.setPayToken(usdAddress, 0n)).to.emit(exchange, "PayTokenSet").withArgs(usdAddress, 0n);
        expect(await exchange.payTokens()).to.deep.equal([other]);
        expect(await exchange.minPrice(usdAddress)).to.equal(0n);
      });
    });

    describe("when a token is disallowed while listings in it are open", function () {
      it("refuses new listings in it but lets the open ones complete", async function () {
        const { exchange, seller, buyer, usd, usdAddress, spare, list, issueBacked } = await loadFixture(adminFixture);
        const open = await list(await issueBacked(), 500_000n, usdAddress);
        await exchange.setPayToken(usdAddress, 0n);
        await expect(exchange.connect(seller).list(spare, usdAddress, 500_000n))
          .to.be.revertedWithCustomError(exchange, "PayTokenNotAllowed")
          .withArgs(usdAddress);
        await expect(exchange.connect(buyer).buy(open, 500_000n, ETH, ethers.ZeroHash)).to.changeTokenBalances(
          ethers,
          usd,
          [buyer, seller],
          [-500_000n, 490_000n],
        );
      });
    });

    describe("when the owner raises a token's minimum price", function () {
      it("refuses new listings and price changes below it; open listings keep their price", async function () {
        const { exchange, seller, buyer, usdAddress, spare, list, issueBacked } = await loadFixture(adminFixture);
        const open = await list(await issueBacked(), 500_000n, usdAddress);
        await exchange.setPayToken(usdAddress, 1_000_000n);
        await expect(exchange.connect(seller).list(spare, usdAddress, 999_999n))
          .to.be.revertedWithCustomError(exchange, "PriceOutOfRange")
          .withArgs(999_999n, 1_000_000n);
        await expect(exchange.connect(seller).updatePrice(open, 600_000n))
          .to.be.revertedWithCustomError(exchange, "PriceOutOfRange")
          .withArgs(600_000n, 1_000_000n);
        await expect(exchange.connect(buyer).buy(open, 500_000n, ETH, ethers.ZeroHash)).to.emit(exchange, "Settled");
      });
    });

    describe("when the token is ETH (the zero address)", function () {
      it("sets ETH's minimum price but never disallows ETH", async function () {
        const { exchange, seller, spare } = await loadFixture(adminFixture);
        await expect(exchange.setPayToken(ETH, ethers.parseEther("0.001")))
          .to.emit(exchange, "PayTokenSet")
          .withArgs(ETH, ethers.parseEther("0.001"));
        expect(await exchange.minPrice(ETH)).to.equal(ethers.parseEther("0.001"));
        expect(await exchange.payTokens()).to.not.include(ETH);
        await expect(exchange.connect(seller).list(spare, ETH, ethers.parseEther("0.0009")))
          .to.be.revertedWithCustomError(exchange, "PriceOutOfRange")
          .withArgs(ethers.parseEther("0.0009"), ethers.parseEther("0.001"));
        await expect(exchange.setPayToken(ETH, 0n))
          .to.be.revertedWithCustomError(exchange, "MinPriceTooLow")
          .withArgs(0n);
      });
    });

    describe("when a minimum price is below MIN_PRICE_FLOOR", function () {
      it("reverts with MinPriceTooLow", async function () {
        const { exchange, usdAddress } = await loadFixture(adminFixture);
        for (const token of [ETH, usdAddress]) {
          await expect(exchange.setPayToken(token, MIN_PRICE - 1n))
            .to.be.revertedWithCustomError(exchange, "MinPriceTooLow")
            .withArgs(MIN_PRICE - 1n);
        }
      });
    });

    describe("when the caller is not the owner", function () {
      it("reverts with OwnableUnauthorizedAccount", async function () {
        const { exchange, seller, usdAddress } = await loadFixture(adminFixture);
        await expect(exchange.connect(seller).setPayToken(usdAddress, 0n))
          .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
          .withArgs(seller.address);
      });
    });
  });

  describe("setWindows", function () {
    describe("when the owner sets windows within [MIN_WINDOW, MAX_WINDOW]", function () {
      it("applies them to new deadlines only", async function () {
        const { exchange, seller, buyer } = await loadFixture(adminFixture);
        const before = (await exchange.trade(2n)).deadline;
        await expect(exchange.setWindows(HOUR, 30 * DAY, 2 * HOUR))
          .to.emit(exchange, "WindowsSet")
          .withArgs(BigInt(HOUR), 30n * BigInt(DAY), 2n * BigInt(HOUR));
        expect(await exchange.windows()).to.deep.equal([BigInt(HOUR), 30n * BigInt(DAY), 2n * BigInt(HOUR)]);
        expect((await exchange.trade(2n)).deadline).to.equal(before);
        const bought = await exchange.connect(buyer).buy(1n, P, ETH, randomKey(), { value: P });
        expect((await exchange.trade(1n)).deadline).to.equal((await minedAt(bought)) + BigInt(HOUR));
        const delivered = await exchange.connect(seller).deliverCode(1n, "0x01");
        expect((await exchange.trade(1n)).deadline).to.equal((await minedAt(delivered)) + 30n * BigInt(DAY));
        const disputed = await exchange.connect(buyer).dispute(1n, SEALED_EVIDENCE, { value: BOND });
        expect((await exchange.trade(1n)).deadline).to.equal((await minedAt(disputed)) + 2n * BigInt(HOUR));
      });

      it("leaves paid orders their windows: order 2, bought before, keeps the confirm and arbitration windows", async function () {
        const { exchange, seller, buyer } = await loadFixture(adminFixture);
        await expect(exchange.setWindows(HOUR, HOUR, HOUR)).to.emit(exchange, "TermsRecorded");
        const delivered = await exchange.connect(seller).deliverCode(2n, "0x01");
        expect((await exchange.trade(2n)).deadline).to.equal((await minedAt(delivered)) + CONFIRM_WINDOW);
        await time.increase(2 * HOUR);
        await expect(exchange.finalize(2n))
          .to.be.revertedWithCustomError(exchange, "DeadlineNotReached")
          .withArgs(2n, (await minedAt(delivered)) + CONFIRM_WINDOW);
        const disputed = await exchange.connect(buyer).dispute(2n, SEALED_EVIDENCE, { value: BOND });
        expect((await exchange.trade(2n)).deadline).to.equal((await minedAt(disputed)) + ARBITRATION_WINDOW);
      });
    });

    describe("when a window is outside [MIN_WINDOW, MAX_WINDOW]", function () {
      it("reverts with WindowOutOfBounds and the offending window", async function () {
        const { exchange } = await loadFixture(adminFixture);
        const ok = DAY;
        for (const bad of [0, HOUR - 1, 30 * DAY + 1]) {
          for (const args of [
            [bad, ok, ok],
            [ok, bad, ok],
            [ok, ok, bad],
          ] as const) {
            await expect(exchange.setWindows(...args))
              .to.be.revertedWithCustomError(exchange, "WindowOutOfBounds")
              .withArgs(BigInt(bad));
          }
        }
      });
    });

    describe("when the caller is not the owner", function () {
      it("reverts with OwnableUnauthorizedAccount", async function () {
        const { exchange, arbiter } = await loadFixture(adminFixture);
        await expect(exchange.connect(arbiter).setWindows(DAY, DAY, DAY))
          .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
          .withArgs(arbiter.address);
      });
    });
  });

  describe("pause", function () {
    describe("when the owner pauses", function () {
      it("emits Paused and reports paused", async function () {
        const { exchange, owner } = await loadFixture(adminFixture);
        await expect(exchange.pause()).to.emit(exchange, "Paused").withArgs(owner.address);
        expect(await exchange.paused()).to.equal(true);
      });
    });

    describe("when already paused", function () {
      it("reverts with EnforcedPause", async function () {
        const { exchange } = await loadFixture(adminFixture);
        await exchange.pause();
        await expect(exchange.pause()).to.be.revertedWithCustomError(exchange, "EnforcedPause");
      });
    });

    describe("when the caller is not the owner", function () {
      it("reverts with OwnableUnauthorizedAccount", async function () {
        const { exchange, arbiter } = await loadFixture(adminFixture);
        await expect(exchange.connect(arbiter).pause())
          .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
          .withArgs(arbiter.address);
      });
    });

    describe("while paused", function () {
      it("stops list, listBatch, updatePrice and buy with EnforcedPause", async function () {
        const { exchange, seller, buyer, spare } = await loadFixture(adminFixture);
        await exchange.pause();
        await expect(exchange.connect(seller).list(spare, ETH, P)).to.be.revertedWithCustomError(
          exchange,
          "EnforcedPause",
        );
        await expect(exchange.connect(seller).listBatch([spare], ETH, [P])).to.be.revertedWithCustomError(
          exchange,
          "EnforcedPause",
        );
        await expect(exchange.connect(seller).updatePrice(1n, P * 2n)).to.be.revertedWithCustomError(
          exchange,
          "EnforcedPause",
        );
        await expect(exchange.connect(buyer).buy(1n, P, ETH, randomKey(), { value: P })).to.be.revertedWithCustomError(
          exchange,
          "EnforcedPause",
        );
      });

      it("never stops cancelListing, deliverCode, confirm, dispute, resolve or claim", async function () {
        const { exchange, voucher, seller, buyer, arbiter, d3 } = await loadFixture(adminFixture);
        await exchange.pause();
        await expect(exchange.connect(seller).cancelListing(1n)).to.emit(exchange, "ListingCancelled").withArgs(1n);
        await expect(exchange.connect(seller).deliverCode(2n, "0x01")).to.emit(exchange, "CodeDelivered");
        await expect(exchange.connect(buyer).dispute(2n, SEALED_EVIDENCE, { value: BOND })).to.emit(
          exchange,
          "Disputed",
        );
        await expect(exchange.connect(arbiter).resolve(2n, true)).to.changeEtherBalances(ethers, [buyer], [P + BOND]);
        await expect(exchange.connect(arbiter).resolve(4n, false)).to.changeEtherBalances(
          ethers,
          [seller],
          [980_000n + BOND],
        );
        await expect(exchange.connect(buyer).confirm(3n)).to.changeEtherBalances(ethers, [seller], [980_000n]);
        await expect(exchange.connect(d3).claim(ETH)).to.changeEtherBalances(ethers, [d3], [6_000n * 3n]);
        expect(await voucher.ownerOf(1n)).to.equal(seller.address);
        expect((await exchange.trade(3n)).status).to.equal(Status.Completed);
      });

      it("never stops the timed exits: finalize, cancelUndelivered and expireDispute", async function () {
        const { exchange, other, buyer, seller } = await loadFixture(adminFixture);
        await exchange.pause();
        await time.increase(ARBITRATION_WINDOW + 1n);
        await expect(exchange.connect(other).cancelUndelivered(2n)).to.changeEtherBalances(ethers, [buyer], [P]);
        await expect(exchange.connect(other).finalize(3n)).to.changeEtherBalances(ethers, [seller], [980_000n]);
        await expect(exchange.connect(other).expireDispute(4n)).to.changeEtherBalances(
          ethers,
          [buyer, seller],
          [0n, 980_000n + BOND],
        );
        expect(await exchange.tradeCount()).to.equal(5n);
      });

      it("still lets accounts join the distributor network", async function () {
        const { exchange, other, d3 } = await loadFixture(adminFixture);
        await exchange.pause();
        await expect(exchange.connect(other).joinDistributors(d3.address))
          .to.emit(exchange, "DistributorJoined")
          .withArgs(other.address, d3.address);
      });
    });
  });

  describe("unpause", function () {
    describe("when the owner lifts a pause", function () {
      it("emits Unpaused and listing and buying work again", async function () {
        const { exchange, owner, seller, buyer, spare } = await loadFixture(adminFixture);
        await exchange.pause();
        await expect(exchange.unpause()).to.emit(exchange, "Unpaused").withArgs(owner.address);
        expect(await exchange.paused()).to.equal(false);
        await expect(exchange.connect(seller).list(spare, ETH, P)).to.emit(exchange, "Listed");
        await expect(exchange.connect(buyer).buy(1n, P, ETH, randomKey(), { value: P })).to.emit(exchange, "Purchased");
      });
    });

    describe("when not paused", function () {
      it("reverts with ExpectedPause", async function () {
        const { exchange } = await loadFixture(adminFixture);
        await expect(exchange.unpause()).to.be.revertedWithCustomError(exchange, "ExpectedPause");
      });
    });

    describe("when the caller is not the owner", function () {
      it("reverts with OwnableUnauthorizedAccount", async function () {
        const { exchange, arbiter } = await loadFixture(adminFixture);
        await exchange.pause();
        await expect(exchange.connect(arbiter).unpause())
          .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
          .withArgs(arbiter.address);
      });
    });
  });

  describe("transferOwnership", function () {
    describe("when the owner hands governance over in two steps", function () {
      it("gives the setters to the new owner only once it accepts", async function () {
        const { exchange, owner, other, arbiter } = await loadFixture(adminFixture);
        await expect(exchange.transferOwnership(other.address))
          .to.emit(exchange, "OwnershipTransferStarted")
          .withArgs(owner.address, other.address);
        expect(await exchange.pendingOwner()).to.equal(other.address);
        await expect(exchange.connect(arbiter).acceptOwnership())
          .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
          .withArgs(arbiter.address);
        await expect(exchange.connect(other).acceptOwnership())
          .to.emit(exchange, "OwnershipTransferred")
          .withArgs(owner.address, other.address);
        await expect(exchange.pause())
          .to.be.revertedWithCustomError(exchange, "OwnableUnauthorizedAccount")
          .withArgs(owner.address);
        await expect(exchange.connect(other).setProtocolFee(300)).to.emit(exchange, "ProtocolFeeSet").withArgs(300n);
      });
    });
  });
});
