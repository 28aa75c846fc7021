/** Referral links and the distributor tree. Pure: no React, no browser APIs. */
import { getAddress, isAddress, zeroAddress, type Address } from "viem";

/** The referrer in a page's query string (`?ref=0x…`), checksummed; undefined when absent or not an address. */
export function parseReferrer(search: string): Address | undefined {
  const ref = new URLSearchParams(search).get("ref")?.trim();
  if (!ref || !isAddress(ref, { strict: false }) || ref.toLowerCase() === zeroAddress) return undefined;
  return getAddress(ref);
}

/** The link a distributor shares: the app's address with `?ref=` set (any existing query and hash dropped). */
export function referralLink(appUrl: string, account: Address): string {
  const url = new URL(appUrl);
  url.search = `?ref=${account}`;
  url.hash = "";
  return url.toString();
}

/** The referrer to pass to `buy`: zero when there is none or it is the buyer itself (which earns nothing). */
export function referrerFor(stored: Address | undefined, buyer: Address | undefined): Address {
  if (!stored) return zeroAddress;
  if (buyer && stored.toLowerCase() === buyer.toLowerCase()) return zeroAddress;
  return stored;
}

export interface Join {
  account: Address;
  upline: Address;
}

/** Distributors below `root`, level by level (level 1 = joined under root), up to `depth` levels. */
export function downline(joins: readonly Join[], root: Address, depth = 3): Address[][] {
  const children = new Map<string, Address[]>();
  for (const join of joins) {
    const key = join.upline.toLowerCase();
    children.set(key, [...(children.get(key) ?? []), join.account]);
  }
  const levels: Address[][] = [];
  let frontier = [root];
  for (let level = 0; level < depth; level++) {
    frontier = frontier.flatMap((account) => children.get(account.toLowerCase()) ?? []);
    if (frontier.length === 0) break;
    levels.push(frontier);
  }
  return levels;
}

/** `account`'s uplines, nearest first, up to `depth` of them: the chain a referral through `account` pays. */
export function uplines(joins: readonly Join[], account: Address, depth = 3): Address[] {
  const uplineOf = new Map(joins.map((j) => [j.account.toLowerCase(), j.upline]));
  const chain: Address[] = [];
  let current = uplineOf.get(account.toLowerCase());
  while (current && current !== zeroAddress && chain.length < depth) {
    chain.push(current);
    current = uplineOf.get(current.toLowerCase());
  }
  return chain;
}
