import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDeployment, type Deployment } from "#sdk";

export type { Deployment };

/** deployments/<chainId>.json on disk: written by the deploy, read by the seed, the agent, the app's build. */
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
  return parseFile(text, file);
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
    .map((name) => parseFile(readFileSync(path.join(dir, name), "utf8"), path.join(dir, name)))
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

/** A deployment file checked by the SDK's parser, whose chain id must match its name. */
function parseFile(text: string, file: string): Deployment {
  const deployment = parseDeployment(JSON.parse(text), file);
  if (path.basename(file) !== `${deployment.chainId}.json`) {
    throw new Error(`${file}: chainId ${deployment.chainId} does not match the file name. Delete it and deploy again.`);
  }
  return deployment;
}
