// `npm run bench`: every performance number Kaquan reports, measured rather than asserted in timed tests.
//   1. gas per operation (scripts/bench/gas.ts, in-process Hardhat chain)
//   2. frontend bundle size (vite build, raw and gzip per asset)
//   3. market page with 1,000 active listings on a real local node, timed in real Chromium (scripts/bench/market.ts)
//   4. the indexer at 10,000 listings and 20,000 past trades (BENCH_LISTINGS / BENCH_PAST for other sizes): catch-up
//      rate, every market query over HTTP, the page in Chromium (first rows, each filter and sort), and the chain-scan
//      path beside it (scripts/bench/indexer.ts)
//   5. `npm start` → first market rows in Chromium: the 30-second promise (scripts/bench/startup.ts)
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

function run(title: string, command: string, args: string[]) {
  console.log(`\n━━ ${title} ━━`);
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    console.error(`${title} failed (exit ${result.status})`);
    process.exitCode = 1;
  }
  return result.status === 0;
}

run("Gas per operation", "npx", ["hardhat", "run", "scripts/bench/gas.ts"]);

if (run("Frontend build", "npm", ["run", "--silent", "frontend:build"])) {
  const dir = "frontend/dist/assets";
  const assets = readdirSync(dir).map((name) => {
    const bytes = readFileSync(join(dir, name));
    return { name, raw: statSync(join(dir, name)).size, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const total = assets.reduce((sum, a) => ({ raw: sum.raw + a.raw, gzip: sum.gzip + a.gzip }), { raw: 0, gzip: 0 });
  console.log("\nBundle (frontend/dist/assets)");
  for (const a of assets.sort((x, y) => y.gzip - x.gzip)) {
    console.log(
      `  ${a.name.padEnd(40)} ${(a.raw / 1024).toFixed(1).padStart(8)} kB  ${(a.gzip / 1024).toFixed(1).padStart(7)} kB gzip`,
    );
  }
  console.log(
    `  ${"total".padEnd(40)} ${(total.raw / 1024).toFixed(1).padStart(8)} kB  ${(total.gzip / 1024).toFixed(1).padStart(7)} kB gzip`,
  );
  mkdirSync("bench-results", { recursive: true });
  writeFileSync("bench-results/bundle.json", JSON.stringify({ assets, total }, null, 2));
}

run("Market page with 1,000 listings", "npx", ["tsx", "scripts/bench/market.ts"]);
run(
  `Market through the indexer vs the chain scan (${process.env.BENCH_LISTINGS ?? "10,000"} listings, ${process.env.BENCH_PAST ?? "20,000"} past trades)`,
  "npx",
  ["tsx", "scripts/bench/indexer.ts"],
);
run("npm start → first market rows in Chromium", "npx", ["tsx", "scripts/bench/startup.ts"]);
