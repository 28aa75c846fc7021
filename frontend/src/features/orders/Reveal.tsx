/**
 * Reveals a voucher's code in the browser only: opens the sealed payload with a wallet-derived key and checks it
 * against the on-chain commitment. The code never leaves this component except through the copy button.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Hex } from "viem";
import { CopyButton } from "../../components/ui.tsx";
import { useKeys } from "../../hooks/useKeys.ts";
import { commitment, openCode, type DeliveryCheck, type KeyPurpose } from "../../lib/codeDelivery.ts";

export interface RevealSource {
  /** Which key opens it: the order key for a delivery, the vault key for a code sealed to oneself. */
  purpose: KeyPurpose;
  /** Loads the sealed payload (a delivery, or the latest CodeSealed for the holder). */
  load: () => Promise<Hex | undefined>;
  codeHash: Hex;
}

/** Why a code could not be shown: nothing sealed, sealed to another key (or altered), or not the committed code. */
export type RevealFailure = "notFound" | "undecryptable" | "mismatch";

export function openAndCheck(
  payload: Hex | undefined,
  secretKey: Uint8Array,
  codeHash: Hex,
): DeliveryCheck & { failure?: RevealFailure } {
  if (!payload) return { ok: false, reason: "notFound", failure: "notFound" };
  let opened: { code: string; salt: Hex };
  try {
    opened = openCode(payload, secretKey);
  } catch {
    return { ok: false, reason: "undecryptable", failure: "undecryptable" };
  }
  if (commitment(opened.code, opened.salt) !== codeHash.toLowerCase()) {
    return { ok: false, reason: "mismatch", failure: "mismatch" };
  }
  return { ok: true, code: opened.code, salt: opened.salt };
}

export function RevealCode({ source, onResult }: { source: RevealSource; onResult?: (check: DeliveryCheck) => void }) {
  const { t } = useTranslation();
  const keys = useKeys();
  const [check, setCheck] = useState<DeliveryCheck & { failure?: RevealFailure }>();
  const [loading, setLoading] = useState(false);

  const reveal = async () => {
    setLoading(true);
    try {
      const pair = await keys.derive(source.purpose);
      if (!pair) return;
      const result = openAndCheck(await source.load(), pair.secretKey, source.codeHash);
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
          {keys.signing ? t("reveal.signing") : loading ? t("reveal.decrypting") : t("reveal.button")}
        </button>
        <span className="muted small">{t("reveal.hint")}</span>
        {keys.error && <span className="field-message">{t("reveal.signatureMissing")}</span>}
      </div>
    );
  }
  if (!check.ok) {
    return (
      <div className="reveal reveal-bad" data-testid="reveal-result" data-match="no">
        <strong>{t("reveal.matchNo")}</strong>
        <span className="small">{t(`reveal.failure.${check.failure ?? "mismatch"}`)}</span>
      </div>
    );
  }
  return (
    <div className="reveal reveal-ok" data-testid="reveal-result" data-match="yes">
      <div className="code-box">
        <code data-testid="revealed-code">{check.code}</code>
        <CopyButton text={check.code} />
      </div>
      <span className="match">✓ {t("reveal.matchYes")}</span>
    </div>
  );
}
