/** Small presentational pieces shared by the pages. */
import { useState, type ReactNode } from "react";
import type { Address } from "viem";
import { appChain } from "../config.ts";
import { shortAddress } from "../lib/format.ts";
import type { Tone } from "../lib/orders.ts";
import { PHASE_TEXT, type TxState } from "../hooks/useTx.tsx";

export function Badge({ tone = "neutral", children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function AddressText({ address, you }: { address: Address | undefined; you?: Address }) {
  if (!address) return <span className="muted">—</span>;
  const isYou = you !== undefined && you.toLowerCase() === address.toLowerCase();
  return (
    <span className="address" title={address}>
      {shortAddress(address)}
      {isYou && <span className="you"> (you)</span>}
    </span>
  );
}

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-small btn-ghost"
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => undefined);
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? "Copied" : label}
    </button>
  );
}

export function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <label className={`field${error ? " field-error" : ""}`}>
      <span className="field-label">{label}</span>
      {children}
      {error ? (
        <span className="field-message">{error}</span>
      ) : hint ? (
        <span className="field-hint">{hint}</span>
      ) : null}
    </label>
  );
}

export function Spinner({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden /> {label}
    </div>
  );
}

export function ErrorBox({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-danger" role="alert">
      {children}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}

/** A write's state under its button: what to do now, the hash while pending, the decoded error. */
export function TxStatus({ state }: { state: TxState }) {
  if (state.phase === "idle") return null;
  return (
    <div className={`tx-status tx-${state.phase}`} data-phase={state.phase} role="status">
      <span>{state.phase === "error" ? state.error : PHASE_TEXT[state.phase]}</span>
      {state.hash && (
        <code className="hash" title={state.hash}>
          {shortAddress(state.hash)}
        </code>
      )}
    </div>
  );
}

export type StepState = "todo" | "active" | "done" | "error" | "skipped";

export interface Step {
  label: string;
  state: StepState;
  detail?: string;
}

/** Multi-step work (approve → list): every step visible with its state. */
export function Steps({ steps }: { steps: Step[] }) {
  if (steps.length === 0) return null;
  return (
    <ol className="steps">
      {steps.map((step, i) => (
        <li key={step.label} className={`step step-${step.state}`} data-state={step.state}>
          <span className="step-dot">{step.state === "done" ? "✓" : step.state === "error" ? "!" : i + 1}</span>
          <span className="step-text">
            {step.label}
            {step.detail && <span className="step-detail">{step.detail}</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {children && <p className="lead">{children}</p>}
    </header>
  );
}

export function NotConnected({ what }: { what: string }) {
  return (
    <Empty title="Connect a wallet">
      Connect a wallet (on {appChain.name}, the built-in dev wallet works) to {what}.
    </Empty>
  );
}
