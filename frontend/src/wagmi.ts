import { createConfig, http } from "wagmi";
import { injected } from "wagmi/connectors";
import { appChain, DEV_WALLET_ENABLED, RPC_URL } from "./config.ts";
import { devWallet } from "./wallet/devWallet.ts";

/**
 * One chain (the deployment's), read over our RPC endpoint with JSON-RPC batching (the market's many reads travel in
 * few HTTP requests). Wallets: the local dev wallet, any EIP-6963 wallet (discovered), and a plain injected one.
 */
export const config = createConfig({
  chains: [appChain],
  connectors: [
    ...(DEV_WALLET_ENABLED ? [devWallet({ chain: appChain, rpcUrl: RPC_URL })] : []),
    injected({ shimDisconnect: true }),
  ],
  multiInjectedProviderDiscovery: true,
  transports: { [appChain.id]: http(RPC_URL, { batch: { batchSize: 200, wait: 8 } }) },
});

declare module "wagmi" {
  interface Register {
    config: typeof config;
  }
}
