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
import { runAgentCli } from "./lib/agent-cli.js";
import { startAgent } from "./lib/agent.js";

await runAgentCli("seller", "KAQUAN_AGENT_PRIVATE_KEY", [], (common) => startAgent(common));
