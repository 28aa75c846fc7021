/** For a brand's issuer: issue issuer-backed vouchers (no code: the token is the card). */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Address } from "viem";
import { Field, TxStatus } from "../../components/ui.tsx";
import { voucherTokenAbi } from "#sdk";
import { queryKeys, useBrands, useChainTime, useDeployment } from "../../hooks/queries.ts";
import { contractCall, useTx } from "../../hooks/useTx.tsx";
import { useBrandText, useProblemText } from "../../i18n/hooks.ts";
import { validateBrand, validateExpiry, validateFaceValue, type Problem } from "../../lib/validation.ts";

export function IssueForm({ account }: { account: Address }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const brandText = useBrandText();
  const d = useDeployment();
  const { brands } = useBrands();
  const now = useChainTime();
  const tx = useTx();
  const mine = brands.filter((b) => b.active && b.issuer.toLowerCase() === account.toLowerCase());
  const [brandId, setBrandId] = useState("");
  const [faceValue, setFaceValue] = useState("");
  const [expiry, setExpiry] = useState("");
  const [errors, setErrors] = useState<Partial<Record<"brandId" | "faceValue" | "expiry", Problem>>>({});
  if (mine.length === 0) return null;

  const issue = async () => {
    const brand = validateBrand(brandId, mine);
    const face = validateFaceValue(faceValue);
    const expires = validateExpiry(expiry, now);
    setErrors({
      ...(brand.ok ? {} : { brandId: brand.error }),
      ...(face.ok ? {} : { faceValue: face.error }),
      ...(expires.ok ? {} : { expiry: expires.error }),
    });
    if (!brand.ok || !face.ok || !expires.ok) return;
    const receipt = await tx.send(
      contractCall(d.voucherToken, voucherTokenAbi, "issue", [account, BigInt(brand.value), face.value, expires.value]),
      { label: t("sell.issue.tx"), invalidates: [queryKeys.wallets] },
    );
    if (receipt) setFaceValue("");
  };

  return (
    <section className="card" data-testid="issue">
      <h2>{t("sell.issue.title")}</h2>
      <p className="muted small">
        {t("sell.issue.explain", { brands: mine.map((b) => brandText.name(b)).join("、") })}
      </p>
      <div className="form-grid">
        <Field label={t("sell.mint.brand")} error={problemText(errors.brandId)}>
          <select value={brandId} onChange={(e) => setBrandId(e.target.value)} aria-label={t("sell.issue.brand")}>
            <option value="">{t("sell.mint.chooseBrand")}</option>
            {mine.map((b) => (
              <option key={b.id} value={b.id}>
                {brandText.name(b)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("sell.mint.face")} error={problemText(errors.faceValue)}>
          <input
            inputMode="decimal"
            value={faceValue}
            onChange={(e) => setFaceValue(e.target.value)}
            aria-label={t("sell.issue.face")}
          />
        </Field>
        <Field label={t("sell.mint.expiry")} error={problemText(errors.expiry)}>
          <input
            type="date"
            value={expiry}
            onChange={(e) => setExpiry(e.target.value)}
            aria-label={t("sell.issue.expiry")}
          />
        </Field>
      </div>
      <div className="row-gap">
        <button type="button" className="btn btn-primary" onClick={issue} disabled={tx.busy}>
          {t("sell.issue.button")}
        </button>
      </div>
      <TxStatus state={tx.state} />
    </section>
  );
}
