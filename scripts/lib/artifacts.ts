import { readFileSync } from "node:fs";
import path from "node:path";
import type { Hex } from "viem";
// Types only: the generated module may not exist at run time (it is written from these same artifacts), but the
// typecheck always generates it first, so the ABIs below are typed exactly (`as const`) for viem.
import type {
  testStablecoinAbi as TestStablecoinAbi,
  voucherExchangeAbi as VoucherExchangeAbi,
  voucherTokenAbi as VoucherTokenAbi,
} from "../../frontend/src/generated/contracts.js";
import { ROOT } from "./deployments.js";
import { CONTRACT_SOURCES } from "./sources.js";

export type ContractName = keyof typeof CONTRACT_SOURCES;

export interface Artifact {
  contractName: string;
  abi: readonly unknown[];
  bytecode: Hex;
}

/** A compiled artifact from artifacts/ (Hardhat's build output). */
export function readArtifact(name: ContractName, artifactsDir = path.join(ROOT, "artifacts")): Artifact {
  const file = path.join(artifactsDir, CONTRACT_SOURCES[name], `${name}.json`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`Missing ${path.relative(ROOT, file)}: compile the contracts first (npx hardhat compile).`);
  }
  const artifact = JSON.parse(text) as Artifact;
  if (artifact.contractName !== name || !Array.isArray(artifact.abi))
    throw new Error(`${file} is not ${name}'s artifact`);
  return artifact;
}

export const voucherTokenAbi = readArtifact("VoucherToken").abi as typeof VoucherTokenAbi;
export const voucherExchangeAbi = readArtifact("VoucherExchange").abi as typeof VoucherExchangeAbi;
export const testStablecoinAbi = readArtifact("TestStablecoin").abi as typeof TestStablecoinAbi;
