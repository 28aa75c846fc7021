/**
 * The one path every write takes: simulate (a revert is caught before the wallet opens) → "confirm in wallet" →
 * pending with its hash → receipt → success or a decoded error → invalidate exactly the queries the write changed.
 * Each transaction also shows as a toast, so a person always sees where it is.
 */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { useConfig, useConnection } from "wagmi";
import { simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import type { Abi, Address, ContractFunctionArgs, ContractFunctionName, Hash, TransactionReceipt } from "viem";
import { appChain } from "../config.ts";
import { describeError } from "../lib/errors.ts";
import { queryKeys } from "./queries.ts";

type Mutability = "nonpayable" | "payable";

/** A contract write, type-checked where it is built (see `contractCall`), erased here. */
export interface Call {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
}

export function contractCall<const abi extends Abi, const functionName extends ContractFunctionName<abi, Mutability>>(
  address: Address,
  abi: abi,
  functionName: functionName,
  args: ContractFunctionArgs<abi, Mutability, functionName>,
  value?: bigint,
): Call {
  return { address, abi: abi as Abi, functionName, args: args as readonly unknown[], value };
}

export type TxPhase = "idle" | "simulating" | "signing" | "pending" | "success" | "error";

export interface TxState {
  phase: TxPhase;
  label?: string;
  hash?: Hash;
  error?: string;
}

export const PHASE_TEXT: Record<TxPhase, string> = {
  idle: "",
  simulating: "Checking…",
  signing: "Confirm in your wallet…",
  pending: "Pending…",
  success: "Confirmed",
  error: "Failed",
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
              <button type="button" className="link" onClick={() => dismiss(toast.id)} aria-label="Dismiss">
                ×
              </button>
            </div>
            <div className="toast-body">{toast.phase === "error" ? toast.error : PHASE_TEXT[toast.phase]}</div>
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
        if (!address) throw new Error("Connect a wallet first.");
        if (chainId !== appChain.id) throw new Error(`Switch your wallet to ${appChain.name} first.`);
        update({ phase: "simulating", label });
        await simulateContract(config, { ...call, account: address, chainId: appChain.id } as never);
        update({ phase: "signing", label });
        hash = await writeContract(config, { ...call, chainId: appChain.id } as never);
        update({ phase: "pending", label, hash });
        const receipt = await waitForTransactionReceipt(config, { hash, chainId: appChain.id });
        if (receipt.status !== "success") throw new Error("The transaction was reverted on-chain.");
        update({ phase: "success", label, hash });
        options.onConfirmed?.(receipt);
        await Promise.all(
          [...options.invalidates, queryKeys.chainTime].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
        );
        return receipt;
      } catch (error) {
        update({ phase: "error", label, hash, error: describeError(error) });
        return undefined;
      }
    },
    [address, chainId, config, queryClient, toasts],
  );

  const reset = useCallback(() => setState({ phase: "idle" }), []);
  const busy = state.phase === "simulating" || state.phase === "signing" || state.phase === "pending";
  return { send, state, busy, reset };
}
