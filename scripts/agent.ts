/**
 * Delivery agent: delivers the codes of a seller's coded vouchers as soon as they are bought, from the seller's
 * sealed vault, without a browser open. Resumes where it stopped (.agent-state/) and never delivers twice.
 *
 *   npm run agent -- --seller 3                       Alice on the local node (`npm start` runs this for the demo sellers)
 *   npm run agent -- --seller 0x90F7… --rpc http://127.0.0.1:8545
 *   KAQUAN_AGENT_PRIVATE_KEY=0x… npm run agent -- --rpc https://… (public test chain; the key never goes in a file)
 *
 * Options: --seller <index|address>  --rpc <url>  --poll <ms>  --state-dir <dir>  --deployments <dir>  --once
 */
import { parseArgs } from "node:util";
import { isHex } from "viem";
import { startAgent } from "./lib/agent.js";

const { values } = parseArgs({
  options: {
    seller: { type: "string" },
    rpc: { type: "string", default: "http://127.0.0.1:8545" },
    poll: { type: "string", default: "1000" },
    "state-dir": { type: "string" },
    deployments: { type: "string" },
    once: { type: "boolean", default: false },
  },
});

const privateKey = process.env.KAQUAN_AGENT_PRIVATE_KEY;
if (privateKey !== undefined && privateKey !== "" && !isHex(privateKey, { strict: true })) {
  console.error("KAQUAN_AGENT_PRIVATE_KEY is not a hex private key.");
  process.exit(1);
}
const pollMs = Number(values.poll);
if (!Number.isInteger(pollMs) || pollMs < 50) {
  console.error(`--poll must be a whole number of milliseconds (at least 50), not "${values.poll}".`);
  process.exit(1);
}

const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  });
}

try {
  const run = await startAgent({
    rpcUrl: values.rpc,
    seller: values.seller,
    privateKey: privateKey ? (privateKey as `0x${string}`) : undefined,
    stateDir: values["state-dir"],
    deploymentsDir: values.deployments,
    pollMs,
    once: values.once,
    signal: controller.signal,
    log: (message) => console.log(`${new Date().toISOString().slice(11, 19)} ${message}`),
  });
  const state = await run.done;
  console.log(`Stopped after block ${state.lastBlock}; progress saved in ${run.stateFile}`);
} catch (error) {
  console.error(`Agent failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
