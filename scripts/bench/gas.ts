// Gas per operation, measured on Hardhat's in-process chain with every party already "warm" (holding credits,
// vouchers and reputation counters), compared with the issue's reference budgets and the EVM's intrinsic floor.
// Run through `npm run bench` (or alone: `npx hardhat run scripts/bench/gas.ts`).
import { writeFileSync, mkdirSync } from "node:fs";
import { network } from "hardhat";
import { zeroHash } from "viem";
import { cardHash, commitment, DEFAULT_ARBITRATION_WINDOW, DEFAULT_CONFIRM_WINDOW, FAUCET_LIMIT } from "#sdk";
import { DEFAULT_FEE_BPS, STABLECOIN_MIN_PRICE } from "../lib/deploy.js";

const { ethers, networkHelpers } = await network.create();

type Row = { operation: string; gas: bigint; intrinsic: bigint; budget?: bigint };
const rows: Row[] = [];

/** 21,000 + calldata (4 gas per zero byte, 16 per non-zero): what any transaction with this input must pay. */
function intrinsicGas(data: string): bigint {
  const bytes = ethers.getBytes(data);
  let gas = 21_000n;
  for (const b of bytes) gas += b === 0 ? 4n : 16n;
  return gas;
}

async function measure(operation: string, txPromise: Promise<any>, budget?: bigint) {
  const tx = await txPromise;
  const receipt = await tx.wait();
  rows.push({ operation, gas: receipt.gasUsed, intrinsic: intrinsicGas(tx.data), budget });
  return receipt;
}

const [owner, treasury, arbiter, seller, buyer, issuer, d1, d2, d3] = await ethers.getSigners();
const ETH = ethers.ZeroAddress;
const voucher = await ethers.deployContract("VoucherToken", [owner.address]);
const exchange = await ethers.deployContract("VoucherExchange", [
  await voucher.getAddress(),
  owner.address,
  treasury.address,
  arbiter.address,
  DEFAULT_FEE_BPS,
]);
const usd = await ethers.deployContract("TestStablecoin", ["Kaquan Test USD", "kUSD"]);
const exchangeAddress = await exchange.getAddress();
const offers = await ethers.deployContract("VoucherOffers", [await voucher.getAddress(), exchangeAddress]);
await exchange.setOffers(await offers.getAddress());
await exchange.setPayToken(await usd.getAddress(), STABLECOIN_MIN_PRICE);
await voucher.registerBrand("JD E-Card", "e-commerce", "CNY", issuer.address);
// JD E-Cards come in a list of face values (a membership read at mint, like any brand with a list).
await voucher.setDenominations(1, [10_000, 20_000, 50_000, 100_000, 200_000, 500_000], 0);
await voucher.setExchange(exchangeAddress);
await exchange.connect(arbiter).setArbiterKey(ethers.hexlify(ethers.randomBytes(32)));
await voucher.connect(seller).setApprovalForAll(exchangeAddress, true);
for (const a of [buyer, seller]) {
  await usd.faucet(a.address, FAUCET_LIMIT);
  await usd.connect(a).approve(exchangeAddress, ethers.MaxUint256);
}
await exchange.connect(d1).joinDistributors(ETH);
await exchange.connect(d2).joinDistributors(d1.address);

const expiresAt = BigInt((await networkHelpers.time.latest()) + 180 * 86400);
const price = ethers.parseEther("0.45");
const usdPrice = 450n * 10n ** 6n;
const key = ethers.hexlify(ethers.randomBytes(32));
// A realistic sealed card (what a delivery and the holder's vault copy carry): ephemeral X25519 key (32) + nonce (24) +
// the card-number length byte, a 16-digit card number and an 8-digit PIN (25) + salt (32) + tag (16) = 129 bytes.
const CARD_BYTES = 32 + 24 + 1 + 16 + 8 + 32 + 16;
const ciphertext = ethers.randomBytes(CARD_BYTES);
let codeNonce = 0;
const nextHash = () => commitment(`code-${codeNonce++}`, zeroHash);
let cardNonce = 0;
/** A fresh card number's fingerprint (the SDK's `cardHash`). */
const nextCard = () => cardHash(1, `6000 ${cardNonce++}`);
const sealed = ethers.randomBytes(CARD_BYTES);
// The order's X25519 secret key (32) sealed to the arbiter: ephemeral key (32) + nonce (24) + ciphertext + tag (16).
const sealedEvidence = ethers.randomBytes(32 + 24 + 32 + 16);

async function issued() {
  await voucher.connect(issuer).issue(seller.address, 1, 50_000, expiresAt);
  return voucher.totalMinted();
}
async function coded() {
  await voucher.connect(seller).mint(1, 50_000, expiresAt, nextCard(), nextHash(), sealed);
  return voucher.totalMinted();
}
async function listed(tokenId: bigint, payToken = ETH, p = price) {
  await exchange.connect(seller).list(tokenId, payToken, p);
  return exchange.tradeCount();
}

// Warm-up: one settled sale through the full referral chain in each asset, so credits and counters are non-zero.
await exchange.connect(d3).joinDistributors(d2.address);
await exchange.connect(buyer).buy(await listed(await issued()), price, d3.address, ethers.ZeroHash, { value: price });
await exchange
  .connect(buyer)
  .buy(await listed(await issued(), await usd.getAddress(), usdPrice), usdPrice, d3.address, ethers.ZeroHash);

// VoucherToken
await measure(
  `mint (coded, ${CARD_BYTES}-byte sealed card)`,
  voucher.connect(seller).mint(1, 50_000, expiresAt, nextCard(), nextHash(), sealed),
);
await measure("issue (issuer-backed)", voucher.connect(issuer).issue(seller.address, 1, 50_000, expiresAt));
const batch = Array.from({ length: 10 }, () => ({
  brandId: 1,
  faceValue: 50_000,
  expiresAt,
  cardHash: nextCard(),
  codeHash: nextHash(),
  sealedCode: sealed,
}));
const batchReceipt = await measure("mintBatch (10 cards)", voucher.connect(seller).mintBatch(batch));
void batchReceipt;
const redeemId = await issued();
await measure("sealCode", voucher.connect(seller).sealCode(await coded(), sealed));
await measure("redeem", voucher.connect(seller).redeem(redeemId));
await measure("attest", voucher.connect(issuer).attest(await coded(), 50_000));

// Listings
await measure("list", exchange.connect(seller).list(await issued(), ETH, price));
const listingId = await exchange.tradeCount();
await measure("updatePrice", exchange.connect(seller).updatePrice(listingId, price + 1n));
await measure("cancelListing", exchange.connect(seller).cancelListing(listingId));
const ids: bigint[] = [];
for (let i = 0; i < 10; i++) ids.push(await issued());
await measure(
  "listBatch (10 vouchers)",
  exchange.connect(seller).listBatch(
    ids,
    ETH,
    ids.map(() => price),
  ),
);

// Instant (issuer-backed) purchases
await measure(
  "buy instant, ETH, 3-level referral",
  exchange.connect(buyer).buy(await listed(await issued()), price, d3.address, ethers.ZeroHash, { value: price }),
  129_822n,
);
await measure(
  "buy instant, ETH, no referral",
  exchange.connect(buyer).buy(await listed(await issued()), price, ETH, ethers.ZeroHash, { value: price }),
  93_673n,
);
await measure(
  "buy instant, kUSD, 3-level referral",
  exchange
    .connect(buyer)
    .buy(await listed(await issued(), await usd.getAddress(), usdPrice), usdPrice, d3.address, ethers.ZeroHash),
);

// Coded order: buy + deliver + confirm (budget on the sum)
const orderId = await listed(await coded());
const b = await measure(
  "buy coded, ETH, 3-level referral",
  exchange.connect(buyer).buy(orderId, price, d3.address, key, { value: price }),
);
const d = await measure(
  `deliverCode (${CARD_BYTES}-byte sealed card)`,
  exchange.connect(seller).deliverCode(orderId, ciphertext),
);
const c = await measure("confirm (settles, 3-level referral)", exchange.connect(buyer).confirm(orderId));
rows.push({
  operation: "coded order total (buy + deliver + confirm)",
  gas: b.gasUsed + d.gasUsed + c.gasUsed,
  intrinsic: 0n,
  budget: 230_000n,
});

// Recyclers' standing offers (the recycler is `buyer`; warm: one sale into the offer first)
const offerSchedule = {
  tiers: [
    { maxFaceValue: 10_000, rateBps: 8_500 },
    { maxFaceValue: 100_000, rateBps: 9_000 },
    { maxFaceValue: 500_000, rateBps: 9_500 },
  ],
  batchMinCount: 11,
  batchBonusBps: 300,
  nearExpiryDays: 30,
  nearExpiryBps: -600,
};
const offerParams = {
  brandId: 1,
  payToken: ETH,
  unitPrice: 10n ** 10n, // 1 fen at 100% = 1e10 wei: a ¥500 card at 95% ≈ 0.475 ETH
  maxCards: 1_000,
  expiresAt: expiresAt - 86_400n,
  attestedOnly: false,
  deliveryKey: key,
};
const offerBudget = ethers.parseEther("40");
await measure(
  "post offer, ETH (3 tiers, bonus, near-expiry)",
  offers.connect(buyer).post(offerParams, offerSchedule, offerBudget, { value: offerBudget }),
);
const ethOffer = await offers.offerCount();
await measure(
  "post offer, kUSD (3 tiers, bonus, near-expiry)",
  offers
    .connect(buyer)
    .post({ ...offerParams, payToken: await usd.getAddress(), unitPrice: 10_000 }, offerSchedule, 10_000n * 10n ** 6n),
);
const usdOffer = await offers.offerCount();
await measure("topUp offer (ETH)", offers.connect(buyer).topUp(ethOffer, price, { value: price }));
await measure("setSchedule (3 tiers)", offers.connect(buyer).setSchedule(ethOffer, offerSchedule));
await offers.connect(seller).sell(ethOffer, [await issued()], 0, d3.address);
// No budget on this row: gas.test.ts holds the one-tier sale at 149,600, measured 149,462 (the issue asks 130,000,
// out of reach across the seam: see docs/security.md "Gas of one sale"); this schedule's tier lookup, batch and
// near-expiry checks add about 5,000.
const single = await measure(
  "sell 1 instant card to offer, ETH, 3-level ref. (3 tiers)",
  offers.connect(seller).sell(ethOffer, [await issued()], 0, d3.address),
);
const tenIds: bigint[] = [];
for (let i = 0; i < 10; i++) tenIds.push(await issued());
await measure(
  "sell 10 instant cards to offer in one call",
  offers.connect(seller).sell(ethOffer, tenIds, 0, d3.address),
  (10n * single.gasUsed) / 2n,
);
await measure(
  "sell 1 coded card to offer (opens an order)",
  offers.connect(seller).sell(ethOffer, [await coded()], 0, d3.address),
);
await measure(
  "sell 1 instant card to offer, kUSD, 3-level referral",
  offers.connect(seller).sell(usdOffer, [await issued()], 0, d3.address),
);
await measure("cancel offer (refund unspent ETH)", offers.connect(buyer).cancel(ethOffer));

// Timed exits and disputes
const f1 = await listed(await coded());
await exchange.connect(buyer).buy(f1, price, ETH, key, { value: price });
await exchange.connect(seller).deliverCode(f1, ciphertext);
const r1 = await listed(await coded());
await exchange.connect(buyer).buy(r1, price, ETH, key, { value: price });
await exchange.connect(seller).deliverCode(r1, ciphertext);
const bond = await exchange.disputeBond(r1);
await measure(
  "dispute (ETH bond, 104-byte sealed evidence)",
  exchange.connect(buyer).dispute(r1, sealedEvidence, { value: bond }),
);
const r2 = await listed(await coded());
await exchange.connect(buyer).buy(r2, price, ETH, key, { value: price });
await exchange.connect(seller).deliverCode(r2, ciphertext);
await exchange.connect(buyer).dispute(r2, sealedEvidence, { value: bond });
const k1 = await listed(await coded(), await usd.getAddress(), usdPrice);
await exchange.connect(buyer).buy(k1, usdPrice, ETH, key);
await exchange.connect(seller).deliverCode(k1, ciphertext);
await measure("dispute (kUSD bond pulled)", exchange.connect(buyer).dispute(k1, sealedEvidence));
const u1 = await listed(await coded());
await exchange.connect(buyer).buy(u1, price, ETH, key, { value: price });
await measure("resolve (refund + bond, mark disclosed)", exchange.connect(arbiter).resolve(r1, true));
await measure("resolve (release, bond to seller)", exchange.connect(arbiter).resolve(r2, false));
await networkHelpers.time.increase(DEFAULT_CONFIRM_WINDOW + 1);
await measure("finalize (after confirm window)", exchange.connect(d1).finalize(f1));
await measure("cancelUndelivered (after delivery window)", exchange.connect(d1).cancelUndelivered(u1));
const x1 = await listed(await coded());
await exchange.connect(buyer).buy(x1, price, ETH, key, { value: price });
await exchange.connect(seller).deliverCode(x1, ciphertext);
await exchange.connect(buyer).dispute(x1, sealedEvidence, { value: bond });
await networkHelpers.time.increase(DEFAULT_ARBITRATION_WINDOW + 1);
await measure("expireDispute (release, bond to seller)", exchange.connect(d1).expireDispute(x1));

// Credits and network
await measure("claim (ETH)", exchange.connect(d3).claim(ETH));
await measure("claim (kUSD)", exchange.connect(d3).claim(await usd.getAddress()));
await measure("joinDistributors", exchange.connect(owner).joinDistributors(d3.address));

// Market view: one eth_call for a page of active listings.
const pageIds: bigint[] = [];
for (let i = 0; i < 4; i++) {
  const first = (await voucher.totalMinted()) + 1n;
  await voucher.connect(seller).mintBatch(
    Array.from({ length: 50 }, () => ({
      brandId: 1,
      faceValue: 50_000,
      expiresAt,
      cardHash: nextCard(),
      codeHash: nextHash(),
      sealedCode: "0x01",
    })),
  );
  const tokenIds = Array.from({ length: 50 }, (_, k) => first + BigInt(k));
  await exchange.connect(seller).listBatch(
    tokenIds,
    ETH,
    tokenIds.map(() => price),
  );
  pageIds.push(...tokenIds);
}
const viewGas = await exchange.activeListings.estimateGas(1, 1000);

const pad = (s: string, n: number) => s.padEnd(n);
const num = (n: bigint) => n.toLocaleString("en-US");
const lines = [
  `${pad("operation", 46)} ${"gas".padStart(10)} ${"intrinsic".padStart(10)} ${"budget".padStart(10)}  verdict`,
  ...rows.map((r) =>
    [
      pad(r.operation, 46),
      num(r.gas).padStart(10),
      (r.intrinsic ? num(r.intrinsic) : "").padStart(10),
      (r.budget ? num(r.budget) : "").padStart(10),
      r.budget
        ? r.gas <= r.budget
          ? ` ok (${num(r.budget - r.gas)} under)`
          : ` OVER by ${num(r.gas - r.budget)}`
        : "",
    ].join(" "),
  ),
  `${pad(`activeListings view (${(await exchange.activeListings(1, 1000)).length} active listings scanned)`, 46)} ${num(viewGas).padStart(10)}  (eth_call gas)`,
];
console.log("\nGas per operation (receipt gasUsed; intrinsic = 21,000 + calldata, the EVM floor for that input)\n");
console.log(lines.join("\n"));
mkdirSync("bench-results", { recursive: true });
writeFileSync(
  "bench-results/gas.json",
  JSON.stringify(
    rows.map((r) => ({
      ...r,
      gas: Number(r.gas),
      intrinsic: Number(r.intrinsic),
      budget: r.budget ? Number(r.budget) : null,
    })),
    null,
    2,
  ),
);
const over = rows.filter((r) => r.budget && r.gas > r.budget);
if (over.length > 0) {
  console.error(`\n${over.length} operation(s) over budget`);
  process.exitCode = 1;
}
