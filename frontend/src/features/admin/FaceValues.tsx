/**
 * A brand's face values (the token owner's `setDenominations`): the fixed denominations its cards come in, or any value
 * up to a maximum. Minting checks them, so nobody can invent a face value; cards already minted keep theirs.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "../../components/ui.tsx";
import { voucherTokenAbi, type Brand } from "#sdk";
import { queryKeys, useBrands, useDeployment } from "../../hooks/queries.ts";
import { contractCall } from "../../hooks/useTx.tsx";
import { useBrandText, useProblemText } from "../../i18n/hooks.ts";
import { formatFaceValue } from "../../lib/format.ts";
import { validateDenominations, type DenominationMode, type Problem } from "../../lib/validation.ts";
import type { AdminWrite } from "./AdminPage.tsx";

/** What a brand accepts now, as the owner reads it: "¥100 / ¥200 / ¥500" or "any up to ¥1,000". */
function useDenominationsText() {
  const { t } = useTranslation();
  return (brand: Brand) => {
    const { faceValues, maxFaceValue } = brand.denominations;
    if (maxFaceValue > 0n) return t("admin.faceValues.upTo", { max: formatFaceValue(maxFaceValue, brand.currency) });
    if (faceValues.length === 0) return t("admin.faceValues.none");
    return faceValues.map((value) => formatFaceValue(value, brand.currency)).join(" / ");
  };
}

/** The denominations as the owner would type them back: major units, comma separated. */
function draftOf(brand: Brand | undefined): { mode: DenominationMode; text: string } {
  const major = (minor: bigint) => (minor % 100n === 0n ? String(minor / 100n) : (Number(minor) / 100).toFixed(2));
  if (!brand) return { mode: "list", text: "" };
  const { faceValues, maxFaceValue } = brand.denominations;
  if (maxFaceValue > 0n) return { mode: "max", text: major(maxFaceValue) };
  return { mode: "list", text: faceValues.map(major).join(", ") };
}

export function FaceValues({ canWrite, write }: { canWrite: boolean; write: AdminWrite }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const brandText = useBrandText();
  const denominationsText = useDenominationsText();
  const d = useDeployment();
  const { brands } = useBrands();
  const [brandId, setBrandId] = useState<number | undefined>();
  const brand = brandId === undefined ? brands[0] : brands.find((b) => b.id === brandId);
  const [draft, setDraft] = useState<{ brandId?: number; mode: DenominationMode; text: string }>();
  const current = draft && draft.brandId === brand?.id ? draft : { brandId: brand?.id, ...draftOf(brand) };
  const [problem, setProblem] = useState<Problem>();
  const disabled = !canWrite || write.busy || !brand;

  const save = async () => {
    if (!brand) return;
    const checked = validateDenominations(current.text, current.mode);
    setProblem(checked.ok ? undefined : checked.error);
    if (!checked.ok) return;
    const done = await write.send(
      contractCall(d.voucherToken, voucherTokenAbi, "setDenominations", [
        BigInt(brand.id),
        [...checked.value.faceValues],
        checked.value.maxFaceValue,
      ]),
      t("admin.tx.faceValues", { name: brandText.name(brand) }),
      [queryKeys.brands],
    );
    if (done) setDraft(undefined);
  };

  return (
    <section className="card" data-testid="face-values">
      <h2>{t("admin.faceValues.title")}</h2>
      <p className="muted small">{t("admin.faceValues.lead")}</p>
      <div className="form-grid">
        <Field
          label={t("admin.faceValues.brand")}
          hint={brand && t("admin.faceValues.current", { values: denominationsText(brand) })}
        >
          <select
            value={brand?.id ?? ""}
            onChange={(e) => {
              setBrandId(Number(e.target.value));
              setProblem(undefined);
            }}
            aria-label={t("admin.faceValues.brand")}
          >
            {brands.map((b) => (
              <option key={b.id} value={b.id}>
                #{b.id} {brandText.name(b)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <div className="row-gap face-value-modes" role="radiogroup" aria-label={t("admin.faceValues.title")}>
        {(["list", "max"] as const).map((mode) => (
          <label key={mode} className="check">
            <input
              type="radio"
              name="face-value-mode"
              checked={current.mode === mode}
              onChange={() => setDraft({ ...current, mode })}
            />
            {t(mode === "list" ? "admin.faceValues.modeList" : "admin.faceValues.modeMax")}
          </label>
        ))}
      </div>
      <div className="form-grid">
        <Field
          label={t("field.faceValues")}
          error={problemText(problem)}
          hint={t(current.mode === "list" ? "admin.faceValues.listHint" : "admin.faceValues.maxHint", {
            currency: brand?.currency ?? "",
          })}
        >
          <input
            inputMode={current.mode === "max" ? "decimal" : "text"}
            value={current.text}
            onChange={(e) => setDraft({ ...current, text: e.target.value })}
            aria-label={t("field.faceValues")}
            spellCheck={false}
          />
        </Field>
        <div className="field-action">
          <button type="button" className="btn" disabled={disabled} onClick={save} data-action="set-face-values">
            {t("admin.faceValues.button")}
          </button>
        </div>
      </div>
    </section>
  );
}
