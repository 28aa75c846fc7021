// End-to-end stories on the contracts, with the real code-delivery crypto the app uses (the SDK's codeDelivery and
// evidence): wallet-derived X25519 keys, card number and code sealed to the holder's vault at mint, re-sealed to the
// buyer's per-order key, checked against the on-chain commitments, and in disputes the order's secret key sealed to the
// arbiter's published key (only the arbiter can read it) with a bond. Every story ends with every party having claimed, exact balance changes
// for everyone (gas accounted to the wei) and an empty exchange.
import { expect } from "chai";
import {
  checkDelivery,
  commitment,
  deriveKeyPair,
  evidenceMatchesBuyerKey,
  keyMessage,
  openCode,
  openEvidence,
  prepareMint,
  randomSalt,
  sealCode,
  sealEvidence,
  toBytes32,
  type Hex,
  type KeyPurpose,
} from "#sdk";
import {
  ARBITER_KEY,
  ARBITER_SECRET,
  DAY,
  ETH,
  Status,
  cardHash,
  deployExchange,
  ethers,
  networkHelpers,
} from "./helpers/fixtures.js";

const { loadFixture, time } = networkHelpers;

type Signer = Awaited<ReturnType<typeof ethers.getSigners>>[number];
type Sent = Promise<{ wait(): Promise<{ from: string; fee: bigint } | null> }>;

// 0.45 ETH at 2%: fee 0.009 → d3 30%, d2 15%, d1 5%, treasury 50%.
const ETH_PRICE = ethers.parseEther("0.45");
const ETH_SPLIT = {
  proceeds: ethers.parseEther("0.441"),
  d3: ethers.parseEther("0.0027"),
  d2: ethers.parseEther("0.00135"),
  d1: ethers.parseEther("0.00045"),
  treasury: ethers.parseEther("0.0045"),
};
// The default dispute bond: 10% of the price.
const ETH_BOND = ethers.parseEther("0.045");
// 450 kUSD (6 decimals) at 2%.
const USD_PRICE = 450_000_000n;
const USD_SPLIT = { proceeds: 441_000_000n, d3: 2_700_000n, d2: 1_350_000n, d1: 450_000n, treasury: 4_500_000n };

/** The deployed system with a fresh brand, the distributor chain d3 ← d2 ← d1 and the helpers every story uses. */
async function storyFixture() {
  const base = await deployExchange();
  const { voucher, exchange, usd, owner, issuer, seller, d1, d2, d3 } = base;
  const exchangeAddress = (await exchange.getAddress()) as Hex;
  const usdAddress = await usd.getAddress();
  const chainId = Number((await ethers.provider.getNetwork()).chainId);

  await voucher.connect(owner).registerBrand("Hema Fresh", "supermarket", "CNY", issuer.address);
  const brandId = await voucher.brandCount();
  // Hema's cards come in 100, 200 and 500 CNY.
  await voucher.connect(owner).setDenominations(brandId, [10_000n, 20_000n, 50_000n], 0n);
  await exchange.connect(d1).joinDistributors(ETH);
  await exchange.connect(d2).joinDistributors(d1.address);
  await exchange.connect(d3).joinDistributors(d2.address);

  /** The X25519 key pair a wallet derives by signing the app's key message. */
  async function keys(who: Signer, purpose: KeyPurpose) {
    return deriveKeyPair((await who.signMessage(keyMessage(chainId, exchangeAddress, purpose))) as Hex);
  }

  /** Tracks ETH spent on gas per sender, so balance changes over a whole story are exact. */
  const gasSpent = new Map<string, bigint>();
  async function send(tx: Sent) {
    const receipt = (await (await tx).wait())!;
    gasSpent.set(receipt.from, (gasSpent.get(receipt.from) ?? 0n) + receipt.fee);
    return receipt;
  }
  const parties = [seller, base.buyer, d1, d2, d3, base.treasury, base.other];
  async function balances() {
    const eth = new Map<string, bigint>();
    const kusd = new Map<string, bigint>();
    for (const p of parties) {
      eth.set(p.address, await ethers.provider.getBalance(p.address));
      kusd.set(p.address, await usd.balanceOf(p.address));
    }
    gasSpent.clear();
    return { eth, kusd };
  }
  /** ETH (net of gas) and kUSD each party gained since `start`. */
  async function changes(start: Awaited<ReturnType<typeof balances>>, who: Signer) {
    const eth = (await ethers.provider.getBalance(who.address)) + (gasSpent.get(who.address) ?? 0n);
    return {
      eth: eth - start.eth.get(who.address)!,
      kusd: (await usd.balanceOf(who.address)) - start.kusd.get(who.address)!,
    };
  }

  /**
   * The seller tokenizes a card: its printed number fingerprinted for the brand's registry, number, code and salt
   * sealed to its own vault key, code commitment on chain.
   */
  async function mintCard(code: string, cardNumber = `6225-${code}`) {
    const vault = await keys(seller, "vault");
    const expiresAt = BigInt(await time.latest()) + 90n * BigInt(DAY);
    const minted = prepareMint({ brandId, cardNumber, code }, vault.publicKey);
    expect(minted.cardHash).to.equal(cardHash(brandId, cardNumber));
    await send(
      voucher.connect(seller).mint(brandId, 20_000n, expiresAt, minted.cardHash, minted.codeHash, minted.sealedCode),
    );
    return voucher.totalMinted();
  }

  /** What a delivery agent does: read the order's buyer key, open the vault copy, re-seal it to the buyer. */
  async function deliver(orderId: bigint, override?: string) {
    const [purchase] = await exchange.queryFilter(exchange.filters.Purchased(orderId));
    const tokenId = (await exchange.trade(orderId)).tokenId;
    const sealed = await voucher.queryFilter(voucher.filters.CodeSealed(tokenId, seller.address));
    const vault = await keys(seller, "vault");
    const card = openCode(sealed[sealed.length - 1].args.sealedCode as Hex, vault.secretKey);
    const buyerKey = ethers.getBytes(purchase.args.buyerKey);
    const delivered = { ...card, code: override ?? card.code };
    await send(exchange.connect(seller).deliverCode(orderId, sealCode(delivered, card.salt, buyerKey)));
  }

  /** What the buyer's (or, with the evidence key, the arbiter's) screen shows for a delivery. */
  async function check(orderId: bigint, secretKey: Uint8Array) {
    const [delivery] = await exchange.queryFilter(exchange.filters.CodeDelivered(orderId));
    const tokenId = (await exchange.trade(orderId)).tokenId;
    const v = await voucher.voucher(tokenId);
    const commitments = { brandId: v.brandId, cardHash: v.cardHash as Hex, codeHash: v.codeHash as Hex };
    return checkDelivery(delivery.args.ciphertext as Hex, secretKey, commitments);
  }

  async function claimAll(token: string) {
    for (const who of [d1, d2, d3, base.treasury]) {
      if ((await exchange.credits(who.address, token)) > 0n) await send(exchange.connect(who).claim(token));
    }
  }

  async function expectExchangeEmpty() {
    expect(await ethers.provider.getBalance(exchangeAddress)).to.equal(0n);
    expect(await usd.balanceOf(exchangeAddress)).to.equal(0n);
    for (const who of parties) {
      const [, credits] = await exchange.account(who.address, [ETH, usdAddress]);
      expect(credits).to.deep.equal([0n, 0n]);
    }
  }

  return {
    ...base,
    exchangeAddress,
    usdAddress,
    brandId,
    keys,
    send,
    balances,
    changes,
    mintCard,
    deliver,
    check,
    claimAll,
    expectExchangeEmpty,
  };
}

type Story = Awaited<ReturnType<typeof storyFixture>>;

/** The buyer disputes with its order key sealed to the arbiter, paying the bond. */
async function disputeSealed(s: Story, orderId: bigint, orderSecretKey: Uint8Array) {
  const sealed = sealEvidence(orderSecretKey, ethers.getBytes(ARBITER_KEY));
  await s.send(s.exchange.connect(s.buyer).dispute(orderId, sealed, { value: await s.exchange.disputeBond(orderId) }));
  return sealed;
}

/** What the arbiter's screen does: open the sealed evidence, check it against the order's buyer key, read the code. */
async function arbiterChecks(s: Story, orderId: bigint) {
  const [disputed] = await s.exchange.queryFilter(s.exchange.filters.Disputed(orderId));
  const [purchase] = await s.exchange.queryFilter(s.exchange.filters.Purchased(orderId));
  const evidenceKey = openEvidence(disputed.args.sealedEvidence as Hex, ARBITER_SECRET);
  expect(evidenceMatchesBuyerKey(evidenceKey, purchase.args.buyerKey as Hex)).to.equal(true);
  expect(disputed.args.bond).to.equal(ETH_BOND);
  return { sealed: disputed.args.sealedEvidence as Hex, ruling: await s.check(orderId, ethers.getBytes(evidenceKey)) };
}

/** Lists a fresh card in ETH and has the buyer buy it through d3 with a per-order key; returns ids and the key. */
async function boughtInEth(s: Story, code: string) {
  const tokenId = await s.mintCard(code);
  await s.send(s.exchange.connect(s.seller).list(tokenId, ETH, ETH_PRICE));
  const orderId = await s.exchange.tradeCount();
  const orderKey = await s.keys(s.buyer, `order:${orderId}`);
  await s.send(
    s.exchange
      .connect(s.buyer)
      .buy(orderId, ETH_PRICE, s.d3.address, toBytes32(orderKey.publicKey), { value: ETH_PRICE }),
  );
  return { tokenId, orderId, orderKey };
}

describe("Stories", function () {
  describe("a coded card sold in ETH and one in the stablecoin through a 3-level referral", function () {
    it("goes brand → mint → list → buy → deliver → confirm, and every party claims exactly its share", async function () {
      const s = await loadFixture(storyFixture);
      const start = await s.balances();

      // The holder tokenizes two cards; the vault copy of each code opens with its wallet-derived key.
      const ethCard = await s.mintCard("HEMA-4417-2208");
      const usdCard = await s.mintCard("HEMA-9051-7763");
      const [minted] = await s.voucher.queryFilter(s.voucher.filters.CodeSealed(ethCard));
      const vault = await s.keys(s.seller, "vault");
      expect(openCode(minted.args.sealedCode as Hex, vault.secretKey)).to.deep.include({
        cardNumber: "6225-HEMA-4417-2208",
        code: "HEMA-4417-2208",
      });

      // It lists both.
      await s.send(s.exchange.connect(s.seller).list(ethCard, ETH, ETH_PRICE));
      await s.send(s.exchange.connect(s.seller).list(usdCard, s.usdAddress, USD_PRICE));
      const view = await s.exchange.activeListings(1n, 10n);
      expect(view.map((l) => [l.tokenId, l.brandId, l.payToken])).to.deep.equal([
        [ethCard, s.brandId, ETH],
        [usdCard, s.brandId, s.usdAddress],
      ]);

      // The buyer follows d3's referral link, sees the exact split, and buys both with per-order keys.
      const quote = await s.exchange.connect(s.buyer).quote(1n, s.d3.address);
      expect([quote.sellerProceeds, quote.treasuryShare]).to.deep.equal([ETH_SPLIT.proceeds, ETH_SPLIT.treasury]);
      expect(quote.distributorShares).to.deep.equal([ETH_SPLIT.d3, ETH_SPLIT.d2, ETH_SPLIT.d1]);
      const keys = [await s.keys(s.buyer, "order:1"), await s.keys(s.buyer, "order:2")];
      await s.send(
        s.exchange
          .connect(s.buyer)
          .buy(1n, ETH_PRICE, s.d3.address, toBytes32(keys[0].publicKey), { value: ETH_PRICE }),
      );
      await s.send(s.exchange.connect(s.buyer).buy(2n, USD_PRICE, s.d3.address, toBytes32(keys[1].publicKey)));

      // The seller's agent delivers each code sealed to the buyer's key; the buyer opens and checks, then confirms.
      for (const [i, code] of ["HEMA-4417-2208", "HEMA-9051-7763"].entries()) {
        const orderId = BigInt(i + 1);
        await s.deliver(orderId);
        const seen = await s.check(orderId, keys[i].secretKey);
        expect(seen).to.deep.include({ ok: true, cardMatches: true, codeMatches: true });
        expect(seen.card).to.deep.include({ cardNumber: `6225-${code}`, code });
        await s.send(s.exchange.connect(s.buyer).confirm(orderId));
        expect((await s.exchange.trade(orderId)).status).to.equal(Status.Completed);
        // The new owner keeps the code in its own vault.
        const buyerVault = await s.keys(s.buyer, "vault");
        const tokenId = (await s.exchange.trade(orderId)).tokenId;
        await s.send(
          s.voucher.connect(s.buyer).sealCode(tokenId, sealCode(seen.card!, seen.card!.salt, buyerVault.publicKey)),
        );
      }

      await s.claimAll(ETH);
      await s.claimAll(s.usdAddress);
      await expect(s.exchange.connect(s.seller).claim(ETH))
        .to.be.revertedWithCustomError(s.exchange, "NothingToClaim")
        .withArgs(s.seller.address, ETH); // proceeds were pushed at settlement

      expect(await s.voucher.ownerOf(ethCard)).to.equal(s.buyer.address);
      expect(await s.voucher.ownerOf(usdCard)).to.equal(s.buyer.address);
      expect(await s.changes(start, s.seller)).to.deep.equal({ eth: ETH_SPLIT.proceeds, kusd: USD_SPLIT.proceeds });
      expect(await s.changes(start, s.buyer)).to.deep.equal({ eth: -ETH_PRICE, kusd: -USD_PRICE });
      expect(await s.changes(start, s.d3)).to.deep.equal({ eth: ETH_SPLIT.d3, kusd: USD_SPLIT.d3 });
      expect(await s.changes(start, s.d2)).to.deep.equal({ eth: ETH_SPLIT.d2, kusd: USD_SPLIT.d2 });
      expect(await s.changes(start, s.d1)).to.deep.equal({ eth: ETH_SPLIT.d1, kusd: USD_SPLIT.d1 });
      expect(await s.changes(start, s.treasury)).to.deep.equal({ eth: ETH_SPLIT.treasury, kusd: USD_SPLIT.treasury });
      const [sellerStats] = await s.exchange.account(s.seller.address, []);
      const [buyerStats] = await s.exchange.account(s.buyer.address, []);
      expect([sellerStats.sales, buyerStats.purchases]).to.deep.equal([2n, 2n]);
      await s.expectExchangeEmpty();

      // The buyer spends the card: it is burned and can never trade again.
      await s.send(s.voucher.connect(s.buyer).redeem(ethCard));
      await expect(s.exchange.connect(s.buyer).list(ethCard, ETH, ETH_PRICE))
        .to.be.revertedWithCustomError(s.voucher, "ERC721NonexistentToken")
        .withArgs(ethCard);
    });
  });

  describe("an issuer-backed card sold through a 3-level referral", function () {
    it("settles in the buy itself", async function () {
      const s = await loadFixture(storyFixture);
      const start = await s.balances();
      const expiresAt = BigInt(await time.latest()) + 30n * BigInt(DAY);
      await s.send(s.voucher.connect(s.issuer).issue(s.seller.address, s.brandId, 20_000n, expiresAt));
      const tokenId = await s.voucher.totalMinted();
      await s.send(s.exchange.connect(s.seller).list(tokenId, s.usdAddress, USD_PRICE));
      await s.send(s.exchange.connect(s.buyer).buy(1n, USD_PRICE, s.d3.address, ethers.ZeroHash));
      await s.claimAll(s.usdAddress);
      expect(await s.voucher.ownerOf(tokenId)).to.equal(s.buyer.address);
      expect((await s.changes(start, s.seller)).kusd).to.equal(USD_SPLIT.proceeds);
      expect((await s.changes(start, s.buyer)).kusd).to.equal(-USD_PRICE);
      for (const [who, amount] of [
        [s.d3, USD_SPLIT.d3],
        [s.d2, USD_SPLIT.d2],
        [s.d1, USD_SPLIT.d1],
        [s.treasury, USD_SPLIT.treasury],
      ] as const) {
        expect(await s.changes(start, who)).to.deep.equal({ eth: 0n, kusd: amount });
      }
      await s.expectExchangeEmpty();
    });
  });

  describe("the seller never delivers", function () {
    it("lets the buyer take its money back after the delivery window; the seller gets the card back", async function () {
      const s = await loadFixture(storyFixture);
      const start = await s.balances();
      const { tokenId, orderId } = await boughtInEth(s, "HEMA-0001");
      await expect(s.exchange.connect(s.buyer).cancelUndelivered(orderId)).to.be.revertedWithCustomError(
        s.exchange,
        "DeadlineNotReached",
      );
      await time.increase(DAY + 1);
      await s.send(s.exchange.connect(s.buyer).cancelUndelivered(orderId));
      expect(await s.voucher.ownerOf(tokenId)).to.equal(s.seller.address);
      expect((await s.exchange.trade(orderId)).status).to.equal(Status.Refunded);
      for (const who of [s.seller, s.buyer, s.d1, s.d2, s.d3, s.treasury]) {
        expect(await s.changes(start, who)).to.deep.equal({ eth: 0n, kusd: 0n });
      }
      await s.expectExchangeEmpty();
    });
  });

  describe("the buyer never confirms", function () {
    it("lets anyone finalize after the confirm window, paying everyone as on confirm", async function () {
      const s = await loadFixture(storyFixture);
      const start = await s.balances();
      const { tokenId, orderId } = await boughtInEth(s, "HEMA-0002");
      await s.deliver(orderId);
      await time.increase(3 * DAY + 1);
      await s.send(s.exchange.connect(s.other).finalize(orderId));
      await s.claimAll(ETH);
      expect(await s.voucher.ownerOf(tokenId)).to.equal(s.buyer.address);
      expect((await s.changes(start, s.seller)).eth).to.equal(ETH_SPLIT.proceeds);
      expect((await s.changes(start, s.buyer)).eth).to.equal(-ETH_PRICE);
      expect((await s.changes(start, s.d3)).eth).to.equal(ETH_SPLIT.d3);
      expect((await s.changes(start, s.d2)).eth).to.equal(ETH_SPLIT.d2);
      expect((await s.changes(start, s.d1)).eth).to.equal(ETH_SPLIT.d1);
      expect((await s.changes(start, s.treasury)).eth).to.equal(ETH_SPLIT.treasury);
      expect((await s.changes(start, s.other)).eth).to.equal(0n);
      await s.expectExchangeEmpty();
    });
  });

  describe("the seller delivers a wrong code", function () {
    it("the buyer disputes with sealed evidence and a bond, the arbiter alone reads it, verifies the mismatch and refunds both", async function () {
      const s = await loadFixture(storyFixture);
      const start = await s.balances();
      const { tokenId, orderId, orderKey } = await boughtInEth(s, "HEMA-0003");
      await s.deliver(orderId, "HEMA-9999");
      const seen = await s.check(orderId, orderKey.secretKey);
      expect(seen.ok).to.equal(false);

      const sealed = await disputeSealed(s, orderId, orderKey.secretKey);
      // The evidence on chain is sealed: the order's secret key is not in it, and nobody else's key opens it.
      expect(sealed.toLowerCase()).to.not.contain(toBytes32(orderKey.secretKey).slice(2));
      const outsider = await s.keys(s.other, "vault");
      expect(() => openEvidence(sealed, outsider.secretKey)).to.throw();
      // The arbiter's screen: the evidence opens to the order key's secret half, and the code does not match.
      const { ruling } = await arbiterChecks(s, orderId);
      expect(ruling).to.deep.include({
        ok: false,
        cardMatches: true,
        codeMatches: false,
        reason: "The code does not match the voucher's commitment (codeHash)",
      });
      expect(ruling.card?.code).to.equal("HEMA-9999");
      await s.send(s.exchange.connect(s.arbiter).resolve(orderId, true));

      // The card comes back to the seller marked disclosed: its code was seen, so it can never be sold again.
      expect(await s.voucher.ownerOf(tokenId)).to.equal(s.seller.address);
      expect((await s.voucher.voucher(tokenId)).disclosed).to.equal(true);
      await expect(s.exchange.connect(s.seller).list(tokenId, ETH, ETH_PRICE))
        .to.be.revertedWithCustomError(s.exchange, "VoucherDisclosed")
        .withArgs(tokenId);
      for (const who of [s.seller, s.buyer, s.d1, s.d2, s.d3, s.treasury]) {
        expect(await s.changes(start, who)).to.deep.equal({ eth: 0n, kusd: 0n });
      }
      const [sellerStats] = await s.exchange.account(s.seller.address, []);
      const [buyerStats] = await s.exchange.account(s.buyer.address, []);
      expect([sellerStats.sales, sellerStats.disputesLost]).to.deep.equal([0n, 1n]);
      expect([buyerStats.disputesOpened, buyerStats.disputesLost]).to.deep.equal([1n, 0n]);
      await s.expectExchangeEmpty();
    });
  });

  describe("the buyer disputes a correct delivery", function () {
    it("the arbiter finds the code matches and releases the sale; the seller also gets the buyer's bond", async function () {
      const s = await loadFixture(storyFixture);
      const start = await s.balances();
      const { tokenId, orderId, orderKey } = await boughtInEth(s, "HEMA-0004");
      await s.deliver(orderId);
      await disputeSealed(s, orderId, orderKey.secretKey);
      const { ruling } = await arbiterChecks(s, orderId);
      expect(ruling).to.deep.include({ ok: true, cardMatches: true, codeMatches: true });
      expect(ruling.card?.code).to.equal("HEMA-0004");
      await s.send(s.exchange.connect(s.arbiter).resolve(orderId, false));
      await s.claimAll(ETH);

      expect(await s.voucher.ownerOf(tokenId)).to.equal(s.buyer.address);
      expect((await s.changes(start, s.seller)).eth).to.equal(ETH_SPLIT.proceeds + ETH_BOND);
      expect((await s.changes(start, s.buyer)).eth).to.equal(-ETH_PRICE - ETH_BOND);
      expect((await s.changes(start, s.d3)).eth).to.equal(ETH_SPLIT.d3);
      expect((await s.changes(start, s.d2)).eth).to.equal(ETH_SPLIT.d2);
      expect((await s.changes(start, s.d1)).eth).to.equal(ETH_SPLIT.d1);
      expect((await s.changes(start, s.treasury)).eth).to.equal(ETH_SPLIT.treasury);
      const [buyerStats] = await s.exchange.account(s.buyer.address, []);
      expect([buyerStats.purchases, buyerStats.disputesOpened, buyerStats.disputesLost]).to.deep.equal([1n, 1n, 1n]);
      await s.expectExchangeEmpty();
    });
  });

  describe("the arbiter never rules", function () {
    it("lets anyone close the dispute after the arbitration window as released: a false dispute buys no free refund", async function () {
      const s = await loadFixture(storyFixture);
      const start = await s.balances();
      const { tokenId, orderId, orderKey } = await boughtInEth(s, "HEMA-0005");
      await s.deliver(orderId);
      await disputeSealed(s, orderId, orderKey.secretKey);
      await time.increase(7 * DAY - 1); // the next block lands on the deadline second itself
      await expect(s.exchange.connect(s.other).expireDispute(orderId)).to.be.revertedWithCustomError(
        s.exchange,
        "DeadlineNotReached",
      );
      await time.increase(1);
      await s.send(s.exchange.connect(s.other).expireDispute(orderId));
      await expect(s.exchange.connect(s.arbiter).resolve(orderId, true))
        .to.be.revertedWithCustomError(s.exchange, "InvalidStatus")
        .withArgs(orderId, Status.Completed);
      await s.claimAll(ETH);

      expect(await s.voucher.ownerOf(tokenId)).to.equal(s.buyer.address);
      expect((await s.voucher.voucher(tokenId)).disclosed).to.equal(false);
      expect(await s.changes(start, s.seller)).to.deep.equal({ eth: ETH_SPLIT.proceeds + ETH_BOND, kusd: 0n });
      expect(await s.changes(start, s.buyer)).to.deep.equal({ eth: -ETH_PRICE - ETH_BOND, kusd: 0n });
      expect((await s.changes(start, s.d3)).eth).to.equal(ETH_SPLIT.d3);
      expect((await s.changes(start, s.d2)).eth).to.equal(ETH_SPLIT.d2);
      expect((await s.changes(start, s.d1)).eth).to.equal(ETH_SPLIT.d1);
      expect((await s.changes(start, s.treasury)).eth).to.equal(ETH_SPLIT.treasury);
      expect(await s.changes(start, s.other)).to.deep.equal({ eth: 0n, kusd: 0n });
      const [sellerStats] = await s.exchange.account(s.seller.address, []);
      const [buyerStats] = await s.exchange.account(s.buyer.address, []);
      expect([sellerStats.sales, sellerStats.disputesLost]).to.deep.equal([1n, 0n]);
      expect([buyerStats.disputesOpened, buyerStats.disputesLost]).to.deep.equal([1n, 1n]);
      await s.expectExchangeEmpty();
    });
  });

  describe("the same card is tokenized twice", function () {
    it("the second voucher is refused under the brand, whoever mints it and whatever code it claims", async function () {
      const s = await loadFixture(storyFixture);
      const first = await s.mintCard("HEMA-0006", "6225-8800-0006");
      await s.voucher.connect(s.seller).transferFrom(s.seller.address, s.buyer.address, first);
      const expiresAt = BigInt(await time.latest()) + 30n * BigInt(DAY);
      await expect(
        s.voucher
          .connect(s.seller)
          .mint(
            s.brandId,
            20_000n,
            expiresAt,
            cardHash(s.brandId, "6225-8800-0006"),
            commitment("HEMA-0006", randomSalt()),
            "0x01",
          ),
      )
        .to.be.revertedWithCustomError(s.voucher, "DuplicateCard")
        .withArgs(s.brandId, cardHash(s.brandId, "6225-8800-0006"), first);
      // The buyer spends it; the number stays spent.
      await s.send(s.voucher.connect(s.buyer).redeem(first));
      await expect(
        s.voucher
          .connect(s.buyer)
          .mint(
            s.brandId,
            20_000n,
            expiresAt,
            cardHash(s.brandId, "6225-8800-0006"),
            commitment("X", randomSalt()),
            "0x01",
          ),
      )
        .to.be.revertedWithCustomError(s.voucher, "DuplicateCard")
        .withArgs(s.brandId, cardHash(s.brandId, "6225-8800-0006"), first);
    });
  });
});
