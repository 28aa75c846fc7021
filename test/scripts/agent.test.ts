import { expect } from "chai";
import type { ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseEther, type Address } from "viem";
import * as sdk from "#sdk";
import { Status, voucherExchangeAbi, voucherTokenAbi } from "#sdk";
import type { AgentState } from "../../scripts/lib/agent.js";
import { stopProcess } from "../../scripts/lib/processes.js";
import { startLocalNode, waitFor, type LocalNode } from "./helpers/local-node.js";

/** The delivery agent, end to end: a real `hardhat node`, the real CLI, real purchases. */
describe("delivery agent (scripts/agent.ts) on a local node", function () {
  this.timeout(60_000);

  let local: LocalNode;
  let agent: ChildProcess | undefined;
  let agentOutput = "";
  const codes = new Map<bigint, string>();
  let alice: Address;
  let bob: Address;
  let frank: Address;
  const as = (account: Address) => local.as(account);

  /** Mints a coded voucher for `seller` (its card sealed to the seller's vault) and lists it for 0.01 ETH. */
  async function mintAndList(seller: Address, code: string): Promise<bigint> {
    const expiresAt = BigInt(Math.floor(Date.now() / 1000) + 90 * 86_400);
    const card = { brandId: 1, faceValue: 50_000n, expiresAt, cardNumber: `JD10 ${code}`, code };
    const { tokenId } = await sdk.mint(as(seller), card);
    const { tradeId } = await sdk.list(as(seller), { tokenId, price: parseEther("0.01") });
    codes.set(tradeId, code);
    return tradeId;
  }

  async function buy(tradeId: bigint): Promise<void> {
    await sdk.buy(as(bob), { tradeId });
  }

  /** What Bob reads from a delivery with his order key. */
  async function opened(tradeId: bigint) {
    const order = await sdk.getOrder(as(bob), tradeId);
    const orderKey = await sdk.deriveKey(as(bob), `order:${tradeId}`);
    return sdk.checkDelivery(order.delivery!, orderKey.secretKey, sdk.commitmentsOf(order.voucher)!);
  }

  async function deliveries(orderId: bigint) {
    return local.chain.publicClient.getContractEvents({
      address: local.deployment.voucherExchange,
      abi: voucherExchangeAbi,
      eventName: "CodeDelivered",
      args: { tradeId: orderId },
      fromBlock: 0n,
      strict: true,
    });
  }

  const status = async (tradeId: bigint): Promise<number> => (await sdk.getTrade(as(bob), tradeId)).status;

  async function waitForDelivery(orderId: bigint) {
    await waitFor(
      `order #${orderId} is delivered`,
      async () => (await deliveries(orderId)).length > 0,
      () => agentOutput,
    );
    return deliveries(orderId);
  }

  const startAgentCli = () => local.spawnAgent("agent.ts", ["--seller", "3"], (text) => (agentOutput += text));

  const stateFile = () => path.join(local.dir, `31337-${alice.toLowerCase()}.json`);
  const readState = () => JSON.parse(readFileSync(stateFile(), "utf8")) as AgentState;

  before(async function () {
    local = await startLocalNode(8600);
    const { accounts, deployment } = local;
    [alice, bob, frank] = [accounts[3], accounts[4], accounts[8]];
    const brand = ["JD E-Card", "e-commerce card", "CNY", accounts[10]] as const;
    await sdk.execute(
      as(accounts[0]),
      sdk.contractCall(deployment.voucherToken, voucherTokenAbi, "registerBrand", brand),
    );
    await sdk.setDenominations(as(accounts[0]), 1, { faceValues: [10_000n, 50_000n] });
    for (const seller of [alice, frank]) await sdk.approveVouchers(as(seller));
  });

  after(async function () {
    if (agent) await stopProcess(agent);
    if (local) await local.stop();
  });

  it("delivers a purchase of the seller's coded voucher, and the buyer's decryption matches the commitment", async function () {
    const listingId = await mintAndList(alice, "JDE3-K7QM-82PX-4NZ1");
    agent = startAgentCli();
    await buy(listingId);
    await waitForDelivery(listingId);
    expect(await status(listingId)).to.equal(Status.Delivered);
    const check = await opened(listingId);
    expect(check.ok).to.equal(true);
    expect(check.card).to.deep.include({ cardNumber: "JD10 JDE3-K7QM-82PX-4NZ1", code: "JDE3-K7QM-82PX-4NZ1" });
  });

  it("resumes after a restart, ignores other sellers' orders, and never delivers an order twice", async function () {
    await stopProcess(agent!);
    agent = undefined;
    const first = readState();
    expect(Object.keys(first.delivered)).to.deep.equal(["1"]);
    expect(first.delivered["1"]).to.match(/^0x[0-9a-f]{64}$/);

    // While the agent is down: another of Alice's cards and one of Frank's are bought.
    const aliceListing = await mintAndList(alice, "JD77-WQ2M-LL4P-9XTA");
    const frankListing = await mintAndList(frank, "FRANK-0001");
    await buy(aliceListing);
    await buy(frankListing);

    // Crash between sending a delivery and saving it: the state forgets order #1 and the scanned blocks.
    writeFileSync(stateFile(), JSON.stringify({ ...first, delivered: {}, lastBlock: local.deployment.startBlock - 1 }));

    agent = startAgentCli();
    const [delivery] = await waitForDelivery(aliceListing);
    const check = await opened(aliceListing);
    expect(check.ok && check.card?.code).to.equal("JD77-WQ2M-LL4P-9XTA");

    // Let the agent finish its pass, then check what it did and did not do.
    const head = Number(await local.chain.publicClient.getBlockNumber());
    await waitFor(
      `the agent scans to block ${head}`,
      async () => readState().lastBlock >= head,
      () => agentOutput,
    );
    const state = readState();
    expect(state.lastBlock).to.be.at.least(head);
    expect(state.delivered["1"]).to.equal("on-chain");
    expect(state.delivered[`${aliceListing}`]).to.equal(delivery.transactionHash);
    expect(state.delivered[`${frankListing}`]).to.equal(undefined);
    expect((await deliveries(1n)).length).to.equal(1);
    expect((await deliveries(aliceListing)).length).to.equal(1);
    expect((await deliveries(frankListing)).length).to.equal(0);
    expect(await status(frankListing)).to.equal(Status.AwaitingDelivery);
    expect(agentOutput).to.include("1 earlier order(s) of this seller were already delivered on chain.");
  });
});
