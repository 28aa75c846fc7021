/**
 * The demo chain's cast (scripts/demo-accounts.ts: "Alice", "seller", …) when the project has it: the dev wallet's
 * account picker and the referral banner name people by it. On any other build the glob is empty and nobody is named.
 */
const modules = import.meta.glob<{
  DEMO_ACCOUNTS?: Readonly<Record<number, { address: string; name: string; role: string }>>;
}>("../../../scripts/demo-accounts.ts", { eager: true });

export interface DemoAccount {
  index: number;
  name: string;
  /** Role key: "seller", "buyer", "arbiter", "brand issuer"… (see demo.role.* in the catalogs). */
  role: string;
}

const accounts: DemoAccount[] = Object.values(modules).flatMap((module) =>
  Object.entries(module.DEMO_ACCOUNTS ?? {}).map(([index, a]) => ({
    index: Number(index),
    name: a.name,
    role: a.role,
  })),
);
const addresses = new Map<string, DemoAccount>(
  Object.values(modules).flatMap((module) =>
    Object.entries(module.DEMO_ACCOUNTS ?? {}).map(([index, a]) => [
      a.address.toLowerCase(),
      { index: Number(index), name: a.name, role: a.role },
    ]),
  ),
);

/** Without the demo file: the deploy's fixed roles of the first accounts. */
const FALLBACK: Record<number, DemoAccount> = {
  0: { index: 0, name: "Owner", role: "deployer" },
  1: { index: 1, name: "Treasury", role: "treasury" },
  2: { index: 2, name: "Judge", role: "arbiter" },
};

export function demoAccountAt(index: number): DemoAccount | undefined {
  return accounts.find((a) => a.index === index) ?? FALLBACK[index];
}

export function demoAccountOf(address: string | undefined): DemoAccount | undefined {
  return address ? addresses.get(address.toLowerCase()) : undefined;
}
