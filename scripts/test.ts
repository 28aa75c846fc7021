/**
 * `npm test`: every suite. First the app's contracts are compiled and Chromium is checked (installed through apt when
 * missing), once; then four lanes run side by side, each in order:
 *   checks     lint:sol → lint:format → lint:imports → typecheck → test:unit → test:indexer
 *   browser    test:e2e:app (the English flows, through the indexer)
 *   phone      test:e2e:zh (the Chinese phone flows)
 *   contracts  test:contracts
 * The machine has two cores, and the lanes share them well: the contract lane is mostly one solc-js compile of the
 * instrumented contracts (~100 s on one core), the browser lanes mostly wait on a browser, a node and an indexer. The
 * coverage run compiles into coverage/artifacts (hardhat.coverage.config.ts), never over the app's artifacts that the
 * browser and indexer suites deploy; each browser suite runs its own node, app server and ports. A step's output is
 * printed when it ends, under its name and time; after a failure no new step starts, and the command fails.
 */
import { spawn } from "node:child_process";

const LANES: readonly (readonly string[])[] = [
  ["lint:sol", "lint:format", "lint:imports", "typecheck", "test:unit", "test:indexer"],
  ["test:e2e:app"],
  ["test:e2e:zh"],
  ["test:contracts"],
];

let failed: string | undefined;
const started = performance.now();
const summary: string[] = [];
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

function run(script: string): Promise<boolean> {
  return new Promise((resolve) => {
    const t = performance.now();
    const child = spawn("npm", ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"] });
    const output: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
    child.on("close", (code) => {
      const ok = code === 0;
      const line = `${script} ${ok ? "passed" : `FAILED (exit ${code})`} in ${seconds(t)}`;
      summary.push(`  ${line}`);
      process.stdout.write(`\n━━ ${line} ━━\n`);
      process.stdout.write(Buffer.concat(output));
      resolve(ok);
    });
  });
}

for (const script of ["compile:app", "ensure:chromium"]) if (!failed && !(await run(script))) failed = script;
// The lanes inherit this: none compiles the app's contracts again (concurrent compiles race on Hardhat's cache file).
process.env.KAQUAN_APP_COMPILED = "1";
await Promise.all(
  LANES.map(async (lane) => {
    for (const script of lane) {
      if (failed !== undefined) return;
      if (!(await run(script))) failed ??= script;
    }
  }),
);
console.log(`\n${summary.join("\n")}\nnpm test ${failed ? `failed (${failed})` : "passed"} in ${seconds(started)}`);
process.exitCode = failed ? 1 : 0;
