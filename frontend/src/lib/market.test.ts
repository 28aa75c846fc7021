import { expect } from "chai";
import type { IndexedListing } from "#sdk";
import type { Address } from "viem";
import type { TokenInfo } from "./format.ts";
import {
  indexerQuery,
  needsBrands,
  rowsFromIndex,
  brandMedianDiscounts,
  brandSaleDiscounts,
  compareBrands,
  discountHistory,
  filterRows,
  isImplausible,
  isNearExpiry,
  sortRows,
  toRows,
  trustRank,
  withTrust,
  type Brand,
  type Listing,
  type Sale,
  viewFromQuery,
  viewToQuery,
  withIndexedReference,
} from "./market.ts";
import { DEFAULT_RATES } from "./pricing.ts";

const DAY = 86_400;
const NOW = 1_800_000_000;
const ZERO = "0x0000000000000000000000000000000000000000" as Address;
const KUSD_ADDRESS = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0" as Address;
const SELLER = "0x90F79bf6EB2c4f870365E785982E1f101E93b906" as Address;
const ISSUER = "0xBcd4042DE499D14e55001CcbB24a551F3b954096" as Address;

const brands = new Map<number, Brand>([
  [1, { id: 1, name: "JD E-Card", category: "e-commerce card", currency: "CNY", issuer: ISSUER, active: true }],
  [2, { id: 2, name: "Marriott", category: "hotel voucher", currency: "USD", issuer: ISSUER, active: true }],
  [3, { id: 3, name: "Mystery", category: "other", currency: "THB", issuer: ISSUER, active: true }],
]);
const tokens = new Map<string, TokenInfo>([
  [ZERO, { address: ZERO, symbol: "ETH", decimals: 18 }],
  [KUSD_ADDRESS.toLowerCase(), { address: KUSD_ADDRESS, symbol: "kUSD", decimals: 6 }],
]);

function listing(id: number, patch: Partial<Listing>): Listing {
  return {
    tradeId: BigInt(id),
    tokenId: BigInt(100 + id),
    seller: SELLER,
    payToken: KUSD_ADDRESS,
    price: 90_000_000n,
    brandId: 2,
    faceValue: 10_000n,
    expiresAt: BigInt(NOW + 200 * DAY),
    issuerBacked: false,
    attested: false,
    ...patch,
  };
}

// Marriott $100 at 90 kUSD (10% off); JD ¥500 ($70) at 0.0224 ETH ($67.2, 4% off), near expiry;
// Marriott $150 at 130.5 kUSD (13% off), issuer-backed; Mystery (no rate); an expired JD card.
const listings = [
  listing(1, {}),
  listing(2, {
    brandId: 1,
    faceValue: 50_000n,
    payToken: ZERO,
    price: 22_400_000_000_000_000n,
    expiresAt: BigInt(NOW + 20 * DAY),
  }),
  listing(3, { faceValue: 15_000n, price: 130_500_000n, issuerBacked: true, expiresAt: BigInt(NOW + 100 * DAY) }),
  listing(4, { brandId: 3, faceValue: 20_000n }),
  listing(5, { brandId: 1, expiresAt: BigInt(NOW - 1) }),
];
const rows = toRows(listings, brands, tokens, DEFAULT_RATES, NOW);

/** `source` as the indexer serves it (a kUSD hotel voucher listed a day ago at 10% off), with `extra` on top. */
function indexedListing(
  source: Listing,
  extra: Pick<IndexedListing, "implausible" | "sellerReputation">,
): IndexedListing {
  return {
    ...source,
    tokenSymbol: "kUSD",
    tokenDecimals: 6,
    category: "hotel voucher",
    currency: "USD",
    listedAt: NOW - DAY,
    discount: 0.1,
    ...extra,
  };
}

describe("market", () => {
  it("isNearExpiry is true within 30 days and not after expiry", () => {
    expect(isNearExpiry(BigInt(NOW + 30 * DAY), NOW)).to.equal(true);
    expect(isNearExpiry(BigInt(NOW + 30 * DAY + 1), NOW)).to.equal(false);
    expect(isNearExpiry(BigInt(NOW - 1), NOW)).to.equal(false);
  });

  it("toRows joins brand, token, discount and expiry", () => {
    expect(rows[0].brand?.name).to.equal("Marriott");
    expect(rows[0].token?.symbol).to.equal("kUSD");
    expect(rows[0].discount).to.be.closeTo(0.1, 1e-12);
    expect(rows[1].token?.symbol).to.equal("ETH");
    expect(rows[1].discount).to.be.closeTo(0.04, 1e-12);
    expect(rows[1].nearExpiry).to.equal(true);
    expect(rows[1].secondsLeft).to.equal(20 * DAY);
    expect(rows[3].discount).to.equal(undefined);
    expect(rows[0].currency).to.equal("USD");
    expect(rows[0].discountExact).to.equal(true); // kUSD for a dollar card
    expect(rows[1].discountExact).to.equal(false); // ETH for a yuan card: through the reference rates
  });

  describe("market views as query strings", () => {
    it("round-trips filters and sort, leaving defaults out", () => {
      const view = {
        filters: {
          brandId: 3,
          category: "coffee",
          minFace: 100,
          maxFace: 500,
          faceCurrency: "CNY",
          minDiscount: 0.05,
          expiry: "near" as const,
          kind: "coded" as const,
          payToken: KUSD_ADDRESS,
          verified: true,
        },
        sort: "face" as const,
      };
      const query = viewToQuery(view);
      expect(query.toString()).to.equal(
        `brand=3&cat=coffee&fmin=100&fmax=500&fcur=CNY&disc=5&exp=near&kind=coded&pay=${KUSD_ADDRESS}&ver=1&sort=face`,
      );
      expect(viewFromQuery(query)).to.deep.equal(view);
      expect(viewToQuery({ filters: { expiry: "any", kind: "all" }, sort: "trust" }).toString()).to.equal("");
      expect(viewToQuery({ filters: {}, sort: "discount" }).toString()).to.equal("sort=discount");
    });
    it("ignores malformed values", () => {
      const view = viewFromQuery(new URLSearchParams("brand=x&fmin=-3&disc=abc&exp=soon&kind=?&sort=price&fcur=yuan"));
      expect(view.sort).to.equal("trust");
      expect(Object.values(view.filters).filter((v) => v !== undefined)).to.deep.equal([]);
    });
  });

  describe("filterRows", () => {
    const ids = (filtered: typeof rows) => filtered.map((r) => Number(r.tradeId));
    it("always drops expired listings", () => {
      expect(ids(filterRows(rows, {}))).to.deep.equal([1, 2, 3, 4]);
    });
    it("filters by brand and category", () => {
      expect(ids(filterRows(rows, { brandId: 2 }))).to.deep.equal([1, 3]);
      expect(ids(filterRows(rows, { category: "e-commerce card" }))).to.deep.equal([2]);
    });
    it("filters by face value in the card's currency, bounds included", () => {
      expect(ids(filterRows(rows, { minFace: 150 }))).to.deep.equal([2, 3, 4]);
      expect(ids(filterRows(rows, { minFace: 100, maxFace: 150 }))).to.deep.equal([1, 3]);
    });
    it("with a face-value currency, leaves out cards in other currencies instead of comparing numbers", () => {
      // "$150 or more": the ¥500 card (about $70) and the 200 THB one are not in it.
      expect(ids(filterRows(rows, { minFace: 150, faceCurrency: "USD" }))).to.deep.equal([3]);
      expect(ids(filterRows(rows, { minFace: 150, faceCurrency: "CNY" }))).to.deep.equal([2]);
      // No bounds, no currency filter.
      expect(ids(filterRows(rows, { faceCurrency: "CNY" }))).to.deep.equal([1, 2, 3, 4]);
    });
    it("filters by minimum discount, leaving out unpriced rows", () => {
      expect(ids(filterRows(rows, { minDiscount: 0.1 }))).to.deep.equal([1, 3]);
      expect(ids(filterRows(rows, { minDiscount: 0 }))).to.deep.equal([1, 2, 3]);
    });
    it("filters by expiry window, kind and payment token", () => {
      expect(ids(filterRows(rows, { expiry: "near" }))).to.deep.equal([2]);
      expect(ids(filterRows(rows, { expiry: "180" }))).to.deep.equal([2, 3]);
      expect(ids(filterRows(rows, { expiry: "long" }))).to.deep.equal([1, 4]);
      expect(ids(filterRows(rows, { kind: "issuer" }))).to.deep.equal([3]);
      expect(ids(filterRows(rows, { kind: "coded" }))).to.deep.equal([1, 2, 4]);
      expect(ids(filterRows(rows, { payToken: ZERO }))).to.deep.equal([2]);
    });
  });

  describe("sortRows", () => {
    const ids = (key: Parameters<typeof sortRows>[1]) =>
      sortRows(filterRows(rows, {}), key).map((r) => Number(r.tradeId));
    it("sorts by biggest discount, unpriced last", () => {
      expect(ids("discount")).to.deep.equal([3, 1, 2, 4]);
    });
    it("sorts by expiry, face value and recency", () => {
      expect(ids("expiry")).to.deep.equal([2, 3, 1, 4]);
      // Face value within each currency: the reader's currency first, then the others by code.
      expect(ids("face")).to.deep.equal([2, 4, 3, 1]);
      expect(sortRows(filterRows(rows, {}), "face", ["USD"]).map((r) => Number(r.tradeId))).to.deep.equal([3, 1, 2, 4]);
      expect(sortRows(filterRows(rows, {}), "face", ["CNY"]).map((r) => Number(r.tradeId))).to.deep.equal([2, 4, 3, 1]);
      expect(ids("newest")).to.deep.equal([4, 3, 2, 1]);
    });
    it("does not mutate its input", () => {
      const input = filterRows(rows, {});
      sortRows(input, "newest");
      expect(input.map((r) => Number(r.tradeId))).to.deep.equal([1, 2, 3, 4]);
    });
  });

  const sales: Sale[] = [
    {
      tradeId: 10n,
      tokenId: 1n,
      brandId: 2,
      faceValue: 10_000n,
      payToken: KUSD_ADDRESS,
      price: 95_000_000n,
      timestamp: NOW - 2 * DAY,
    },
    {
      tradeId: 11n,
      tokenId: 2n,
      brandId: 2,
      faceValue: 10_000n,
      payToken: KUSD_ADDRESS,
      price: 88_000_000n,
      timestamp: NOW - DAY,
    },
    {
      tradeId: 12n,
      tokenId: 3n,
      brandId: 2,
      faceValue: 10_000n,
      payToken: KUSD_ADDRESS,
      price: 92_000_000n,
      timestamp: NOW - DAY + 60,
    },
    {
      tradeId: 13n,
      tokenId: 4n,
      brandId: 1,
      faceValue: 50_000n,
      payToken: ZERO,
      price: 22_400_000_000_000_000n,
      timestamp: NOW - 2 * DAY,
    },
  ];

  it("compareBrands gives best ask, average discount and last sale per brand", () => {
    const comparison = compareBrands(rows, sales, brands, tokens, DEFAULT_RATES);
    expect(comparison.map((c) => [c.brand.name, c.listings])).to.deep.equal([
      ["Marriott", 2],
      ["JD E-Card", 1],
      ["Mystery", 1],
    ]);
    const marriott = comparison[0];
    expect(Number(marriott.bestAsk?.tradeId)).to.equal(3);
    expect(marriott.averageDiscount).to.be.closeTo(0.115, 1e-12);
    expect(marriott.averageExact).to.equal(true); // kUSD prices of a dollar card
    expect(marriott.lastSale?.discountExact).to.equal(true);
    expect(comparison[1].averageExact).to.equal(false); // an ETH price of a yuan card
    expect(marriott.lastSale?.tradeId).to.equal(12n);
    expect(marriott.lastSale?.discount).to.be.closeTo(0.08, 1e-12);
    expect(comparison[1].lastSale?.discount).to.be.closeTo(0.04, 1e-12);
    expect(comparison[2].averageDiscount).to.equal(undefined);
    expect(Number(comparison[2].bestAsk?.tradeId)).to.equal(4);
  });

  it("brandSaleDiscounts collects the completed sales of one brand (asks are not sales)", () => {
    const discounts = brandSaleDiscounts(2, sales, brands, tokens, DEFAULT_RATES);
    expect(discounts.map((d) => Math.round(d * 1000) / 1000)).to.deep.equal([0.05, 0.12, 0.08]);
    expect(brandSaleDiscounts(9, sales, brands, tokens, DEFAULT_RATES)).to.deep.equal([]);
    const medians = brandMedianDiscounts(sales, brands, tokens, DEFAULT_RATES);
    expect(medians.get(2)).to.be.closeTo(0.08, 1e-12);
    expect(medians.get(1)).to.be.closeTo(0.04, 1e-12);
  });

  describe("trust", () => {
    const good = { sales: 5n, disputesLost: 0n, listed: 6, verified: 1 };
    const lost = { sales: 9n, disputesLost: 1n, listed: 9, verified: 0 };
    it("marks issuer-backed and attested cards verified", () => {
      const [coded, attested, backed] = toRows(
        [listing(1, {}), listing(2, { attested: true }), listing(3, { issuerBacked: true })],
        brands,
        tokens,
        DEFAULT_RATES,
        NOW,
      );
      expect([coded.verified, attested.verified, backed.verified]).to.deep.equal([false, true, true]);
    });
    it("flags an unverified discount far beyond the brand's usual one, never a verified card", () => {
      expect(isImplausible({ verified: false, discount: 0.3 }, 0.05)).to.equal(true);
      expect(isImplausible({ verified: false, discount: 0.25 }, 0.05)).to.equal(true); // at least 25% off
      expect(isImplausible({ verified: false, discount: 0.27 }, 0.12)).to.equal(true); // 12% + 15 points
      expect(isImplausible({ verified: false, discount: 0.26 }, 0.12)).to.equal(false);
      expect(isImplausible({ verified: false, discount: 0.24 }, undefined)).to.equal(false); // 25% without sales
      expect(isImplausible({ verified: true, discount: 0.6 }, 0.05)).to.equal(false);
      expect(isImplausible({ verified: false, discount: undefined }, 0.05)).to.equal(false);
    });
    it("ranks verified, then sellers with a clean track record, then others, then implausible discounts", () => {
      expect(trustRank({ verified: true, sellerRecord: undefined, implausible: false })).to.equal(0);
      expect(trustRank({ verified: false, sellerRecord: good, implausible: false })).to.equal(1);
      expect(trustRank({ verified: false, sellerRecord: lost, implausible: false })).to.equal(2);
      expect(trustRank({ verified: false, sellerRecord: undefined, implausible: false })).to.equal(2);
      expect(trustRank({ verified: false, sellerRecord: good, implausible: true })).to.equal(3);
    });
    it("sorts by trust before discount: a verified card at 5% off outranks an unverified one at 8%", () => {
      const FRESH = "0x00000000000000000000000000000000000000f1" as Address;
      const market = toRows(
        [
          listing(1, { price: 92_000_000n }), // 8% off, seller with a track record
          listing(2, { price: 95_000_000n, attested: true }), // 5% off, verified
          listing(3, { price: 50_000_000n, seller: FRESH }), // 50% off, unverified: implausible
          listing(4, { price: 90_000_000n, seller: FRESH }), // 10% off, unknown seller
        ],
        brands,
        tokens,
        DEFAULT_RATES,
        NOW,
      );
      const trusted = withTrust(market, new Map([[SELLER.toLowerCase(), good]]), new Map([[2, 0.06]]));
      expect(trusted.map((r) => r.implausible)).to.deep.equal([false, false, true, false]);
      expect(sortRows(trusted, "trust").map((r) => Number(r.tradeId))).to.deep.equal([2, 1, 4, 3]);
      expect(sortRows(trusted, "discount").map((r) => Number(r.tradeId))).to.deep.equal([3, 4, 1, 2]);
      expect(filterRows(trusted, { verified: true }).map((r) => Number(r.tradeId))).to.deep.equal([2]);
    });
  });

  it("discountHistory averages sales per UTC day, oldest first", () => {
    const dayOf = (t: number) => t - (t % DAY);
    const all = discountHistory(sales, brands, tokens, DEFAULT_RATES);
    expect(all.map((p) => [p.day, p.sales])).to.deep.equal([
      [dayOf(NOW - 2 * DAY), 2],
      [dayOf(NOW - DAY), 2],
    ]);
    expect(all[0].averageDiscount).to.be.closeTo((0.05 + 0.04) / 2, 1e-12);
    expect(all[1].averageDiscount).to.be.closeTo((0.12 + 0.08) / 2, 1e-12);
    const jd = discountHistory(sales, brands, tokens, DEFAULT_RATES, 1);
    expect(jd).to.have.length(1);
    expect(jd[0].averageDiscount).to.be.closeTo(0.04, 1e-12);
  });
});

describe("the market through the indexer", () => {
  it("indexerQuery asks the indexer for exactly what filterRows and sortRows do here", () => {
    const view = viewFromQuery(
      new URLSearchParams("brand=1&cat=coffee&fmin=100&fmax=500&fcur=CNY&disc=15&exp=near&kind=coded&ver=1&sort=face"),
    );
    const query = indexerQuery(view, ["CNY", "USD"], DEFAULT_RATES);
    expect(query).to.deep.include({
      brandId: 1,
      category: "coffee",
      currency: "CNY",
      minFace: 10_000n,
      maxFace: 50_000n,
      minDiscount: 0.15,
      maxDaysLeft: 30,
      minDaysLeft: undefined,
      kind: "coded",
      verified: true,
      sort: "face",
    });
    expect(query.currencyOrder).to.deep.equal(["CNY", "USD"]);
    // Pegged stablecoins travel under their own symbols, at their currency's rate.
    expect(query.rates).to.include({ kUSD: DEFAULT_RATES.USD, kCNY: DEFAULT_RATES.CNY, ETH: DEFAULT_RATES.ETH });
    const plain = indexerQuery(viewFromQuery(new URLSearchParams("exp=long&kind=all")), ["CNY"], DEFAULT_RATES);
    expect([plain.minDaysLeft, plain.maxDaysLeft, plain.kind, plain.currency, plain.sort]).to.deep.equal([
      180,
      undefined,
      undefined,
      undefined,
      "trust",
    ]);
    expect(plain.currencyOrder).to.equal(undefined);
  });

  it("rowsFromIndex makes the row toRows makes, with the indexer's seller record and flag", () => {
    const source = listings[0];
    const indexed = indexedListing(source, {
      implausible: true,
      sellerReputation: { sales: 4, purchases: 1, disputesLost: 0, listed: 5, verified: 2 },
    });
    const [row] = rowsFromIndex([indexed], brands, tokens, DEFAULT_RATES, NOW);
    const [local] = toRows([source], brands, tokens, DEFAULT_RATES, NOW);
    const judged = (r: typeof row) => [
      r.tradeId,
      r.brand,
      r.token,
      r.currency,
      r.discount,
      r.discountExact,
      r.secondsLeft,
      r.nearExpiry,
      r.verified,
    ];
    expect(judged(row)).to.deep.equal(judged(local));
    expect(row.sellerRecord).to.deep.equal({ sales: 4n, disputesLost: 0n, listed: 5, verified: 2 });
    expect(row.implausible).to.equal(true);
    expect(trustRank(row)).to.equal(3);
  });

  it("needsBrands: only the face sort and face bounds without a currency of their own wait for the brands", () => {
    const needs = (query: string) => needsBrands(viewFromQuery(new URLSearchParams(query)));
    expect(needs("")).to.equal(false);
    expect(needs("brand=1&cat=coffee&disc=15&exp=near&kind=coded&ver=1&sort=expiry")).to.equal(false);
    expect(needs("fmin=100&fcur=CNY")).to.equal(false);
    expect(needs("sort=face")).to.equal(true);
    expect(needs("fmin=100")).to.equal(true);
    // A brand's own currency bounds its face values, whatever `fcur` says.
    expect(needs("brand=1&fmax=500&fcur=CNY")).to.equal(true);
  });

  it("withIndexedReference draws rows from the indexer's brands and tokens until the chain's are read", () => {
    const source = listings[0];
    const indexed = indexedListing(source, {
      implausible: false,
      sellerReputation: { sales: 0, purchases: 0, disputesLost: 0, listed: 1, verified: 0 },
    });
    const page = { rows: [indexed], brands: [brands.get(source.brandId)!] };
    const early = withIndexedReference([page], new Map(), new Map());
    const [row] = rowsFromIndex([indexed], early.brands, early.tokens, DEFAULT_RATES, NOW);
    const [read] = rowsFromIndex([indexed], brands, tokens, DEFAULT_RATES, NOW);
    expect([row.brand?.name, row.currency, row.token?.symbol, row.discount]).to.deep.equal([
      read.brand?.name,
      read.currency,
      read.token?.symbol,
      read.discount,
    ]);
    // Once read, the chain's own win.
    const renamed = new Map([[source.brandId, { ...brands.get(source.brandId)!, name: "Renamed" }]]);
    expect(withIndexedReference([page], renamed, tokens).brands.get(source.brandId)?.name).to.equal("Renamed");
  });
});
