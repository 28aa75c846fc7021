import { expect } from "chai";
import {
  DAY,
  ETH,
  MAX_PRICE,
  MIN_PRICE,
  Status,
  asObject,
  cardHash,
  codeHash,
  deployExchange,
  ethers,
  networkHelpers,
  randomKey,
  randomSalt,
} from "./helpers/fixtures.js";

const { loadFixture, time } = networkHelpers;

const PRICE = ethers.parseEther("0.45");

/** The deployed system plus, owned by the seller, a coded voucher (id 1) and an issuer-backed one (id 2). */
async function listingsFixture() {
  const base = await deployExchange();
  const { tokenId: codedId } = await base.mintCoded();
  const backedId = await base.issueBacked();
  const usdAddress = await base.usd.getAddress();
  const exchangeAddress = await base.exchange.getAddress();
  return { ...base, codedId, backedId, usdAddress, exchangeAddress };
}

describe("VoucherExchange listings", function () {
  describe("list", function () {
    describe("when the seller lists a coded voucher in ETH", function () {
      it("takes the voucher into custody, records the listing and emits Listed", async function () {
        const { exchange, voucher, seller, codedId, exchangeAddress, expiresAt } = await loadFixture(listingsFixture);
        expect(await exchange.connect(seller).list.staticCall(codedId, ETH, PRICE)).to.equal(1n);
        await expect(exchange.connect(seller).list(codedId, ETH, PRICE))
          .to.emit(exchange, "Listed")
          .withArgs(1n, seller.address, codedId, ETH, PRICE)
          .and.to.emit(voucher, "Transfer")
          .withArgs(seller.address, exchangeAddress, codedId);
        expect(await voucher.ownerOf(codedId)).to.equal(exchangeAddress);
        expect(await exchange.tradeCount()).to.equal(1n);
        const t = await exchange.trade(1n);
        expect(asObject(t)).to.deep.equal({
          seller: seller.address,
          tokenId: codedId,
          feeBps: 0n,
          termsId: 0n,
          status: Status.Listed,
          issuerBacked: false,
          buyer: ETH,
          deadline: 0n,
          voucherExpiresAt: expiresAt,
          purchasedAt: 0n,
          payToken: ETH,
          price: PRICE,
          referrer: ETH,
        });
      });
    });

    describe("when the seller lists an issuer-backed voucher in the stablecoin", function () {
      it("records the pay token and the issuer-backed kind", async function () {
        const { exchange, seller, backedId, usdAddress } = await loadFixture(listingsFixture);
        await expect(exchange.connect(seller).list(backedId, usdAddress, 450_000_000n))
          .to.emit(exchange, "Listed")
          .withArgs(1n, seller.address, backedId, usdAddress, 450_000_000n);
        const t = await exchange.trade(1n);
        expect([t.payToken, t.price, t.issuerBacked]).to.deep.equal([usdAddress, 450_000_000n, true]);
      });
    });

    describe("when the price is at a bound", function () {
      it("accepts MIN_PRICE and 2^96 - 1", async function () {
        const { exchange, seller, codedId, backedId } = await loadFixture(listingsFixture);
        await exchange.connect(seller).list(codedId, ETH, MIN_PRICE);
        await exchange.connect(seller).list(backedId, ETH, MAX_PRICE);
        expect((await exchange.trade(1n)).price).to.equal(MIN_PRICE);
        expect((await exchange.trade(2n)).price).to.equal(MAX_PRICE);
      });
    });

    describe("when the price is outside [MIN_PRICE, 2^96 - 1]", function () {
      it("reverts with PriceOutOfRange", async function () {
        const { exchange, seller, codedId } = await loadFixture(listingsFixture);
        for (const price of [0n, MIN_PRICE - 1n, MAX_PRICE + 1n, ethers.MaxUint256]) {
          await expect(exchange.connect(seller).list(codedId, ETH, price))
            .to.be.revertedWithCustomError(exchange, "PriceOutOfRange")
            .withArgs(price, MIN_PRICE);
        }
      });
    });

    describe("when the pay token is not allow-listed", function () {
      it("reverts with PayTokenNotAllowed, also once the token is removed", async function () {
        const { exchange, seller, codedId, usdAddress, voucher } = await loadFixture(listingsFixture);
        const voucherAddress = await voucher.getAddress();
        await expect(exchange.connect(seller).list(codedId, voucherAddress, PRICE))
          .to.be.revertedWithCustomError(exchange, "PayTokenNotAllowed")
          .withArgs(voucherAddress);
        await exchange.setPayToken(usdAddress, 0n);
        await expect(exchange.connect(seller).list(codedId, usdAddress, PRICE))
          .to.be.revertedWithCustomError(exchange, "PayTokenNotAllowed")
          .withArgs(usdAddress);
      });
    });

    describe("when the caller does not own the voucher", function () {
      it("reverts with NotVoucherOwner, even when approved for it", async function () {
        const { exchange, voucher, seller, other, codedId } = await loadFixture(listingsFixture);
        await expect(exchange.connect(other).list(codedId, ETH, PRICE))
          .to.be.revertedWithCustomError(exchange, "NotVoucherOwner")
          .withArgs(other.address, codedId);
        await voucher.connect(seller).setApprovalForAll(other.address, true);
        await expect(exchange.connect(other).list(codedId, ETH, PRICE))
          .to.be.revertedWithCustomError(exchange, "NotVoucherOwner")
          .withArgs(other.address, codedId);
      });
    });

    describe("when the voucher is already listed", function () {
      it("reverts with NotVoucherOwner: the exchange holds it, so it cannot be sold twice", async function () {
        const { exchange, seller, codedId } = await loadFixture(listingsFixture);
        await exchange.connect(seller).list(codedId, ETH, PRICE);
        await expect(exchange.connect(seller).list(codedId, ETH, PRICE))
          .to.be.revertedWithCustomError(exchange, "NotVoucherOwner")
          .withArgs(seller.address, codedId);
      });
    });

    describe("when the voucher was redeemed", function () {
      it("reverts with the token's ERC721NonexistentToken", async function () {
        const { exchange, voucher, seller, codedId } = await loadFixture(listingsFixture);
        await voucher.connect(seller).redeem(codedId);
        await expect(exchange.connect(seller).list(codedId, ETH, PRICE))
          .to.be.revertedWithCustomError(voucher, "ERC721NonexistentToken")
          .withArgs(codedId);
      });
    });

    describe("when the voucher has expired", function () {
      it("reverts with VoucherExpired from the expiry second on, and lists one second before", async function () {
        const { exchange, seller, codedId, backedId, expiresAt } = await loadFixture(listingsFixture);
        await time.setNextBlockTimestamp(expiresAt);
        await expect(exchange.connect(seller).list(codedId, ETH, PRICE))
          .to.be.revertedWithCustomError(exchange, "VoucherExpired")
          .withArgs(codedId, expiresAt);
        // The reverted call was never mined, so the chain is still before expiry.
        await time.setNextBlockTimestamp(expiresAt - 1n);
        await expect(exchange.connect(seller).list(backedId, ETH, PRICE)).to.emit(exchange, "Listed");
        await expect(exchange.connect(seller).list(codedId, ETH, PRICE))
          .to.be.revertedWithCustomError(exchange, "VoucherExpired")
          .withArgs(codedId, expiresAt);
      });
    });

    describe("when the voucher's code was disclosed in a refunded dispute", function () {
      it("reverts with VoucherDisclosed, whoever holds it now", async function () {
        const { exchange, voucher, seller, buyer, arbiter, other, codedId, list, dispute } =
          await loadFixture(listingsFixture);
        const id = await list(codedId, PRICE);
        await exchange.connect(buyer).buy(id, PRICE, ETH, randomKey(), { value: PRICE });
        await exchange.connect(seller).deliverCode(id, "0xc0de");
        await (
          await dispute(id)
        ).tx;
        await exchange.connect(arbiter).resolve(id, true);
        await expect(exchange.connect(seller).list(codedId, ETH, PRICE))
          .to.be.revertedWithCustomError(exchange, "VoucherDisclosed")
          .withArgs(codedId);
        await voucher.connect(seller).transferFrom(seller.address, other.address, codedId);
        await voucher.connect(other).setApprovalForAll(await exchange.getAddress(), true);
        await expect(exchange.connect(other).list(codedId, ETH, PRICE))
          .to.be.revertedWithCustomError(exchange, "VoucherDisclosed")
          .withArgs(codedId);
        expect(await exchange.tradeCount()).to.equal(1n);
      });
    });

    describe("when the exchange is not approved for the voucher", function () {
      it("reverts with the token's ERC721InsufficientApproval", async function () {
        const { exchange, voucher, other, exchangeAddress, mintCoded } = await loadFixture(listingsFixture);
        const { tokenId } = await mintCoded(other);
        await expect(exchange.connect(other).list(tokenId, ETH, PRICE))
          .to.be.revertedWithCustomError(voucher, "ERC721InsufficientApproval")
          .withArgs(exchangeAddress, tokenId);
      });
    });

    describe("when the voucher expires after 2^32 - 1 seconds (the year 2106)", function () {
      it("caps the stored expiry at 2^32 - 1 and stays buyable", async function () {
        const { exchange, voucher, seller, buyer } = await loadFixture(listingsFixture);
        const farFuture = 2n ** 41n;
        await voucher
          .connect(seller)
          .mint(1n, 100n, farFuture, cardHash(1n, "FAR-1"), codeHash("X", randomSalt()), "0x01");
        const tokenId = await voucher.totalMinted();
        await exchange.connect(seller).list(tokenId, ETH, PRICE);
        expect((await exchange.trade(1n)).voucherExpiresAt).to.equal(2n ** 32n - 1n);
        await expect(exchange.connect(buyer).buy(1n, PRICE, ETH, randomKey(), { value: PRICE })).to.emit(
          exchange,
          "Purchased",
        );
      });
    });
  });

  describe("listBatch", function () {
    describe("when every voucher and price is valid", function () {
      it("lists them under consecutive ids from the returned one", async function () {
        const { exchange, voucher, seller, codedId, backedId, usdAddress, exchangeAddress, mintCoded } =
          await loadFixture(listingsFixture);
        await exchange.connect(seller).list((await mintCoded()).tokenId, ETH, PRICE); // listing 1 exists already
        const ids = [codedId, backedId];
        const prices = [450_000_000n, 20_000_000n];
        expect(await exchange.connect(seller).listBatch.staticCall(ids, usdAddress, prices)).to.equal(2n);
        const tx = exchange.connect(seller).listBatch(ids, usdAddress, prices);
        await expect(tx).to.emit(exchange, "Listed").withArgs(2n, seller.address, codedId, usdAddress, 450_000_000n);
        await expect(tx).to.emit(exchange, "Listed").withArgs(3n, seller.address, backedId, usdAddress, 20_000_000n);
        expect(await exchange.tradeCount()).to.equal(3n);
        expect(await voucher.ownerOf(codedId)).to.equal(exchangeAddress);
        expect(await voucher.ownerOf(backedId)).to.equal(exchangeAddress);
        expect((await exchange.trade(3n)).issuerBacked).to.equal(true);
      });

      it("accepts exactly MAX_BATCH (50) vouchers", async function () {
        const { exchange, voucher, seller, expiresAt } = await loadFixture(listingsFixture);
        const requests = Array.from({ length: 50 }, (_, i) => ({
          brandId: 1n,
          faceValue: 10_000n,
          expiresAt,
          cardHash: cardHash(1n, `C${i}`),
          codeHash: codeHash(`C${i}`, randomSalt()),
          sealedCode: "0x01",
        }));
        await voucher.connect(seller).mintBatch(requests);
        const ids = requests.map((_, i) => 3n + BigInt(i));
        await exchange.connect(seller).listBatch(
          ids,
          ETH,
          ids.map(() => MIN_PRICE),
        );
        expect(await exchange.tradeCount()).to.equal(50n);
        expect((await exchange.trade(50n)).tokenId).to.equal(52n);
      });
    });

    describe("when the batch is empty, above MAX_BATCH or its arrays differ in length", function () {
      it("reverts with InvalidBatchSize(tokenIds.length)", async function () {
        const { exchange, seller, codedId, backedId } = await loadFixture(listingsFixture);
        await expect(exchange.connect(seller).listBatch([], ETH, []))
          .to.be.revertedWithCustomError(exchange, "InvalidBatchSize")
          .withArgs(0n);
        const many = Array.from({ length: 51 }, (_, i) => BigInt(i + 1));
        await expect(
          exchange.connect(seller).listBatch(
            many,
            ETH,
            many.map(() => PRICE),
          ),
        )
          .to.be.revertedWithCustomError(exchange, "InvalidBatchSize")
          .withArgs(51n);
        await expect(exchange.connect(seller).listBatch([codedId, backedId], ETH, [PRICE]))
          .to.be.revertedWithCustomError(exchange, "InvalidBatchSize")
          .withArgs(2n);
        await expect(exchange.connect(seller).listBatch([codedId], ETH, [PRICE, PRICE]))
          .to.be.revertedWithCustomError(exchange, "InvalidBatchSize")
          .withArgs(1n);
      });
    });

    describe("when the pay token is not allow-listed", function () {
      it("reverts with PayTokenNotAllowed", async function () {
        const { exchange, seller, codedId, other } = await loadFixture(listingsFixture);
        await expect(exchange.connect(seller).listBatch([codedId], other.address, [PRICE]))
          .to.be.revertedWithCustomError(exchange, "PayTokenNotAllowed")
          .withArgs(other.address);
      });
    });

    describe("when one price is out of range", function () {
      it("reverts the whole batch with PriceOutOfRange and lists nothing", async function () {
        const { exchange, voucher, seller, codedId, backedId } = await loadFixture(listingsFixture);
        await expect(exchange.connect(seller).listBatch([codedId, backedId], ETH, [PRICE, MIN_PRICE - 1n]))
          .to.be.revertedWithCustomError(exchange, "PriceOutOfRange")
          .withArgs(MIN_PRICE - 1n, MIN_PRICE);
        expect(await exchange.tradeCount()).to.equal(0n);
        expect(await voucher.ownerOf(codedId)).to.equal(seller.address);
      });
    });

    describe("when one voucher is not the caller's", function () {
      it("reverts the whole batch with NotVoucherOwner", async function () {
        const { exchange, seller, codedId, issueBacked, other } = await loadFixture(listingsFixture);
        const othersId = await issueBacked(other);
        await expect(exchange.connect(seller).listBatch([codedId, othersId], ETH, [PRICE, PRICE]))
          .to.be.revertedWithCustomError(exchange, "NotVoucherOwner")
          .withArgs(seller.address, othersId);
      });
    });
  });

  describe("cancelListing", function () {
    describe("when the seller cancels an active listing", function () {
      it("returns the voucher, marks the listing Cancelled and emits ListingCancelled", async function () {
        const { exchange, voucher, seller, codedId, exchangeAddress, list } = await loadFixture(listingsFixture);
        const id = await list(codedId, PRICE);
        await expect(exchange.connect(seller).cancelListing(id))
          .to.emit(exchange, "ListingCancelled")
          .withArgs(id)
          .and.to.emit(voucher, "Transfer")
          .withArgs(exchangeAddress, seller.address, codedId);
        expect(await voucher.ownerOf(codedId)).to.equal(seller.address);
        expect((await exchange.trade(id)).status).to.equal(Status.Cancelled);
        // The returned voucher can be listed again, under a new id.
        await expect(exchange.connect(seller).list(codedId, ETH, PRICE))
          .to.emit(exchange, "Listed")
          .withArgs(2n, seller.address, codedId, ETH, PRICE);
      });
    });

    describe("when the caller is not the seller", function () {
      it("reverts with NotSeller, also for an id that was never listed", async function () {
        const { exchange, seller, buyer, codedId, list } = await loadFixture(listingsFixture);
        const id = await list(codedId, PRICE);
        await expect(exchange.connect(buyer).cancelListing(id))
          .to.be.revertedWithCustomError(exchange, "NotSeller")
          .withArgs(buyer.address, id);
        await expect(exchange.connect(seller).cancelListing(9n))
          .to.be.revertedWithCustomError(exchange, "NotSeller")
          .withArgs(seller.address, 9n);
      });
    });

    describe("when the listing is no longer active", function () {
      it("reverts with InvalidStatus once cancelled, bought or settled", async function () {
        const { exchange, seller, buyer, codedId, backedId, list, mintCoded } = await loadFixture(listingsFixture);
        const cancelled = await list(codedId, PRICE);
        await exchange.connect(seller).cancelListing(cancelled);
        await expect(exchange.connect(seller).cancelListing(cancelled))
          .to.be.revertedWithCustomError(exchange, "InvalidStatus")
          .withArgs(cancelled, Status.Cancelled);

        const ordered = await list((await mintCoded()).tokenId, PRICE);
        await exchange.connect(buyer).buy(ordered, PRICE, ETH, randomKey(), { value: PRICE });
        await expect(exchange.connect(seller).cancelListing(ordered))
          .to.be.revertedWithCustomError(exchange, "InvalidStatus")
          .withArgs(ordered, Status.AwaitingDelivery);

        const settled = await list(backedId, PRICE);
        await exchange.connect(buyer).buy(settled, PRICE, ETH, ethers.ZeroHash, { value: PRICE });
        await expect(exchange.connect(seller).cancelListing(settled))
          .to.be.revertedWithCustomError(exchange, "InvalidStatus")
          .withArgs(settled, Status.Completed);
      });
    });

    describe("when the voucher expired while listed", function () {
      it("still returns it to the seller", async function () {
        const { exchange, voucher, seller, codedId, expiresAt, list } = await loadFixture(listingsFixture);
        const id = await list(codedId, PRICE);
        await time.increaseTo(expiresAt + BigInt(DAY));
        await expect(exchange.connect(seller).cancelListing(id)).to.emit(exchange, "ListingCancelled").withArgs(id);
        expect(await voucher.ownerOf(codedId)).to.equal(seller.address);
      });
    });
  });

  describe("updatePrice", function () {
    describe("when the seller changes an active listing's price", function () {
      it("stores the new price, emits PriceUpdated and buyers pay the new price", async function () {
        const { exchange, seller, buyer, backedId, list } = await loadFixture(listingsFixture);
        const id = await list(backedId, PRICE);
        const newPrice = PRICE / 2n;
        await expect(exchange.connect(seller).updatePrice(id, newPrice))
          .to.emit(exchange, "PriceUpdated")
          .withArgs(id, PRICE, newPrice);
        expect((await exchange.trade(id)).price).to.equal(newPrice);
        await expect(exchange.connect(buyer).buy(id, PRICE, ETH, ethers.ZeroHash, { value: PRICE }))
          .to.be.revertedWithCustomError(exchange, "WrongPayment")
          .withArgs(PRICE, newPrice);
        await expect(
          exchange.connect(buyer).buy(id, newPrice, ETH, ethers.ZeroHash, { value: newPrice }),
        ).to.changeEtherBalances(ethers, [buyer, seller], [-newPrice, newPrice - (newPrice * 200n) / 10_000n]);
      });
    });

    describe("when the caller is not the seller", function () {
      it("reverts with NotSeller", async function () {
        const { exchange, other, codedId, list } = await loadFixture(listingsFixture);
        const id = await list(codedId, PRICE);
        await expect(exchange.connect(other).updatePrice(id, PRICE * 2n))
          .to.be.revertedWithCustomError(exchange, "NotSeller")
          .withArgs(other.address, id);
      });
    });

    describe("when the listing is not active", function () {
      it("reverts with InvalidStatus", async function () {
        const { exchange, seller, buyer, codedId, list } = await loadFixture(listingsFixture);
        const id = await list(codedId, PRICE);
        await exchange.connect(buyer).buy(id, PRICE, ETH, randomKey(), { value: PRICE });
        await expect(exchange.connect(seller).updatePrice(id, PRICE * 2n))
          .to.be.revertedWithCustomError(exchange, "InvalidStatus")
          .withArgs(id, Status.AwaitingDelivery);
      });
    });

    describe("when the new price is out of range", function () {
      it("reverts with PriceOutOfRange", async function () {
        const { exchange, seller, codedId, list } = await loadFixture(listingsFixture);
        const id = await list(codedId, PRICE);
        for (const price of [MIN_PRICE - 1n, MAX_PRICE + 1n]) {
          await expect(exchange.connect(seller).updatePrice(id, price))
            .to.be.revertedWithCustomError(exchange, "PriceOutOfRange")
            .withArgs(price, MIN_PRICE);
        }
      });
    });
  });

  describe("activeListings", function () {
    describe("when some listings are active and others cancelled or sold", function () {
      it("returns only the active ones in id order, joined with their vouchers and attestations", async function () {
        const { exchange, voucher, seller, buyer, issuer, codedId, backedId, usdAddress, expiresAt, list, mintCoded } =
          await loadFixture(listingsFixture);
        await voucher.connect(issuer).attest(codedId, 50_000n);
        const third = (await mintCoded(seller, 20_000n)).tokenId;
        const fourth = (await mintCoded()).tokenId;
        await list(codedId, PRICE); // 1: active
        await list(backedId, 25_000_000n, usdAddress); // 2: active
        await list(third, MIN_PRICE); // 3: cancelled
        await list(fourth, PRICE); // 4: sold
        await exchange.connect(seller).cancelListing(3n);
        await exchange.connect(buyer).buy(4n, PRICE, ETH, randomKey(), { value: PRICE });

        const page = await exchange.activeListings(0n, 10n);
        expect(page.map(asObject)).to.deep.equal([
          {
            tradeId: 1n,
            tokenId: codedId,
            seller: seller.address,
            payToken: ETH,
            price: PRICE,
            brandId: 1n,
            faceValue: 50_000n,
            expiresAt,
            issuerBacked: false,
            attested: true,
          },
          {
            tradeId: 2n,
            tokenId: backedId,
            seller: seller.address,
            payToken: usdAddress,
            price: 25_000_000n,
            brandId: 2n,
            faceValue: 2_500n,
            expiresAt,
            issuerBacked: true,
            attested: false,
          },
        ]);
      });
    });

    describe("when vouchers expire", function () {
      it("leaves out expired vouchers, and coded ones that would expire before their order could settle", async function () {
        const { exchange, voucher, seller, backedId, list } = await loadFixture(listingsFixture);
        const now = BigInt(await time.latest());
        const soon = now + 10n * BigInt(DAY);
        await voucher
          .connect(seller)
          .mint(1n, 50_000n, soon, cardHash(1n, "SOON-1"), codeHash("SOON-1", randomSalt()), "0x12");
        const codedSoon = await voucher.totalMinted();
        await list(codedSoon, PRICE); // 1: coded, expires in 10 days
        await list(backedId, PRICE); // 2: issuer-backed, expires with the fixture (180 days)
        const ids = async () => (await exchange.activeListings(1n, 10n)).map((l) => l.tradeId);
        expect(await ids()).to.deep.equal([1n, 2n]);
        // 4 days (delivery 1 + confirm 3) before its expiry the coded listing can no longer be bought: it leaves.
        await time.increaseTo(soon - 4n * BigInt(DAY) + 1n);
        expect(await ids()).to.deep.equal([2n]);
        await time.increaseTo(soon + 1n);
        expect(await ids()).to.deep.equal([2n]);
      });
    });

    describe("when paging", function () {
      it("covers [fromId, fromId + count) and clamps to the ids handed out", async function () {
        const { exchange, seller, codedId, backedId, list, mintCoded } = await loadFixture(listingsFixture);
        const third = (await mintCoded()).tokenId;
        for (const id of [codedId, backedId, third]) await list(id, PRICE);
        const ids = async (from: bigint, count: bigint) =>
          (await exchange.activeListings(from, count)).map((view) => view.tradeId);
        expect(await ids(1n, 2n)).to.deep.equal([1n, 2n]);
        expect(await ids(2n, 5n)).to.deep.equal([2n, 3n]);
        expect(await ids(3n, 1n)).to.deep.equal([3n]);
        expect(await ids(4n, 10n)).to.deep.equal([]);
        expect(await ids(1n, 0n)).to.deep.equal([]);
        expect(await ids(0n, ethers.MaxUint256)).to.deep.equal([1n, 2n, 3n]);
        // A withdrawn listing between active ones is skipped.
        await exchange.connect(seller).cancelListing(2n);
        expect(await ids(1n, 3n)).to.deep.equal([1n, 3n]);
      });
    });
  });
});
