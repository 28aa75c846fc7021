/**
 * Runs the indexer (indexer/, `ponder start`) against a chain for `npm start`, the tests and the bench: on Node 22 (this
 * process's), bound to 127.0.0.1, with telemetry off, reading the deployment from `deploymentsDir`. Its database is a
 * fresh embedded PGlite folder unless `databaseUrl` names a PostgreSQL server.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "./deployments.js";
import { spawnGroup, stopProcess } from "./processes.js";

export const PONDER_CLI = path.join(ROOT, "node_modules/ponder/dist/esm/bin/ponder.js");
export const INDEXER_SCHEMA = "kaquan";

export interface IndexerOptions {
  rpcUrl: string;
  chainId: number;
  port: number;
  /** Folder holding deployments/<chainId>.json (default: the repo's deployments/). */
  deploymentsDir?: string;
  /** PGlite folder (default: a fresh temporary one, removed on stop). Ignored with `databaseUrl`. */
  dataDir?: string;
  databaseUrl?: string;
  /** Database schema (default "kaquan"); two indexers may share one PostgreSQL database under different schemas. */
  schema?: string;
  /** Serve /dump/:table (the replay test compares whole tables). */
  dump?: boolean;
  /** Reference rates for discounts when a client sends none ("ETH:3000,CNY:0.14"). */
  refRates?: string;
  /** Receives each line the indexer prints. */
  log?: (line: string) => void;
}

export interface Indexer {
  url: string;
  child: ChildProcess;
  /** Output so far (the last 20,000 characters). */
  output(): string;
  /** Resolves once historical indexing is done (/ready answers 200); rejects after `timeoutMs` or if it exits. */
  ready(timeoutMs?: number): Promise<void>;
  /**
   * Resolves once it has indexed the chain's head (`/sync` says 0 blocks behind): `ready` comes earlier, at the last
   * block Ponder counts as final (30 below the head on an unknown chain), and live indexing takes the rest.
   */
  caughtUp(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function startIndexer(options: IndexerOptions): Indexer {
  const temporary =
    options.databaseUrl || options.dataDir ? undefined : mkdtempSync(path.join(tmpdir(), "kaquan-idx-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PONDER_TELEMETRY_DISABLED: "true",
    DATABASE_SCHEMA: options.schema ?? INDEXER_SCHEMA,
    KAQUAN_RPC_URL: options.rpcUrl,
    KAQUAN_CHAIN_ID: String(options.chainId),
    KAQUAN_INDEXER_DIR: options.dataDir ?? path.join(temporary ?? "", "pglite"),
    KAQUAN_INDEXER_DUMP: options.dump ? "1" : "0",
  };
  if (options.deploymentsDir) env.KAQUAN_DEPLOYMENTS_DIR = options.deploymentsDir;
  if (options.refRates) env.KAQUAN_REF_RATES = options.refRates;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;
  const child = spawnGroup(
    process.execPath,
    [
      PONDER_CLI,
      "--root",
      "indexer",
      "--log-format",
      "pretty",
      "start",
      "--hostname",
      "127.0.0.1",
      "--port",
      String(options.port),
    ],
    { env },
  );
  let output = "";
  let partial = "";
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (!options.log) return;
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") options.log(line);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const url = `http://127.0.0.1:${options.port}`;
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = `exited (${signal ?? code})`));

  return {
    url,
    child,
    output: () => output,
    async ready(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (exited) throw new Error(`The indexer ${exited} before it was ready:\n${output}`);
        try {
          const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) });
          if (response.status === 200) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline)
          throw new Error(`The indexer was not ready within ${timeoutMs / 1000} s:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async caughtUp(timeoutMs = 120_000) {
      await this.ready(timeoutMs);
      for (const deadline = Date.now() + timeoutMs; ;) {
        if (exited) throw new Error(`The indexer ${exited}:\n${output}`);
        const response = await fetch(`${url}/sync`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
        const sync = response?.ok ? ((await response.json()) as { behind: number }) : undefined;
        if (sync?.behind === 0) return;
        if (Date.now() > deadline) throw new Error(`The indexer did not reach the chain's head within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      await stopProcess(child);
      if (temporary) rmSync(temporary, { recursive: true, force: true });
    },
  };
}
