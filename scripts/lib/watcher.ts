/**
 * What Kaquan's agents share (the seller's delivery agent, the issuer's verification agent): an account that signs
 * through the local node or with a private key, a scan of contract events from the deployment's first block to the
 * chain head in chunks, progress saved to a state file after every action and every scanned range, and a polling loop
 * that stops on abort. Each agent re-reads the chain right before acting, so a restart never acts twice.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getAddress, isAddress, type Account, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { Deployment, Kaquan } from "#sdk";
import { connect, type Chainish } from "./chain.js";
import { DEPLOYMENTS_DIR, ROOT, readDeployment } from "./deployments.js";

/** Blocks per log query: small enough for public RPC limits. */
const LOG_CHUNK = 2000n;

export interface WatcherOptions {
  /** JSON-RPC URL of the chain (default http://127.0.0.1:8545). */
  rpcUrl?: string;
  /** The agent's account: an account index of the node (`3`) or an address the node signs for; ignored with `privateKey`. */
  account?: string;
  /** Sign locally with this key instead of through the node (public test chains). */
  privateKey?: Hex;
  deploymentsDir?: string;
  /** Where the agent remembers its progress (default .agent-state/). */
  stateDir?: string;
  /** Poll interval in ms (default 1000). */
  pollMs?: number;
  /** Process everything up to the current block, then return. */
  once?: boolean;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** What every agent remembers between runs, per chain, deployment and account. */
export interface WatcherState {
  version: 1;
  chainId: number;
  /** The contract whose events it scans. */
  contract: Address;
  /** Identifies the deployment: a restarted local node redeploys at the same addresses with a new time. */
  deployedAt: string;
  account: Address;
  /** Last block whose events were all handled. */
  lastBlock: number;
}

/** What an agent does with the chain, once connected as its account. */
export interface WatcherSpec<S extends WatcherState> {
  /** "Delivery agent": starts the log lines. */
  name: string;
  /** The contract whose events it scans (the state file belongs to it). */
  contract: Address;
  /** Starts the state file's name (`<prefix><chainId>-<account>.json`), so one account can run several agents. */
  statePrefix?: string;
  /** The agent's own fields of a fresh state. */
  fresh: () => Omit<S, keyof WatcherState>;
  /** One line on the progress a saved state holds. */
  progress: (state: S) => string;
  /** Handles the events of blocks [fromBlock, toBlock], calling `save` after each action it takes. */
  scan: (fromBlock: bigint, toBlock: bigint, state: S, save: () => void) => Promise<void>;
  /** After each pass up to the head (e.g. a summary line). */
  afterPass?: (state: S) => void;
}

export interface WatcherRun<S> {
  account: Address;
  stateFile: string;
  /** Resolves when the agent stops (abort, or the end of a `once` run). */
  done: Promise<S>;
}

/**
 * Connects as the agent's account (`role` names it in messages: "seller", "issuer"), builds the agent with `prepare`,
 * and runs it: from the saved block to the head, then every `pollMs`, until aborted (or once).
 */
export async function startWatcher<S extends WatcherState>(
  options: WatcherOptions,
  role: string,
  prepare: (kaquan: Kaquan, log: (message: string) => void) => Promise<WatcherSpec<S>>,
): Promise<WatcherRun<S>> {
  const log = options.log ?? console.log;
  const chain = await connect(options.rpcUrl ?? "http://127.0.0.1:8545", Math.min(options.pollMs ?? 1000, 250));
  const chainId = chain.chain.id;
  const deployment = readDeployment(chainId, options.deploymentsDir ?? DEPLOYMENTS_DIR);
  if (deployment === undefined) {
    throw new Error(`No deployment recorded for chain ${chainId} (deployments/${chainId}.json): deploy first.`);
  }
  const signer = await resolveAccount(chain, options, role);
  const account = signer.address;
  const kaquan: Kaquan = { deployment, publicClient: chain.publicClient, walletClient: chain.wallet(signer) };
  const spec = await prepare(kaquan, log);

  const stateFile = path.join(
    options.stateDir ?? path.join(ROOT, ".agent-state"),
    `${spec.statePrefix ?? ""}${chainId}-${account.toLowerCase()}.json`,
  );
  const fresh = (): S => ({ ...freshBase(deployment, spec.contract, account), ...spec.fresh() }) as S;
  const state = loadState(stateFile, fresh(), log);
  const head = Number(await chain.publicClient.getBlockNumber());
  if (state.lastBlock > head) {
    log(`The chain is behind the saved progress (block ${head} < ${state.lastBlock}): it was reset; starting over.`);
    Object.assign(state, fresh());
  }
  log(
    `${spec.name} for ${account} on chain ${chainId}: contract ${spec.contract}, resuming after block ` +
      `${state.lastBlock} (${spec.progress(state)}).`,
  );
  const save = () => saveState(stateFile, state);

  const done = (async () => {
    for (;;) {
      try {
        const head = await chain.publicClient.getBlockNumber();
        while (BigInt(state.lastBlock) < head) {
          const fromBlock = BigInt(state.lastBlock) + 1n;
          const toBlock = fromBlock + LOG_CHUNK - 1n < head ? fromBlock + LOG_CHUNK - 1n : head;
          await spec.scan(fromBlock, toBlock, state, save);
          state.lastBlock = Number(toBlock);
          save();
        }
        spec.afterPass?.(state);
      } catch (error) {
        log(`Will retry: ${(error as Error).message.split("\n")[0]}`);
      }
      if (options.once || options.signal?.aborted) break;
      await sleep(options.pollMs ?? 1000, options.signal);
      if (options.signal?.aborted) break;
    }
    save();
    return state;
  })();
  return { account, stateFile, done };
}

/** Throws when the account has transactions still pending (an agent waits for them rather than race them). */
export async function assertNothingPending(kaquan: Kaquan): Promise<void> {
  const address = kaquan.walletClient.account.address;
  const [latest, pending] = await Promise.all([
    kaquan.publicClient.getTransactionCount({ address, blockTag: "latest" }),
    kaquan.publicClient.getTransactionCount({ address, blockTag: "pending" }),
  ]);
  if (pending > latest) throw new Error(`${address} has ${pending - latest} pending transaction(s); waiting for them`);
}

async function resolveAccount(chain: Chainish, options: WatcherOptions, role: string): Promise<Account> {
  if (options.privateKey !== undefined) return privateKeyToAccount(options.privateKey);
  const wanted = options.account;
  if (wanted === undefined || wanted === "")
    throw new Error(`Which ${role}? Pass --${role} <account index or address>.`);
  const accounts = await chain.accounts();
  let address: Address | undefined;
  if (/^#?\d+$/.test(wanted)) {
    address = accounts[Number(wanted.replace("#", ""))];
    if (address === undefined) throw new Error(`The node has no account #${wanted} (it has ${accounts.length}).`);
  } else if (isAddress(wanted, { strict: false })) {
    address = accounts.find((a) => a.toLowerCase() === wanted.toLowerCase());
    if (address === undefined) {
      throw new Error(
        `The node does not sign for ${wanted}. On a public chain, give the ${role}'s key in the environment.`,
      );
    }
  } else {
    throw new Error(`--${role} must be an account index or an address, not "${wanted}".`);
  }
  // A JSON-RPC account: the node signs (its test accounts are unlocked).
  return { address: getAddress(address), type: "json-rpc" };
}

function freshBase(deployment: Deployment, contract: Address, account: Address): WatcherState {
  return {
    version: 1,
    chainId: deployment.chainId,
    contract,
    deployedAt: deployment.deployedAt,
    account,
    lastBlock: deployment.startBlock - 1,
  };
}

function loadState<S extends WatcherState>(file: string, fresh: S, log: (m: string) => void): S {
  let saved: S;
  try {
    saved = JSON.parse(readFileSync(file, "utf8")) as S;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") log(`Ignoring unreadable ${file}: starting over.`);
    return fresh;
  }
  const same = (["version", "chainId", "contract", "deployedAt", "account"] as const).every(
    (key) => saved[key] === fresh[key],
  );
  if (!same) {
    log(`${path.basename(file)} belongs to another deployment: starting over.`);
    return fresh;
  }
  return saved;
}

/** Writes JSON through a temporary file and a rename, so a crash never leaves half a file. */
export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, file);
}

function saveState(file: string, state: WatcherState): void {
  writeJsonAtomic(file, state);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
