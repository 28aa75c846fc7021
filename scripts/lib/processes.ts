import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { ROOT } from "./deployments.js";

/** Hardhat's CLI, run with this process's Node (Hardhat 3 needs Node 22; npm scripts and npx provide it). */
export const HARDHAT_CLI = path.join(ROOT, "node_modules/hardhat/dist/src/cli.js");

/** True when nothing listens on 127.0.0.1:`port` (so a server may bind it). */
export function portFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Spawns a command in its own process group (so the whole tree can be stopped with `stopProcess`), from the repo
 * root, with stdio piped unless told otherwise.
 */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], ...options, detached: true });
}

/** `hardhat node` on 127.0.0.1:`port` (never 0.0.0.0), optionally on a configured edr network such as `demoNode`. */
export function spawnHardhatNode(port: number, options: { network?: string; env?: NodeJS.ProcessEnv } = {}) {
  const args = [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)];
  if (options.network) args.push("--network", options.network);
  return spawnGroup(process.execPath, args, { env: { ...process.env, ...options.env } });
}

/** Resolves once `url` answers JSON-RPC; rejects after `timeoutMs` or when `child` exits first. */
export async function waitForRpc(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child?.once("exit", (code, signal) => (exited = `exited (${signal ?? code})`));
  for (;;) {
    if (exited) throw new Error(`The node ${exited} before answering on ${url}`);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
        signal: AbortSignal.timeout(1000),
      });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`Nothing answered JSON-RPC on ${url} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves once `url` answers HTTP with a non-5xx status; rejects after `timeoutMs` or when `child` exits first. */
export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child?.once("exit", (code, signal) => (exited = `exited (${signal ?? code})`));
  for (;;) {
    if (exited) throw new Error(`The server ${exited} before answering on ${url}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`Nothing answered on ${url} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Stops a child started by `spawnGroup` and everything it started: SIGTERM to its process group, SIGKILL after
 * `graceMs`. Resolves when the child has exited.
 */
export async function stopProcess(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
