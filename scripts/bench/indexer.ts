/**
 * The market through the indexer against the old chain scan, at the issue's sizes by default: 10,000 active listings and
 * 20,000 past trades (listed, then cancelled) on a real local node with the demo seed. Measures the indexer's catch-up
 * (events per second, from a fresh PGlite), every market query over HTTP (first page, each filter, each sort; median of
 * 5), then the market page in real Chromium through the indexer (first rows visible, then each filter and sort as a
 * person changes it: the address changes, the page asks the indexer, the rows are redrawn), then the same page with the
 * indexer stopped (the chain-scan fallback, capped at BENCH_CHAIN_TIMEOUT_MS) and the SDK's chain scan alone.
 *   BENCH_LISTINGS=2000 BENCH_PAST=1000 npx tsx scripts/bench/indexer.ts   (smaller sizes)
 * Results land in bench-results/indexer.json. Ports: node 8640, preview 5191, indexer 42172.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Page } from "playwright-core";
import { createPublicClient, createWalletClient, http } from "viem";
import { hardhat } from "viem/chains";
import {
  approveVouchers,
  createIndexerClient,
  getListings,
  listBatch,
  MAX_BATCH,
  mintBatch,
  voucherExchangeAbi,
  type Kaquan,
  type MarketQuery,
} from "#sdk";
import { bulkCard } from "../lib/demo-market.ts";
import { startIndexer } from "../lib/indexer.ts";
import { ROOT, startStack } from "../lib/stack.ts";

const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 10_000);
const PAST = Number(process.env.BENCH_PAST ?? 20_000);
const CHAIN_TIMEOUT_MS = Number(process.env.BENCH_CHAIN_TIMEOUT_MS ?? 180_000);
const INDEXER_PORT = 42172;
const RATES = { ETH: 3000, kUSD: 1, kCNY: 0.14, USD: 1, CNY: 0.14, HKD: 0.128, EUR: 1.08, GBP: 1.27, JPY: 0.0067 };

const stack = await startStack({
  nodePort: 8640,
  vitePort: 5191,
  indexerUrl: `http://127.0.0.1:${INDEXER_PORT}`,
});
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]);
};
/** Waits until the market shows `view` (its query string) with its rows drawn; returns the milliseconds since `since`. */
async function shown(page: Page, view: string, since: number, timeout = 60_000): Promise<number> {
  await page.waitForSelector(`[data-testid="listing-count"][data-view="${view}"][aria-busy="false"]`, { timeout });
  await page.waitForSelector('[data-testid="listing-row"], .empty', { timeout });
  return performance.now() - since;
}
/**
 * Where a load's time went, on the page's own clock (0 = navigation start): the page, the app's files, the catalog,
 * the first indexer requests, the chain reads before the rows, and the app's own marks (kaquan:*). Read after the rows
 * are visible; `rowsVisible` is when this bench saw them, on the same clock.
 */
const TIMELINE = `(() => {
  const ms = (n) => Math.round(n);
  const span = (r) => r && [ms(r.startTime), ms(r.responseEnd)];
  const path = (r) => new URL(r.name).pathname;
  const nav = performance.getEntriesByType("navigation")[0];
  const all = performance.getEntriesByType("resource");
  const files = all.filter((r) => r.name.includes("/assets/"));
  const catalog = files.find((r) => /\\/(en|zh-CN)-[^/]*\\.js$/.test(r.name));
  const code = files.filter((r) => r !== catalog);
  const indexer = all.filter((r) => r.name.startsWith(${JSON.stringify(`http://127.0.0.1:${INDEXER_PORT}/`)}));
  const rows = performance.getEntriesByName("kaquan:market-rows")[0];
  const chain = all.filter(
    (r) =>
      r.initiatorType === "fetch" &&
      r.name.startsWith(${JSON.stringify(stack.rpcUrl)}) &&
      (!rows || r.startTime < rows.startTime),
  );
  const marks = performance.getEntriesByType("mark").filter((m) => m.name.startsWith("kaquan:"));
  return {
    html: ms(nav.responseEnd),
    appFiles: code.length && {
      count: code.length,
      first: ms(Math.min(...code.map((r) => r.startTime))),
      last: ms(Math.max(...code.map((r) => r.responseEnd))),
    },
    catalog: span(catalog),
    firstIndexerRequest: indexer[0] && path(indexer[0]),
    market: span(indexer.find((r) => path(r) === "/market")),
    sync: span(indexer.find((r) => path(r) === "/sync")),
    chainBeforeRows: chain.length && {
      requests: chain.length,
      first: ms(chain[0].startTime),
      last: ms(Math.max(...chain.map((r) => r.responseEnd))),
    },
    marks: Object.fromEntries(marks.map((m) => [m.name.slice("kaquan:".length), ms(m.startTime)])),
    rowsVisible: ms(performance.now()),
  };
})()`;
const results: Record<string, unknown> = { listings: LISTINGS, pastTrades: PAST };
let activeTotal = 0;
try {
  const chain = { ...hardhat, id: stack.deployment.chainId };
  const transport = http(stack.rpcUrl);
  const client = createPublicClient({ chain, transport, pollingInterval: 50 });
  const accounts = await createWalletClient({ chain, transport }).getAddresses();
  const seller = accounts[12];
  const wallet = createWalletClient({ chain, transport, account: seller, pollingInterval: 50 });
  const kaquan: Kaquan = { deployment: stack.deployment, publicClient: client, walletClient: wallet };
  const exchange = { address: stack.deployment.voucherExchange, abi: voucherExchangeAbi } as const;

  let t = performance.now();
  const expiresAt = (await client.getBlock()).timestamp + 200n * 86400n;
  await approveVouchers(kaquan);
  const mintAndList = async (total: number, tag: string) => {
    const ids: bigint[] = [];
    for (let b = 0; b < Math.ceil(total / MAX_BATCH); b++) {
      const cards = Array.from({ length: Math.min(MAX_BATCH, total - b * MAX_BATCH) }, (_, i) => ({
        ...bulkCard(b * MAX_BATCH + i, tag),
        expiresAt: expiresAt + BigInt(((b * MAX_BATCH + i) % 90) * 86400),
      }));
      const { tokenIds } = await mintBatch(kaquan, cards);
      const prices = cards.map((card, i) => (card.faceValue * 10n ** 12n * BigInt(80 + (i % 20))) / 100n);
      ids.push(...(await listBatch(kaquan, { tokenIds, prices })).tradeIds);
    }
    return ids;
  };
  // History first: listed and cancelled, so trade ids grow without adding active listings.
  const past = await mintAndList(PAST, "PAST");
  let nonce = await client.getTransactionCount({ address: seller });
  for (let i = 0; i < past.length; i += 200) {
    const hashes = await Promise.all(
      past.slice(i, i + 200).map((tradeId) =>
        wallet.writeContract({
          ...exchange,
          functionName: "cancelListing",
          args: [tradeId],
          nonce: nonce++,
          gas: 200_000n,
        }),
      ),
    );
    await client.waitForTransactionReceipt({ hash: hashes.at(-1)! });
  }
  await mintAndList(LISTINGS, "BENCH");
  results.setupSeconds = Math.round((performance.now() - t) / 100) / 10;
  const head = Number(await client.getBlockNumber());

  // Indexer catch-up from scratch.
  t = performance.now();
  const indexer = startIndexer({
    rpcUrl: stack.rpcUrl,
    chainId: stack.deployment.chainId,
    port: INDEXER_PORT,
    deploymentsDir: stack.deploymentsDir,
  });
  try {
    await indexer.ready(1_800_000);
    const api = createIndexerClient(indexer.url, { timeoutMs: 30_000 });
    while ((await api.sync()).indexedBlock < head) await new Promise((resolve) => setTimeout(resolve, 100));
    const catchUpMs = performance.now() - t;
    const events = [...indexer.output().matchAll(/event_count=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    results.indexer = {
      catchUpSeconds: Math.round(catchUpMs / 100) / 10,
      events,
      eventsPerSecond: Math.round(events / (catchUpMs / 1000)),
    };

    const timed = async (query: MarketQuery) => {
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        total = (await api.market({ rates: RATES, limit: 50, ...query })).total;
        times.push(performance.now() - s);
      }
      return { ms: Math.round(times.sort((a, b) => a - b)[2]), total };
    };
    activeTotal = (await api.market({ limit: 1 })).total;
    const queries: Record<string, MarketQuery> = {
      "first page (discount)": {},
      "first page (trust, the app's default)": { sort: "trust" },
      "brand 3": { brandId: 3 },
      "category coffee": { category: "coffee" },
      "CNY face ¥100–¥500": { currency: "CNY", minFace: 10_000n, maxFace: 50_000n },
      "discount ≥ 15%": { minDiscount: 0.15 },
      "near expiry (≤ 30 days)": { maxDaysLeft: 30 },
      "issuer-backed": { kind: "issuer" },
      "paid in ETH": { payToken: "0x0000000000000000000000000000000000000000" },
      "verified sellers ≥ 1 sale": { minSellerSales: 1 },
      "sort expiry": { sort: "expiry" },
      "sort face": { sort: "face" },
      "sort price": { sort: "price" },
      "sort newest": { sort: "newest" },
      "page 100": { offset: 5000 },
    };
    const timings: Record<string, unknown> = {};
    for (const [name, query] of Object.entries(queries)) timings[name] = await timed(query);
    results.queries = timings;

    // The page in Chromium, through the indexer: navigation → first rows, then each filter and sort as the address
    // changes (the page stays loaded, as when a person picks a filter).
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
    try {
      // Navigation → first rows: the first load cold, the next ones with the app's files cached (one context). Also
      // from the moment the page asks the indexer for the market to those rows: what the indexer path costs.
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
      const loads: number[] = [];
      const afterAsking: number[] = [];
      const timelines: unknown[] = [];
      for (let i = 0; i < 4; i++) {
        const page = await context.newPage();
        let asked: number | undefined;
        page.on("request", (request) => {
          if (asked === undefined && request.url().startsWith(`http://127.0.0.1:${INDEXER_PORT}/market`)) {
            asked = performance.now();
          }
        });
        const start = performance.now();
        await page.goto(stack.appUrl);
        const rows = await shown(page, "", start);
        timelines.push(await page.evaluate(TIMELINE));
        loads.push(rows);
        afterAsking.push(rows - (asked! - start));
        if (i === 0) await page.screenshot({ path: path.join(ROOT, "bench-results/market-indexer.png") });
        await page.close();
      }
      await context.close();
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
      await page.goto(stack.appUrl);
      await shown(page, "", performance.now());
      const views: Record<string, string> = {
        "sort discount": "sort=discount",
        "sort expiry": "sort=expiry",
        "sort face": "sort=face",
        "sort newest": "sort=newest",
        "brand 3": "brand=3",
        "category coffee": "cat=coffee",
        "CNY face ¥100–¥500": "fmin=100&fmax=500&fcur=CNY",
        "discount ≥ 15%": "disc=15",
        "near expiry": "exp=near",
        "issuer-backed": "kind=issuer",
        "paid in ETH": "pay=0x0000000000000000000000000000000000000000",
        "verified only": "ver=1",
        "trust (default)": "",
      };
      const filters: Record<string, number> = {};
      for (const [name, view] of Object.entries(views)) {
        const times: number[] = [];
        for (let i = 0; i < 3; i++) {
          // Away and back, so every run asks the indexer (not a cached page).
          await page.evaluate(`location.hash = "#/market?kind=coded&sort=newest"`);
          await shown(page, "kind=coded&sort=newest", performance.now());
          const start = performance.now();
          await page.evaluate(`location.hash = ${JSON.stringify(view ? `#/market?${view}` : "#/market")}`);
          times.push(await shown(page, view, start));
        }
        filters[name] = median(times);
      }
      results.browser = {
        navigationToFirstRowsMs: { cold: Math.round(loads[0]), cached: loads.slice(1).map(Math.round) },
        marketRequestToFirstRowsMs: afterAsking.map(Math.round),
        marketRequestToFirstRowsMedianMs: median(afterAsking),
        // The same loads on the page's clock: [start, end] of each step, so the waterfall shows.
        timelines,
        filterAndSortMs: filters,
        slowestFilterMs: Math.max(...Object.values(filters)),
      };
      await page.close();
    } finally {
      await browser.close();
    }
  } finally {
    await indexer.stop();
  }

  // The same page with the indexer gone: the chain-scan fallback, at the same size, capped.
  {
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
      const start = performance.now();
      await page.goto(stack.appUrl);
      let firstRows: number | undefined;
      let allRows: number | undefined;
      try {
        await page.waitForSelector('[data-testid="listing-row"]', { timeout: CHAIN_TIMEOUT_MS });
        firstRows = performance.now() - start;
        // Every active listing counted and drawn (the chain path draws them all, a chunk at a time).
        await page.waitForFunction(
          `document.querySelectorAll('[data-testid="listing-row"]').length >= ${activeTotal}`,
          undefined,
          { timeout: Math.max(1, CHAIN_TIMEOUT_MS - firstRows), polling: 250 },
        );
        allRows = performance.now() - start;
      } catch {
        // over the cap: reported as such
      }
      results.browserChainScan = {
        timeoutMs: CHAIN_TIMEOUT_MS,
        firstRowsMs: firstRows === undefined ? `over ${CHAIN_TIMEOUT_MS}` : Math.round(firstRows),
        allRowsMs: allRows === undefined ? `over ${CHAIN_TIMEOUT_MS}` : Math.round(allRows),
      };
    } finally {
      await browser.close();
    }
  }

  // The old path at the same size: every trade id, one call per MAX_PAGE ids.
  t = performance.now();
  const active = await getListings({ publicClient: client, deployment: stack.deployment });
  results.chainScan = {
    tradeIds: Number(await client.readContract({ ...exchange, functionName: "tradeCount" })),
    activeListings: active.length,
    ms: Math.round(performance.now() - t),
  };
  console.log(JSON.stringify(results, null, 2));
  mkdirSync(path.join(ROOT, "bench-results"), { recursive: true });
  writeFileSync(path.join(ROOT, "bench-results/indexer.json"), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await stack.stop();
}
