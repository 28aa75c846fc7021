import { expect } from "chai";
import type { ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Address, Hash } from "viem";
import * as sdk from "#sdk";
import { Status, voucherExchangeAbi, voucherTokenAbi } from "#sdk";
import type { RecyclerAgentState } from "../../scripts/lib/recycler-agent.js";
import { stopProcess } from "../../scripts/lib/processes.js";
import { startLocalNode, waitFor, type LocalNode } from "./helpers/local-node.js";

/** The recycler agent, end to end: a real `hardhat node`, the real CLI, real sales into a standing offer. */
describe("recycler agent (scripts/recycler.ts) on a local node", function () {
  this.timeout(90_000);

  let local: LocalNode;
  let agent: ChildProcess | undefined;
  let agentOutput = "";
  let jack: Address;
  let ivy: Address;
  let offerId: bigint;
  let serial = 0;
  const as = (account: Address) => local.as(account);

  /** Ivy mints a coded JD card and sells it into Jack's offer; returns its trade id. */
  async function sell(): Promise<bigint> {
    serial++;
    const expiresAt = BigInt(Math.floor(Date.now() / 1000) + 200 * 86_400);
    const card = { brandId: 1, faceValue: 10_000n, expiresAt, cardNumber: `JD20 ${serial}`, code: `CODE-${serial}` };
    const { tokenId } = await sdk.mint(as(ivy), card);
    const { tradeIds } = await sdk.sellToOffer(as(ivy), { offerId, tokenIds: [tokenId] });
    return tradeIds[0];
  }

  /** Ivy delivers the right card, or the right card number with a mistyped PIN. */
  async function deliver(tradeId: bigint, right: boolean): Promise<void> {
    if (right) {
      await sdk.deliver(as(ivy), tradeId);
      return;
    }
    const order = await sdk.getOrder(as(ivy), tradeId);
    const vaultCopy = await sdk.getSealedCode(as(ivy), order.trade.tokenId, ivy);
    const card = sdk.openCode(vaultCopy!, (await sdk.deriveKey(as(ivy), "vault")).secretKey);
    const wrong = sdk.sealCode({ ...card, code: `${card.code}9` }, card.salt, sdk.fromBytes32(order.buyerKey!));
    await sdk.deliverCode(as(ivy), tradeId, wrong);
  }

  const status = async (tradeId: bigint): Promise<number> => (await sdk.getTrade(as(ivy), tradeId)).status;
  const events = (eventName: "Disputed" | "Settled" | "Refunded", tradeId: bigint) =>
    local.chain.publicClient.getContractEvents({
      address: local.deployment.voucherExchange,
      abi: voucherExchangeAbi,
      eventName,
      args: { tradeId },
      fromBlock: 0n,
    });
  const kcnyOf = (account: Address) =>
    local.chain.publicClient.readContract({
      address: local.deployment.cnyStablecoin,
      abi: sdk.testStablecoinAbi,
      functionName: "balanceOf",
      args: [account],
    });
  /** Mines a block at `timestamp` (unix seconds): the node's clock moves there. */
  async function mineAt(timestamp: number): Promise<void> {
    for (const [method, params] of [
      ["evm_setNextBlockTimestamp", [timestamp]],
      ["evm_mine", []],
    ] as const) {
      const response = await fetch(local.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
      const body = (await response.json()) as { error?: { message: string } };
      if (body.error) throw new Error(body.error.message);
    }
  }
  const startAgentCli = () => local.spawnAgent("recycler.ts", ["--account", "12"], (text) => (agentOutput += text));
  const stateFile = () => path.join(local.dir, `recycler-31337-${jack.toLowerCase()}.json`);
  const readState = () => JSON.parse(readFileSync(stateFile(), "utf8")) as RecyclerAgentState;
  const settledTo = (tradeId: bigint, wanted: number) =>
    waitFor(
      `order #${tradeId} is ${sdk.statusName(wanted)}`,
      async () => (await status(tradeId)) === wanted,
      () => agentOutput,
      20_000,
    );

  before(async function () {
    local = await startLocalNode(8610);
    const { accounts, deployment } = local;
    [jack, ivy] = [accounts[12], accounts[11]];
    const brand = ["JD E-Card", "e-commerce card", "CNY", accounts[10]] as const;
    await sdk.execute(
      as(accounts[0]),
      sdk.contractCall(deployment.voucherToken, voucherTokenAbi, "registerBrand", brand),
    );
    await sdk.setDenominations(as(accounts[0]), 1, { faceValues: [10_000n, 50_000n] });
    await sdk.setArbiterKey(as(accounts[2]));
    const faucet = [jack, 100_000n * 10n ** 6n] as const;
    await sdk.execute(as(jack), sdk.contractCall(deployment.cnyStablecoin, sdk.testStablecoinAbi, "faucet", faucet));
    ({ offerId } = await sdk.postOffer(as(jack), {
      brandId: 1,
      payToken: deployment.cnyStablecoin,
      unitPrice: 10_000n,
      maxCards: 20,
      expiresAt: BigInt(Math.floor(Date.now() / 1000) + 60 * 86_400),
      schedule: {
        tiers: [{ maxFaceValue: 100_000, rateBps: 9_000 }],
        batchMinCount: 0,
        batchBonusBps: 0,
        nearExpiryDays: 0,
        nearExpiryBps: 0,
      },
      budget: 50_000n * 10n ** 6n,
    }));
  });

  after(async function () {
    if (agent) await stopProcess(agent);
    if (local) await local.stop();
  });

  it("confirms a delivered card whose code matches the commitment, and keeps it in the recycler's vault", async function () {
    const tradeId = await sell();
    agent = startAgentCli();
    await deliver(tradeId, true);
    await settledTo(tradeId, Status.Completed);
    const { tokenId } = await sdk.getTrade(as(jack), tradeId);
    await waitFor(
      "the code is sealed to Jack's vault",
      async () => (await sdk.getSealedCode(as(jack), tokenId, jack)) !== undefined,
      () => agentOutput,
    );
    const vault = await sdk.deriveKey(as(jack), "vault");
    const kept = sdk.openCode((await sdk.getSealedCode(as(jack), tokenId, jack))!, vault.secretKey);
    expect(kept.code).to.equal(`CODE-${serial}`);
    expect(agentOutput).to.include(`Order #${tradeId}: the code matches; confirmed`);
  });

  it("disputes a wrong code with the bond and the offer key sealed to the arbiter", async function () {
    const tradeId = await sell();
    await deliver(tradeId, false);
    await settledTo(tradeId, Status.Disputed);
    const ruling = await sdk.checkDispute(as(local.accounts[2]), tradeId);
    expect(ruling).to.deep.include({ keyMatches: true, cardMatches: true, codeMatches: false });
    expect(readState().orders[`${tradeId}`]).to.deep.include({ action: "disputed", offerId: `${offerId}` });
  });

  it("after a restart that lost its state, acts on new orders only and never twice on one", async function () {
    await stopProcess(agent!);
    agent = undefined;
    const first = readState();
    const decided = Object.keys(first.orders);
    expect(decided).to.have.length(2);

    // While the agent is down: another card is sold and delivered.
    const tradeId = await sell();
    await deliver(tradeId, true);
    // Crash between acting and saving: the state forgets every order and the scanned blocks.
    writeFileSync(stateFile(), JSON.stringify({ ...first, orders: {}, lastBlock: local.deployment.startBlock - 1 }));

    agent = startAgentCli();
    await settledTo(tradeId, Status.Completed);
    const head = Number(await local.chain.publicClient.getBlockNumber());
    await waitFor(
      `the agent scans to block ${head}`,
      async () => readState().lastBlock >= head,
      () => agentOutput,
    );
    const state = readState();
    for (const id of decided) expect(state.orders[id].tx, `order #${id}`).to.equal("on-chain");
    expect(state.orders[`${tradeId}`]).to.deep.include({ action: "confirmed" });
    for (const id of [...decided.map(BigInt), tradeId]) {
      const settledOrDisputed = [...(await events("Settled", id)), ...(await events("Disputed", id))];
      expect(settledOrDisputed, `order #${id}`).to.have.length(1);
    }
    expect(agentOutput).to.include("2 earlier order(s) of the recycler's offers were already settled on chain.");
  });

  it("cancels an order the seller never delivers once the delivery window has passed, once across restarts", async function () {
    const tradeId = await sell();
    const id = `${tradeId}`;
    const { price, deadline, tokenId } = await sdk.getTrade(as(jack), tradeId);
    await waitFor(
      `the agent awaits order #${id}`,
      async () => readState().awaiting?.[id]?.deadline === deadline,
      () => agentOutput,
    );
    // Inside the window the order waits: a block at the deadline itself changes nothing.
    await mineAt(deadline);
    await waitFor(
      "the agent scans the block at the deadline",
      async () => readState().lastBlock >= Number(await local.chain.publicClient.getBlockNumber()),
      () => agentOutput,
    );
    expect(await status(tradeId)).to.equal(Status.AwaitingDelivery);

    const before = await kcnyOf(jack);
    await mineAt(deadline + 1);
    await settledTo(tradeId, Status.Refunded);
    expect((await kcnyOf(jack)) - before).to.equal(price);
    const ownerOf = await local.chain.publicClient.readContract({
      address: local.deployment.voucherToken,
      abi: voucherTokenAbi,
      functionName: "ownerOf",
      args: [tokenId],
    });
    expect(ownerOf).to.equal(ivy);
    await waitFor(
      `order #${id} is recorded as refunded`,
      async () => readState().orders[id]?.action === "refunded",
      () => agentOutput,
    );
    const saved = readState();
    expect(saved.orders[id]).to.deep.include({ offerId: `${offerId}` });
    expect(saved.orders[id].tx).to.match(/^0x[0-9a-f]{64}$/);
    expect(saved.awaiting).to.not.have.property(id);
    expect(agentOutput).to.include(`Order #${id}: the seller did not deliver by`);

    // Crash between cancelling and saving: the state still awaits the order and has not scanned the cancellation.
    await stopProcess(agent!);
    agent = undefined;
    const { blockNumber } = await local.chain.publicClient.getTransactionReceipt({ hash: saved.orders[id].tx as Hash });
    const { [id]: forgotten, ...orders } = saved.orders;
    expect(forgotten.action).to.equal("refunded");
    const awaiting = { ...saved.awaiting, [id]: { offerId: `${offerId}`, deadline } };
    writeFileSync(stateFile(), JSON.stringify({ ...saved, orders, awaiting, lastBlock: Number(blockNumber) - 1 }));
    agent = startAgentCli();
    await waitFor(
      `order #${id} is found refunded on chain`,
      async () => readState().orders[id]?.tx === "on-chain",
      () => agentOutput,
    );
    expect(readState().orders[id]).to.deep.include({ action: "refunded" });
    expect(await events("Refunded", tradeId)).to.have.length(1);
    expect(agentOutput).to.include(`Order #${id}: already cancelled and refunded on chain.`);
  });

  it("rebuilds the orders awaiting a code from the chain when its state file has none (written by an older agent)", async function () {
    const tradeId = await sell();
    const id = `${tradeId}`;
    await waitFor(
      `the agent awaits order #${id}`,
      async () => readState().awaiting?.[id] !== undefined,
      () => agentOutput,
    );
    await stopProcess(agent!);
    agent = undefined;
    const { awaiting: _dropped, ...older } = readState();
    writeFileSync(stateFile(), JSON.stringify(older));
    const { deadline } = await sdk.getTrade(as(jack), tradeId);
    await mineAt(deadline + 1);
    agent = startAgentCli();
    await settledTo(tradeId, Status.Refunded);
    await waitFor(
      `order #${id} is recorded as refunded`,
      async () => readState().orders[id]?.action === "refunded",
      () => agentOutput,
    );
    expect(await events("Refunded", tradeId)).to.have.length(1);
  });
});
