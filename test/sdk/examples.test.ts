/** The integrator examples of sdk/README.md, run as written against a fresh chain. */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { parseEther, type Address } from "viem";
import * as sdk from "#sdk";
import { deliverCodes } from "../../sdk/examples/deliverer.js";
import { listCards } from "../../sdk/examples/lister.js";
import { connect, type Chainish } from "../../scripts/lib/chain.js";
import { deployKaquan } from "../../scripts/lib/deploy.js";
import { ROOT } from "../../scripts/lib/deployments.js";

const { provider } = await network.create();

describe("sdk/README.md examples", function () {
  let chain: Chainish;
  let dir: string;
  let as: (account: Address) => sdk.Kaquan;

  before(async function () {
    dir = mkdtempSync(path.join(tmpdir(), "kaquan-examples-"));
    const { deployment } = await deployKaquan(provider, { deploymentsDir: dir });
    chain = await connect(provider);
    as = (account) => ({ deployment, publicClient: chain.publicClient, walletClient: chain.wallet(account) });
    const [owner] = await chain.accounts();
    const brand = ["JD E-Card", "e-commerce card", "CNY", owner] as const;
    await sdk.execute(
      as(owner),
      sdk.contractCall(deployment.voucherToken, sdk.voucherTokenAbi, "registerBrand", brand),
    );
    await sdk.setDenominations(as(owner), 1, { faceValues: [10_000n, 20_000n, 50_000n, 100_000n] });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("are in the README exactly as they run here", function () {
    const readme = readFileSync(path.join(ROOT, "sdk/README.md"), "utf8");
    for (const example of ["lister.ts", "deliverer.ts"]) {
      expect(readme, example).to.include(readFileSync(path.join(ROOT, "sdk/examples", example), "utf8").trim());
    }
  });

  it("list cards, deliver each sale from the vault, and the buyer opens the committed code", async function () {
    const accounts = await chain.accounts();
    const [seller, buyer] = [accounts[3], accounts[4]];
    const expiresAt = BigInt(Math.floor(Date.now() / 1000) + 90 * 86_400);
    const cards = ["1111-2222", "3333-4444"].map((code) => ({
      brandId: 1,
      faceValue: 50_000n,
      expiresAt,
      cardNumber: `JD 2100 ${code}`,
      code,
    }));
    const tradeIds = await listCards(as(seller), cards, 10n ** 10n);
    expect(tradeIds).to.have.length(2);
    expect((await sdk.getTrade(as(seller), tradeIds[1])).price).to.equal((50_000n * 10n ** 10n * 95n) / 100n);

    const log: string[] = [];
    const stop = deliverCodes(as(seller), (message) => log.push(message));
    try {
      await sdk.buy(as(buyer), { tradeId: tradeIds[1] });
      const deadline = Date.now() + 10_000;
      let order = await sdk.getOrder(as(buyer), tradeIds[1]);
      while (order.delivery === undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        order = await sdk.getOrder(as(buyer), tradeIds[1]);
      }
      expect(order.trade.status, log.join("\n")).to.equal(sdk.Status.Delivered);
      const orderKey = await sdk.deriveKey(as(buyer), `order:${tradeIds[1]}`);
      const opened = sdk.checkDelivery(order.delivery!, orderKey.secretKey, sdk.commitmentsOf(order.voucher)!);
      expect(opened.ok).to.equal(true);
      expect(opened.card).to.deep.include({ cardNumber: "JD 2100 3333-4444", code: "3333-4444" });
      expect(log).to.have.length(1);
      expect(log[0]).to.match(new RegExp(`^#${tradeIds[1]}: delivered in 0x[0-9a-f]{64}$`));
    } finally {
      stop();
    }
  });

  it("a refused action says why, by name: buying above the buyer's maximum", async function () {
    const [, , , seller, , buyer] = await chain.accounts();
    const [tradeId] = await listCards(
      as(seller),
      [{ brandId: 1, faceValue: 50_000n, expiresAt: 2n ** 40n, cardNumber: "JD 2100 0000-0001", code: "X-1" }],
      10n ** 10n,
    );
    const failure = await sdk.buy(as(buyer), { tradeId, maxPrice: parseEther("0") }).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(sdk.KaquanError);
    expect((failure as sdk.KaquanError).decoded.name).to.equal("PriceAboveMax");
  });
});
