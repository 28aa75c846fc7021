/**
 * The command line both agents share: `--<role> <index|address>`, `--rpc`, `--poll`, `--state-dir`, `--deployments`,
 * `--once`, a private key from the environment for public chains, Ctrl-C to stop after saving progress.
 */
import { parseArgs } from "node:util";
import { isHex, type Hex } from "viem";
import type { WatcherOptions } from "./watcher.js";

/** Parses the agent's options (plus `extra` string options), runs `start` until Ctrl-C, and reports where it stopped. */
export async function runAgentCli(
  role: string,
  keyVariable: string,
  extra: readonly string[],
  start: (
    common: WatcherOptions,
    values: Record<string, string | undefined>,
  ) => Promise<{ stateFile: string; done: Promise<{ lastBlock: number }> }>,
): Promise<void> {
  const { values } = parseArgs({
    options: {
      [role]: { type: "string" },
      rpc: { type: "string", default: "http://127.0.0.1:8545" },
      poll: { type: "string", default: "1000" },
      "state-dir": { type: "string" },
      deployments: { type: "string" },
      once: { type: "boolean", default: false },
      ...Object.fromEntries(extra.map((name) => [name, { type: "string" as const }])),
    },
  });
  const privateKey = process.env[keyVariable];
  if (privateKey !== undefined && privateKey !== "" && !isHex(privateKey, { strict: true })) {
    console.error(`${keyVariable} is not a hex private key.`);
    process.exit(1);
  }
  const pollMs = Number(values.poll);
  if (!Number.isInteger(pollMs) || pollMs < 50) {
    console.error(`--poll must be a whole number of milliseconds (at least 50), not "${String(values.poll)}".`);
    process.exit(1);
  }

  const controller = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort();
    });
  }

  try {
    const run = await start(
      {
        rpcUrl: values.rpc as string,
        account: values[role] as string | undefined,
        privateKey: privateKey ? (privateKey as Hex) : undefined,
        stateDir: values["state-dir"] as string | undefined,
        deploymentsDir: values.deployments as string | undefined,
        pollMs,
        once: values.once as boolean,
        signal: controller.signal,
        log: (message) => console.log(`${new Date().toISOString().slice(11, 19)} ${message}`),
      },
      values as Record<string, string | undefined>,
    );
    const state = await run.done;
    console.log(`Stopped after block ${state.lastBlock}; progress saved in ${run.stateFile}`);
  } catch (error) {
    console.error(`Agent failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
