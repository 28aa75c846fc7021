/**
 * The Kaquan TypeScript SDK: generated ABIs, protocol constants, code-delivery crypto, typed reads, actions and
 * decoded errors. Framework-free (viem only); see sdk/README.md.
 */
export * from "./abis.ts";
export * from "./actions.ts";
export * from "./codeDelivery.ts";
export * from "./constants.ts";
export * from "./deployment.ts";
export * from "./errors.ts";
export * from "./evidence.ts";
export * from "./offers.ts";
export * from "./orders.ts";
export * from "./reads.ts";
export * from "./types.ts";
export type { Address, Hex } from "viem";
export * from "./indexer.ts";
export * from "./indexedProvenance.ts";
