/**
 * The indexer against a real local node: a Hardhat node with the project's deploy and demo seed, then the operations
 * the seed does not do (reprice, cancel, redeem, deactivate a brand, pause, fee change, top up, reschedule and cancel
 * a recycler's offer), then the indexer's rows compared with the contracts' own views, kind by kind. A second indexer then replays the chain from scratch into a
 * real PostgreSQL server (Debian's package, installed and started by scripts/lib/postgres.ts): its tables must equal
 * the first one's, row for row — the replay is deterministic and the same code runs on PGlite and PostgreSQL.
 */
import { expect } from "chai";
import { createPublicClient, createWalletClient, http, zeroAddress, type Address, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import {
  cancelOffer,
  contractCall,
  createIndexerClient,
  execute,
  getListings,
  getOffer,
  getOfferSales,
  getOpenOffers,
  getProvenance,
  getReputations,
  provenanceFromIndex,
  getSales,
  getSettings,
  redeem,
  setOfferSchedule,
  Status,
  topUpOffer,
  TRACK_RECORD_SALES,
  updatePrice,
  cancelListing,
  voucherExchangeAbi,
  voucherOffersAbi,
  voucherTokenAbi,
  type IndexerClient,
  type Kaquan,
} from "#sdk";
import { startIndexer, type Indexer } from "../../scripts/lib/indexer.ts";
import { startPostgres, type Postgres } from "../../scripts/lib/postgres.ts";
import { startStack, type Stack } from "../../scripts/lib/stack.ts";

const TABLES = [
  "brand",
  "voucher",
  "trade",
  "trade_event",
  "sale",
  "voucher_event",
  "pay_token",
  "distributor",
  "earning",
  "referral_credit",
  "credit",
  "claim",
  "reputation",
  "operator_approval",
  "settings",
  "offer",
  "offer_sale",
  "offer_event",
];

describe("indexer", function () {
  this.timeout(240_000);
  let stack: Stack;
  let indexer: Indexer;
  let api: IndexerClient;
  let publicClient: PublicClient;
  const reader = () => ({ publicClient, deployment: stack.deployment });
  const as = (account: Address): Kaquan => ({
    ...reader(),
    walletClient: createWalletClient({ account, chain: hardhat, transport: http(stack.rpcUrl) }),
  });
  const exchange = () => ({ address: stack.deployment.voucherExchange, abi: voucherExchangeAbi }) as const;
  const token = () => ({ address: stack.deployment.voucherToken, abi: voucherTokenAbi }) as const;
  const offers = () => ({ address: stack.deployment.voucherOffers, abi: voucherOffersAbi }) as const;
  /** Every card sold into an offer, from the chain's own `SoldToOffer` logs. */
  const soldToOffers = () =>
    publicClient.getContractEvents({
      ...exchange(),
      eventName: "SoldToOffer",
      fromBlock: BigInt(stack.deployment.startBlock),
      strict: true,
    });
  const offerToken = async (offerId: bigint) =>
    (await publicClient.readContract({ ...exchange(), functionName: "offerFunds", args: [offerId] }))[0].toLowerCase();

  /** Resolves once `client` has indexed the chain's head. */
  async function synced(client: IndexerClient) {
    const head = Number(await publicClient.getBlockNumber());
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      if ((await client.sync()).indexedBlock >= head) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${client.url} did not reach block ${head}`);
  }

  /** Every row of every table, as the database has them (snake_case columns). */
  async function dump(url: string): Promise<Record<string, unknown[]>> {
    const tables: Record<string, unknown[]> = {};
    for (const table of TABLES) tables[table] = (await (await fetch(`${url}/dump/${table}`)).json()) as unknown[];
    return tables;
  }

  before(async function () {
    stack = await startStack({ nodePort: 8630, vitePort: 0, app: false });
    publicClient = createPublicClient({ chain: hardhat, transport: http(stack.rpcUrl) }) as PublicClient;
    indexer = startIndexer({
      rpcUrl: stack.rpcUrl,
      chainId: stack.deployment.chainId,
      port: 42170,
      deploymentsDir: stack.deploymentsDir,
      dump: true,
    });
    api = createIndexerClient(indexer.url);
    await indexer.ready();

    // What the demo seed does not do, while the indexer follows the chain live.
    const listings = await getListings(reader());
    const [repriced, cancelled] = listings.filter((listing) => !listing.issuerBacked);
    await updatePrice(as(repriced.seller), repriced.tradeId, repriced.price + 1_000_000n);
    await cancelListing(as(cancelled.seller), cancelled.tradeId);
    const sold = await publicClient.readContract({
      ...exchange(),
      functionName: "trade",
      args: [stack.seed.orderIds.get("s1")!],
    });
    const holder = await publicClient.readContract({
      ...token(),
      functionName: "ownerOf",
      args: [BigInt(sold.tokenId)],
    });
    await redeem(as(holder), BigInt(sold.tokenId));
    const owner = stack.deployment.deployer;
    await execute(
      as(owner),
      contractCall(stack.deployment.voucherToken, voucherTokenAbi, "setBrandActive", [2n, false]),
    );
    await execute(as(owner), contractCall(stack.deployment.voucherExchange, voucherExchangeAbi, "pause", []));
    await execute(as(owner), contractCall(stack.deployment.voucherExchange, voucherExchangeAbi, "unpause", []));
    await execute(
      as(owner),
      contractCall(stack.deployment.voucherExchange, voucherExchangeAbi, "setProtocolFee", [250]),
    );
    // Recyclers' offers: a top-up and a new schedule on one, another cancelled (its budget refunded).
    const [changed, closed] = [...stack.seed.offerIds.values()];
    const live = await getOffer(reader(), changed);
    await topUpOffer(as(live.recycler), changed, live.payToken === zeroAddress ? 10n ** 15n : 1_000_000n);
    await setOfferSchedule(as(live.recycler), changed, {
      ...live.schedule,
      tiers: live.schedule.tiers.map((tier) => ({ ...tier, rateBps: Math.max(1_000, tier.rateBps - 300) })),
    });
    await cancelOffer(as((await getOffer(reader(), closed)).recycler), closed);
    await synced(api);
  });

  after(async function () {
    await indexer?.stop();
    await stack?.stop();
  });

  it("has a trade row per trade id, in the contract's state", async function () {
    const count = await publicClient.readContract({ ...exchange(), functionName: "tradeCount" });
    const sold = new Map((await soldToOffers()).map((log) => [log.args.tradeId, log.args]));
    expect(sold.size, "cards sold into offers").to.be.greaterThan(0);
    for (let id = 1n; id <= count; id++) {
      const [stored, row] = await Promise.all([
        publicClient.readContract({ ...exchange(), functionName: "trade", args: [id] }),
        api.order(id),
      ]);
      expect(row, `trade ${id}`).to.not.equal(null);
      // An issuer-backed card sold into an offer settles in the sale and is not stored: its SoldToOffer is its record.
      const instant = sold.get(id);
      const chain =
        stored.status === Status.None && instant
          ? {
              status: Status.Completed,
              seller: instant.seller,
              price: instant.price,
              payToken: await offerToken(instant.offerId),
              tokenId: instant.tokenId,
            }
          : stored;
      expect({
        status: row!.status,
        seller: row!.seller,
        price: row!.price,
        payToken: row!.payToken,
        tokenId: row!.tokenId,
      }).to.deep.equal({
        status: chain.status,
        seller: chain.seller.toLowerCase(),
        price: chain.price,
        payToken: chain.payToken.toLowerCase(),
        tokenId: BigInt(chain.tokenId),
      });
      expect(row!.history.at(-1)!.status, `trade ${id}'s last state`).to.equal(chain.status);
    }
  });

  it("serves exactly the unexpired listed trades as the market", async function () {
    const now = Number((await publicClient.getBlock()).timestamp);
    const onChain = (await getListings(reader()))
      .filter((listing) => Number(listing.expiresAt) > now)
      .map((listing) => listing.tradeId)
      .sort((a, b) => Number(a - b));
    const page = await api.market({ now, sort: "newest", order: "asc", limit: 200 });
    expect(page.rows.map((row) => row.tradeId)).to.deep.equal(onChain);
    expect(page.total).to.equal(onChain.length);
  });

  it("sorts by trust: verified cards, then sellers with a record, implausible discounts last; records as on chain", async function () {
    const rates = { ETH: 3000, kUSD: 1, USD: 1, kCNY: 0.14, CNY: 0.14 };
    const page = await api.market({ sort: "trust", rates, limit: 200 });
    const rank = (row: (typeof page.rows)[number]) => {
      if (row.implausible) return 3;
      if (row.issuerBacked || row.attested) return 0;
      const record = row.sellerReputation;
      return record.sales >= TRACK_RECORD_SALES && record.disputesLost === 0 ? 1 : 2;
    };
    const ranks = page.rows.map(rank);
    expect(ranks).to.deep.equal([...ranks].sort((a, b) => a - b));
    expect(new Set(ranks).size, "ranks present").to.be.greaterThan(1);
    for (const row of page.rows.filter((r) => r.implausible)) {
      expect(row.issuerBacked || row.attested, `trade ${row.tradeId} flagged though verified`).to.equal(false);
      expect(row.discount!).to.be.at.least(0.25 - 1e-9);
    }
    const records = await getReputations(reader(), [...new Set(page.rows.map((row) => row.seller))]);
    for (const row of page.rows) {
      const chain = records.get(row.seller)!;
      expect(row.sellerReputation, `record of ${row.seller}`).to.deep.include({
        sales: Number(chain.sales),
        disputesLost: Number(chain.disputesLost),
        listed: chain.listed,
        verified: chain.verified,
      });
    }
  });

  it("keeps every voucher's owner, terms and provenance", async function () {
    const total = await publicClient.readContract({ ...token(), functionName: "totalMinted" }).catch(() => undefined);
    const tokenIds = total ? Array.from({ length: Number(total) }, (_, i) => BigInt(i + 1)) : [];
    const ids = tokenIds.length > 0 ? tokenIds : [...stack.seed.tokenIds.values()];
    for (const tokenId of ids) {
      const [indexed, events] = await Promise.all([api.provenance(tokenId), getProvenance(reader(), tokenId)]);
      // Event for event, argument for argument, as the app reads it from either source (the mint's Transfer aside).
      expect(provenanceFromIndex(indexed.events), `voucher ${tokenId}`).to.deep.equal(
        events.filter((e) => e.event !== "Transfer" || e.args.from !== zeroAddress),
      );
      const owner = await publicClient
        .readContract({ ...token(), functionName: "ownerOf", args: [tokenId] })
        .catch(() => undefined);
      if (owner) expect(indexed.voucher!.owner, `owner of ${tokenId}`).to.equal(owner.toLowerCase());
      else expect(indexed.voucher!.redeemedAt, `voucher ${tokenId} redeemed`).to.be.a("number");
      const terms = await publicClient
        .readContract({ ...token(), functionName: "voucher", args: [tokenId] })
        .catch(() => undefined);
      if (terms) {
        expect([indexed.voucher!.brandId, indexed.voucher!.faceValue, indexed.voucher!.expiresAt]).to.deep.equal([
          terms.brandId,
          terms.faceValue,
          terms.expiresAt,
        ]);
      }
    }
  });

  it("records every sale with its price", async function () {
    const sales = await getSales(reader());
    const rows = (await (await fetch(`${indexer.url}/dump/sale`)).json()) as { trade_id: string; price: string }[];
    expect(rows.map((row) => [BigInt(row.trade_id), BigInt(row.price)])).to.deep.equal(
      sales.map((sale) => [sale.tradeId, sale.price]).sort((a, b) => Number(a[0] - b[0])),
    );
  });

  it("matches every account's reputation, credits and distributor record", async function () {
    const tokens = [zeroAddress, stack.deployment.stablecoin, stack.deployment.cnyStablecoin];
    const tables = await dump(indexer.url);
    const accounts = new Set<string>();
    for (const row of tables.trade as { seller: string; buyer: string | null; referrer: string | null }[]) {
      for (const who of [row.seller, row.buyer, row.referrer]) if (who && who !== zeroAddress) accounts.add(who);
    }
    for (const row of tables.credit as { account: string }[]) accounts.add(row.account);
    for (const row of tables.distributor as { account: string }[]) accounts.add(row.account);
    expect(accounts.size).to.be.greaterThan(5);
    for (const account of accounts) {
      const address = account as Address;
      const [[stats, credits], [joined, upline], indexed] = await Promise.all([
        publicClient.readContract({ ...exchange(), functionName: "account", args: [address, tokens] }),
        publicClient.readContract({ ...exchange(), functionName: "distributor", args: [address] }),
        api.wallet(address),
      ]);
      expect(indexed.reputation, `reputation of ${account}`).to.deep.equal({
        sales: Number(stats.sales),
        purchases: Number(stats.purchases),
        disputesLost: Number(stats.disputesLost),
      });
      tokens.forEach((t, i) =>
        expect(indexed.credits[t.toLowerCase()]?.balance ?? 0n, `credit of ${account} in ${t}`).to.equal(credits[i]),
      );
      expect(indexed.distributor?.upline ?? null, `upline of ${account}`).to.equal(
        joined ? upline.toLowerCase() : null,
      );
    }
  });

  it("follows brands and governance", async function () {
    const tables = await dump(indexer.url);
    const brands = tables.brand as { id: number; active: boolean; name: string }[];
    const count = await publicClient.readContract({ ...token(), functionName: "brandCount" });
    expect(brands).to.have.length(Number(count));
    for (const row of brands) {
      const chain = await publicClient.readContract({ ...token(), functionName: "brand", args: [BigInt(row.id)] });
      expect([row.name, row.active]).to.deep.equal([chain.name, chain.active]);
    }
    const settings = await getSettings(reader());
    const [row] = (
      tables.settings as { id: string; fee_bps: number; paused: boolean; treasury: string; arbiter: string }[]
    ).filter((r) => r.id === "exchange");
    expect([row.fee_bps, row.paused, row.treasury, row.arbiter]).to.deep.equal([
      settings.feeBps,
      settings.paused,
      settings.treasury.toLowerCase(),
      settings.arbiter.toLowerCase(),
    ]);
    const kinds = new Set([
      ...(tables.voucher_event as { event: string }[]).map((e) => e.event),
      ...(tables.trade_event as { event: string }[]).map((e) => e.event),
    ]);
    const tradeStates = [
      "Listed",
      "ListingCancelled",
      "PriceUpdated",
      "Purchased",
      "CodeDelivered",
      "Disputed",
      "Settled",
      "SoldToOffer",
    ];
    for (const kind of [...tradeStates, "VoucherMinted", "VoucherIssued", "Transfer", "CodeSealed", "Redeemed"]) {
      expect(kinds, kind).to.include(kind);
    }
    expect((tables.trade as { status: number }[]).some((t) => t.status === Status.Cancelled)).to.equal(true);
    const offerKinds = new Set((tables.offer_event as { event: string }[]).map((e) => e.event));
    for (const kind of [
      "OfferPosted",
      "OfferFunded",
      "OfferToppedUp",
      "ScheduleSet",
      "SoldToOffer",
      "OfferSold",
      "OfferCancelled",
      "OfferRefunded",
    ]) {
      expect(offerKinds, kind).to.include(kind);
    }
  });

  it("has an offer row per offer, as offer(id) and offerFunds(id) say", async function () {
    const count = await publicClient.readContract({ ...offers(), functionName: "offerCount" });
    expect(Number(count)).to.be.at.least(stack.seed.offerIds.size);
    for (let id = 1n; id <= count; id++) {
      const [chain, [fundsToken, funds], row] = await Promise.all([
        getOffer(reader(), id),
        publicClient.readContract({ ...exchange(), functionName: "offerFunds", args: [id] }),
        api.offer(id),
      ]);
      expect(row, `offer ${id}`).to.not.equal(null);
      const { recycler, payToken, deliveryKey, schedule, ...terms } = chain;
      expect(row!, `offer ${id}`).to.deep.include({
        ...terms,
        recycler: recycler.toLowerCase(),
        payToken: payToken.toLowerCase(),
        deliveryKey: deliveryKey.toLowerCase(),
      });
      expect(row!.schedule, `schedule of offer ${id}`).to.deep.equal({
        ...schedule,
        tiers: schedule.tiers.map((tier) => ({ ...tier })),
      });
      expect([row!.payToken, row!.budget], `funds of offer ${id}`).to.deep.equal([fundsToken.toLowerCase(), funds]);
      expect(row!.funded - row!.spent - row!.refunded, `budget of offer ${id}`).to.equal(row!.budget);
      expect(row!.maxCards - row!.cardsSold, `cards of offer ${id}`).to.equal(row!.cardsLeft);
    }
  });

  it("ranks open offers as the contract's openOffers, and shows each brand's best in /brands", async function () {
    const now = Number((await publicClient.getBlock()).timestamp);
    const brandCount = await publicClient.readContract({ ...token(), functionName: "brandCount" });
    const stats = await api.brands();
    let seen = 0;
    for (let brandId = 1; brandId <= Number(brandCount); brandId++) {
      for (const face of [0n, 5_000n, 50_000n]) {
        const [chain, indexed] = await Promise.all([
          getOpenOffers(reader(), brandId, face),
          api.offers({ brandId, faceValue: face || undefined, now }),
        ]);
        expect(
          indexed.map((o) => o.offerId),
          `brand ${brandId}, face ${face}`,
        ).to.deep.equal(chain.map((o) => o.offerId));
        seen += chain.length;
      }
      const best = (await getOpenOffers(reader(), brandId))[0];
      expect(
        stats.find((b) => b.brandId === brandId)?.bestOffer?.offerId ?? null,
        `best offer of brand ${brandId}`,
      ).to.equal(best?.offerId ?? null);
    }
    expect(seen, "open offers").to.be.greaterThan(0);
    const all = await api.offers({ now });
    expect(all.map((o) => o.brandId)).to.deep.equal([...all.map((o) => o.brandId)].sort((a, b) => a - b));
  });

  it("lists the cards sold into each recycler's offers and each seller's sales into offers, as the chain does", async function () {
    const sales = await getOfferSales(reader());
    expect(sales.length).to.be.greaterThan(0);
    const view = (s: { tradeId: bigint; offerId: bigint; tokenId: bigint; price: bigint; status: number }) => [
      s.tradeId,
      s.offerId,
      s.tokenId,
      s.price,
      s.status,
    ];
    for (const recycler of new Set(
      (await Promise.all([...stack.seed.offerIds.values()].map((id) => getOffer(reader(), id)))).map((o) => o.recycler),
    )) {
      const mine = await api.recyclerOffers(recycler);
      const ids = mine.offers.map((o) => o.offerId);
      expect(ids, `offers of ${recycler}`).to.deep.equal([...ids].sort((a, b) => Number(b - a)));
      const chain = (await getOfferSales(reader(), { offerId: ids })).reverse();
      expect(mine.incoming.map(view), `cards sold to ${recycler}`).to.deep.equal(chain.map(view));
    }
    for (const seller of new Set(sales.map((s) => s.seller))) {
      const chain = (await getOfferSales(reader(), { seller })).reverse();
      expect((await api.wallet(seller)).offerSales.map(view), `sales of ${seller}`).to.deep.equal(chain.map(view));
    }
  });

  describe("a replay from scratch into PostgreSQL", function () {
    let postgres: Postgres | undefined;
    let replay: Indexer | undefined;
    after(async function () {
      await replay?.stop();
      await postgres?.stop();
    });

    it("gives identical tables", async function () {
      postgres = await startPostgres(54329);
      replay = startIndexer({
        rpcUrl: stack.rpcUrl,
        chainId: stack.deployment.chainId,
        port: 42171,
        deploymentsDir: stack.deploymentsDir,
        databaseUrl: postgres.url,
        dump: true,
      });
      await replay.ready();
      await synced(createIndexerClient(replay.url));
      await synced(api);
      const [first, second] = await Promise.all([dump(indexer.url), dump(replay.url)]);
      for (const table of TABLES) expect(second[table], table).to.deep.equal(first[table]);
      const page = await createIndexerClient(replay.url).market({ limit: 5 });
      expect(page.rows.length).to.be.greaterThan(0);
    });
  });
});
