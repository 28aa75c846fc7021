/**
 * The demo market the seed lays down: brands, who holds which card, what is listed at what share of face value, and
 * two weeks of trades. Prices follow what the card-recycling market pays (e-commerce and top-up cards 95–97% of face
 * value, supermarket cards 92–95%, game cards ~90%, meal and hotel vouchers 87–91%, coffee 85–88%), deeper for cards
 * close to expiry. Times are in days before the end of the history ("now"). Pure data and arithmetic.
 */

/** US dollars per unit, the same reference rates the frontend uses by default (frontend/src/lib/pricing.ts). */
export const REF_RATES = { ETH: 3000, kUSD: 1, USD: 1, CNY: 0.14, kCNY: 0.14 } as const;

/** How a listing is paid: ETH, or the test stablecoin of the brand's currency (kCNY for ¥ cards, kUSD for $ cards). */
export type PayToken = "ETH" | "kUSD" | "kCNY";

/** Demo account names → index in Hardhat's default accounts (see scripts/demo-accounts.ts). */
export const ACTORS = {
  owner: 0,
  treasury: 1,
  arbiter: 2,
  alice: 3,
  bob: 4,
  carol: 5,
  dave: 6,
  erin: 7,
  frank: 8,
  grace: 9,
  henry: 10,
  ivy: 11,
  jack: 12,
  kate: 13,
} as const;

export type Actor = keyof typeof ACTORS;

export interface BrandPlan {
  name: string;
  category: string;
  currency: "CNY" | "USD";
  /** The face values its cards come in, in major units of the currency (set on chain as its denominations). */
  denominations: readonly number[];
}

const brand = (name: string, category: string, currency: BrandPlan["currency"], denominations: number[]) =>
  ({ name, category, currency, denominations }) satisfies BrandPlan;

/** Brand ids are 1-based in this order. Henry (#10) is every brand's issuer. */
export const BRANDS = {
  jd: brand("JD E-Card", "e-commerce card", "CNY", [100, 200, 500, 1000]),
  tmall: brand("Tmall Gift Card", "e-commerce card", "CNY", [100, 200, 300, 500, 1000]),
  amazon: brand("Amazon Gift Card", "e-commerce card", "USD", [10, 20, 25, 50, 100]),
  walmart: brand("Walmart Shopping Card", "supermarket card", "CNY", [100, 200, 500, 1000]),
  costco: brand("Costco Shop Card", "supermarket card", "USD", [25, 50, 100, 250, 500]),
  starbucks: brand("Starbucks Star Card", "coffee", "CNY", [50, 100, 200]),
  luckin: brand("Luckin Coffee Voucher", "coffee", "CNY", [30, 50, 100]),
  meituan: brand("Meituan Meal Voucher", "meal voucher", "CNY", [50, 100, 200]),
  marriott: brand("Marriott Hotel Voucher", "hotel voucher", "USD", [50, 100, 150, 200, 500]),
  cmcc: brand("China Mobile Top-up", "phone top-up", "CNY", [30, 50, 100]),
  steam: brand("Steam Wallet Card", "game card", "USD", [5, 10, 20, 25, 50, 100]),
};

export type BrandKey = keyof typeof BRANDS;

/**
 * How a coded brand's cards look: the number printed on the card (its fingerprint is what the brand's registry keeps)
 * and the secret PIN under the scratch panel; `A` is a random letter/digit, `9` a random digit, anything else literal.
 * Brands without a format are issuer-backed (the token is the card: no number, no PIN).
 */
export const CARD_FORMATS: Partial<Record<BrandKey, { number: string; pin: string }>> = {
  jd: { number: "JD99 9999 9999 9999", pin: "AAAA-AAAA-AAAA-AAAA" },
  tmall: { number: "9999 9999 9999 9999", pin: "999999" },
  amazon: { number: "9999-999999-9999", pin: "AAAA-AAAAAA-AAAA" },
  walmart: { number: "2336 9999 9999 9999", pin: "999999" },
  costco: { number: "9999 9999 9999 9999", pin: "9999" },
  starbucks: { number: "9999 9999 9999 9999", pin: "99999999" },
  luckin: { number: "LK99 9999 9999", pin: "AAAA-AAAA-AA" },
  cmcc: { number: "99999999999999999", pin: "9999 9999 9999 9999 999" },
  steam: { number: "9999999999", pin: "AAAAA-AAAAA-AAAAA" },
};

export const BRAND_KEYS = Object.keys(BRANDS) as BrandKey[];

/** 1-based on-chain brand id of a brand key. */
export function brandId(key: BrandKey): number {
  return BRAND_KEYS.indexOf(key) + 1;
}

export interface VoucherPlan {
  key: string;
  owner: Actor;
  brand: BrandKey;
  /** Face value in major units of the brand's currency. */
  face: number;
  /** Expiry in days after "now"; negative means already expired. */
  expiresIn: number;
  mintedAgo: number;
  /** Issuer-backed (issued by Henry, no code) rather than a self-declared coded card. */
  backed?: boolean;
  /** A coded card Henry sold and finds in his records: he attests it right after the mint (the market shows it verified). */
  attested?: boolean;
  listing?: { pay: PayToken; pct: number; ago: number };
}

const v = (
  key: string,
  owner: Actor,
  brand: BrandKey,
  face: number,
  expiresIn: number,
  listing?: [PayToken, number, number],
  extra: Partial<VoucherPlan> = {},
): VoucherPlan => ({
  key,
  owner,
  brand,
  face,
  expiresIn,
  mintedAgo: 13.8,
  backed: CARD_FORMATS[brand] === undefined,
  listing: listing && { pay: listing[0], pct: listing[1], ago: listing[2] },
  ...extra,
});

/** Every card in the demo: 57 vouchers, 38 of them listed at some point, 16 held to sell into recyclers' offers. */
export const VOUCHERS: readonly VoucherPlan[] = [
  // Alice: a busy seller of coded cards; her delivery agent answers purchases.
  v("alice-jd500-a", "alice", "jd", 500, 300, ["ETH", 0.965, 13.7]),
  v("alice-jd500-b", "alice", "jd", 500, 300, ["kCNY", 0.97, 13.7]),
  v("alice-jd500-c", "alice", "jd", 500, 300, ["ETH", 0.96, 6]),
  v("alice-jd500-d", "alice", "jd", 500, 300, ["ETH", 0.968, 4], { attested: true }),
  v("alice-jd1000", "alice", "jd", 1000, 280, ["kCNY", 0.965, 3], { attested: true }),
  v("alice-jd200", "alice", "jd", 200, 20, ["kCNY", 0.94, 2]),
  v("alice-tmall300", "alice", "tmall", 300, 200, ["ETH", 0.955, 1.5]),
  v("alice-tmall500", "alice", "tmall", 500, 200, ["ETH", 0.96, 1]),
  v("alice-sbux100-a", "alice", "starbucks", 100, 150, ["kCNY", 0.87, 13.7]),
  v("alice-sbux100-b", "alice", "starbucks", 100, 150, ["kCNY", 0.88, 5]),
  v("alice-sbux200", "alice", "starbucks", 200, 12, ["ETH", 0.85, 2]),
  v("alice-luckin100", "alice", "luckin", 100, 90, ["kCNY", 0.87, 4]),
  v("alice-cmcc100-a", "alice", "cmcc", 100, 365, ["ETH", 0.97, 8]),
  v("alice-cmcc100-b", "alice", "cmcc", 100, 365, ["ETH", 0.97, 3], { attested: true }),
  v("alice-cmcc50", "alice", "cmcc", 50, 365, ["kCNY", 0.965, 3]),
  v("alice-steam20", "alice", "steam", 20, 730, ["kUSD", 0.9, 4]),
  v("alice-steam50", "alice", "steam", 50, 730, ["kUSD", 0.91, 2]),
  v("alice-marriott150", "alice", "marriott", 150, 180, ["kUSD", 0.87, 6], { mintedAgo: 13 }),
  // Frank: supermarket and US cards; delivers by hand (no agent), so one order waits for him.
  v("frank-walmart500-a", "frank", "walmart", 500, 180, ["kCNY", 0.93, 13.5], { mintedAgo: 13.6 }),
  v("frank-walmart500-b", "frank", "walmart", 500, 180, ["kCNY", 0.94, 5], { mintedAgo: 13.6, attested: true }),
  v("frank-walmart1000", "frank", "walmart", 1000, 25, ["ETH", 0.92, 3], { mintedAgo: 13.6 }),
  v("frank-walmart200", "frank", "walmart", 200, 180, ["kCNY", 0.93, 1], { mintedAgo: 13.6 }),
  v("frank-costco50", "frank", "costco", 50, 365, ["kUSD", 0.95, 7], { mintedAgo: 13.6 }),
  v("frank-costco100", "frank", "costco", 100, 365, ["kUSD", 0.95, 2], { mintedAgo: 13.6 }),
  v("frank-amazon25", "frank", "amazon", 25, 3650, ["ETH", 0.94, 9], { mintedAgo: 13.6 }),
  v("frank-amazon50", "frank", "amazon", 50, 3650, ["ETH", 0.95, 3], { mintedAgo: 13.6 }),
  v("frank-amazon100", "frank", "amazon", 100, 3650, ["kUSD", 0.96, 2], { mintedAgo: 13.6, attested: true }),
  v("frank-steam20", "frank", "steam", 20, 730, ["ETH", 0.9, 6], { mintedAgo: 13.6 }),
  // Ivy: a small holder clearing near-expiry coffee cards and issuer-backed vouchers.
  v("ivy-luckin50", "ivy", "luckin", 50, 8, ["kCNY", 0.85, 3], { mintedAgo: 10 }),
  v("ivy-sbux50", "ivy", "starbucks", 50, 28, ["ETH", 0.86, 2], { mintedAgo: 10, attested: true }),
  v("ivy-jd100", "ivy", "jd", 100, 60, ["ETH", 0.96, 1], { mintedAgo: 10 }),
  v("ivy-tmall100", "ivy", "tmall", 100, 200, undefined, { mintedAgo: 10 }),
  v("ivy-meituan100", "ivy", "meituan", 100, 45, ["kCNY", 0.9, 4], { mintedAgo: 10 }),
  v("ivy-marriott200", "ivy", "marriott", 200, 120, ["ETH", 0.88, 5], { mintedAgo: 10 }),
  // Grace: a buyer who also holds cards, one of them already expired.
  v("grace-sbux100-expired", "grace", "starbucks", 100, -2),
  v("grace-luckin30", "grace", "luckin", 30, 5),
  v("grace-meituan200", "grace", "meituan", 200, 60, ["kCNY", 0.9, 7], { mintedAgo: 13 }),
  v("grace-meituan50", "grace", "meituan", 50, 29, ["kCNY", 0.91, 2], { mintedAgo: 13 }),
  // Henry, the brands' issuer, sells issuer-backed vouchers directly.
  v("henry-marriott100-a", "henry", "marriott", 100, 240, ["kUSD", 0.9, 3], { mintedAgo: 3.5 }),
  v("henry-marriott100-b", "henry", "marriott", 100, 240, ["kUSD", 0.9, 3], { mintedAgo: 3.5 }),
  v("henry-meituan100", "henry", "meituan", 100, 90, ["ETH", 0.91, 1], { mintedAgo: 3.5 }),
  // Ivy's cards for the recyclers' offers: eleven JD cards earn the batch bonus, one expires within 30 days; two
  // Meituan vouchers settle at once. Two more were sold into offers before "now" (OFFER_SALES).
  ...Array.from({ length: 10 }, (_, i) => v(`ivy-jd100-${i + 1}`, "ivy", "jd", 100, 200, undefined, { mintedAgo: 2 })),
  v("ivy-jd200-soon", "ivy", "jd", 200, 20, undefined, { mintedAgo: 2 }),
  v("ivy-jd500", "ivy", "jd", 500, 200, undefined, { mintedAgo: 2 }),
  v("ivy-meituan100-a", "ivy", "meituan", 100, 120, undefined, { mintedAgo: 2 }),
  v("ivy-meituan100-b", "ivy", "meituan", 100, 120, undefined, { mintedAgo: 2 }),
  v("ivy-tmall200", "ivy", "tmall", 200, 200, undefined, { mintedAgo: 2 }),
  v("ivy-meituan50", "ivy", "meituan", 50, 120, undefined, { mintedAgo: 2 }),
];

export type SaleEnd = "confirm" | "finalize" | "instant" | "awaiting-delivery" | "delivered" | "dispute";

export interface SalePlan {
  key: string;
  voucher: string;
  buyer: Actor;
  referrer?: Actor;
  boughtAgo: number;
  end: SaleEnd;
  deliveredAgo?: number;
  /** When the buyer confirmed, anyone finalized, or the buyer disputed. */
  closedAgo?: number;
  /** The seller delivers this instead of the committed code (the dispute). */
  wrongCode?: string;
}

/** Trades in time order: ten settled sales, then one order in each open state. */
export const SALES: readonly SalePlan[] = [
  {
    key: "s1",
    voucher: "alice-jd500-a",
    buyer: "bob",
    referrer: "erin",
    boughtAgo: 12,
    deliveredAgo: 11.99,
    closedAgo: 11.9,
    end: "confirm",
  },
  {
    key: "s2",
    voucher: "frank-walmart500-a",
    buyer: "grace",
    referrer: "dave",
    boughtAgo: 11,
    deliveredAgo: 10.8,
    closedAgo: 10.7,
    end: "confirm",
  },
  {
    key: "s3",
    voucher: "alice-sbux100-a",
    buyer: "bob",
    referrer: "erin",
    boughtAgo: 10,
    deliveredAgo: 9.99,
    closedAgo: 9.9,
    end: "confirm",
  },
  {
    key: "s4",
    voucher: "alice-jd500-b",
    buyer: "grace",
    referrer: "erin",
    boughtAgo: 9,
    deliveredAgo: 8.99,
    closedAgo: 8.9,
    end: "confirm",
  },
  {
    key: "s5",
    voucher: "frank-amazon25",
    buyer: "bob",
    boughtAgo: 8,
    deliveredAgo: 7.8,
    closedAgo: 4.7,
    end: "finalize",
  },
  {
    key: "s6",
    voucher: "alice-cmcc100-a",
    buyer: "grace",
    referrer: "erin",
    boughtAgo: 7,
    deliveredAgo: 6.99,
    closedAgo: 6.9,
    end: "confirm",
  },
  { key: "s7", voucher: "grace-meituan200", buyer: "bob", referrer: "erin", boughtAgo: 6, end: "instant" },
  {
    key: "s8",
    voucher: "alice-jd500-c",
    buyer: "bob",
    referrer: "dave",
    boughtAgo: 5,
    deliveredAgo: 4.99,
    closedAgo: 4.9,
    end: "confirm",
  },
  {
    key: "s9",
    voucher: "frank-costco50",
    buyer: "grace",
    referrer: "erin",
    boughtAgo: 4,
    deliveredAgo: 3.8,
    closedAgo: 3.7,
    end: "confirm",
  },
  {
    key: "s10",
    voucher: "alice-steam20",
    buyer: "bob",
    referrer: "erin",
    boughtAgo: 3,
    deliveredAgo: 2.99,
    closedAgo: 2.9,
    end: "confirm",
  },
  {
    key: "dispute",
    voucher: "frank-amazon50",
    buyer: "grace",
    referrer: "erin",
    boughtAgo: 2.5,
    deliveredAgo: 2.4,
    closedAgo: 2,
    end: "dispute",
  },
  {
    key: "delivered",
    voucher: "alice-tmall300",
    buyer: "bob",
    referrer: "erin",
    boughtAgo: 1,
    deliveredAgo: 0.99,
    end: "delivered",
  },
  {
    key: "awaiting",
    voucher: "frank-walmart200",
    buyer: "grace",
    referrer: "dave",
    boughtAgo: 0.25,
    end: "awaiting-delivery",
  },
];

/**
 * A recycler's standing offer (IVoucherOffers), in the recycling market's own terms: tiers as [largest face value in
 * major units, % of face value], a batch bonus as [cards needed, points], a near-expiry adjustment as [days, points].
 */
export interface OfferPlan {
  key: string;
  recycler: Actor;
  brand: BrandKey;
  pay: PayToken;
  tiers: readonly (readonly [number, number])[];
  batch?: readonly [number, number];
  nearExpiry?: readonly [number, number];
  maxCards: number;
  /** Escrowed budget in whole units of `pay` (kCNY, ETH). */
  budget: number;
  attestedOnly?: boolean;
  postedAgo: number;
  /** Days after "now". */
  expiresIn: number;
}

/** Five open offers by two recyclers, their schedules the published rules of card-recycling platforms. */
export const OFFERS: readonly OfferPlan[] = [
  {
    key: "jack-jd",
    recycler: "jack",
    brand: "jd",
    pay: "kCNY",
    tiers: [
      [50, 85],
      [200, 90],
      [1000, 95],
    ],
    batch: [11, 3],
    nearExpiry: [30, -5],
    maxCards: 200,
    budget: 50_000,
    postedAgo: 3,
    expiresIn: 90,
  },
  {
    key: "jack-tmall",
    recycler: "jack",
    brand: "tmall",
    pay: "kCNY",
    tiers: [
      [100, 88],
      [1000, 92],
    ],
    batch: [11, 3],
    nearExpiry: [30, -8],
    maxCards: 100,
    budget: 30_000,
    postedAgo: 2.5,
    expiresIn: 60,
  },
  {
    key: "jack-meituan",
    recycler: "jack",
    brand: "meituan",
    pay: "kCNY",
    tiers: [
      [100, 90],
      [200, 92],
    ],
    nearExpiry: [30, -6],
    maxCards: 50,
    budget: 10_000,
    postedAgo: 2.2,
    expiresIn: 60,
  },
  {
    key: "kate-walmart",
    recycler: "kate",
    brand: "walmart",
    pay: "kCNY",
    tiers: [
      [200, 90],
      [1000, 93],
    ],
    nearExpiry: [30, -5],
    maxCards: 50,
    budget: 20_000,
    attestedOnly: true,
    postedAgo: 2,
    expiresIn: 45,
  },
  {
    key: "kate-steam",
    recycler: "kate",
    brand: "steam",
    pay: "ETH",
    tiers: [
      [20, 85],
      [100, 88],
    ],
    batch: [11, 3],
    maxCards: 100,
    budget: 2,
    postedAgo: 1.5,
    expiresIn: 30,
  },
];

/** Sales into offers before "now": an issuer-backed voucher (settled at once) and a coded card the recycler confirmed. */
export const OFFER_SALES: readonly {
  key: string;
  offer: string;
  seller: Actor;
  vouchers: readonly string[];
  ago: number;
  /** Coded cards: the seller delivers and the recycler confirms at these times. */
  deliveredAgo?: number;
  confirmedAgo?: number;
}[] = [
  { key: "os-meituan", offer: "jack-meituan", seller: "ivy", vouchers: ["ivy-meituan50"], ago: 1.2 },
  {
    key: "os-tmall",
    offer: "jack-tmall",
    seller: "ivy",
    vouchers: ["ivy-tmall200"],
    ago: 1,
    deliveredAgo: 0.99,
    confirmedAgo: 0.95,
  },
];

/** Test stablecoin the faucet gives each recycler before posting (6 decimals). */
export const RECYCLER_FUNDING = 200_000_000_000n;

/**
 * What one minor unit of face value (a fen, a cent) is worth at 100% in `pay`'s base units: exact in the stablecoin of
 * the card's own currency (1 fen = 10,000 base units of a 6-decimal kCNY), by the reference rates in ETH.
 */
export function unitPrice(currency: "CNY" | "USD", pay: PayToken): bigint {
  if ((pay === "kCNY" && currency === "CNY") || (pay === "kUSD" && currency === "USD")) return 10_000n;
  if (pay !== "ETH") throw new Error(`The demo prices ${currency} cards in ${pay} only by reference rate: not planned`);
  return (BigInt(Math.round(REF_RATES[currency] * 1e6)) * 10n ** 12n) / (100n * BigInt(REF_RATES.ETH));
}

/** Distributor tree, joined in this order: Carol (root) ← Dave ← Erin. */
export const DISTRIBUTORS: readonly { account: Actor; upline?: Actor }[] = [
  { account: "carol" },
  { account: "dave", upline: "carol" },
  { account: "erin", upline: "dave" },
];

/** Dave withdraws his stablecoin earnings once, between sales s9 and s10. */
export const CLAIMS: readonly { account: Actor; token: PayToken; ago: number }[] = [
  { account: "dave", token: "kUSD", ago: 3.5 },
];

/** Stablecoin the faucet gives each buyer before the first trade (6 decimals). */
export const BUYER_FUNDING = 5_000_000_000n;
export const BUYERS: readonly Actor[] = ["bob", "grace"];

/** How far back the history reaches. `npm start` starts its node this far in the past. */
export const HISTORY_DAYS = 14;

/**
 * The listing price of `face` (major units of `currency`) at `pct` of face value, in `pay`'s base units: whole
 * micro-ETH for ETH, whole cents (fen) for the stablecoins, rounded down.
 */
export function listingPrice(face: number, currency: "CNY" | "USD", pct: number, pay: PayToken): bigint {
  const usd = face * REF_RATES[currency] * pct;
  if (pay === "ETH") return BigInt(Math.floor(Math.round((usd / REF_RATES.ETH) * 1e9) / 1e3)) * 10n ** 12n;
  // A stablecoin of the card's own currency is priced exactly: no reference rate between them.
  const amount = (pay === "kCNY") === (currency === "CNY") ? face * pct : usd / REF_RATES[pay];
  return BigInt(Math.floor(Math.round(amount * 1e4) / 1e2)) * 10n ** 4n;
}

/** A card in the brand's format, its number and PIN the same for the same key on every run (demo data, not a secret). */
export function demoCard(brand: BrandKey, key: string): { cardNumber: string; code: string } {
  const format = CARD_FORMATS[brand];
  if (format === undefined) throw new Error(`${brand} vouchers are issuer-backed and carry no card number or code`);
  return { cardNumber: fill(format.number, `${brand}/${key}/number`), code: fill(format.pin, `${brand}/${key}/pin`) };
}

/** `format` with each `A` and `9` drawn from a generator seeded by `seedText`. */
function fill(format: string, seedText: string): string {
  let seed = 0x811c9dc5;
  for (const char of seedText) seed = Math.imul(seed ^ char.charCodeAt(0), 0x01000193) >>> 0;
  const next = () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const alphanumeric = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return [...format]
    .map((char) =>
      char === "A"
        ? alphanumeric[Math.floor(next() * alphanumeric.length)]
        : char === "9"
          ? String(Math.floor(next() * 10))
          : char,
    )
    .join("");
}

/**
 * Cards Henry sold that nobody has put on Kaquan yet: they are in his card database, so a holder who mints one (on the
 * Sell page, with its number, PIN and face value) sees the issuer agent verify it within seconds.
 */
export const SPARE_CARDS: readonly { key: string; brand: BrandKey; face: number }[] = [
  { key: "spare-jd100", brand: "jd", face: 100 },
  { key: "spare-jd200", brand: "jd", face: 200 },
  { key: "spare-sbux50", brand: "starbucks", face: 50 },
  { key: "spare-cmcc50", brand: "cmcc", face: 50 },
  { key: "spare-steam20", brand: "steam", face: 20 },
];

/**
 * The `n`-th card of a bulk load (the benches' thousands of listings): the coded brands in turn, each at one of its own
 * denominations, with a card number no other card of the load (`tag`) has.
 */
export function bulkCard(
  n: number,
  tag: string,
): { brandId: number; faceValue: bigint; cardNumber: string; code: string } {
  const coded = BRAND_KEYS.filter((key) => CARD_FORMATS[key] !== undefined);
  const brand = coded[n % coded.length];
  const { denominations } = BRANDS[brand];
  const faceValue = BigInt(denominations[Math.floor(n / coded.length) % denominations.length] * 100);
  return { brandId: brandId(brand), faceValue, cardNumber: `${tag} ${n}`, code: `PIN-${tag}-${n}` };
}
