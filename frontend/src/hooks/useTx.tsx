/**
 * The one path every write takes, the SDK's `execute` (sdk/actions.ts) on the connected wallet: simulate (a revert is
 * caught before the wallet opens) → "confirm in wallet" → pending with its hash → receipt → success or a decoded
 * error → invalidate exactly the queries the write changed. Each transaction also shows as a toast, so a person
 * always sees where it is.
 */
import { decodeError, execute, KaquanError, type Call, type DecodedError, type Kaquan } from "#sdk";
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import type { Hash, PublicClient, TransactionReceipt } from "viem";
import { useConfig, useConnection } from "wagmi";
import { getConnectorClient, getPublicClient } from "wagmi/actions";
import { appChain, deployment } from "../config.ts";
import { queryKeys } from "./queries.ts";
import { noteBlock } from "./useIndexer.ts";

export { contractCall, type Call } from "#sdk";

export type TxPhase = "idle" | "simulating" | "signing" | "pending" | "success" | "error";

export interface TxState {
  phase: TxPhase;
  label?: string;
  hash?: Hash;
  /** The decoded failure's sentence (English). */
  error?: string;
  /** The decoded failure: custom error name and arguments, for a translated message. */
  failure?: DecodedError;
}

/**
 * The words transactions show. English until the app's i18n (frontend/src/i18n/index.ts) fills them in the reader's
 * language at start-up and on every language change; this module stays free of the i18n library.
 */
export const txWords: {
  phase: Record<TxPhase, string>;
  dismiss: string;
  connectFirst: string;
  /** The sentence for a failed transaction: by default the SDK's English sentence. */
  failure: (state: TxState) => string;
} = {
  phase: {
    idle: "",
    simulating: "Checking…",
    signing: "Confirm in your wallet…",
    pending: "Pending…",
    success: "Confirmed",
    error: "Failed",
  },
  dismiss: "Dismiss",
  connectFirst: "Connect a wallet first.",
  failure: (state) => state.error ?? "",
};

interface Toast extends TxState {
  id: number;
}

interface ToastStore {
  toasts: Toast[];
  upsert(toast: Toast): void;
  dismiss(id: number): void;
}

const ToastContext = createContext<ToastStore | null>(null);

export function TxProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const upsert = useCallback(
    (toast: Toast) => {
      setToasts((all) => [...all.filter((t) => t.id !== toast.id), toast].slice(-3));
      if (toast.phase === "success")
        timers.current.set(
          toast.id,
          setTimeout(() => dismiss(toast.id), 5000),
        );
    },
    [dismiss],
  );
  const store = useMemo(() => ({ toasts, upsert, dismiss }), [toasts, upsert, dismiss]);
  return (
    <ToastContext.Provider value={store}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.phase}`} role="status" data-phase={toast.phase}>
            <div className="toast-head">
              <strong>{toast.label}</strong>
              <button type="button" className="link" onClick={() => dismiss(toast.id)} aria-label={txWords.dismiss}>
                ×
              </button>
            </div>
            <div className="toast-body">
              {toast.phase === "error" ? txWords.failure(toast) : txWords.phase[toast.phase]}
            </div>
            {toast.hash && <code className="toast-hash">{toast.hash}</code>}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

let nextId = 0;

export interface SendOptions {
  /** What the person is doing, e.g. "Buy voucher #12". */
  label: string;
  /** Query key prefixes the write changes. Chain time is always refreshed. */
  invalidates: readonly (readonly unknown[])[];
  /** Runs once the receipt is in, before the refetches (which may unmount the caller). */
  onConfirmed?: (receipt: TransactionReceipt) => void;
}

export function useTx() {
  const config = useConfig();
  const queryClient = useQueryClient();
  const { address, chainId } = useConnection();
  const toasts = useContext(ToastContext);
  const [state, setState] = useState<TxState>({ phase: "idle" });

  const send = useCallback(
    async (call: Call, options: SendOptions): Promise<TransactionReceipt | undefined> => {
      const id = ++nextId;
      const update = (next: TxState) => {
        setState(next);
        toasts?.upsert({ id, ...next });
      };
      const { label } = options;
      let hash: Hash | undefined;
      try {
        if (!address) throw new Error(txWords.connectFirst);
        if (chainId !== appChain.id) throw new Error(`Switch your wallet to ${appChain.name} first.`);
        if (!deployment) throw new Error("Kaquan is not deployed on this chain.");
        update({ phase: "simulating", label });
        const kaquan: Kaquan = {
          deployment,
          publicClient: getPublicClient(config, { chainId: appChain.id }) as PublicClient,
          walletClient: await getConnectorClient(config, { chainId: appChain.id, account: address }),
        };
        const receipt = await execute(kaquan, call, {
          onPhase: (phase, sent) => {
            hash = sent ?? hash;
            update({ phase, label, hash });
          },
        });
        update({ phase: "success", label, hash });
        // Reads through the indexer wait for this block: the refetches below see the write.
        noteBlock(receipt.blockNumber);
        options.onConfirmed?.(receipt);
        await Promise.all(
          [...options.invalidates, queryKeys.chainTime].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
        );
        return receipt;
      } catch (error) {
        const failure = error instanceof KaquanError ? error.decoded : decodeError(error);
        update({ phase: "error", label, hash, error: failure.message, failure });
        return undefined;
      }
    },
    [address, chainId, config, queryClient, toasts],
  );

  const reset = useCallback(() => setState({ phase: "idle" }), []);
  const busy = state.phase === "simulating" || state.phase === "signing" || state.phase === "pending";
  return { send, state, busy, reset };
}
