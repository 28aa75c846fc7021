import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getAddress, isAddress } from "viem";

export type Address = `0x${string}`;

/** deployments/<chainId>.json: where Kaquan lives on one chain. Written by the deploy, read by everything else. */
export interface Deployment {
  chainId: number;
  voucherToken: Address;
  voucherExchange: Address;
  /** kUSD on test chains. */
  stablecoin: Address;
  /** kCNY on test chains: the Chinese (CNY) brands are priced in it. */
  cnyStablecoin: Address;
  deployer: Address;
  treasury: Address;
  arbiter: Address;
  /** First block holding Kaquan contracts: where log scans (frontend, agent) start. */
  startBlock: number;
  /** ISO-8601 time of the deploy. */
  deployedAt: string;
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DEPLOYMENTS_DIR = path.join(ROOT, "deployments");

export function deploymentPath(chainId: number, dir = DEPLOYMENTS_DIR): string {
  return path.join(dir, `${chainId}.json`);
}

/** The deployment recorded for `chainId`, or undefined when there is none. Throws on a malformed file. */
export function readDeployment(chainId: number, dir = DEPLOYMENTS_DIR): Deployment | undefined {
  const file = deploymentPath(chainId, dir);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return parseDeployment(JSON.parse(text), file);
}

/** Every deployments/<chainId>.json, sorted by chain id. */
export function readAllDeployments(dir = DEPLOYMENTS_DIR): Deployment[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names
    .filter((name) => /^\d+\.json$/.test(name))
    .map((name) => parseDeployment(JSON.parse(readFileSync(path.join(dir, name), "utf8")), path.join(dir, name)))
    .sort((a, b) => a.chainId - b.chainId);
}

/** Writes deployments/<chainId>.json atomically (a reader never sees half a file). */
export function writeDeployment(deployment: Deployment, dir = DEPLOYMENTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const file = deploymentPath(deployment.chainId, dir);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(deployment, null, 2)}\n`);
  renameSync(temporary, file);
  return file;
}

function parseDeployment(value: unknown, file: string): Deployment {
  const record = value as Record<string, unknown>;
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}. The file is written by the deploy; delete it and deploy again.`);
  };
  if (typeof record !== "object" || record === null) fail("not a JSON object");
  const address = (key: string): Address => {
    const raw = record[key];
    if (typeof raw !== "string" || !isAddress(raw, { strict: false })) return fail(`"${key}" is not an address`);
    return getAddress(raw);
  };
  const integer = (key: string): number => {
    const raw = record[key];
    if (typeof raw !== "number" || !Number.isSafeInteger(raw) || raw < 0) return fail(`"${key}" is not an integer`);
    return raw;
  };
  const chainId = integer("chainId");
  if (path.basename(file) !== `${chainId}.json`) fail(`chainId ${chainId} does not match the file name`);
  if (typeof record.deployedAt !== "string") fail('"deployedAt" is not a string');
  return {
    chainId,
    voucherToken: address("voucherToken"),
    voucherExchange: address("voucherExchange"),
    stablecoin: address("stablecoin"),
    cnyStablecoin: address("cnyStablecoin"),
    deployer: address("deployer"),
    treasury: address("treasury"),
    arbiter: address("arbiter"),
    startBlock: integer("startBlock"),
    deployedAt: record.deployedAt as string,
  };
}
