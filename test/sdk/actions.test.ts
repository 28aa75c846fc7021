/** SDK actions against a fresh in-process chain: each write's phases, and refusals decoded by name. */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import type { Address } from "viem";
import * as sdk from "#sdk";
import { connect, type Chainish } from "../../scripts/lib/chain.js";
import { deployKaquan } from "../../scripts/lib/deploy.js";

const { provider } = await network.create();

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
});
