/**
 * Recycler agent: checks every coded card delivered to the recycler's standing offers against the voucher's
 * commitments (and the issuer's attestation for attested-only offers), confirms it when it matches and disputes it
 * with the bond and sealed evidence when it does not, without a browser open; cancels an order whose seller never
 * delivers once its delivery window has passed (`cancelUndelivered`: the price back to the recycler). Resumes where it
 * stopped (.agent-state/recycler-*) and never acts twice on one order.
 *
 *   npm run recycler                                  Jack (#12), the demo recycler, on the local node
 *   npm run recycler -- --account 13                  Kate (`npm start` runs both)
 *   KAQUAN_RECYCLER_PRIVATE_KEY=0x… npm run recycler -- --rpc https://… (public test chain; the key never goes in a file)
 *
 * Options: --account <index|address>  --rpc <url>  --poll <ms>  --state-dir <dir>  --deployments <dir>  --once
 */
import { AGENT_RECYCLERS } from "./demo-accounts.js";
import { runAgentCli } from "./lib/agent-cli.js";
import { startRecyclerAgent } from "./lib/recycler-agent.js";

await runAgentCli("account", "KAQUAN_RECYCLER_PRIVATE_KEY", [], (common) =>
  startRecyclerAgent({ ...common, account: common.account ?? String(AGENT_RECYCLERS[0]) }),
);
