/**
 * Sentences from the catalogs for things the pure layers hand back as data: form problems (lib/validation) and
 * contract errors (decoded reverts, by error name, with their arguments). Pure apart from the `t` it is given.
 */
import type { TFunction } from "i18next";
import type { Abi } from "viem";
import { ALL_ERRORS_ABI, decodeError } from "../lib/errors.ts";
import { formatDateTime, shortAddress } from "../lib/format.ts";
import type { Problem } from "../lib/validation.ts";

type AbiError = Extract<Abi[number], { type: "error" }>;

/** `t` for keys built at run time with values of any shape (the typed `t` checks literal keys and their options). */
export type LooseT = (key: string, options?: Record<string, unknown>) => string;
export const loose = (t: TFunction): LooseT => t as unknown as LooseT;

/** A form problem as a sentence: its `field` value names an input (a key under `field.`), translated first. */
export function problemText(t: TFunction, problem: Problem): string {
  const values: Record<string, string | number> = { ...problem.values };
  if (typeof values.field === "string") values.field = loose(t)(`field.${values.field}`, values);
  return loose(t)(`validation.${problem.key}`, values);
}

/** A decoded custom error: its name and arguments (positional, as viem decodes them, or by name). */
export interface DecodedRevert {
  name: string;
  args: readonly unknown[] | Readonly<Record<string, unknown>>;
  /** The English sentence, when the decoder provides one: the fallback for a name the catalogs lack. */
  message?: string;
}

const errorsByName = new Map<string, AbiError>(ALL_ERRORS_ABI.map((e) => [e.name, e]));

/**
 * The arguments of a custom error as named interpolation values: dates for times (`…At`, `deadline`, `settleBy`),
 * short addresses, percentages for basis points, and `id` for whichever trade id the error carries.
 */
export function revertValues(revert: DecodedRevert): Record<string, string> {
  const inputs = errorsByName.get(revert.name)?.inputs ?? [];
  const named: Record<string, unknown> = Array.isArray(revert.args)
    ? Object.fromEntries(inputs.map((input, i) => [input.name ?? `arg${i}`, (revert.args as unknown[])[i]]))
    : { ...(revert.args as Record<string, unknown>) };
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(named)) {
    const type = inputs.find((input) => input.name === name)?.type;
    if (type === "address" || (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value))) {
      values[name] = shortAddress(String(value));
    } else if (/At$|^deadline$|^settleBy$/.test(name)) {
      values[name] = formatDateTime(Number(value));
    } else if (/Bps$|^sum$/.test(name)) {
      values[name] = `${Number(value) / 100}%`;
    } else {
      values[name] = String(value);
    }
  }
  const id = named.tradeId;
  if (id !== undefined) values.id = String(id);
  return values;
}

/** A contract error's sentence from the catalogs, or its English message when the catalogs lack the name. */
export function revertText(t: TFunction, revert: DecodedRevert, i18nHas: (key: string) => boolean): string {
  const key = `errors.contract.${revert.name}`;
  if (i18nHas(key)) return loose(t)(key, revertValues(revert));
  return t("errors.unknownContractError", { name: revert.name, message: revert.message ?? "" });
}

/** An error already decoded by the SDK (`decodeError`: name, args, English message), not a thrown object. */
function isDecoded(error: unknown): error is DecodedRevert & { message: string } {
  return (
    typeof error === "object" &&
    error !== null &&
    !(error instanceof Error) &&
    typeof (error as DecodedRevert).name === "string" &&
    "args" in error
  );
}

/**
 * One sentence, in the current language, for whatever a read, a write or a wallet request threw (decoded by the SDK's
 * `decodeError`, which also finds reverts a node reports as plain RPC errors), or for an error already decoded. The
 * SDK's names for failures that are not custom errors: UserRejected, InsufficientFunds, Error, Panic, Unknown.
 */
export function errorText(t: TFunction, error: unknown, i18nHas: (key: string) => boolean): string {
  const decoded: DecodedRevert & { message?: string } = isDecoded(error) ? error : decodeError(error);
  switch (decoded.name) {
    case "UserRejected":
      return t("errors.userRejected");
    case "InsufficientFunds":
      return t("errors.insufficientFunds");
    case "Error":
    case "Panic":
    case "Unknown":
      return t("errors.generic", { detail: decoded.message ?? "" });
    default:
      return revertText(t, decoded, i18nHas);
  }
}
