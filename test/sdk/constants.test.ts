/**
 * The SDK's protocol constants against the compiled contracts: every public ALL_CAPS constant, the Status enum, the
 * defaults a fresh exchange starts with, and the widths prices and face values are stored in. A contract change the
 * SDK does not mirror fails here.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import type { Abi, AbiFunction, Address } from "viem";
import * as sdk from "#sdk";
import { connect, type Chainish } from "../../scripts/lib/chain.js";
import { deployKaquan } from "../../scripts/lib/deploy.js";
import { ROOT } from "../../scripts/lib/deployments.js";
import { CONTRACT_SOURCES } from "../../scripts/lib/sources.js";

const { provider } = await network.create();

/** The public constants an ABI exposes: ALL_CAPS views without inputs that return one integer. */
function constantsOf(abi: Abi): AbiFunction[] {
  return abi.filter(
    (item): item is AbiFunction =>
      item.type === "function" &&
      item.stateMutability === "view" &&
      item.inputs.length === 0 &&
      /^[A-Z][A-Z0-9_]*$/.test(item.name) &&
      item.outputs.length === 1 &&
      item.outputs[0].type.startsWith("uint"),
  );
}

/** A compiled contract's enum members, in declaration order, from the build's AST. */
function enumMembers(contract: keyof typeof CONTRACT_SOURCES, source: string, name: string): string[] {
  const artifact = JSON.parse(
    readFileSync(path.join(ROOT, "artifacts", CONTRACT_SOURCES[contract], `${contract}.json`), "utf8"),
  ) as { buildInfoId: string };
  const build = JSON.parse(
    readFileSync(path.join(ROOT, "artifacts/build-info", `${artifact.buildInfoId}.output.json`), "utf8"),
  ) as { output: { sources: Record<string, { ast: unknown }> } };
  const found: string[][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === "object") {
      const n = node as { nodeType?: string; name?: string; members?: { name: string }[] };
      if (n.nodeType === "EnumDefinition" && n.name === name) found.push(n.members!.map((m) => m.name));
      Object.values(node).forEach(walk);
    }
  };
  walk(build.output.sources[`project/${source}`].ast);
  expect(found, `enum ${name} in ${source}`).to.have.length(1);
  return found[0];
}

describe("sdk constants (against the compiled contracts)", function () {
  let chain: Chainish;
  let deployment: sdk.Deployment;
  let dir: string;

  before(async function () {
    dir = mkdtempSync(path.join(tmpdir(), "kaquan-constants-"));
    deployment = (await deployKaquan(provider, { deploymentsDir: dir })).deployment;
    chain = await connect(provider);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("mirrors every public constant of the exchange, the voucher token, the offers and the test stablecoin", async function () {
    const contracts: [Abi, Address][] = [
      [sdk.voucherExchangeAbi, deployment.voucherExchange],
      [sdk.voucherTokenAbi, deployment.voucherToken],
      [sdk.voucherOffersAbi, deployment.voucherOffers],
      [sdk.testStablecoinAbi, deployment.stablecoin],
    ];
    const checked: string[] = [];
    for (const [abi, address] of contracts) {
      for (const constant of constantsOf(abi)) {
        const onChain = await chain.publicClient.readContract({ address, abi, functionName: constant.name });
        const mirrored = (sdk as Record<string, unknown>)[constant.name];
        expect(mirrored === undefined, `sdk exports ${constant.name}`).to.equal(false);
        expect(BigInt(mirrored as number | bigint), constant.name).to.equal(onChain);
        checked.push(constant.name);
      }
    }
    expect(checked).to.include.members([
      "MIN_FEE_BPS",
      "MAX_FEE_BPS",
      "MAX_BATCH",
      "MAX_PAGE",
      "FAUCET_LIMIT",
      "MAX_TIERS",
    ]);
  });

  it("has IVoucherExchange.Status member by member", function () {
    const members = enumMembers("VoucherExchange", "contracts/interfaces/IVoucherExchange.sol", "Status");
    expect(Object.keys(sdk.Status)).to.deep.equal(members);
    expect(Object.values(sdk.Status)).to.deep.equal(members.map((_, index) => index));
  });

  it("has the windows and level shares a fresh exchange starts with", async function () {
    const settings = await sdk.getSettings({ publicClient: chain.publicClient, deployment });
    expect(settings.windows).to.deep.equal(sdk.DEFAULT_WINDOWS);
    expect(settings.levelShares).to.deep.equal(sdk.DEFAULT_LEVEL_SHARES);
  });

  it("bounds prices and face values by the widths the contracts store them in", function () {
    const field = (abi: Abi, fn: string, name: string) => {
      const item = abi.find((entry) => entry.type === "function" && entry.name === fn) as AbiFunction;
      const output = item.outputs[0] as { components: readonly { name?: string; type: string }[] };
      return output.components.find((component) => component.name === name)!.type;
    };
    expect(field(sdk.voucherExchangeAbi, "trade", "price")).to.equal("uint96");
    expect(sdk.MAX_PRICE).to.equal(2n ** 96n - 1n);
    expect(field(sdk.voucherTokenAbi, "voucher", "faceValue")).to.equal("uint128");
    expect(sdk.MAX_FACE_VALUE).to.equal(2n ** 128n - 1n);
  });

  it("accepts brand texts of MAX_BRAND_TEXT_BYTES bytes and refuses one byte more", async function () {
    const [owner] = await chain.accounts();
    const register = (name: string) =>
      chain.publicClient.simulateContract({
        account: owner,
        address: deployment.voucherToken,
        abi: sdk.voucherTokenAbi,
        functionName: "registerBrand",
        args: [name, "coffee", "USD", owner],
      });
    await register("x".repeat(sdk.MAX_BRAND_TEXT_BYTES));
    const refused = await register("x".repeat(sdk.MAX_BRAND_TEXT_BYTES + 1)).catch((error: unknown) => error);
    expect(sdk.decodeError(refused).name).to.equal("InvalidBrandText");
  });

  it("knows the stablecoin's decimals and that the local chain is a test chain", async function () {
    const decimals = await chain.publicClient.readContract({
      address: deployment.stablecoin,
      abi: sdk.testStablecoinAbi,
      functionName: "decimals",
    });
    expect(decimals).to.equal(sdk.STABLECOIN_DECIMALS);
    expect(sdk.TEST_CHAIN_IDS).to.include(chain.chain.id);
    expect(chain.chain.id).to.equal(sdk.LOCAL_CHAIN_ID);
  });
});
