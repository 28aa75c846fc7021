/** SDK actions against a fresh in-process chain: each write's phases, and refusals decoded by name. */
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
    let seller: Address, buyer: Address, arbiter: Address, stranger: Address;
    const expiresAt = () => BigInt(Math.floor(Date.now() / 1000) + 120 * 86_400);
    /** A coded voucher of `seller`'s, listed in ETH; returns its trade id. */
    async function listed(code: string, price = sdk.DEFAULT_ETH_MIN_PRICE * 3n): Promise<bigint> {
      const { tokenId } = await sdk.mint(as(seller), { brandId: 1, faceValue: 20_000n, expiresAt: expiresAt(), code });
      return (await sdk.list(as(seller), { tokenId, price })).tradeId;
    }
    const status = async (tradeId: bigint) => (await sdk.getTrade(as(buyer), tradeId)).status;

    before(async function () {
      [seller, buyer, arbiter, stranger] = [accounts[3], accounts[4], accounts[2], accounts[9]];
      await sdk.approveVouchers(as(seller));
    });

    it("updatePrice and cancelListing: the seller reprices, then withdraws the voucher", async function () {
      const tradeId = await listed("LK-1");
      await sdk.updatePrice(as(seller), tradeId, sdk.DEFAULT_ETH_MIN_PRICE * 5n);
      expect((await sdk.getTrade(as(seller), tradeId)).price).to.equal(sdk.DEFAULT_ETH_MIN_PRICE * 5n);
      await sdk.cancelListing(as(seller), tradeId);
      expect(await status(tradeId)).to.equal(sdk.Status.Cancelled);
    });

    it("dispute and resolve: the buyer disputes a delivery, the arbiter refunds", async function () {
      const tradeId = await listed("LK-2");
      await sdk.buy(as(buyer), { tradeId });
      await sdk.deliver(as(seller), tradeId);
      await sdk.dispute(as(buyer), tradeId);
      const order = await sdk.getOrder(as(arbiter), tradeId);
      expect(sdk.verifyEvidence(order)).to.include({ keyMatches: true, codeMatches: true, code: "LK-2" });
      await sdk.resolve(as(arbiter), tradeId, true);
      expect(await status(tradeId)).to.equal(sdk.Status.Refunded);
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
      expect(await status(unruled)).to.equal(sdk.Status.Refunded);
    });

    it("confirm, keepCode, redeem and claim: a sale in kUSD from approval to the treasury's withdrawal", async function () {
      const { stablecoin } = as(buyer).deployment;
      const price = 5_000_000n; // 5 kUSD
      const { tokenId } = await sdk.mint(as(seller), {
        brandId: 1,
        faceValue: 20_000n,
        expiresAt: expiresAt(),
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
      expect(sdk.openCode(vaultCopy!, (await sdk.deriveKey(as(buyer), "vault")).secretKey).code).to.equal("LK-6");
      await sdk.redeem(as(buyer), tokenId);
      const wallet = await sdk.getWallet(as(buyer), buyer);
      expect(wallet.vouchers.map((voucher) => voucher.tokenId)).to.not.include(tokenId);
      // The seller was paid at settlement; the fee waits as the treasury's credit.
      const treasury = as(buyer).deployment.treasury;
      await sdk.claim(as(treasury), stablecoin);
      const claimAgain = await sdk.claim(as(treasury), stablecoin).catch((error: unknown) => error);
      expect((claimAgain as sdk.KaquanError).decoded.name).to.equal("NothingToClaim");
    });
  });
});
