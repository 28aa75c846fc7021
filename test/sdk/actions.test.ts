/**
 * SDK actions against a fresh in-process chain: each write's phases, refusals decoded by name, card identity
 * (duplicates, denominations, attestation) and bonded disputes whose evidence only the arbiter opens.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import type { Address } from "viem";
import * as sdk from "#sdk";
import { connect, type Chainish } from "../../scripts/lib/chain.js";
import { deployKaquan, STABLECOIN_MIN_PRICE } from "../../scripts/lib/deploy.js";

const { provider, networkHelpers } = await network.create();

describe("sdk actions", function () {
  let chain: Chainish;
  let dir: string;
  let as: (account: Address) => sdk.Kaquan;
  let accounts: Address[];

  before(async function () {
    dir = mkdtempSync(path.join(tmpdir(), "kaquan-actions-"));
    const { deployment } = await deployKaquan(provider, { deploymentsDir: dir });
    chain = await connect(provider);
    accounts = await chain.accounts();
    as = (account) => ({ deployment, publicClient: chain.publicClient, walletClient: chain.wallet(account) });
    const brand = ["Luckin Coffee", "coffee", "CNY", accounts[10]] as const;
    await sdk.execute(
      as(accounts[0]),
      sdk.contractCall(deployment.voucherToken, sdk.voucherTokenAbi, "registerBrand", brand),
    );
    await sdk.setDenominations(as(accounts[0]), 1, { faceValues: [10_000n, 20_000n, 50_000n] });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reports simulating → signing → pending with the hash, and returns the receipt", async function () {
    const phases: string[] = [];
    const receipt = await sdk.join(as(accounts[7]), undefined, {
      onPhase: (phase, hash) => phases.push(hash ? `${phase} ${hash}` : phase),
    });
    expect(phases).to.deep.equal(["simulating", "signing", `pending ${receipt.transactionHash}`]);
    expect((await sdk.getDistribution(as(accounts[7]), accounts[7])).joined).to.equal(true);
  });

  it("reads the payment tokens with their minimum prices", async function () {
    const { stablecoin, cnyStablecoin } = as(accounts[0]).deployment;
    const tokens = await sdk.getPayTokens(as(accounts[0]));
    expect(tokens.map(({ address, symbol, minPrice }) => [address, symbol, minPrice])).to.deep.equal([
      [sdk.ETH.address, "ETH", sdk.DEFAULT_ETH_MIN_PRICE],
      [stablecoin, "kUSD", STABLECOIN_MIN_PRICE],
      [cnyStablecoin, "kCNY", STABLECOIN_MIN_PRICE],
    ]);
  });

  it("names the refusal of a purchase while the exchange is paused (EnforcedPause), before any signature", async function () {
    const [owner, seller, buyer] = [accounts[0], accounts[3], accounts[4]];
    const expiresAt = BigInt(Math.floor(Date.now() / 1000) + 60 * 86_400);
    const { tokenId } = await sdk.issue(as(accounts[10]), { to: seller, brandId: 1, faceValue: 10_000n, expiresAt });
    await sdk.approveVouchers(as(seller));
    const { tradeId } = await sdk.list(as(seller), { tokenId, price: sdk.DEFAULT_ETH_MIN_PRICE });
    const exchange = as(owner).deployment.voucherExchange;
    await sdk.execute(as(owner), sdk.contractCall(exchange, sdk.voucherExchangeAbi, "pause", []));
    const phases: string[] = [];
    const failure = await sdk.buy(as(buyer), { tradeId }, { onPhase: (phase) => phases.push(phase) }).catch((e) => e);
    expect(failure).to.be.instanceOf(sdk.KaquanError);
    expect((failure as sdk.KaquanError).decoded).to.deep.include({ name: "EnforcedPause", args: [] });
    expect((failure as sdk.KaquanError).message).to.equal(
      "The exchange is paused: new listings, price changes and purchases are stopped for now.",
    );
    expect(phases).to.deep.equal(["simulating"]);
    await sdk.execute(as(owner), sdk.contractCall(exchange, sdk.voucherExchangeAbi, "unpause", []));
    await sdk.buy(as(buyer), { tradeId });
    expect((await sdk.getTrade(as(buyer), tradeId)).status).to.equal(sdk.Status.Completed);
  });

  describe("every other operation, through the state machine", function () {
    let seller: Address, buyer: Address, arbiter: Address, stranger: Address, issuer: Address;
    const expiresAt = () => BigInt(Math.floor(Date.now() / 1000) + 120 * 86_400);
    /** The card number of code `code` in these tests: one per code, so no two vouchers share it. */
    const cardOf = (code: string) => `8600 0000 ${code}`;
    /** A coded voucher of `seller`'s, listed in ETH; returns its trade id. */
    async function listed(code: string, price = sdk.DEFAULT_ETH_MIN_PRICE * 3n): Promise<bigint> {
      const card = { brandId: 1, faceValue: 20_000n, expiresAt: expiresAt(), cardNumber: cardOf(code), code };
      const { tokenId } = await sdk.mint(as(seller), card);
      return (await sdk.list(as(seller), { tokenId, price })).tradeId;
    }
    const status = async (tradeId: bigint) => (await sdk.getTrade(as(buyer), tradeId)).status;
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error as sdk.KaquanError,
      );

    before(async function () {
      [seller, buyer, arbiter, stranger, issuer] = [accounts[3], accounts[4], accounts[2], accounts[9], accounts[10]];
      await sdk.approveVouchers(as(seller));
    });

    it("mint, getCardToken and getBrands: a card number is registered once per brand, in any spacing", async function () {
      const card = { brandId: 1, faceValue: 50_000n, expiresAt: expiresAt(), cardNumber: "8600 1111 2222", code: "1" };
      expect(await sdk.getCardToken(as(seller), 1, card.cardNumber)).to.equal(undefined);
      const { tokenId } = await sdk.mint(as(seller), card);
      expect(await sdk.getCardToken(as(stranger), 1, "86001111-2222")).to.equal(tokenId);
      const again = await failure(sdk.mint(as(buyer), { ...card, cardNumber: "8600-1111-2222", code: "2" }));
      expect(again?.decoded).to.deep.include({
        name: "DuplicateCard",
        args: [1n, sdk.cardHash(1, card.cardNumber), tokenId],
      });
      expect(again?.message).to.equal(
        `This card number is already registered for brand #1 (voucher #${tokenId}): a card can be put on Kaquan only once.`,
      );
      const [brand] = await sdk.getBrands(as(stranger));
      expect(brand.denominations).to.deep.equal({ faceValues: [10_000n, 20_000n, 50_000n], maxFaceValue: 0n });
      expect(sdk.faceValueAllowed(brand.denominations, 20_000n)).to.equal(true);
      expect(sdk.faceValueAllowed(brand.denominations, 30_000n)).to.equal(false);
      const odd = await failure(sdk.mint(as(seller), { ...card, cardNumber: "8600 1111 3333", faceValue: 30_000n }));
      expect(odd?.decoded.name).to.equal("FaceValueNotAllowed");
      const invalid = await failure(sdk.setDenominations(as(accounts[0]), 1, { faceValues: [20_000n, 10_000n] }));
      expect(invalid?.decoded.name).to.equal("InvalidDenominations");
    });

    it("attest and revokeAttestation: the brand's issuer verifies a card, listings and reputation show it", async function () {
      const tradeId = await listed("LK-A1");
      const { tokenId } = await sdk.getTrade(as(stranger), tradeId);
      const wrongValue = await failure(sdk.attest(as(issuer), tokenId, 10_000n));
      expect(wrongValue?.decoded).to.deep.include({ name: "FaceValueMismatch", args: [tokenId, 10_000n] });
      const notIssuer = await failure(sdk.attest(as(stranger), tokenId, 20_000n));
      expect(notIssuer?.decoded.name).to.equal("NotIssuer");
      await sdk.attest(as(issuer), tokenId, 20_000n);
      const listing = (await sdk.getListings(as(stranger))).find((l) => l.tradeId === tradeId);
      expect(listing?.attested).to.equal(true);
      expect((await sdk.getVoucherInfos(as(stranger), [tokenId])).get(tokenId)?.attested).to.equal(true);
      const reputation = await sdk.getReputation(as(stranger), seller);
      expect(reputation).to.deep.include({ sales: 1n, disputesLost: 0n, verified: 1 });
      expect(reputation.listed).to.be.greaterThan(1);
      const twice = await failure(sdk.attest(as(issuer), tokenId, 20_000n));
      expect(twice?.decoded).to.deep.include({ name: "AttestationUnchanged", args: [tokenId, true] });
      await sdk.revokeAttestation(as(issuer), tokenId);
      expect((await sdk.getVoucherDetails(as(stranger), tokenId)).listing?.attested).to.equal(false);
      expect((await sdk.getReputation(as(stranger), seller)).verified).to.equal(0);
      await sdk.cancelListing(as(seller), tradeId);
    });

    it("dispute before the arbiter publishes its key: refused before any signature (NoArbiterKey)", async function () {
      const tradeId = await listed("LK-K0");
      await sdk.buy(as(buyer), { tradeId });
      await sdk.deliver(as(seller), tradeId);
      const phases: string[] = [];
      const refused = await failure(sdk.dispute(as(buyer), tradeId, { onPhase: (phase) => phases.push(phase) }));
      expect(refused?.decoded.name).to.equal("NoArbiterKey");
      expect(phases).to.deep.equal([]);
      await sdk.confirm(as(buyer), tradeId);
      // The arbiter publishes the key its wallet derives; disputes are possible from now on.
      await sdk.setArbiterKey(as(arbiter));
      const { arbiterKey } = await sdk.getSettings(as(stranger));
      expect(arbiterKey).to.equal(sdk.toBytes32((await sdk.arbiterKeyPair(as(arbiter))).publicKey));
    });

    it("updatePrice and cancelListing: the seller reprices, then withdraws the voucher", async function () {
      const tradeId = await listed("LK-1");
      await sdk.updatePrice(as(seller), tradeId, sdk.DEFAULT_ETH_MIN_PRICE * 5n);
      expect((await sdk.getTrade(as(seller), tradeId)).price).to.equal(sdk.DEFAULT_ETH_MIN_PRICE * 5n);
      await sdk.cancelListing(as(seller), tradeId);
      expect(await status(tradeId)).to.equal(sdk.Status.Cancelled);
    });

    it("dispute and resolve: the buyer disputes with a bond, only the arbiter opens the evidence, it refunds", async function () {
      const tradeId = await listed("LK-2");
      await sdk.buy(as(buyer), { tradeId });
      await sdk.deliver(as(seller), tradeId);
      const seen = await sdk.openDelivery(as(buyer), tradeId);
      expect(seen).to.deep.include({ ok: true, cardMatches: true, codeMatches: true });
      expect(seen.card).to.deep.include({ cardNumber: cardOf("LK-2"), code: "LK-2" });
      const { bond } = await sdk.getDisputeTerms(as(buyer), tradeId);
      const price = sdk.DEFAULT_ETH_MIN_PRICE * 3n;
      expect(bond).to.equal((price * BigInt(sdk.DEFAULT_DISPUTE_BOND_BPS)) / BigInt(sdk.BPS));
      const before = await chain.publicClient.getBalance({ address: buyer });
      const receipt = await sdk.dispute(as(buyer), tradeId);
      const gas = receipt.gasUsed * receipt.effectiveGasPrice;
      expect(await chain.publicClient.getBalance({ address: buyer })).to.equal(before - bond - gas);
      const order = await sdk.getOrder(as(stranger), tradeId);
      expect(order.bond).to.equal(bond);
      // The public sees sealed bytes: the order key is not in them, and no other key opens them.
      const orderKey = await sdk.deriveKey(as(buyer), `order:${tradeId}`);
      expect(order.sealedEvidence).to.not.contain(sdk.toBytes32(orderKey.secretKey).slice(2));
      expect(sdk.verifyEvidence(order, (await sdk.deriveKey(as(stranger), "arbiter")).secretKey)).to.deep.include({
        evidenceOpened: false,
        card: undefined,
      });
      const ruling = await sdk.checkDispute(as(arbiter), tradeId);
      expect(ruling).to.deep.include({ evidenceOpened: true, keyMatches: true, cardMatches: true, codeMatches: true });
      expect(ruling.card?.code).to.equal("LK-2");
      await sdk.resolve(as(arbiter), tradeId, true);
      expect(await status(tradeId)).to.equal(sdk.Status.Refunded);
      // The refund returned price and bond; the voucher is back with the seller, its code disclosed for good.
      expect(await chain.publicClient.getBalance({ address: buyer })).to.equal(before + price - gas);
      const tokenId = order.trade.tokenId;
      expect((await sdk.getVoucherInfos(as(stranger), [tokenId])).get(tokenId)?.disclosed).to.equal(true);
      expect((await failure(sdk.list(as(seller), { tokenId, price })))?.decoded.name).to.equal("VoucherDisclosed");
      expect((await failure(sdk.attest(as(issuer), tokenId, 20_000n)))?.decoded.name).to.equal("CodeWasDisclosed");
      const { disputesLost } = await sdk.getReputation(as(stranger), seller);
      expect(disputesLost).to.equal(1n);
      expect((await sdk.getReputation(as(stranger), buyer)).disputesOpened).to.equal(1n);
      const history = await sdk.getProvenance(as(stranger), order.trade.tokenId);
      expect(history.map((event) => event.event)).to.deep.equal([
        "Transfer",
        "VoucherMinted",
        "CodeSealed",
        "Listed",
        "Transfer",
        "Purchased",
        "CodeDelivered",
        "Disputed",
        "DisputeResolved",
        "Refunded",
        "DisputeBondPaid",
        "CodeDisclosed",
        "Transfer",
      ]);
      for (const event of history) {
        if ("tradeId" in event.args) expect(event.args.tradeId, event.event).to.equal(tradeId);
      }
    });

    it("cancelUndelivered, finalize and expireDispute: anyone closes an order whose window passed", async function () {
      const [undelivered, unconfirmed, unruled] = [await listed("LK-3"), await listed("LK-4"), await listed("LK-5")];
      for (const tradeId of [undelivered, unconfirmed, unruled]) await sdk.buy(as(buyer), { tradeId });
      for (const tradeId of [unconfirmed, unruled]) await sdk.deliver(as(seller), tradeId);
      await sdk.dispute(as(buyer), unruled);
      await networkHelpers.time.increase(sdk.DEFAULT_ARBITRATION_WINDOW + 1);
      await sdk.cancelUndelivered(as(stranger), undelivered);
      await sdk.finalize(as(stranger), unconfirmed);
      await sdk.expireDispute(as(stranger), unruled);
      expect(await status(undelivered)).to.equal(sdk.Status.Refunded);
      expect(await status(unconfirmed)).to.equal(sdk.Status.Completed);
      // An unruled dispute closes as released: a false dispute buys no refund by waiting the arbiter out.
      expect(await status(unruled)).to.equal(sdk.Status.Completed);
    });

    it("confirm, keepCode, redeem and claim: a sale in kUSD from approval to the treasury's withdrawal", async function () {
      const { stablecoin } = as(buyer).deployment;
      const price = 5_000_000n; // 5 kUSD
      const { tokenId } = await sdk.mint(as(seller), {
        brandId: 1,
        faceValue: 20_000n,
        expiresAt: expiresAt(),
        cardNumber: cardOf("LK-6"),
        code: "LK-6",
      });
      const { tradeId } = await sdk.list(as(seller), { tokenId, price, payToken: stablecoin });
      const faucet = sdk.contractCall(stablecoin, sdk.testStablecoinAbi, "faucet", [buyer, price]);
      await sdk.execute(as(buyer), faucet);
      await sdk.approvePayment(as(buyer), stablecoin, price);
      await sdk.buy(as(buyer), { tradeId });
      await sdk.deliver(as(seller), tradeId);
      await sdk.confirm(as(buyer), tradeId);
      await sdk.keepCode(as(buyer), tradeId);
      const vaultCopy = await sdk.getSealedCode(as(buyer), tokenId, buyer);
      expect(sdk.openCode(vaultCopy!, (await sdk.deriveKey(as(buyer), "vault")).secretKey)).to.deep.include({
        cardNumber: cardOf("LK-6"),
        code: "LK-6",
      });
      await sdk.redeem(as(buyer), tokenId);
      const wallet = await sdk.getWallet(as(buyer), buyer);
      expect(wallet.vouchers.map((voucher) => voucher.tokenId)).to.not.include(tokenId);
      // The seller was paid at settlement; the fee waits as the treasury's credit.
      const treasury = as(buyer).deployment.treasury;
      await sdk.claim(as(treasury), stablecoin);
      const claimAgain = await sdk.claim(as(treasury), stablecoin).catch((error: unknown) => error);
      expect((claimAgain as sdk.KaquanError).decoded.name).to.equal("NothingToClaim");
    });

    it("dispute in kUSD: the SDK approves the bond, the arbiter releases, the bond goes to the seller", async function () {
      const { stablecoin } = as(buyer).deployment;
      const price = 5_000_000n;
      const card = { brandId: 1, faceValue: 20_000n, expiresAt: expiresAt(), cardNumber: cardOf("LK-7"), code: "LK-7" };
      const { tokenId } = await sdk.mint(as(seller), card);
      const { tradeId } = await sdk.list(as(seller), { tokenId, price, payToken: stablecoin });
      await sdk.execute(as(buyer), sdk.contractCall(stablecoin, sdk.testStablecoinAbi, "faucet", [buyer, price * 2n]));
      await sdk.approvePayment(as(buyer), stablecoin, price);
      await sdk.buy(as(buyer), { tradeId });
      await sdk.deliver(as(seller), tradeId);
      const balance = (account: Address) =>
        chain.publicClient.readContract({
          address: stablecoin,
          abi: sdk.testStablecoinAbi,
          functionName: "balanceOf",
          args: [account],
        });
      const [buyerBefore, sellerBefore] = [await balance(buyer), await balance(seller)];
      await sdk.dispute(as(buyer), tradeId);
      const bond = (price * BigInt(sdk.DEFAULT_DISPUTE_BOND_BPS)) / BigInt(sdk.BPS);
      expect(await balance(buyer)).to.equal(buyerBefore - bond);
      expect((await sdk.checkDispute(as(arbiter), tradeId)).codeMatches).to.equal(true);
      await sdk.resolve(as(arbiter), tradeId, false);
      const fee = (price * 200n) / BigInt(sdk.BPS);
      expect(await balance(seller)).to.equal(sellerBefore + price - fee + bond);
    });

    it("setDisputeBond: the owner changes the bond of future orders, within its bounds", async function () {
      const owner = as(accounts[0]);
      const out = await failure(sdk.setDisputeBond(owner, sdk.MAX_DISPUTE_BOND_BPS + 1));
      expect(out?.decoded).to.deep.include({
        name: "DisputeBondOutOfBounds",
        args: [BigInt(sdk.MAX_DISPUTE_BOND_BPS + 1)],
      });
      await sdk.setDisputeBond(owner, 2_000);
      expect((await sdk.getSettings(owner)).disputeBondBps).to.equal(2_000);
      await sdk.setDisputeBond(owner, sdk.DEFAULT_DISPUTE_BOND_BPS);
    });
  });
});
