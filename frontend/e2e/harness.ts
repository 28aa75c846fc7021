/**
 * The e2e stack: a real Hardhat node, the project's own deploy and demo seed, and the app (production build, or the Vite dev server) pointed at that
 * node. The deployment is recorded in a temporary directory and the app's generated contracts module is rendered from
 * it (the same generator the deploy uses), so a test run never touches deployments/ or a running `npm start`.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PreviewServer, ViteDevServer } from "vite";
import type { Deployment } from "../src/generated/contracts.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface SeedSummary {
  tokenIds: ReadonlyMap<string, bigint>;
  listingIds: ReadonlyMap<string, bigint>;
  orderIds: ReadonlyMap<string, bigint>;
  codes: ReadonlyMap<string, string>;
}

export interface Stack {
  rpcUrl: string;
  appUrl: string;
  deployment: Deployment;
  seed: SeedSummary;
  timings: Record<string, number>;
  stop(): Promise<void>;
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

async function waitForNode(url: string, node: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (node.exitCode !== null) throw new Error(`hardhat node exited (${node.exitCode}):\n${output()}`);
    try {
      await rpc(url, "eth_chainId");
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`hardhat node did not answer on ${url}:\n${output()}`);
}

/**
 * Compiles the three contracts the stack deploys (`npm run compile:app`). A cache hit takes ~2 s; it also rebuilds
 * after `hardhat test --coverage`, whose instrumented artifacts are too large to deploy.
 */
function compileApp(): boolean {
  execFileSync("npm", ["run", "--silent", "compile:app"], { cwd: ROOT, stdio: "inherit" });
  return true;
}

export interface StackOptions {
  nodePort: number;
  vitePort: number;
  /**
   * "build" (default): the production bundle (`vite build`, then `vite preview`), what people get; builds in ~2 s and
   * loads faster than the dev server's first, unbundled page. "dev": the dev server, for working on the app.
   */
  mode?: "build" | "dev";
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const timings: Record<string, number> = {};
  const lap = (name: string, since: number) => (timings[name] = Math.round(performance.now() - since));
  const rpcUrl = `http://127.0.0.1:${options.nodePort}`;
  const dir = mkdtempSync(path.join(tmpdir(), "kaquan-e2e-"));
  let node: ChildProcess | undefined;
  let server: ViteDevServer | PreviewServer | undefined;

  const stop = async () => {
    await (server as { close(): Promise<void> } | undefined)?.close().catch(() => undefined);
    if (node?.pid !== undefined && node.exitCode === null) {
      try {
        process.kill(-node.pid, "SIGTERM");
      } catch {
        node.kill("SIGTERM");
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    let t = performance.now();
    if (compileApp()) lap("compile", t);

    t = performance.now();
    let log = "";
    node = spawn("npx", ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(options.nodePort)], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    node.stdout?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    node.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    await waitForNode(rpcUrl, node, () => log);
    lap("node", t);

    // Imported only now: these modules read the compiled artifacts when they load.
    t = performance.now();
    const { deployKaquan } = await import("../../scripts/lib/deploy.ts");
    const { seedDemo } = await import("../../scripts/lib/seed.ts");
    const { renderFrontendModule } = await import("../../scripts/generate-frontend.ts");
    const deployments = path.join(dir, "deployments");
    mkdirSync(deployments);
    const { deployment } = await deployKaquan(rpcUrl, { deploymentsDir: deployments, generate: false });
    lap("deploy", t);
    t = performance.now();
    const seed = await seedDemo(rpcUrl, deployment);
    lap("seed", t);

    t = performance.now();
    const generated = path.join(dir, "contracts.ts");
    writeFileSync(generated, renderFrontendModule(deployments));
    process.env.VITE_RPC_URL = rpcUrl;
    process.env.VITE_CHAIN_ID = String(deployment.chainId);
    const vite = await import("vite");
    const shared = {
      configFile: path.join(ROOT, "frontend/vite.config.ts"),
      cacheDir: path.join(ROOT, "node_modules/.vite-e2e"),
      logLevel: "warn" as const,
      clearScreen: false,
      resolve: { alias: [{ find: /^(\.\.?\/)+generated\/contracts\.ts$/, replacement: generated }] },
    };
    if (options.mode === "dev") {
      const dev = await vite.createServer({
        ...shared,
        server: { port: options.vitePort, strictPort: true, fs: { allow: [ROOT, dir] } },
      });
      server = await dev.listen();
    } else {
      const outDir = path.join(dir, "dist");
      await vite.build({ ...shared, build: { outDir, emptyOutDir: true, reportCompressedSize: false } });
      server = await vite.preview({
        ...shared,
        build: { outDir },
        preview: { port: options.vitePort, strictPort: true },
      });
    }
    lap("vite", t);

    return {
      rpcUrl,
      appUrl: `http://127.0.0.1:${options.vitePort}/`,
      deployment: deployment as Deployment,
      seed,
      timings,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Raw JSON-RPC against the test node (e.g. evm_increaseTime). */
export { rpc };
