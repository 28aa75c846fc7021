import { x25519 } from "@noble/curves/ed25519.js";
import { network } from "hardhat";
import * as sdk from "#sdk";

export const { ethers, networkHelpers } = await network.create();

export const ETH = ethers.ZeroAddress;
export const DAY = 24 * 60 * 60;
export const FEE_BPS = 200n;

/** keccak256(abi.encodePacked(code, salt)) — the commitment a coded voucher carries (the SDK's `commitment`). */
export function codeHash(code: string, salt: string): string {
  return sdk.commitment(code, salt as sdk.Hex);
}

export const randomSalt = sdk.randomSalt;

/**
 * keccak256(abi.encodePacked("kaquan.card", brandId, normalized cardNumber)) — the card-number fingerprint a coded
 * voucher carries (the SDK's `cardHash`).
 */
export function cardHash(brandId: bigint, cardNumber: string): string {
  return sdk.cardHash(brandId, cardNumber);
}

/** The largest face value the fixture brands accept (10,000.00): every face value the tests use is below it. */
export const MAX_FACE_VALUE = 1_000_000n;
/** The arbiter's X25519 key pair (deterministic): buyers seal dispute evidence to its public half. */
export const ARBITER_SECRET = ethers.getBytes(ethers.id("kaquan test arbiter"));
export const ARBITER_KEY = ethers.hexlify(x25519.getPublicKey(ARBITER_SECRET));
/** What a buyer's evidence looks like on chain where a test needs no real sealing: opaque bytes for the arbiter. */
export const SEALED_EVIDENCE = "0x5ea1ed0e0de1dace";
export const DISPUTE_BOND_BPS = 1000n;

/**
 * The whole system deployed fresh: voucher token with two brands (any face value up to MAX_FACE_VALUE) and the
 * exchange set as the one that marks disclosed codes, the exchange (2% fee) with the arbiter's evidence key published
 * and the recyclers' offers contract named,
 * a 6-decimal stablecoin allow-listed for payment, and named accounts. Load it through
 * `networkHelpers.loadFixture(deployExchange)`.
 */
export async function deployExchange() {
  const [owner, treasury, arbiter, seller, buyer, issuer, d1, d2, d3, other] = await ethers.getSigners();

  const voucher = await ethers.deployContract("VoucherToken", [owner.address]);
  const exchange = await ethers.deployContract("VoucherExchange", [
    await voucher.getAddress(),
    owner.address,
    treasury.address,
    arbiter.address,
    FEE_BPS,
  ]);
  const offers = await ethers.deployContract("VoucherOffers", [
    await voucher.getAddress(),
    await exchange.getAddress(),
  ]);
  await exchange.setOffers(await offers.getAddress());
  const usd = await ethers.deployContract("TestStablecoin", ["Kaquan Test USD", "kUSD"]);
  // Tests price in small units, so both assets get the contract's floor as their minimum (the ETH default,
  // DEFAULT_ETH_MIN_PRICE, has its own tests).
  await exchange.setPayToken(await usd.getAddress(), MIN_PRICE);
  await exchange.setPayToken(ETH, MIN_PRICE);

  await voucher.registerBrand("JD E-Card", "e-commerce", "CNY", issuer.address);
  await voucher.registerBrand("Starbucks", "coffee", "USD", issuer.address);
  await voucher.setDenominations(1n, [], MAX_FACE_VALUE);
  await voucher.setDenominations(2n, [], MAX_FACE_VALUE);
  await voucher.setExchange(await exchange.getAddress());
  await exchange.connect(arbiter).setArbiterKey(ARBITER_KEY);

  for (const account of [buyer, other, d1, d2, d3, seller]) {
    await usd.faucet(account.address, 1_000_000n * 10n ** 6n);
    await usd.connect(account).approve(await exchange.getAddress(), ethers.MaxUint256);
  }
  await voucher.connect(seller).setApprovalForAll(await exchange.getAddress(), true);

  const expiresAt = BigInt((await networkHelpers.time.latest()) + 180 * DAY);

  /**
   * Mints a coded voucher (brand 1, 500.00 CNY) to `to` with a card number no other voucher has (derived from the id
   * it will get) and returns its id, code, salt, card number and card fingerprint.
   */
  async function mintCoded(to = seller, faceValue = 50_000n, code = "JD-8842-1137-5520") {
    const salt = randomSalt();
    const cardNumber = `6000-${(await voucher.totalMinted()) + 1n}`;
    const card = cardHash(1n, cardNumber);
    const tx = await voucher.connect(to).mint(1n, faceValue, expiresAt, card, codeHash(code, salt), "0x1234");
    const receipt = await tx.wait();
    const event = receipt!.logs
      .map((log) => voucher.interface.parseLog(log))
      .find((parsed) => parsed?.name === "VoucherMinted");
    return { tokenId: event!.args.tokenId as bigint, code, salt, cardNumber, cardHash: card };
  }

  /** Issues an issuer-backed voucher (brand 2, 25.00 USD) to `to` and returns its id. */
  async function issueBacked(to = seller, faceValue = 2_500n) {
    const tx = await voucher.connect(issuer).issue(to.address, 2n, faceValue, expiresAt);
    const receipt = await tx.wait();
    const event = receipt!.logs
      .map((log) => voucher.interface.parseLog(log))
      .find((parsed) => parsed?.name === "VoucherIssued");
    return event!.args.tokenId as bigint;
  }

  /** Lists `tokenId` as `from` and returns the listing id. */
  async function list(tokenId: bigint, price: bigint, payToken = ETH, from = seller) {
    const id = (await exchange.tradeCount()) + 1n;
    await exchange.connect(from).list(tokenId, payToken, price);
    return id;
  }

  /**
   * The order's buyer disputes it with `evidence`, paying its bond: as msg.value for ETH, pulled (the fixture's
   * buyers have approved the exchange) for the stablecoin. Returns the transaction and the bond.
   */
  async function dispute(tradeId: bigint, evidence = SEALED_EVIDENCE) {
    const t = await exchange.trade(tradeId);
    const bond = await exchange.disputeBond(tradeId);
    const from = (await ethers.getSigners()).find((s) => s.address === t.buyer)!;
    const tx = exchange.connect(from).dispute(tradeId, evidence, { value: t.payToken === ETH ? bond : 0n });
    return { tx, bond };
  }

  /** Joins d1 ← d2 ← d3 (d3 refers; d2 is its upline; d1 the root). */
  async function distributorChain() {
    await exchange.connect(d1).joinDistributors(ETH);
    await exchange.connect(d2).joinDistributors(d1.address);
    await exchange.connect(d3).joinDistributors(d2.address);
  }

  return {
    voucher,
    exchange,
    offers,
    usd,
    owner,
    treasury,
    arbiter,
    seller,
    buyer,
    issuer,
    d1,
    d2,
    d3,
    other,
    expiresAt,
    mintCoded,
    issueBacked,
    list,
    dispute,
    distributorChain,
  };
}

/** `IVoucherExchange.Status` (the SDK's) as the bigints ethers returns. */
export const Status = Object.fromEntries(Object.entries(sdk.Status).map(([name, code]) => [name, BigInt(code)])) as {
  readonly [name in sdk.StatusName]: bigint;
};

export const MIN_PRICE = sdk.MIN_PRICE_FLOOR;
export const MAX_PRICE = sdk.MAX_PRICE;
export const LEVEL_SHARES = [
  BigInt(sdk.DEFAULT_LEVEL_SHARES[0]),
  BigInt(sdk.DEFAULT_LEVEL_SHARES[1]),
  BigInt(sdk.DEFAULT_LEVEL_SHARES[2]),
] as const;
export const DELIVERY_WINDOW = BigInt(sdk.DEFAULT_WINDOWS.delivery);
export const CONFIRM_WINDOW = BigInt(sdk.DEFAULT_WINDOWS.confirm);
export const ARBITRATION_WINDOW = BigInt(sdk.DEFAULT_WINDOWS.arbitration);

/** A random 32-byte value: a per-order X25519 key where the tests need no real key pair. */
export function randomKey(): string {
  return ethers.hexlify(ethers.randomBytes(32));
}

/** The timestamp of the block that mined `tx`. */
export async function minedAt(tx: { wait(): Promise<{ blockNumber: number } | null> }): Promise<bigint> {
  const receipt = await tx.wait();
  const block = await ethers.provider.getBlock(receipt!.blockNumber);
  return BigInt(block!.timestamp);
}

/** A struct the ABI returned (an ethers `Result`) as a plain object of its named fields, for deep comparisons. */
export function asObject(struct: object): Record<string, unknown> {
  return (struct as unknown as { toObject(): Record<string, unknown> }).toObject();
}
