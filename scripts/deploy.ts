/**
 * Deploys Kaquan to the network Hardhat is pointed at and writes deployments/<chainId>.json plus the frontend's
 * generated module. A `hardhat run` script (not an Ignition module) because the deployment record is the single
 * source of truth the frontend, the seed and the delivery agent read, and the local node is thrown away on every
 * restart: Ignition's journal would outlive the chain and need wiping each time, whereas this script checks the
 * chain itself and is idempotent (sends nothing when the recorded contracts are live) or refuses with a reason.
 *
 *   npx hardhat run scripts/deploy.ts --network localhost      (npm run deploy:local)
 *   npx hardhat run scripts/deploy.ts --network sepolia        (see docs/deploy.md)
 */
import { network } from "hardhat";
import { deployKaquan } from "./lib/deploy.js";

const connection = await network.create();
try {
  await deployKaquan(connection.provider, { log: console.log });
} catch (error) {
  console.error(`Deploy failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await connection.close();
}
