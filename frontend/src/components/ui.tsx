/** Small presentational pieces shared by the features. */
import { useState, type ReactNode } from "react";
import "./components.css";
import { useTranslation } from "react-i18next";
import type { Address } from "viem";
import type { TxState } from "../hooks/useTx.tsx";
import { useChainName, useErrorText } from "../i18n/hooks.ts";
import { shortAddress } from "../lib/format.ts";
import type { Tone } from "../lib/orders.ts";

export function Badge({ tone = "neutral", children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function AddressText({ address, you, name }: { address: Address | undefined; you?: Address; name?: string }) {
  const { t } = useTranslation();
  if (!address) return <span className="muted">—</span>;
  const isYou = you !== undefined && you.toLowerCase() === address.toLowerCase();
  return (
    <span className="address-text" title={address}>
      {name && <span className="address-name">{name} </span>}
      <span className="address">{shortAddress(address)}</span>
      {isYou && <span className="you"> {t("common.you")}</span>}
    </span>
  );
}

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useTranslation();
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
      {copied ? t("common.copied") : (label ?? t("common.copy"))}
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

export function Spinner({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden /> {label ?? t("common.loading")}
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

/**
 * A write's failure in the current language: by error name when the transaction hook hands over the decoded failure
 * (`failure`, from the SDK's decoder), otherwise the hook's own (English) sentence after a translated "failed".
 */
export function useTxErrorText(): (state: TxState) => string {
  const { t } = useTranslation();
  const errorText = useErrorText();
  return (state) => {
    const failure = (state as TxState & { failure?: unknown }).failure;
    if (failure !== undefined) return errorText(failure);
    return t("tx.failedWith", { detail: state.error ?? "" });
  };
}

/** A write's state under its button: what to do now, the hash while pending, the decoded error. */
export function TxStatus({ state }: { state: TxState }) {
  const { t } = useTranslation();
  const txErrorText = useTxErrorText();
  if (state.phase === "idle") return null;
  return (
    <div className={`tx-status tx-${state.phase}`} data-phase={state.phase} role="status">
      <span>{state.phase === "error" ? txErrorText(state) : t(`tx.phase.${state.phase}`)}</span>
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
  const { t } = useTranslation();
  const chain = useChainName();
  return <Empty title={t("connect.needed.title")}>{t("connect.needed.body", { chain, what })}</Empty>;
}

/**
 * A button for an irreversible action: the first click opens a short panel that says what will happen, and only its
 * confirm button acts. `action` names it for tests (`data-action`, and `${action}-confirm` on the confirm button).
 */
export function ConfirmButton({
  action,
  label,
  title,
  children,
  confirmLabel,
  cancelLabel,
  onConfirm,
  disabled,
  className = "btn btn-small",
  confirmClassName = "btn btn-small btn-danger",
  tone = "warning",
}: {
  action: string;
  label: ReactNode;
  title?: string;
  /** What happens, in one or two sentences. */
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm: () => unknown;
  disabled?: boolean;
  className?: string;
  confirmClassName?: string;
  tone?: "warning" | "danger";
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className={className}
        data-action={action}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <div className={`confirm alert alert-${tone}`} role="alertdialog" aria-label={title} data-confirm={action}>
      {title && <strong className="confirm-title">{title}</strong>}
      <div>{children}</div>
      <div className="row-gap">
        <button
          type="button"
          className={confirmClassName}
          data-action={`${action}-confirm`}
          disabled={disabled}
          onClick={() => {
            setAsking(false);
            void onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setAsking(false)}>
          {cancelLabel ?? t("common.cancel")}
        </button>
      </div>
    </div>
  );
}
