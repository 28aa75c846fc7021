import {
  contractCall,
  LOCAL_CHAIN_ID,
  TEST_CHAIN_IDS,
  voucherExchangeAbi,
  voucherOffersAbi,
  voucherTokenAbi,
  type Call,
} from "#sdk";
import { getAddress, isAddress, type Abi, type Address } from "viem";
import { readArtifact, type ContractName } from "./artifacts.js";
import { confirmed, connect, type Chainish, type Eip1193Provider } from "./chain.js";
import { DEPLOYMENTS_DIR, deploymentPath, readDeployment, writeDeployment, type Deployment } from "./deployments.js";

/** The protocol fee a fresh deployment starts with: 2% (the contract bounds it to [1%, 3%]). */
export const DEFAULT_FEE_BPS = 200;
/** The minimum price of each test stablecoin: 0.10 kUSD / ¥0.10 kCNY (6 decimals), so a 1% fee is 1,000 base units. */
export const STABLECOIN_MIN_PRICE = 100_000n;

export interface DeployOptions {
  /** Where deployments/<chainId>.json lives (default: the repo's deployments/). */
  deploymentsDir?: string;
  feeBps?: number;
  /** Fee remainder account. Default: KAQUAN_TREASURY, else account #1 on the local chain, else the deployer. */
  treasury?: Address;
  /** Dispute arbiter. Default: KAQUAN_ARBITER, else account #2 on the local chain, else the deployer. */
  arbiter?: Address;
  /** USD payment token to allow-list on a chain where TestStablecoin refuses to deploy. Default: KAQUAN_STABLECOIN. */
  stablecoin?: Address;
  /** CNY payment token, likewise. Default: KAQUAN_CNY_STABLECOIN. */
  cnyStablecoin?: Address;
  log?: (message: string) => void;
}

export interface DeployResult {
  deployment: Deployment;
  /** True when the chain already had this deployment and nothing was sent. */
  reused: boolean;
  file: string;
}

/**
 * Deploys VoucherToken, VoucherExchange, VoucherOffers and (on test chains) TestStablecoin, names the offers contract on
 * the exchange (once), names the exchange on the token (once:
 * without it a refund ruling cannot mark the disputed voucher disclosed, and reverts), allow-lists the stablecoins, and
 * writes deployments/<chainId>.json (which the app's build reads directly). Idempotent: when the recorded deployment is live on
 * the chain it sends nothing; when the record points at contracts the chain does not have, it redeploys on the local
 * chain (a restarted node) and refuses anywhere else.
 */
export async function deployKaquan(
  target: string | Eip1193Provider,
  options: DeployOptions = {},
): Promise<DeployResult> {
  const log = options.log ?? (() => {});
  const dir = options.deploymentsDir ?? DEPLOYMENTS_DIR;
  const kaquan = await connect(target);
  const chainId = kaquan.chain.id;
  const local = chainId === LOCAL_CHAIN_ID;
  const file = deploymentPath(chainId, dir);

  let existing: Deployment | undefined;
  try {
    existing = readDeployment(chainId, dir);
  } catch (error) {
    // A record written by an older deploy (e.g. before the offers contract) on a local node: deploy afresh.
    if (!local) throw error;
    log(`${file} is unreadable (${(error as Error).message.split(".")[0]}); deploying afresh.`);
  }
  if (existing !== undefined) {
    const problem = await checkLive(kaquan, existing);
    if (problem === undefined) {
      log(`Kaquan is already deployed on chain ${chainId} (exchange ${existing.voucherExchange}); nothing sent.`);
      return { deployment: existing, reused: true, file };
    }
    if (!local) {
      throw new Error(
        `${file} records a deployment that chain ${chainId} does not have (${problem}). Refusing to deploy over it: ` +
          "check the RPC URL, or delete the file to deploy a new copy.",
      );
    }
    log(`${file} is stale (${problem}: the local node was restarted); deploying afresh.`);
  }

  const accounts = await kaquan.accounts();
  if (accounts.length === 0) {
    throw new Error(
      `No account to deploy from on chain ${chainId}. Set the network's private key as a configuration variable, ` +
        "e.g. `npx hardhat keystore set SEPOLIA_PRIVATE_KEY` (see docs/deploy.md).",
    );
  }
  const deployer = getAddress(accounts[0]);
  const treasury = pickAddress(options.treasury, "KAQUAN_TREASURY", local ? accounts[1] : undefined) ?? deployer;
  const arbiter = pickAddress(options.arbiter, "KAQUAN_ARBITER", local ? accounts[2] : undefined) ?? deployer;
  const external = pickAddress(options.stablecoin, "KAQUAN_STABLECOIN", undefined);
  const externalCny = pickAddress(options.cnyStablecoin, "KAQUAN_CNY_STABLECOIN", undefined);
  const testChain = TEST_CHAIN_IDS.includes(chainId);
  if (!testChain && (external === undefined || externalCny === undefined)) {
    throw new Error(
      `Chain ${chainId} is not a test chain, so TestStablecoin will not deploy there: set KAQUAN_STABLECOIN and ` +
        "KAQUAN_CNY_STABLECOIN to the addresses of existing 6-decimal USD and CNY stablecoins to accept.",
    );
  }
  const feeBps = options.feeBps ?? DEFAULT_FEE_BPS;
  const wallet = kaquan.wallet(deployer);

  async function deployContract(
    name: ContractName,
    args: readonly unknown[],
  ): Promise<{ address: Address; block: bigint }> {
    const artifact = readArtifact(name);
    const hash = await wallet.deployContract({ abi: artifact.abi as Abi, bytecode: artifact.bytecode, args });
    const receipt = await confirmed(kaquan.publicClient, hash);
    if (!receipt.contractAddress) throw new Error(`${name} deployment ${hash} created no contract`);
    const address = getAddress(receipt.contractAddress);
    log(`  ${name.padEnd(16)} ${address}`);
    return { address, block: receipt.blockNumber };
  }

  log(`Deploying Kaquan to chain ${chainId} from ${deployer}`);
  const token = await deployContract("VoucherToken", [deployer]);
  const exchange = await deployContract("VoucherExchange", [token.address, deployer, treasury, arbiter, feeBps]);
  const offers = await deployContract("VoucherOffers", [token.address, exchange.address]);
  const stablecoin = external ?? (await deployContract("TestStablecoin", ["Kaquan Test USD", "kUSD"])).address;
  const cnyStablecoin = externalCny ?? (await deployContract("TestStablecoin", ["Kaquan Test CNY", "kCNY"])).address;
  const send = async (call: Call) => confirmed(kaquan.publicClient, await wallet.writeContract(call as never));
  await send(contractCall(token.address, voucherTokenAbi, "setExchange", [exchange.address]));
  await send(contractCall(exchange.address, voucherExchangeAbi, "setOffers", [offers.address]));
  for (const payToken of [stablecoin, cnyStablecoin]) {
    await send(contractCall(exchange.address, voucherExchangeAbi, "setPayToken", [payToken, STABLECOIN_MIN_PRICE]));
  }

  const deployment: Deployment = {
    chainId,
    voucherToken: token.address,
    voucherExchange: exchange.address,
    voucherOffers: offers.address,
    stablecoin,
    cnyStablecoin,
    deployer,
    treasury,
    arbiter,
    startBlock: Number(token.block),
    deployedAt: new Date().toISOString(),
  };
  writeDeployment(deployment, dir);
  log(`Wrote ${file}`);
  return { deployment, reused: false, file };
}

/** Why `deployment` is not live on the chain, or undefined when it is. */
async function checkLive(kaquan: Chainish, deployment: Deployment): Promise<string | undefined> {
  for (const key of ["voucherToken", "voucherExchange", "voucherOffers", "stablecoin", "cnyStablecoin"] as const) {
    const code = await kaquan.publicClient.getCode({ address: deployment[key] });
    if (code === undefined || code === "0x") return `no contract at ${key} ${deployment[key]}`;
  }
  try {
    const voucher = await kaquan.publicClient.readContract({
      address: deployment.voucherExchange,
      abi: voucherExchangeAbi,
      functionName: "VOUCHER",
    });
    if (getAddress(voucher) !== deployment.voucherToken) return "the exchange belongs to another voucher token";
    const named = await kaquan.publicClient.readContract({
      address: deployment.voucherToken,
      abi: voucherTokenAbi,
      functionName: "exchange",
    });
    if (getAddress(named) !== deployment.voucherExchange) return "the voucher token does not name the exchange";
    const offers = await kaquan.publicClient.readContract({
      address: deployment.voucherExchange,
      abi: voucherExchangeAbi,
      functionName: "offers",
    });
    if (getAddress(offers) !== deployment.voucherOffers) return "the exchange does not name the offers contract";
    const offersExchange = await kaquan.publicClient.readContract({
      address: deployment.voucherOffers,
      abi: voucherOffersAbi,
      functionName: "EXCHANGE",
    });
    if (getAddress(offersExchange) !== deployment.voucherExchange) return "the offers contract serves another exchange";
  } catch {
    return "the contract at voucherExchange is not a Kaquan exchange";
  }
  return undefined;
}

/** An explicit option, else the environment variable, else the local default. */
function pickAddress(
  given: Address | undefined,
  envName: string,
  localDefault: string | undefined,
): Address | undefined {
  const env = process.env[envName];
  if (given !== undefined) return getAddress(given);
  if (env !== undefined && env !== "") {
    if (!isAddress(env, { strict: false })) throw new Error(`${envName} is not an address: ${env}`);
    return getAddress(env);
  }
  return localDefault !== undefined ? getAddress(localDefault) : undefined;
}
