/**
 * An issuer's card database: the cards a brand's issuer sold, as its own back office knows them (card number, PIN, face
 * value, whether it is still active). The issuer agent attests a minted voucher when it finds the voucher's card-number
 * fingerprint here at the voucher's face value. On the demo chain the seed writes Henry's database to
 * .issuer-data/ (generated, gitignored: it holds PINs); a real issuer exports its own in the same shape.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getAddress, type Address } from "viem";
import { ROOT } from "./deployments.js";

export const ISSUER_DATA_DIR = path.join(ROOT, ".issuer-data");

/** One card the issuer sold. */
export interface IssuerCard {
  brandId: number;
  /** The brand's name, for people reading the file. */
  brand: string;
  cardNumber: string;
  /** The card's secret code. The agent never needs it (see scripts/issuer-agent.ts); it is what the issuer sold. */
  pin: string;
  /** In minor units of the brand's currency (fen, cents), as a decimal string. */
  faceValue: string;
  currency: string;
  /** `redeemed`: spent at the issuer already; such a card is never attested. */
  status: "active" | "redeemed";
}

export interface IssuerDatabase {
  version: 1;
  /** The issuer's address: the agent signs `attest` with it and watches only the brands it issues. */
  issuer: Address;
  cards: IssuerCard[];
}

/** Where an issuer's database lives by default: .issuer-data/<chainId>-<issuer>.json. */
export function issuerDatabasePath(chainId: number, issuer: Address, dir = ISSUER_DATA_DIR): string {
  return path.join(dir, `${chainId}-${issuer.toLowerCase()}.json`);
}

export function writeIssuerDatabase(file: string, database: IssuerDatabase): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(database, null, 2)}\n`);
  renameSync(temporary, file);
}

/** Reads and checks a database file; throws an Error naming the file and the bad entry. */
export function readIssuerDatabase(file: string): IssuerDatabase {
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return fail((error as Error).message);
  }
  const record = raw as Partial<IssuerDatabase>;
  if (record.version !== 1 || typeof record.issuer !== "string" || !Array.isArray(record.cards)) {
    return fail("not an issuer card database (version 1 with issuer and cards)");
  }
  record.cards.forEach((card, i) => {
    const ok =
      Number.isSafeInteger(card.brandId) &&
      typeof card.cardNumber === "string" &&
      card.cardNumber.trim() !== "" &&
      typeof card.faceValue === "string" &&
      /^[1-9][0-9]*$/.test(card.faceValue) &&
      (card.status === "active" || card.status === "redeemed");
    if (!ok) fail(`card ${i} needs brandId, cardNumber, faceValue (minor units) and status active|redeemed`);
  });
  return { version: 1, issuer: getAddress(record.issuer), cards: record.cards };
}
