/** A real `hardhat node` with Kaquan deployed, for the tests that run an agent's CLI against it. */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Address } from "viem";
import type { Deployment, Kaquan } from "#sdk";
import { connect, type Chainish } from "../../../scripts/lib/chain.js";
import { deployKaquan } from "../../../scripts/lib/deploy.js";
import { portFree, spawnGroup, spawnHardhatNode, stopProcess, waitForRpc } from "../../../scripts/lib/processes.js";

export interface LocalNode {
  url: string;
  node: ChildProcess;
  /** A temporary folder holding deployments/ and anything else the test writes; removed by `stop`. */
  dir: string;
  deployment: Deployment;
  chain: Chainish;
  accounts: Address[];
  /** The SDK context of one of the node's accounts. */
  as(account: Address): Kaquan;
  /**
   * Runs an agent's CLI (`scripts/<script>`) against this node, its deployments and state in `dir`, polling every
   * 100 ms, with `args` (e.g. `--seller 3`); its output goes to `onOutput`.
   */
  spawnAgent(script: string, args: readonly string[], onOutput: (text: string) => void): ChildProcess;
  stop(): Promise<void>;
}

/** Starts a node on the first free port of [firstPort, firstPort + 9] and deploys Kaquan on it. */
export async function startLocalNode(firstPort: number): Promise<LocalNode> {
  let port: number | undefined;
  for (let candidate = firstPort; candidate <= firstPort + 9 && port === undefined; candidate++) {
    if (await portFree(candidate)) port = candidate;
  }
  if (port === undefined) throw new Error(`Ports ${firstPort}-${firstPort + 9} are all taken`);
  const url = `http://127.0.0.1:${port}`;
  const node = spawnHardhatNode(port);
  node.stdout!.resume();
  node.stderr!.resume();
  await waitForRpc(url, 20_000, node);
  const dir = mkdtempSync(path.join(tmpdir(), "kaquan-node-"));
  const { deployment } = await deployKaquan(url, { deploymentsDir: dir });
  const chain = await connect(url);
  return {
    url,
    node,
    dir,
    deployment,
    chain,
    accounts: await chain.accounts(),
    as: (account) => ({ deployment, publicClient: chain.publicClient, walletClient: chain.wallet(account) }),
    spawnAgent: (script, args, onOutput) => {
      const common = ["--rpc", url, "--deployments", dir, "--state-dir", dir, "--poll", "100"];
      const child = spawnGroup(process.execPath, ["--import", "tsx", `scripts/${script}`, ...args, ...common]);
      child.stdout!.on("data", (chunk) => onOutput(String(chunk)));
      child.stderr!.on("data", (chunk) => onOutput(String(chunk)));
      return child;
    },
    stop: async () => {
      await stopProcess(node);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `condition` every 100 ms; throws after `timeoutMs` with `what` and `output()` (e.g. the agent's log). */
export async function waitFor(
  what: string,
  condition: () => Promise<boolean>,
  output: () => string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Not within ${timeoutMs} ms: ${what}. Output:\n${output()}`);
}
