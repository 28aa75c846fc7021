/**
 * `npm test`: every suite, in two lanes that run side by side (one machine has two cores; much of the browser test is
 * waiting), each lane in order:
 *   checks  lint:sol → lint:format → lint:imports → typecheck → test:unit → test:indexer
 *   chain   test:e2e → test:contracts
 * The browser test runs before the contract tests because `hardhat test --coverage` replaces the app's compiled
 * contracts with instrumented ones: in this order the app is compiled once, not twice. A step's output is printed
 * when it ends, under its name and time; after a failure no new step starts, and the command fails.
 */
import { spawn } from "node:child_process";

// The indexer suite (a node, the indexer on PGlite, then a replay into a real PostgreSQL) goes in the short lane: it is
// done (~45 s) while the browser test still runs, so it deploys the app's contracts before the coverage run of the
// other lane replaces them with instrumented ones.
const LANES: readonly (readonly string[])[] = [
  ["lint:sol", "lint:format", "lint:imports", "typecheck", "test:unit", "test:indexer"],
  ["test:e2e", "test:contracts"],
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
