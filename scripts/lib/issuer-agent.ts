/**
 * The issuer's verification agent: it watches the voucher token for self-declared cards minted under the brands its
 * account issues, looks each one up in the issuer's card database by card-number fingerprint, and attests the voucher
 * (`attest(tokenId, faceValue)`) when the database holds that card number, at that face value, still active. The market
 * then shows the card as verified.
 *
 * What it checks, and what it cannot:
 * - The card number: `cardHash(brandId, cardNumber)` of every card in the database is compared with the voucher's
 *   `cardHash` (the unsalted fingerprint is what makes this lookup possible).
 * - The face value: the database's must equal the voucher's (the contract refuses anything else: FaceValueMismatch).
 * - Its own status: a card its records show as spent (`redeemed`) is never attested.
 * - Not the PIN. The voucher commits to the PIN with a salt that travels only sealed to the holder's vault, so the
 *   issuer cannot test its PIN against the commitment, and no holder is asked to share it: a PIN shown to one more
 *   party is a PIN that can be stolen once more. "Verified" therefore means "this card number exists in the issuer's
 *   records at this face value and was not spent there"; the PIN stays protected by the buyer's check of the delivery
 *   against `codeHash` and by the dispute process.
 *
 * Never twice: every voucher it decided on is saved in its state file (.agent-state/issuer-<chainId>-<issuer>.json),
 * and the voucher's on-chain `attested` flag is re-read right before attesting, so a restart (even between sending an
 * attestation and saving it) never attests again; a card whose attestation the issuer revoked by hand stays revoked.
 */
import type { Address, Hash, Hex } from "viem";
import { attest, cardHash, describeError, voucherTokenAbi, type Kaquan } from "#sdk";
import { issuerDatabasePath, readIssuerDatabase, type IssuerCard } from "./issuer-db.js";
import { assertNothingPending, startWatcher } from "./watcher.js";
import type { WatcherOptions, WatcherRun, WatcherState } from "./watcher.js";

const token = (kaquan: Kaquan) => ({ address: kaquan.deployment.voucherToken, abi: voucherTokenAbi }) as const;

/** The issuer is `account`: an account index of the node (`10`) or an address it signs for; or `privateKey`. */
export interface IssuerAgentOptions extends WatcherOptions {
  /** The card database (default .issuer-data/<chainId>-<issuer>.json, what the demo seed writes). */
  database?: string;
}

/** What the issuer agent remembers between runs, per chain, deployment and issuer. */
export interface IssuerAgentState extends WatcherState {
  /** Vouchers attested, by token id: the transaction, or "on-chain" when found attested already. */
  attested: Record<string, Hash | "on-chain">;
  /** Vouchers of the issuer's brands it did not attest, with the reason (not in the records, other face value…). */
  refused: Record<string, string>;
}

/** Starts the verification agent for the issuer `options.account` (see the file's header). */
export function startIssuerAgent(options: IssuerAgentOptions = {}): Promise<WatcherRun<IssuerAgentState>> {
  return startWatcher<IssuerAgentState>(options, "issuer", async (kaquan, log) => {
    const issuer = kaquan.walletClient.account.address;
    const file = options.database ?? issuerDatabasePath(kaquan.deployment.chainId, issuer);
    const database = readIssuerDatabase(file);
    if (database.issuer !== issuer)
      throw new Error(`${file} is the card database of ${database.issuer}, not ${issuer}.`);
    const records = new Map(
      database.cards.map((card) => [recordKey(card.brandId, cardHash(card.brandId, card.cardNumber)), card]),
    );
    log(`Card database ${file}: ${database.cards.length} cards.`);
    const issuerOf = brandIssuers(kaquan);
    let unknown = 0;
    return {
      name: "Issuer agent",
      contract: kaquan.deployment.voucherToken,
      statePrefix: "issuer-",
      fresh: () => ({ attested: {}, refused: {} }),
      progress: (state) => `${Object.keys(state.attested).length} vouchers attested so far`,
      scan: async (fromBlock, toBlock, state, save) => {
        const range = { fromBlock, toBlock, strict: true } as const;
        const minted = await kaquan.publicClient.getContractEvents({
          ...token(kaquan),
          ...range,
          eventName: "VoucherMinted",
        });
        for (const { args } of minted) {
          const id = `${args.tokenId}`;
          if (state.attested[id] !== undefined || state.refused[id] !== undefined) continue;
          if ((await issuerOf(args.brandId)) !== issuer) continue;
          const card = records.get(recordKey(Number(args.brandId), args.cardHash));
          const outcome = await decide(kaquan, args.tokenId, args.faceValue, card);
          if (outcome === undefined) continue;
          if (outcome.kind === "refused") {
            state.refused[id] = outcome.reason;
            // Cards from other sources are the common case: counted, not logged one by one.
            if (outcome.reason === NOT_IN_RECORDS) unknown++;
            else log(`Voucher #${id}: not attesting: ${outcome.reason}`);
          } else {
            state.attested[id] = outcome.hash;
            if (outcome.hash !== "on-chain")
              log(`Voucher #${id}: attested ${card!.brand} card at ${card!.faceValue} (tx ${outcome.hash}).`);
          }
          save();
        }
      },
      afterPass: () => {
        if (unknown > 0)
          log(`${unknown} minted card(s) of the issuer's brands are not in its records: left unverified.`);
        unknown = 0;
      },
    };
  });
}

const NOT_IN_RECORDS = "its card number is not in the issuer's records";

type Outcome = { kind: "attested"; hash: Hash | "on-chain" } | { kind: "refused"; reason: string };

/** Attests one minted voucher if the records hold its card, at its face value, unspent, and it is not attested yet. */
async function decide(
  kaquan: Kaquan,
  tokenId: bigint,
  faceValue: bigint,
  card: IssuerCard | undefined,
): Promise<Outcome | undefined> {
  if (card === undefined) return { kind: "refused", reason: NOT_IN_RECORDS };
  if (card.status !== "active") return { kind: "refused", reason: `the records show this card as ${card.status}` };
  if (BigInt(card.faceValue) !== faceValue) {
    return {
      kind: "refused",
      reason: `the records hold it at face value ${card.faceValue}, the voucher says ${faceValue}`,
    };
  }
  const voucher = await kaquan.publicClient
    .readContract({ ...token(kaquan), functionName: "voucher", args: [tokenId] })
    .catch(() => undefined);
  if (voucher === undefined) return { kind: "refused", reason: "the voucher no longer exists (redeemed)" };
  if (voucher.attested) return { kind: "attested", hash: "on-chain" };
  if (voucher.disclosed) return { kind: "refused", reason: "its code was disclosed in a dispute" };
  const revoked = await kaquan.publicClient.getContractEvents({
    ...token(kaquan),
    eventName: "AttestationRevoked",
    args: { tokenId },
    fromBlock: BigInt(kaquan.deployment.startBlock),
  });
  if (revoked.length > 0) return { kind: "refused", reason: "the issuer revoked its attestation before" };
  await assertNothingPending(kaquan);
  try {
    // Simulated first: a refusal costs nothing and says why.
    const receipt = await attest(kaquan, tokenId, faceValue);
    return { kind: "attested", hash: receipt.transactionHash };
  } catch (error) {
    const name = (error as { decoded?: { name: string } }).decoded?.name;
    if (name === "AttestationUnchanged") return { kind: "attested", hash: "on-chain" };
    if (name === "CodeWasDisclosed" || name === "FaceValueMismatch" || name === "NotIssuer") {
      return { kind: "refused", reason: describeError(error) };
    }
    throw error;
  }
}

/** The issuer of each brand, read once per brand (a brand's issuer is fixed at registration). */
function brandIssuers(kaquan: Kaquan): (brandId: bigint) => Promise<Address> {
  const known = new Map<bigint, Promise<Address>>();
  return (brandId) => {
    let issuer = known.get(brandId);
    if (issuer === undefined) {
      issuer = kaquan.publicClient
        .readContract({ ...token(kaquan), functionName: "brand", args: [brandId] })
        .then((brand) => brand.issuer);
      known.set(brandId, issuer);
    }
    return issuer;
  };
}

function recordKey(brandId: number, fingerprint: Hex): string {
  return `${brandId}/${fingerprint.toLowerCase()}`;
}
