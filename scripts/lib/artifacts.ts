import { readFileSync } from "node:fs";
import path from "node:path";
import type { Hex } from "viem";
import { ROOT } from "./deployments.js";
import { CONTRACT_SOURCES } from "./sources.js";

export type ContractName = keyof typeof CONTRACT_SOURCES;

export interface Artifact {
  contractName: string;
  abi: readonly unknown[];
  bytecode: Hex;
}

/** A compiled artifact from artifacts/ (Hardhat's build output): what the deploy sends and sdk/abis.ts is made of. */
export function readArtifact(name: ContractName, artifactsDir = path.join(ROOT, "artifacts")): Artifact {
  const file = path.join(artifactsDir, CONTRACT_SOURCES[name], `${name}.json`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`Missing ${path.relative(ROOT, file)}: compile the contracts first (npm run compile:app).`);
  }
  const artifact = JSON.parse(text) as Artifact;
  if (artifact.contractName !== name || !Array.isArray(artifact.abi))
    throw new Error(`${file} is not ${name}'s artifact`);
  return artifact;
}
