/**
 * Reveals a voucher's code in the browser only: opens the sealed payload with a wallet-derived key and checks it
 * against the on-chain commitment. The code never leaves this component except through the copy button.
 */
import { useState } from "react";
import type { Hex } from "viem";
import { useKeys } from "../hooks/useKeys.ts";
import { checkDelivery, type DeliveryCheck, type KeyPurpose } from "../lib/codeDelivery.ts";
import { CopyButton } from "./ui.tsx";

export interface RevealSource {
  /** Which key opens it: the order key for a delivery, the vault key for a code sealed to oneself. */
  purpose: KeyPurpose;
  /** Loads the sealed payload (a delivery, or the latest CodeSealed for the holder). */
  load: () => Promise<Hex | undefined>;
  codeHash: Hex;
}

export function RevealCode({ source, onResult }: { source: RevealSource; onResult?: (check: DeliveryCheck) => void }) {
  const keys = useKeys();
  const [check, setCheck] = useState<DeliveryCheck>();
  const [loading, setLoading] = useState(false);

  const reveal = async () => {
    setLoading(true);
    try {
      const pair = await keys.derive(source.purpose);
      if (!pair) return;
      const payload = await source.load();
      const result: DeliveryCheck = payload
        ? checkDelivery(payload, pair.secretKey, source.codeHash)
        : { ok: false, reason: "No sealed code was found for this voucher." };
      setCheck(result);
      onResult?.(result);
    } finally {
      setLoading(false);
    }
  };

  if (!check) {
    return (
      <div className="reveal">
        <button
          type="button"
          className="btn"
          onClick={reveal}
          disabled={loading || keys.signing}
          data-testid="reveal-button"
        >
          {keys.signing ? "Sign in your wallet…" : loading ? "Decrypting…" : "Reveal code"}
        </button>
        {keys.error && <span className="field-message">{keys.error}</span>}
      </div>
    );
  }
  if (!check.ok) {
    return (
      <div className="reveal reveal-bad" data-testid="reveal-result" data-match="no">
        <strong>Code matches commitment: no</strong>
        <span className="small">{check.reason}</span>
      </div>
    );
  }
  return (
    <div className="reveal reveal-ok" data-testid="reveal-result" data-match="yes">
      <div className="code-box">
        <code data-testid="revealed-code">{check.code}</code>
        <CopyButton text={check.code} />
      </div>
      <span className="match">✓ Code matches commitment: yes</span>
    </div>
  );
}
