/**
 * `npm start`: the whole exchange from one command. Compiles, starts a local Hardhat node (its clock two weeks back,
 * so the demo history ends now), deploys, seeds the demo market, starts a delivery agent for each demo seller that
 * runs one, the issuer agent of Henry (the demo brands' issuer, verifying cards from his card database) and a recycler
 * agent for each demo recycler (checking and confirming codes delivered to its standing offers), starts the
 * indexer (indexer/, embedded PGlite under indexer/.ponder, rebuilt from the fresh chain) and serves the frontend with
 * Vite; then prints the URLs and the test accounts. The page does not wait for the indexer: until it has caught up, the
 * app reads the chain directly. Ctrl-C stops everything it started. Node output goes to logs/node.log, the indexer's to
 * logs/indexer.log; agents and Vite print here, prefixed.
 */
import type { ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { AGENT_RECYCLERS, AGENT_SELLERS, DEMO_ACCOUNTS, DEMO_ACCOUNT_LIST } from "./demo-accounts.js";
import { ACTORS, BRANDS, HISTORY_DAYS, SPARE_CARDS, demoCard } from "./lib/demo-market.js";
import { startIndexer } from "./lib/indexer.js";
import { ROOT } from "./lib/deployments.js";
import { CONTRACT_SOURCES } from "./lib/sources.js";
import {
  HARDHAT_CLI,
  portFree,
  spawnGroup,
  spawnHardhatNode,
  stopProcess,
  waitForHttp,
  waitForRpc,
} from "./lib/processes.js";

const RPC_PORT = 8545;
const APP_PORT = 5173;
const INDEXER_PORT = 42069;
const INDEXER_URL = `http://127.0.0.1:${INDEXER_PORT}`;
const INDEXER_LOG = path.join(ROOT, "logs/indexer.log");
const INDEXER_DATA = path.join(ROOT, "indexer/.ponder/pglite");
const RPC_URL = `http://127.0.0.1:${RPC_PORT}`;
const APP_URL = `http://127.0.0.1:${APP_PORT}/`;
const NODE_LOG = path.join(ROOT, "logs/node.log");
const DAY = 24 * 60 * 60;

const started = performance.now();
const children: { name: string; child: ChildProcess; essential: boolean }[] = [];
let stopping = false;

const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const step = (message: string) => console.log(`[${seconds().padStart(5)} s] ${message}`);

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => void shutdown(0, `\n${signal}: stopping everything npm start started…`));
}
// Last resort (an exception on the way out): no child outlives this process.
process.on("exit", () => {
  for (const { child } of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
});

try {
  await main();
} catch (error) {
  console.error(`\nnpm start failed: ${(error as Error).message}`);
  await shutdown(1);
}

async function main(): Promise<void> {
  for (const [port, what] of [
    [RPC_PORT, "the local chain"],
    [APP_PORT, "the frontend"],
    [INDEXER_PORT, "the indexer"],
  ] as const) {
    if (!(await portFree(port))) {
      throw new Error(
        `Port ${port} (${what}) is already in use — is another \`npm start\` or \`hardhat node\` running? ` +
          `Stop it (or free the port: \`lsof -i :${port}\`) and run again.`,
      );
    }
  }

  // Compiling and booting the node overlap: the node does not need the artifacts, the deploy does.
  step("Compiling contracts and starting the local Hardhat node…");
  // Only what the app deploys: the Solidity tests and attack mocks would cost minutes on a fresh clone. Other
  // artifacts already built are kept, and an unchanged tree makes this a cache hit (~2 s).
  const compile = run("compile", process.execPath, [
    HARDHAT_CLI,
    "compile",
    "--quiet",
    "--no-tests",
    ...Object.values(CONTRACT_SOURCES),
  ]);
  mkdirSync(path.dirname(NODE_LOG), { recursive: true });
  const nodeLog = createWriteStream(NODE_LOG);
  const node = spawnHardhatNode(RPC_PORT, {
    network: "demoNode",
    env: { KAQUAN_NODE_START_DATE: new Date(Date.now() - HISTORY_DAYS * DAY * 1000).toISOString() },
  });
  node.stdout!.pipe(nodeLog);
  node.stderr!.pipe(nodeLog);
  track("hardhat node", node, true);
  await Promise.all([
    compile.then(() => step("Contracts compiled")),
    waitForRpc(RPC_URL, 60_000, node).then(() =>
      step(`Chain up on ${RPC_URL} (log: ${path.relative(ROOT, NODE_LOG)})`),
    ),
  ]);

  // Loaded only now: they read the ABIs from artifacts/, which a fresh clone has only after the compile above.
  const { deployKaquan } = await import("./lib/deploy.js");
  const { seedDemo } = await import("./lib/seed.js");
  const { deployment } = await deployKaquan(RPC_URL, { log: (message) => step(message) });
  const seed = await seedDemo(RPC_URL, deployment, { log: (message) => step(message) });

  const agents = [
    ...AGENT_SELLERS.map((index) => ({ script: "agent.ts", flag: "--seller", index, what: "delivery agent" })),
    { script: "issuer-agent.ts", flag: "--issuer", index: ACTORS.henry, what: "issuer agent" },
    ...AGENT_RECYCLERS.map((index) => ({ script: "recycler.ts", flag: "--account", index, what: "recycler agent" })),
  ];
  for (const { script, flag, index, what } of agents) {
    const { name } = DEMO_ACCOUNTS[index];
    const agent = spawnGroup(process.execPath, [
      "--import",
      "tsx",
      `scripts/${script}`,
      flag,
      String(index),
      "--rpc",
      RPC_URL,
    ]);
    prefixOutput(agent, `${what.split(" ")[0]} ${name}`);
    track(`${what} for ${name}`, agent, false);
  }

  // The chain is new, so is the index: the indexer replays it from the deployment's first block.
  rmSync(INDEXER_DATA, { recursive: true, force: true });
  const indexerLog = createWriteStream(INDEXER_LOG);
  const indexer = startIndexer({
    rpcUrl: RPC_URL,
    chainId: deployment.chainId,
    port: INDEXER_PORT,
    dataDir: INDEXER_DATA,
    log: (line) => indexerLog.write(`${line}\n`),
  });
  track("indexer", indexer.child, false);
  void indexer.ready(180_000).then(
    () => step(`Indexer caught up: ${INDEXER_URL} (log: ${path.relative(ROOT, INDEXER_LOG)})`),
    (error: Error) => console.error(`[indexer] ${error.message.split("\n")[0]}; the app reads the chain directly.`),
  );
  process.env.VITE_INDEXER_URL ??= INDEXER_URL;

  const npm = process.env.npm_execpath;
  const viteArgs = ["run", "frontend:dev", "--", "--host", "127.0.0.1", "--port", String(APP_PORT), "--strictPort"];
  const vite = npm ? spawnGroup(process.execPath, [npm, ...viteArgs]) : spawnGroup("npm", viteArgs);
  prefixOutput(vite, "vite");
  track("Vite dev server", vite, true);
  await waitForHttp(APP_URL, 60_000, vite);
  const ready = seconds();

  const open = (key: string) => seed.orderIds.get(key);
  const spare = SPARE_CARDS[0];
  const spareCard = demoCard(spare.brand, spare.key);
  const width = Math.max(...DEMO_ACCOUNT_LIST.map((a) => a.label.length));
  console.log(
    [
      "",
      `Kaquan is running (ready in ${ready} s).`,
      "",
      `  Open ${APP_URL}`,
      "",
      `  Chain     ${RPC_URL}  chain id ${deployment.chainId}  (node log: ${path.relative(ROOT, NODE_LOG)})`,
      `  Indexer   ${INDEXER_URL}  (market, brands, provenance, accounts; log: ${path.relative(ROOT, INDEXER_LOG)})`,
      `  Exchange  ${deployment.voucherExchange}   Voucher token ${deployment.voucherToken}`,
      `  kUSD      ${deployment.stablecoin} (test stablecoin, 6 decimals, open faucet)`,
      `  kCNY      ${deployment.cnyStablecoin} (test stablecoin, 6 decimals, open faucet; the ¥ cards are priced in it)`,
      `  Agents    delivering codes automatically for ${AGENT_SELLERS.map((i) => `${DEMO_ACCOUNTS[i].name} (#${i})`).join(" and ")};`,
      `            verifying minted cards for Henry (#${ACTORS.henry}), the brands' issuer (his card database: ${path.relative(ROOT, seed.issuerDatabase)});`,
      `            checking and confirming codes delivered to the offers of ${AGENT_RECYCLERS.map((i) => `${DEMO_ACCOUNTS[i].name} (#${i})`).join(" and ")}`,
      "",
      "  Test accounts: Hardhat's default accounts from the public mnemonic",
      '  "test test test test test test test test test test test junk". Their private keys are published',
      `  (listed in ${path.relative(ROOT, NODE_LOG)}): use them only on this local chain, never with real funds.`,
      "",
      ...DEMO_ACCOUNT_LIST.map(
        (a) => `  #${String(a.index).padEnd(3)} ${a.address}  ${a.label.padEnd(width)}  ${a.story}`,
      ),
      "",
      seed.skipped
        ? "  The chain was already seeded."
        : `  Try: order #${open("awaiting")} waits for Frank's delivery, #${open("delivered")} for Bob's confirmation, ` +
          `#${open("dispute")} for the Judge's ruling.`,
      `  Sell now: Ivy (#${ACTORS.ivy}) holds eleven unlisted JD cards; sold together into Jack's JD offer they earn ` +
        `the batch bonus, and his recycler agent confirms each code Ivy's delivery agent sends.`,
      `  Verified cards: sell a card Henry sold (${BRANDS[spare.brand].name}, face value ${spare.face}, card number ` +
        `${spareCard.cardNumber}, PIN ${spareCard.code}) and watch it turn verified within seconds.`,
      "",
      "Press Ctrl-C to stop the node, the agents and the frontend.",
      "",
    ].join("\n"),
  );
}

/** Runs a command to completion, collecting its output; rejects with that output when it fails. */
function run(name: string, command: string, args: string[]): Promise<void> {
  const child = spawnGroup(command, args);
  track(name, child, false);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${name} failed (exit ${code}):\n${output.trim()}`)),
    );
  });
}

/** Remembers a child so Ctrl-C stops it; an essential child that dies on its own stops everything. */
function track(name: string, child: ChildProcess, essential: boolean): void {
  children.push({ name, child, essential });
  child.once("exit", (code, signal) => {
    if (stopping || !essential) {
      if (!stopping && code !== 0 && (name.includes(" agent for ") || name === "indexer")) {
        console.error(`[${name}] exited (${signal ?? code}); the rest keeps running.`);
      }
      return;
    }
    void shutdown(1, `\n${name} exited unexpectedly (${signal ?? `exit code ${code}`}); stopping everything.`);
  });
}

function prefixOutput(child: ChildProcess, prefix: string): void {
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on("line", (line) => {
      if (line.trim() !== "") console.log(`[${prefix}] ${line}`);
    });
  }
}

async function shutdown(code: number, message?: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (message) console.log(message);
  await Promise.all(children.map(({ child }) => stopProcess(child)));
  if (message) console.log("Stopped.");
  process.exit(code);
}
