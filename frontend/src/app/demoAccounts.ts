/**
 * Who is who on the local demo chain ("Alice", "seller", …: scripts/demo-accounts.ts, served by Vite as a virtual
 * module): the demo wallet's account list, the inviter of a referral link and counterparties are named by it. On any
 * other chain nobody is named (those keys are public test keys, not people).
 */
import cast from "virtual:kaquan-demo-accounts";
import { CHAIN_ID, LOCAL_CHAIN_ID } from "../config.ts";

export interface DemoAccount {
  index: number;
  name: string;
  /** Role key: "seller", "buyer", "arbiter", "brand issuer"… (see demo.role.* in the catalogs). */
  role: string;
}

const accounts: readonly (DemoAccount & { address: string })[] = CHAIN_ID === LOCAL_CHAIN_ID ? cast : [];
const byAddress = new Map(accounts.map((a) => [a.address.toLowerCase(), a]));

/** Without the cast: the deploy's fixed roles of the first accounts. */
const FALLBACK: Record<number, DemoAccount> = {
  0: { index: 0, name: "Owner", role: "deployer" },
  1: { index: 1, name: "Treasury", role: "treasury" },
  2: { index: 2, name: "Judge", role: "arbiter" },
};

export function demoAccountAt(index: number): DemoAccount | undefined {
  return accounts.find((a) => a.index === index) ?? FALLBACK[index];
}

export function demoAccountOf(address: string | undefined): DemoAccount | undefined {
  return address ? byAddress.get(address.toLowerCase()) : undefined;
}
