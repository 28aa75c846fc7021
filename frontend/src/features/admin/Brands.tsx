/** The curated brands: activate or deactivate one, register another (texts checked as the contract will). */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { AddressText, Badge, Field } from "../../components/ui.tsx";
import { voucherTokenAbi } from "#sdk";
import { queryKeys, useBrands, useDeployment } from "../../hooks/queries.ts";
import { contractCall } from "../../hooks/useTx.tsx";
import { useBrandText, useProblemText } from "../../i18n/hooks.ts";
import {
  validateAddress,
  validateBrandText,
  validateCurrency,
  type FieldKey,
  type Problem,
} from "../../lib/validation.ts";
import type { AdminWrite } from "./AdminPage.tsx";

const EMPTY = { name: "", category: "", currency: "", issuer: "" };
const FIELDS: { key: keyof typeof EMPTY; field: FieldKey }[] = [
  { key: "name", field: "brandName" },
  { key: "category", field: "category" },
  { key: "currency", field: "currency" },
  { key: "issuer", field: "issuer" },
];

export function Brands({ canWrite, write }: { canWrite: boolean; write: AdminWrite }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const brandText = useBrandText();
  const d = useDeployment();
  const brands = useBrands();
  const [brand, setBrand] = useState(EMPTY);
  const [problems, setProblems] = useState<Partial<Record<keyof typeof EMPTY, Problem>>>({});
  const disabled = !canWrite || write.busy;

  const register = async () => {
    const name = validateBrandText(brand.name, "brandName");
    const category = validateBrandText(brand.category, "category");
    const currency = validateCurrency(brand.currency);
    const issuer = validateAddress(brand.issuer, "issuer");
    setProblems({
      name: name.ok ? undefined : name.error,
      category: category.ok ? undefined : category.error,
      currency: currency.ok ? undefined : currency.error,
      issuer: issuer.ok ? undefined : issuer.error,
    });
    if (!name.ok || !category.ok || !currency.ok || !issuer.ok) return;
    const done = await write.send(
      contractCall(d.voucherToken, voucherTokenAbi, "registerBrand", [
        name.value,
        category.value,
        currency.value,
        issuer.value,
      ]),
      t("admin.tx.registerBrand", { name: name.value }),
      [queryKeys.brands],
    );
    if (done) setBrand(EMPTY);
  };

  return (
    <section className="card">
      <h2>{t("admin.brands.title")}</h2>
      <ul className="admin-list">
        {brands.brands.map((b) => (
          <li key={b.id}>
            <span>
              <strong>
                #{b.id} {brandText.name(b)}
              </strong>{" "}
              <span className="muted small">
                {brandText.category(b.category)} · {b.currency} · {t("admin.brands.issuer")}{" "}
                <AddressText address={b.issuer} />
              </span>{" "}
              {b.active ? (
                <Badge tone="success">{t("admin.brands.active")}</Badge>
              ) : (
                <Badge>{t("admin.brands.inactive")}</Badge>
              )}
            </span>
            <button
              type="button"
              className="btn btn-small btn-ghost"
              disabled={disabled}
              onClick={() =>
                write.send(
                  contractCall(d.voucherToken, voucherTokenAbi, "setBrandActive", [BigInt(b.id), !b.active]),
                  t(b.active ? "admin.tx.deactivate" : "admin.tx.activate", { name: brandText.name(b) }),
                  [queryKeys.brands],
                )
              }
            >
              {b.active ? t("admin.brands.deactivate") : t("admin.brands.activate")}
            </button>
          </li>
        ))}
      </ul>
      <h3>{t("admin.brands.register")}</h3>
      <div className="form-grid">
        {FIELDS.map(({ key, field }) => (
          <Field key={key} label={t(`field.${field}`)} error={problemText(problems[key])}>
            <input
              value={brand[key]}
              onChange={(e) => setBrand((b) => ({ ...b, [key]: e.target.value }))}
              aria-label={t(`field.${field}`)}
              spellCheck={false}
            />
          </Field>
        ))}
        <div className="field-action">
          <button type="button" className="btn" disabled={disabled} onClick={register}>
            {t("admin.brands.registerButton")}
          </button>
        </div>
      </div>
    </section>
  );
}
