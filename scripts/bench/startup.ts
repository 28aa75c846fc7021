/**
 * "A usable page within 30 s of `npm start`", measured: runs `npm start` (fresh chain, deploy, demo seed, agents,
 * indexer, Vite dev server on its usual ports, which must be free), opens the market in Chromium as soon as the app
 * answers, and records when the first listing rows are visible (read from the chain or through the indexer, whichever
 * answers first) and when the page reads through the indexer (no chain-fallback note). Then stops `npm start` as Ctrl-C
 * does. Run through `npm run bench` or alone: `npx tsx scripts/bench/startup.ts`. Result: bench-results/startup.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { ROOT } from "../lib/deployments.ts";
import { portFree, spawnGroup, stopProcess } from "../lib/processes.ts";

const APP_URL = "http://127.0.0.1:5173/";
const LIMIT_MS = 180_000;

for (const port of [8545, 5173, 42069]) {
  if (!(await portFree(port))) throw new Error(`Port ${port} is in use: stop the running \`npm start\` first`);
}

const started = performance.now();
const since = () => Math.round(performance.now() - started);
const start = spawnGroup("npm", ["start"], { cwd: ROOT, env: { ...process.env, BROWSER: "none" } });
let log = "";
start.stdout!.on("data", (chunk: Buffer) => (log += chunk.toString()));
start.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
const result: Record<string, unknown> = {};
try {
  for (;;) {
    if (start.exitCode !== null) throw new Error(`npm start exited (${start.exitCode}):\n${log}`);
    if (performance.now() - started > LIMIT_MS) throw new Error(`npm start did not serve the app in time:\n${log}`);
    const response = await fetch(APP_URL, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
    if (response?.ok) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  result.appServedMs = since();
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    await page.goto(APP_URL);
    await page.waitForSelector('[data-testid="listing-row"]', { timeout: LIMIT_MS });
    result.firstRowsMs = since();
    result.firstRowsFrom = (await page.locator('[data-testid="market-source"]').count()) > 0 ? "chain" : "indexer";
    // The open page moves to the indexer once it answers (a sync poll every 3 s).
    await page.waitForSelector('[data-testid="listing-row"]', { timeout: LIMIT_MS });
    await page.waitForSelector('[data-testid="market-source"]', { state: "detached", timeout: LIMIT_MS });
    await page.waitForSelector('[data-testid="listing-row"]', { timeout: LIMIT_MS });
    result.indexerRowsMs = since();
  } finally {
    await browser.close();
  }
  const line = log.split("\n").find((l) => l.includes("Indexer caught up"));
  result.indexerReadyLine = line?.trim();
  result.budgetMs = 30_000;
  result.withinBudget = (result.firstRowsMs as number) <= 30_000;
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(path.join(ROOT, "bench-results"), { recursive: true });
  writeFileSync(path.join(ROOT, "bench-results/startup.json"), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  // As Ctrl-C: npm start stops everything it started.
  try {
    process.kill(-start.pid!, "SIGINT");
  } catch {
    // already gone
  }
  await new Promise((resolve) => setTimeout(resolve, 5000));
  await stopProcess(start);
}
process.exit(process.exitCode ?? 0);
