import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  http,
  type Account,
  type Address,
  type Chain,
  type EIP1193RequestFn,
  type Hash,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import { LOCAL_CHAIN_ID } from "#sdk";

/** Anything that speaks EIP-1193: Hardhat's network connection provider, a browser wallet. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown }): Promise<unknown>;
}

/** A viem public client plus a wallet client per sender, over one transport. */
export interface Chainish {
  chain: Chain;
  transport: Transport;
  publicClient: PublicClient<Transport, Chain>;
  wallet(account: Address | Account): WalletClient<Transport, Chain, Account>;
  /** The accounts the node (or Hardhat's provider) signs for: `eth_accounts`. */
  accounts(): Promise<Address[]>;
}

/**
 * The transport for an RPC URL or an EIP-1193 provider (e.g. `(await network.connect()).provider`). No retries: a
 * revert the node reports as an internal error (-32603) would otherwise be asked three more times over a second.
 */
export function transportFor(target: string | Eip1193Provider): Transport {
  return typeof target === "string"
    ? http(target, { retryCount: 0 })
    : custom({ request: target.request.bind(target) as unknown as EIP1193RequestFn }, { retryCount: 0 });
}

/**
 * viem clients for the chain behind `target`. Local chains poll fast (blocks are mined on demand); sending accounts
 * are JSON-RPC accounts (the node or Hardhat's provider signs) unless a viem `Account` is given.
 */
export async function connect(target: string | Eip1193Provider, pollingInterval?: number): Promise<Chainish> {
  const transport = transportFor(target);
  const probe = createPublicClient({ transport });
  const chainId = await probe.getChainId();
  const local = chainId === LOCAL_CHAIN_ID;
  const chain = defineChain({
    id: chainId,
    name: local ? "Hardhat local" : `Chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: typeof target === "string" ? [target] : [] } },
  });
  const interval = pollingInterval ?? (local ? 50 : 2000);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: interval });
  return {
    chain,
    transport,
    publicClient,
    wallet: (account) => createWalletClient({ chain, transport, account, pollingInterval: interval }),
    accounts: () => createWalletClient({ chain, transport }).getAddresses(),
  };
}

/** Waits for a transaction and throws when it reverted. */
export async function confirmed(client: PublicClient<Transport, Chain>, hash: Hash): Promise<TransactionReceipt> {
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`Transaction ${hash} reverted`);
  return receipt;
}
