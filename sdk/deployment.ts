/** Where Kaquan lives on one chain: the deploy writes it as deployments/<chainId>.json; everything else reads it. */
import { getAddress, isAddress, type Address } from "viem";

export interface Deployment {
  readonly chainId: number;
  readonly voucherToken: Address;
  readonly voucherExchange: Address;
  /** The recyclers' standing offers (VoucherOffers): the book of offers; their budgets are escrowed in the exchange. */
  readonly voucherOffers: Address;
  /** The USD stablecoin: kUSD (TestStablecoin, 6 decimals) on test chains; the $ brands are priced in it. */
  readonly stablecoin: Address;
  /** The CNY stablecoin: kCNY on test chains; the ¥ brands are priced in it. */
  readonly cnyStablecoin: Address;
  readonly deployer: Address;
  readonly treasury: Address;
  readonly arbiter: Address;
  /** First block holding Kaquan contracts: where log scans start. */
  readonly startBlock: number;
  /** ISO-8601 time of the deploy. */
  readonly deployedAt: string;
}

/**
 * A deployment record checked field by field (addresses checksummed), from parsed JSON. Throws an Error naming
 * `source` and the bad field.
 */
export function parseDeployment(value: unknown, source = "deployment"): Deployment {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}. The record is written by the deploy; delete it and deploy again.`);
  };
  if (typeof value !== "object" || value === null) return fail("not a JSON object");
  const record = value as Record<string, unknown>;
  const address = (key: string): Address => {
    const raw = record[key];
    if (typeof raw !== "string" || !isAddress(raw, { strict: false })) return fail(`"${key}" is not an address`);
    return getAddress(raw);
  };
  const integer = (key: string): number => {
    const raw = record[key];
    if (typeof raw !== "number" || !Number.isSafeInteger(raw) || raw < 0) return fail(`"${key}" is not an integer`);
    return raw;
  };
  const deployedAt = record.deployedAt;
  if (typeof deployedAt !== "string") return fail('"deployedAt" is not a string');
  return {
    chainId: integer("chainId"),
    voucherToken: address("voucherToken"),
    voucherExchange: address("voucherExchange"),
    voucherOffers: address("voucherOffers"),
    stablecoin: address("stablecoin"),
    cnyStablecoin: address("cnyStablecoin"),
    deployer: address("deployer"),
    treasury: address("treasury"),
    arbiter: address("arbiter"),
    startBlock: integer("startBlock"),
    deployedAt,
  };
}
