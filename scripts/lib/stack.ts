/**
 * A whole Kaquan stack for browser tests and the bench: a real Hardhat node, the project's own deploy and demo seed,
 * and the app (production build, or the Vite dev server) pointed at that node. The deployment is recorded in a
 * temporary folder the app's build reads (KAQUAN_DEPLOYMENTS_DIR, see frontend/vite.config.ts), so a run never touches
 * deployments/ or a running `npm start`.
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Deployment } from "#sdk";
import type { PreviewServer, ViteDevServer } from "vite";
import { ROOT } from "./deployments.js";
import { startIndexer, type Indexer } from "./indexer.js";
import { spawnHardhatNode, stopProcess, waitForRpc } from "./processes.js";
import type { SeedResult } from "./seed.js";

export { ROOT };

export interface Stack {
  rpcUrl: string;
  appUrl: string;
  deployment: Deployment;
  /** The temporary folder holding deployments/<chainId>.json for this stack (the indexer reads it too). */
  deploymentsDir: string;
  seed: SeedResult;
  /** The indexer the app reads through (with `indexerPort`), on a fresh PGlite. */
  indexer?: Indexer;
  /** Milliseconds per step: compile, node, deploy, seed, vite, indexer. */
  timings: Record<string, number>;
  stop(): Promise<void>;
}

export interface StackOptions {
  nodePort: number;
  vitePort: number;
  /**
   * "build" (default): the production bundle (`vite build`, then `vite preview`), what people get; builds in ~2 s and
   * loads faster than the dev server's first, unbundled page. "dev": the dev server, for working on the app.
   */
  mode?: "build" | "dev";
  /** Serve the app (default true); false: chain, deploy and seed only (indexer tests). */
  app?: boolean;
  /**
   * Run the indexer (PGlite) on this port for this stack and point the app at it; without it the app reads the chain
   * alone (never another stack's index, such as `npm start`'s).
   */
  indexerPort?: number;
  /** Point the app at an indexer the caller starts later (the bench measures its catch-up). */
  indexerUrl?: string;
}

/** Raw JSON-RPC against a node (e.g. evm_increaseTime). */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const timings: Record<string, number> = {};
  const lap = (name: string, since: number) => (timings[name] = Math.round(performance.now() - since));
  const rpcUrl = `http://127.0.0.1:${options.nodePort}`;
  const dir = mkdtempSync(path.join(tmpdir(), "kaquan-stack-"));
  let node: ChildProcess | undefined;
  let server: ViteDevServer | PreviewServer | undefined;
  let indexer: Indexer | undefined;

  const stop = async () => {
    await (server as { close(): Promise<void> } | undefined)?.close().catch(() => undefined);
    await indexer?.stop();
    if (node) await stopProcess(node);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // The contracts the stack deploys (a cache hit takes ~2 s; `npm run test:contracts` compiles its instrumented
    // ones elsewhere, see hardhat.coverage.config.ts, but a bare `hardhat test --coverage` replaces these).
    let t = performance.now();
    // Under `npm test` the contracts are compiled once before the lanes (KAQUAN_APP_COMPILED): two suites compiling
    // at once would race on Hardhat's cache file.
    if (process.env.KAQUAN_APP_COMPILED !== "1") {
      execFileSync("npm", ["run", "--silent", "compile:app"], { cwd: ROOT, stdio: "inherit" });
    }
    lap("compile", t);

    t = performance.now();
    node = spawnHardhatNode(options.nodePort);
    let log = "";
    node.stdout?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    node.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    await waitForRpc(rpcUrl, 60_000, node).catch((error: Error) => {
      throw new Error(`${error.message}\n${log}`);
    });
    lap("node", t);

    // Imported only now: the deploy reads the compiled artifacts.
    t = performance.now();
    const { deployKaquan } = await import("./deploy.js");
    const { seedDemo } = await import("./seed.js");
    const deploymentsDir = path.join(dir, "deployments");
    mkdirSync(deploymentsDir);
    const { deployment } = await deployKaquan(rpcUrl, { deploymentsDir });
    lap("deploy", t);
    // The indexer starts (about 10 s of Ponder's own build and database setup) while the seed runs and the app builds.
    const indexerStarted = performance.now();
    if (options.indexerPort !== undefined && options.app !== false) {
      indexer = startIndexer({ rpcUrl, chainId: deployment.chainId, port: options.indexerPort, deploymentsDir });
    }
    t = performance.now();
    // Henry's card database goes with this stack, never over the one `npm start`'s issuer agent reads.
    const seed = await seedDemo(rpcUrl, deployment, { issuerDatabase: path.join(dir, "henry-cards.json") });
    lap("seed", t);

    if (options.app === false) {
      return { rpcUrl, appUrl: "", deployment, deploymentsDir, seed, timings, stop };
    }
    t = performance.now();
    process.env.VITE_RPC_URL = rpcUrl;
    process.env.VITE_CHAIN_ID = String(deployment.chainId);
    // This stack's indexer, or none: never read another stack's (npm start's) index.
    process.env.VITE_INDEXER_URL = indexer?.url ?? options.indexerUrl ?? "";
    process.env.KAQUAN_DEPLOYMENTS_DIR = deploymentsDir;
    const vite = await import("vite");
    const shared = {
      configFile: path.join(ROOT, "frontend/vite.config.ts"),
      cacheDir: path.join(ROOT, "node_modules/.vite-e2e"),
      logLevel: "warn" as const,
      clearScreen: false,
    };
    if (options.mode === "dev") {
      server = await (
        await vite.createServer({ ...shared, server: { port: options.vitePort, strictPort: true } })
      ).listen();
    } else {
      const outDir = path.join(dir, "dist");
      await vite.build({ ...shared, build: { outDir, emptyOutDir: true, reportCompressedSize: false } });
      server = await vite.preview({
        ...shared,
        build: { outDir },
        preview: { port: options.vitePort, strictPort: true, host: "127.0.0.1" },
      });
    }
    lap("vite", t);
    if (indexer) {
      await indexer.caughtUp();
      lap("indexer", indexerStarted);
    }

    return {
      rpcUrl,
      appUrl: `http://127.0.0.1:${options.vitePort}/`,
      deployment,
      deploymentsDir,
      seed,
      indexer,
      timings,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
