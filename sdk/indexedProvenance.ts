/**
 * The indexer's provenance of a voucher (indexer.ts `provenance`) in the shape reads.ts `getProvenance` reads from the
 * chain, so an app shows either through the same code. Apart from indexer.ts, which stays free of the ABIs: the
 * market's first request loads that module alone.
 */
import { getAddress, zeroAddress, type AbiEvent } from "viem";
import { voucherExchangeAbi, voucherTokenAbi } from "./abis.ts";
import type { IndexedEvent } from "./indexer.ts";
import type { ProvenanceEvent } from "./reads.ts";

const EVENT_ABIS = new Map<string, { event: AbiEvent; trade: boolean }>([
  ...voucherTokenAbi
    .filter((item) => item.type === "event")
    .map((event) => [event.name, { event, trade: false }] as const),
  ...voucherExchangeAbi
    .filter((item) => item.type === "event")
    .map((event) => [event.name, { event, trade: true }] as const),
]);

/** One argument from the wire in the type the contract's ABI gives it, as viem decodes it from a log. */
function decodeArg(type: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (/^u?int\d*$/.test(type)) {
    const n = BigInt(value as string);
    // viem decodes integers of 48 bits and less as numbers.
    return Number(type.replace(/^u?int/, "") || 256) <= 48 ? Number(n) : n;
  }
  if (type === "address") return getAddress(value as string);
  if (type.endsWith("[]") && Array.isArray(value)) return value.map((v) => decodeArg(type.slice(0, -2), v));
  return value;
}

/**
 * The indexer's provenance of a voucher in the shape `getProvenance` (reads.ts) reads from the chain: each event's
 * arguments decoded by the contracts' ABIs (integers as bigints or numbers, addresses checksummed), trade events with
 * their payment token, oldest first. The indexer does not keep the mint's `Transfer` from the zero address
 * (`VoucherMinted` / `VoucherIssued` stand for it); events it names that the ABIs do not know are left out.
 */
export function provenanceFromIndex(events: readonly IndexedEvent[]): ProvenanceEvent[] {
  return events.flatMap((indexed) => {
    const known = EVENT_ABIS.get(indexed.event);
    if (!known) return [];
    const args = Object.fromEntries(
      known.event.inputs.map((input) => [input.name!, decodeArg(input.type, indexed.args[input.name!])]),
    );
    return [
      {
        event: indexed.event,
        args,
        blockNumber: indexed.blockNumber,
        logIndex: indexed.logIndex,
        timestamp: indexed.timestamp,
        ...(known.trade ? { payToken: getAddress((indexed.args.payToken as string | undefined) ?? zeroAddress) } : {}),
      } as ProvenanceEvent,
    ];
  });
}
