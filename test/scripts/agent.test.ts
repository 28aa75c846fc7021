import { expect } from "chai";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEther, type Address, type Hex } from "viem";
import * as sdk from "#sdk";
import { Status, voucherExchangeAbi, voucherTokenAbi, type Deployment, type Kaquan } from "#sdk";
import type { AgentState } from "../../scripts/lib/agent.js";
import { connect, type Chainish } from "../../scripts/lib/chain.js";
import { deployKaquan } from "../../scripts/lib/deploy.js";
import { portFree, spawnGroup, spawnHardhatNode, stopProcess, waitForRpc } from "../../scripts/lib/processes.js";

/** The delivery agent, end to end: a real `hardhat node`, the real CLI, real purchases. */
describe("delivery agent (scripts/agent.ts) on a local node", function () {
  this.timeout(60_000);

  let node: ChildProcess;
  let agent: ChildProcess | undefined;
  let agentOutput = "";
  let url: string;
  let dir: string;
  let kaquan: Chainish;
  let deployment: Deployment;
  let accounts: Address[];
  const codes = new Map<bigint, string>();
  let alice: Address;
  let bob: Address;
  let frank: Address;

  const as = (account: Address): Kaquan => ({
    deployment,
    publicClient: kaquan.publicClient,
    walletClient: kaquan.wallet(account),
  });

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
    return kaquan.publicClient.getContractEvents({
      address: deployment.voucherExchange,
      abi: voucherExchangeAbi,
      eventName: "CodeDelivered",
      args: { tradeId: orderId },
      fromBlock: 0n,
      strict: true,
    });
  }

  const status = async (tradeId: bigint): Promise<number> => (await sdk.getTrade(as(bob), tradeId)).status;

  async function waitForDelivery(orderId: bigint, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = await deliveries(orderId);
      if (found.length > 0) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Order #${orderId} was not delivered within ${timeoutMs} ms. Agent output:\n${agentOutput}`);
  }

  function startAgentCli(): ChildProcess {
    const child = spawnGroup(process.execPath, [
      "--import",
      "tsx",
      "scripts/agent.ts",
      "--seller",
      "3",
      "--rpc",
      url,
      "--deployments",
      dir,
      "--state-dir",
      dir,
      "--poll",
      "100",
    ]);
    child.stdout!.on("data", (chunk) => (agentOutput += chunk));
    child.stderr!.on("data", (chunk) => (agentOutput += chunk));
    return child;
  }

  const stateFile = () => path.join(dir, `31337-${alice.toLowerCase()}.json`);
  const readState = () => JSON.parse(readFileSync(stateFile(), "utf8")) as AgentState;

  before(async function () {
    let port: number | undefined;
    for (let candidate = 8600; candidate <= 8609 && port === undefined; candidate++) {
      if (await portFree(candidate)) port = candidate;
    }
    if (port === undefined) throw new Error("Ports 8600-8609 are all taken");
    url = `http://127.0.0.1:${port}`;
    node = spawnHardhatNode(port);
    node.stdout!.resume();
    node.stderr!.resume();
    await waitForRpc(url, 20_000, node);
    dir = mkdtempSync(path.join(tmpdir(), "kaquan-agent-"));
    deployment = (await deployKaquan(url, { deploymentsDir: dir })).deployment;
    kaquan = await connect(url);
    accounts = await kaquan.accounts();
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
    if (node) await stopProcess(node);
    if (dir) rmSync(dir, { recursive: true, force: true });
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
    writeFileSync(stateFile(), JSON.stringify({ ...first, delivered: {}, lastBlock: deployment.startBlock - 1 }));

    agent = startAgentCli();
    const [delivery] = await waitForDelivery(aliceListing);
    const check = await opened(aliceListing);
    expect(check.ok && check.card?.code).to.equal("JD77-WQ2M-LL4P-9XTA");

    // Let the agent finish its pass, then check what it did and did not do.
    const head = Number(await kaquan.publicClient.getBlockNumber());
    const deadline = Date.now() + 10_000;
    while (readState().lastBlock < head && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
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
