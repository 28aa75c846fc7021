/**
 * The market through the indexer against the old chain scan, at the sizes by default: 10,000 active listings and
 * 20,000 past trades (listed, then cancelled) on a real local node with the demo seed. Measures the indexer's catch-up
 * (events per second, from a fresh PGlite), then every market query over HTTP (first page, each filter, each sort;
 * median of 5), then the chain-scan path (`getListings`, every trade id) at the same size.
 *   BENCH_LISTINGS=2000 BENCH_PAST=1000 npx tsx scripts/bench/indexer.ts   (smaller sizes)
 * Results land in bench-results/indexer.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
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
const RATES = { ETH: 3000, kUSD: 1, kCNY: 0.14, USD: 1, CNY: 0.14, HKD: 0.128, EUR: 1.08, GBP: 1.27, JPY: 0.0067 };

const stack = await startStack({ nodePort: 8640, vitePort: 0, app: false });
const results: Record<string, unknown> = { listings: LISTINGS, pastTrades: PAST };
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
    port: 42172,
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

    const median = async (query: MarketQuery) => {
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        total = (await api.market({ rates: RATES, limit: 50, ...query })).total;
        times.push(performance.now() - s);
      }
      return { ms: Math.round(times.sort((a, b) => a - b)[2]), total };
    };
    const queries: Record<string, MarketQuery> = {
      "first page (discount)": {},
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
    for (const [name, query] of Object.entries(queries)) timings[name] = await median(query);
    results.queries = timings;
  } finally {
    await indexer.stop();
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
