/**
 * Reveals a card's number and PIN in the browser only: opens the sealed payload with a wallet-derived key and checks
 * both against the voucher's on-chain commitments (card-number fingerprint, PIN commitment). What was delivered is shown
 * to its recipient even when it does not match (with the mismatch said plainly), never anywhere else; it leaves this
 * component only through the copy buttons.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Hex } from "viem";
import { Badge, CopyButton } from "../../components/ui.tsx";
import { useKeys } from "../../hooks/useKeys.ts";
import { checkDelivery, type CardCommitments, type DeliveryCheck, type KeyPurpose } from "#sdk";

export interface RevealSource {
  /** Which key opens it: the order key for a delivery, the vault key for a card sealed to oneself. */
  purpose: KeyPurpose;
  /** Loads the sealed payload (a delivery, or the latest CodeSealed for the holder). */
  load: () => Promise<Hex | undefined>;
  voucher: CardCommitments;
}

/** Why a card could not be shown as delivered: nothing sealed, sealed to another key (or altered), or not the committed card. */
export type RevealFailure = "notFound" | "undecryptable" | "mismatch";

export function failureOf(check: DeliveryCheck | undefined): RevealFailure | undefined {
  if (!check) return "notFound";
  return !check.opened ? "undecryptable" : check.ok ? undefined : "mismatch";
}

export function RevealCode({ source, onResult }: { source: RevealSource; onResult?: (check: DeliveryCheck) => void }) {
  const { t } = useTranslation();
  const keys = useKeys();
  const [check, setCheck] = useState<DeliveryCheck | "notFound">();
  const [loading, setLoading] = useState(false);

  const reveal = async () => {
    setLoading(true);
    try {
      const pair = await keys.derive(source.purpose);
      if (!pair) return;
      const payload = await source.load();
      if (!payload) return setCheck("notFound");
      const result = checkDelivery(payload, pair.secretKey, source.voucher);
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
  const failure = check === "notFound" ? "notFound" : failureOf(check);
  const card = check === "notFound" ? undefined : check.card;
  return (
    <div
      className={`reveal ${failure ? "reveal-bad" : "reveal-ok"}`}
      data-testid="reveal-result"
      data-match={failure ? "no" : "yes"}
    >
      {failure && (
        <>
          <strong>{t("reveal.matchNo")}</strong>
          <span className="small">{t(`reveal.failure.${failure}`)}</span>
        </>
      )}
      {card && check !== "notFound" && (
        <dl className="revealed-card">
          {(
            [
              ["cardNumber", card.cardNumber, check.cardMatches, "revealed-card-number"],
              ["code", card.code, check.codeMatches, "revealed-code"],
            ] as const
          ).map(([field, text, ok, testId]) => (
            <div key={field}>
              <dt>{t(`reveal.${field}`)}</dt>
              <dd className="code-box">
                <code data-testid={testId}>{text}</code>
                <CopyButton text={text} />
                <span className="match" data-value={ok ? "yes" : "no"}>
                  <Badge tone={ok ? "success" : "danger"}>
                    {ok ? `✓ ${t(`reveal.${field}Matches`)}` : `✗ ${t(`reveal.${field}Differs`)}`}
                  </Badge>
                </span>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
