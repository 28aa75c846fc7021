import { expect } from "chai";
import type { ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Address } from "viem";
import * as sdk from "#sdk";
import { voucherTokenAbi } from "#sdk";
import { writeIssuerDatabase, type IssuerCard } from "../../scripts/lib/issuer-db.js";
import type { IssuerAgentState } from "../../scripts/lib/issuer-agent.js";
import { stopProcess } from "../../scripts/lib/processes.js";
import { startLocalNode, waitFor as waitUntil, type LocalNode } from "./helpers/local-node.js";

/** The issuer's verification agent, end to end: a real `hardhat node`, the real CLI, real mints. */
describe("issuer agent (scripts/issuer-agent.ts) on a local node", function () {
  this.timeout(60_000);

  let local: LocalNode;
  let agent: ChildProcess | undefined;
  let agentOutput = "";
  let holder: Address;
  let henry: Address;
  let other: Address;
  const database = () => path.join(local.dir, "henry-cards.json");
  const as = (account: Address) => local.as(account);
  const card = (cardNumber: string, faceValue: string, status: IssuerCard["status"] = "active"): IssuerCard => ({
    brandId: 1,
    brand: "JD E-Card",
    cardNumber,
    pin: "ABCD-EFGH-JKLM-NPQR",
    faceValue,
    currency: "CNY",
    status,
  });

  /** The holder mints a coded voucher with this card number and face value (brand 1 unless told); returns its id. */
  async function mint(cardNumber: string, faceValue = 50_000n, brandId = 1): Promise<bigint> {
    const expiresAt = BigInt(Math.floor(Date.now() / 1000) + 90 * 86_400);
    const { tokenId } = await sdk.mint(as(holder), { brandId, faceValue, expiresAt, cardNumber, code: "PIN-0001" });
    return tokenId;
  }

  const attested = async (tokenId: bigint) =>
    (
      await local.chain.publicClient.readContract({
        address: local.deployment.voucherToken,
        abi: voucherTokenAbi,
        functionName: "voucher",
        args: [tokenId],
      })
    ).attested;

  async function attestations(tokenId: bigint) {
    return local.chain.publicClient.getContractEvents({
      address: local.deployment.voucherToken,
      abi: voucherTokenAbi,
      eventName: "VoucherAttested",
      args: { tokenId },
      fromBlock: 0n,
    });
  }

  const waitFor = (what: string, condition: () => Promise<boolean>) => waitUntil(what, condition, () => agentOutput);

  const startAgentCli = () =>
    local.spawnAgent("issuer-agent.ts", ["--issuer", "10", "--database", database()], (text) => (agentOutput += text));

  const stateFile = () => path.join(local.dir, `issuer-31337-${henry.toLowerCase()}.json`);
  const readState = () => JSON.parse(readFileSync(stateFile(), "utf8")) as IssuerAgentState;
  /** Waits until the agent has scanned up to the chain's head. */
  async function caughtUp() {
    const head = Number(await local.chain.publicClient.getBlockNumber());
    await waitFor(`the agent scans to block ${head}`, async () => {
      try {
        return readState().lastBlock >= head;
      } catch {
        return false;
      }
    });
  }

  before(async function () {
    local = await startLocalNode(8610);
    const { accounts, deployment } = local;
    [holder, henry, other] = [accounts[3], accounts[10], accounts[11]];
    const owner = as(accounts[0]);
    for (const issuer of [henry, other]) {
      const brand = [issuer === henry ? "JD E-Card" : "Tmall Gift Card", "e-commerce card", "CNY", issuer] as const;
      await sdk.execute(owner, sdk.contractCall(deployment.voucherToken, voucherTokenAbi, "registerBrand", brand));
    }
    for (const brandId of [1, 2]) await sdk.setDenominations(owner, brandId, { faceValues: [20_000n, 50_000n] });
    writeIssuerDatabase(database(), {
      version: 1,
      issuer: henry,
      cards: [
        card("JD10 0000 0000 0001", "50000"),
        card("JD10 0000 0000 0002", "20000"),
        card("JD10 0000 0000 0003", "50000", "redeemed"),
        card("JD10 0000 0000 0004", "50000"),
      ],
    });
  });

  after(async function () {
    if (agent) await stopProcess(agent);
    if (local) await local.stop();
  });

  it("attests a freshly minted card of its records within seconds, whatever its number's spacing", async function () {
    agent = startAgentCli();
    const tokenId = await mint("jd10-0000-0000-0001");
    const started = Date.now();
    await waitFor(`voucher #${tokenId} is attested`, () => attested(tokenId));
    expect(Date.now() - started).to.be.below(5_000);
    const [event] = await attestations(tokenId);
    expect(event.args).to.deep.equal({ tokenId, issuer: henry, faceValue: 50_000n });
    const listed = await sdk.getVoucherInfos(as(holder), [tokenId]);
    expect(listed.get(tokenId)?.attested).to.equal(true);
  });

  it("leaves unverified a card not in its records, one at another face value, one spent, and other issuers' brands", async function () {
    const unknown = await mint("JD10 9999 9999 9999");
    const otherValue = await mint("JD10 0000 0000 0002", 50_000n);
    const spent = await mint("JD10 0000 0000 0003");
    const otherBrand = await mint("JD10 0000 0000 0004", 50_000n, 2);
    await caughtUp();
    for (const tokenId of [unknown, otherValue, spent, otherBrand]) expect(await attested(tokenId)).to.equal(false);
    const { refused, attested: done } = readState();
    expect(refused).to.deep.equal({
      [`${unknown}`]: "its card number is not in the issuer's records",
      [`${otherValue}`]: "the records hold it at face value 20000, the voucher says 50000",
      [`${spent}`]: "the records show this card as redeemed",
    });
    expect(done[`${otherBrand}`]).to.equal(undefined);
  });

  it("after a restart (even one that lost its progress) attests what was minted meanwhile and never attests twice", async function () {
    await stopProcess(agent!);
    agent = undefined;
    const first = readState();
    const [firstId] = Object.keys(first.attested);
    expect(first.attested[firstId]).to.match(/^0x[0-9a-f]{64}$/);

    // While the agent is down, the last card of its records is minted.
    const meanwhile = await mint("JD1000000000 0004");
    // A crash between attesting and saving: the state forgets everything it did.
    writeFileSync(
      stateFile(),
      JSON.stringify({ ...first, attested: {}, refused: {}, lastBlock: local.deployment.startBlock - 1 }),
    );

    agent = startAgentCli();
    await waitFor(`voucher #${meanwhile} is attested`, () => attested(meanwhile));
    await caughtUp();
    const state = readState();
    expect(state.attested[firstId]).to.equal("on-chain");
    expect(state.attested[`${meanwhile}`]).to.match(/^0x[0-9a-f]{64}$/);
    expect(await attestations(BigInt(firstId))).to.have.length(1);
    expect(await attestations(meanwhile)).to.have.length(1);
  });
});
