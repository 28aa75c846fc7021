/**
 * Issuer verification agent: attests, within seconds of the mint, every self-declared voucher of the issuer's brands
 * whose card number its card database holds at the voucher's face value and still active; never attests twice across
 * restarts (.agent-state/issuer-*). It checks the card number and the face value, not the PIN: see
 * scripts/lib/issuer-agent.ts for why.
 *
 *   npm run issuer-agent -- --issuer 10              Henry on the local node, with the database the demo seed wrote
 *   npm run issuer-agent -- --issuer 10 --database cards.json
 *   KAQUAN_ISSUER_PRIVATE_KEY=0x… npm run issuer-agent -- --rpc https://… --database cards.json (public test chain)
 *
 * Options: --issuer <index|address>  --database <file>  --rpc <url>  --poll <ms>  --state-dir <dir>
 *          --deployments <dir>  --once
 */
import { runAgentCli } from "./lib/agent-cli.js";
import { startIssuerAgent } from "./lib/issuer-agent.js";

await runAgentCli("issuer", "KAQUAN_ISSUER_PRIVATE_KEY", ["database"], (common, values) =>
  startIssuerAgent({ ...common, database: values.database }),
);
