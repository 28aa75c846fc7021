/**
 * Where the indexer reads from and writes to. The chain and the contracts come from the deploy's own record,
 * deployments/<chainId>.json (or KAQUAN_DEPLOYMENTS_DIR, which the test and bench stacks point at their own folder):
 * no address is pasted here. The database is embedded PGlite (under KAQUAN_INDEXER_DIR, default indexer/.ponder)
 * unless DATABASE_URL names a PostgreSQL server: the same code runs on either.
 *
 *   KAQUAN_CHAIN_ID   chain id of the deployment to index (default 31337, the local node)
 *   KAQUAN_RPC_URL    its JSON-RPC endpoint (default http://127.0.0.1:8545)
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createConfig } from "ponder";
import { LOCAL_CHAIN_ID, parseDeployment, voucherExchangeAbi, voucherOffersAbi, voucherTokenAbi } from "#sdk";

const here = path.dirname(fileURLToPath(import.meta.url));
const chainId = Number(process.env.KAQUAN_CHAIN_ID || LOCAL_CHAIN_ID);
const deploymentsDir = path.resolve(process.env.KAQUAN_DEPLOYMENTS_DIR || path.join(here, "../deployments"));
const file = path.join(deploymentsDir, `${chainId}.json`);
const deployment = parseDeployment(JSON.parse(readFileSync(file, "utf8")), file);
const local = chainId === LOCAL_CHAIN_ID;
const rpc = process.env.KAQUAN_RPC_URL || "http://127.0.0.1:8545";
const LOCAL_RPC_LANES = 32;

export default createConfig({
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : { kind: "pglite", directory: path.resolve(process.env.KAQUAN_INDEXER_DIR || path.join(here, ".ponder/pglite")) },
  chains: {
    kaquan: {
      id: chainId,
      // Ponder starts every RPC endpoint at 20 requests a second and raises that by 5% at a time: right for a hosted
      // provider, but a local node answers thousands, and at 20/s a backfill of a few hundred blocks takes 15 s. Listed
      // LOCAL_RPC_LANES times, the local node gets that many independent rate limits.
      rpc: local ? Array<string>(LOCAL_RPC_LANES).fill(rpc) : rpc,
      // A local node is restarted with a fresh chain under the same id: an RPC cache would serve the old one's blocks.
      disableCache: local,
      // A local node mines only on demand: poll often so the market follows a write within a fraction of a second.
      pollingInterval: local ? 250 : 2_000,
    },
  },
  contracts: {
    VoucherToken: {
      chain: "kaquan",
      abi: voucherTokenAbi,
      address: deployment.voucherToken,
      startBlock: deployment.startBlock,
    },
    VoucherExchange: {
      chain: "kaquan",
      abi: voucherExchangeAbi,
      address: deployment.voucherExchange,
      startBlock: deployment.startBlock,
    },
    VoucherOffers: {
      chain: "kaquan",
      abi: voucherOffersAbi,
      address: deployment.voucherOffers,
      startBlock: deployment.startBlock,
    },
  },
});
