/**
 * The built-in dev wallet: a wagmi connector over Hardhat's public test accounts ("test test … junk"). It signs
 * locally with a viem HD account, exactly like an extension would: messages with `personal_sign`, transactions as
 * raw signed transactions. Only reads are forwarded to the node; nothing relies on the node's unlocked accounts.
 * Offered on the local chain only (the keys are public).
 */
import { createConnector } from "wagmi";
import {
  createWalletClient,
  getAddress,
  hexToBigInt,
  hexToNumber,
  http,
  numberToHex,
  ProviderRpcError,
  SwitchChainError,
  type Address,
  type Chain,
  type Hex,
} from "viem";
import type { HDAccount } from "viem/accounts";

export const DEV_MNEMONIC = "test test test test test test test test test test test junk";
/**
 * Accounts #0–#13: the demo cast of scripts/demo-accounts.ts (owner … Henry the issuer, Ivy the second seller, Jack and
 * Kate the recyclers).
 */
export const DEV_ACCOUNT_COUNT = 14;
export const DEV_WALLET_ID = "kaquanDevWallet";

const accounts = new Map<number, Promise<HDAccount>>();

/**
 * Hardhat account #index, derived once and cached (each derivation runs PBKDF2). The HD-wallet code loads on first
 * use, so it stays out of the bundle's first load, and out of the way on chains without the dev wallet.
 */
export function devAccount(index: number): Promise<HDAccount> {
  let account = accounts.get(index);
  if (!account) {
    account = import("viem/accounts").then(({ mnemonicToAccount }) =>
      mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index }),
    );
    accounts.set(index, account);
  }
  return account;
}

class UnsupportedMethodError extends ProviderRpcError {
  constructor(method: string) {
    super(new Error(`The dev wallet does not support ${method}`), {
      code: 4200,
      shortMessage: `Unsupported: ${method}`,
    });
  }
}

type RpcTx = { from?: Address; to?: Address; data?: Hex; input?: Hex; value?: Hex; gas?: Hex; nonce?: Hex };

/** Methods answered by the node: reads only. Anything that signs is handled here or refused. */
const FORWARDED = /^(eth_(?!sign|sendTransaction|accounts|requestAccounts|coinbase)|net_|web3_)/;

/** The active account and whether to reconnect, kept in this browser (the keys themselves are public anyway). */
const stored = {
  get(key: "index" | "connected"): string | null {
    return typeof localStorage === "undefined" ? null : localStorage.getItem(`${DEV_WALLET_ID}.${key}`);
  },
  set(key: "index" | "connected", value: string | null) {
    if (typeof localStorage === "undefined") return;
    if (value === null) localStorage.removeItem(`${DEV_WALLET_ID}.${key}`);
    else localStorage.setItem(`${DEV_WALLET_ID}.${key}`, value);
  },
};

export interface DevWalletProperties extends Record<string, unknown> {
  /** Switches the active test account (the connection stays up, like picking another account in an extension). */
  selectAccount(index: number): Promise<void>;
  accountIndex(): number;
}

devWallet.type = "devWallet" as const;

export function devWallet(parameters: { chain: Chain; rpcUrl: string }) {
  const { chain, rpcUrl } = parameters;
  const node = http(rpcUrl)({ chain, retryCount: 0 });
  let index = 0;
  let connected = false;

  const current = () => devAccount(index);

  const checkFrom = async (from: unknown) => {
    if (typeof from === "string" && from.toLowerCase() !== (await current()).address.toLowerCase()) {
      throw new ProviderRpcError(new Error(`${from} is not the active dev account`), {
        code: 4100,
        shortMessage: "Unauthorized account",
      });
    }
  };

  const request = async ({ method, params }: { method: string; params?: unknown }): Promise<unknown> => {
    const args = (params ?? []) as unknown[];
    switch (method) {
      case "eth_accounts":
        return connected ? [(await current()).address] : [];
      case "eth_requestAccounts":
        connected = true;
        return [(await current()).address];
      case "eth_chainId":
        return numberToHex(chain.id);
      case "net_version":
        return String(chain.id);
      case "personal_sign": {
        const [data, from] = args as [Hex, Address];
        await checkFrom(from);
        return (await current()).signMessage({ message: { raw: data } });
      }
      case "eth_signTypedData_v4": {
        const [from, json] = args as [Address, string];
        await checkFrom(from);
        const { types, domain, message, primaryType } = JSON.parse(json);
        delete types.EIP712Domain;
        return (await current()).signTypedData({ types, domain, message, primaryType });
      }
      case "eth_sendTransaction": {
        const [tx] = args as [RpcTx];
        await checkFrom(tx.from);
        const wallet = createWalletClient({ account: await current(), chain, transport: http(rpcUrl) });
        return wallet.sendTransaction({
          to: tx.to,
          data: tx.data ?? tx.input,
          value: tx.value ? hexToBigInt(tx.value) : undefined,
          gas: tx.gas ? hexToBigInt(tx.gas) : undefined,
          nonce: tx.nonce ? hexToNumber(tx.nonce) : undefined,
        });
      }
      case "wallet_switchEthereumChain": {
        const [{ chainId }] = args as [{ chainId: Hex }];
        if (hexToNumber(chainId) === chain.id) return null;
        throw new ProviderRpcError(new Error("The dev wallet only knows the local chain"), {
          code: 4902,
          shortMessage: "Unrecognized chain",
        });
      }
      case "wallet_requestPermissions":
      case "wallet_getPermissions":
        return [{ parentCapability: "eth_accounts" }];
      default:
        if (FORWARDED.test(method)) return node.request({ method, params } as never);
        throw new UnsupportedMethodError(method);
    }
  };
  const provider = { request, on: () => undefined, removeListener: () => undefined };

  return createConnector<typeof provider, DevWalletProperties>((config) => ({
    id: DEV_WALLET_ID,
    name: "Dev wallet",
    type: devWallet.type,
    async setup() {
      const saved = Number(stored.get("index") ?? 0);
      index = Number.isInteger(saved) && saved >= 0 && saved < DEV_ACCOUNT_COUNT ? saved : 0;
    },
    async connect(options) {
      connected = true;
      stored.set("connected", "true");
      const address = (await current()).address;
      const accountsOut = options?.withCapabilities ? [{ address, capabilities: {} }] : [address];
      return { accounts: accountsOut as never, chainId: chain.id };
    },
    async disconnect() {
      connected = false;
      stored.set("connected", null);
    },
    async getAccounts() {
      return connected ? [(await current()).address] : [];
    },
    async getChainId() {
      return chain.id;
    },
    async getProvider() {
      return provider;
    },
    async isAuthorized() {
      return stored.get("connected") === "true";
    },
    async switchChain({ chainId }) {
      if (chainId !== chain.id) throw new SwitchChainError(new Error("The dev wallet only knows the local chain"));
      return chain;
    },
    onAccountsChanged(accountsIn) {
      if (accountsIn.length === 0) this.onDisconnect();
      else config.emitter.emit("change", { accounts: accountsIn.map((a) => getAddress(a)) });
    },
    onChainChanged() {},
    onDisconnect() {
      connected = false;
      config.emitter.emit("disconnect");
    },
    async selectAccount(next: number) {
      if (!Number.isInteger(next) || next < 0 || next >= DEV_ACCOUNT_COUNT) throw new Error(`No dev account #${next}`);
      index = next;
      stored.set("index", String(next));
      config.emitter.emit("change", { accounts: [(await current()).address] });
    },
    accountIndex() {
      return index;
    },
  }));
}
