/** The app's public settings (VITE_* variables, see frontend/.env.example) and the deployment they select. */
import { defineChain, type Chain } from "viem";
import { baseSepolia, hardhat, sepolia } from "viem/chains";
import type { Deployment } from "#sdk";
import { deployments } from "./chain/deployments.ts";
import { parseRates } from "./lib/pricing.ts";

export const LOCAL_CHAIN_ID = 31337;

export const CHAIN_ID = Number(import.meta.env.VITE_CHAIN_ID || LOCAL_CHAIN_ID);
export const RPC_URL: string = import.meta.env.VITE_RPC_URL || "http://127.0.0.1:8545";
export const REF_RATES = parseRates(import.meta.env.VITE_REF_RATES);

/** Hardhat's test accounts are public: the dev wallet exists only on the local chain. */
export const DEV_WALLET_ENABLED = CHAIN_ID === LOCAL_CHAIN_ID && import.meta.env.VITE_DEV_WALLET !== "false";

const KNOWN_CHAINS: Record<number, Chain> = {
  [hardhat.id]: { ...hardhat, name: "Kaquan local (Hardhat)" },
  [sepolia.id]: sepolia,
  [baseSepolia.id]: baseSepolia,
};

/** The one chain the app reads from and writes to, with our RPC endpoint. */
export const appChain: Chain = (() => {
  const known = KNOWN_CHAINS[CHAIN_ID];
  const rpcUrls = { default: { http: [RPC_URL] } };
  if (known) return { ...known, rpcUrls };
  return defineChain({
    id: CHAIN_ID,
    name: `Chain ${CHAIN_ID}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls,
  });
})();

/** Where Kaquan lives on the app chain, from the deploy output; undefined before the first deploy. */
export const deployment: Deployment | undefined = (deployments as Readonly<Record<number, Deployment | undefined>>)[
  CHAIN_ID
];
