/**
 * Lays the demo market on the local chain (deploy first). Run by `npm run seed:local`
 * (= `hardhat run scripts/seed.ts --network localhost`); `npm start` runs the same seed itself. Local chain only.
 */
import { network } from "hardhat";
import { readDeployment } from "./lib/deployments.js";
import { seedDemo } from "./lib/seed.js";

const connection = await network.create();
try {
  const chainId = Number(await connection.provider.request({ method: "eth_chainId" }));
  const deployment = readDeployment(chainId);
  if (deployment === undefined)
    throw new Error(`No deployments/${chainId}.json: run the deploy first (npm run deploy:local).`);
  await seedDemo(connection.provider, deployment, { log: console.log });
} catch (error) {
  console.error(`Seed failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await connection.close();
}
