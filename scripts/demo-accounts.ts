/**
 * Who is who on the local demo chain: Hardhat's default accounts (the public "test test … junk" mnemonic — their
 * private keys are published, so they must never hold real funds) with the roles the deploy and the demo seed give
 * them. The frontend's dev wallet labels accounts from here; `npm start` prints it. Pure data, no imports.
 */

export interface DemoAccount {
  /** Index in Hardhat's default account list (`eth_accounts` of the local node). */
  readonly index: number;
  readonly address: `0x${string}`;
  readonly name: string;
  /** Short role, e.g. "seller". */
  readonly role: string;
  /** `name (role)`, what a wallet picker shows. */
  readonly label: string;
  /** What the seed left this account holding or doing: what to try with it. */
  readonly story: string;
  /** `npm start` runs a delivery agent for this seller (its coded sales are delivered automatically). */
  readonly runsAgent: boolean;
  /** `npm start` runs a recycler agent for this account (codes delivered to its offers are checked and confirmed). */
  readonly runsRecycler: boolean;
}

function account(
  index: number,
  address: `0x${string}`,
  name: string,
  role: string,
  story: string,
  runsAgent = false,
  runsRecycler = false,
): DemoAccount {
  return { index, address, name, role, label: `${name} (${role})`, story, runsAgent, runsRecycler };
}

/** The demo accounts by index (#0–#13). Indices ≥ 14 are unused, funded test accounts. */
export const DEMO_ACCOUNTS: Readonly<Record<number, DemoAccount>> = {
  0: account(
    0,
    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "Owner",
    "deployer",
    "Owns both contracts: the Admin page (fee 1-3%, level shares, brands, tokens, pause).",
  ),
  1: account(1, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "Treasury", "treasury", "Collects the fee remainder."),
  2: account(
    2,
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
    "Judge",
    "arbiter",
    "Rules on disputes: one open dispute (right card number, wrong PIN) waits on the Arbiter page; only this wallet's key opens its evidence.",
  ),
  3: account(
    3,
    "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
    "Alice",
    "seller",
    "Sells JD, Tmall, Starbucks, Luckin, China Mobile and Steam cards; her delivery agent answers purchases at once.",
    true,
  ),
  4: account(
    4,
    "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65",
    "Bob",
    "buyer",
    "Bought cards over two weeks; one delivered order waits for his confirmation (reveal the code, then confirm).",
  ),
  5: account(
    5,
    "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
    "Carol",
    "distributor root",
    "Top of the distributor tree (Carol <- Dave <- Erin): earns level-3 and level-2 shares.",
  ),
  6: account(
    6,
    "0x976EA74026E726554dB657fA54763abd0C3a0aa9",
    "Dave",
    "distributor",
    "Distributor under Carol, upline of Erin; refers some buyers himself and has claimed once.",
  ),
  7: account(
    7,
    "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
    "Erin",
    "distributor",
    "Distributor under Dave; most referred sales came through her link.",
  ),
  8: account(
    8,
    "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f",
    "Frank",
    "seller",
    "Sells Walmart, Costco, Amazon and Steam cards and delivers by hand: one order waits for his delivery.",
  ),
  9: account(
    9,
    "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
    "Grace",
    "buyer",
    "Buyer and holder: an order waiting for delivery, a dispute over a wrong code, and one expired card.",
  ),
  10: account(
    10,
    "0xBcd4042DE499D14e55001CcbB24a551F3b954096",
    "Henry",
    "brand issuer",
    "Issuer of every demo brand: its issuer agent verifies minted cards found in its records; issues Meituan and Marriott vouchers.",
  ),
  11: account(
    11,
    "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
    "Ivy",
    "seller",
    "Small holder selling near-expiry coffee cards and issuer-backed vouchers, with a stack of unlisted JD cards and Meituan vouchers to sell into recyclers' offers at once; her delivery agent is on too.",
    true,
  ),
  12: account(
    12,
    "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a",
    "Jack",
    "recycler",
    "Recycler with standing kCNY offers for JD, Tmall and Meituan cards (tiers, +3 points for 11+ cards, less near expiry); his recycler agent checks every delivered code and confirms it.",
    false,
    true,
  ),
  13: account(
    13,
    "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec",
    "Kate",
    "recycler",
    "Recycler buying only issuer-verified Walmart cards (kCNY) and Steam cards for ETH; her recycler agent is on too.",
    false,
    true,
  ),
};

/** The demo accounts in index order. */
export const DEMO_ACCOUNT_LIST: readonly DemoAccount[] = Object.values(DEMO_ACCOUNTS).sort((a, b) => a.index - b.index);

/** Indices `npm start` runs a delivery agent for. */
export const AGENT_SELLERS: readonly number[] = DEMO_ACCOUNT_LIST.filter((a) => a.runsAgent).map((a) => a.index);

/** Indices `npm start` runs a recycler agent for. */
export const AGENT_RECYCLERS: readonly number[] = DEMO_ACCOUNT_LIST.filter((a) => a.runsRecycler).map((a) => a.index);

/** The demo label of an address ("Alice (seller)"), or undefined for an unknown one. */
export function demoLabel(address: string): string | undefined {
  const lower = address.toLowerCase();
  return DEMO_ACCOUNT_LIST.find((a) => a.address.toLowerCase() === lower)?.label;
}
