/**
 * The exchange's governance within its on-chain limits: pause (confirmed first), the protocol fee (1–3%), the
 * distributor level shares and the dispute bond (1–50% of the price). Inputs start from the values on chain and keep what the owner typed across refetches.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { AddressText, Badge, ConfirmButton, Field } from "../../components/ui.tsx";
import type { ExchangeSettings as Settings } from "#sdk";
import { voucherExchangeAbi } from "#sdk";
import { queryKeys, useDeployment } from "../../hooks/queries.ts";
import { useDraft } from "../../hooks/useDraft.ts";
import { contractCall } from "../../hooks/useTx.tsx";
import { useLanguage, useProblemText } from "../../i18n/hooks.ts";
import { formatBps, formatDuration } from "../../lib/format.ts";
import {
  validateDisputeBondPercent,
  validateFeePercent,
  validateLevelShares,
  type Problem,
} from "../../lib/validation.ts";
import type { AdminWrite } from "./AdminPage.tsx";

const bpsText = (bps: number) => (bps / 100).toString();

export function ExchangeSettings({
  settings: s,
  canWrite,
  write,
}: {
  settings: Settings;
  canWrite: boolean;
  write: AdminWrite;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const problemText = useProblemText();
  const d = useDeployment();
  const [fee, setFee, feeDirty, resetFee] = useDraft(bpsText(s.feeBps));
  const [shares, setShares, sharesDirty, resetShares] = useDraft(
    s.levelShares.map(bpsText) as [string, string, string],
  );
  const [bond, setBond, bondDirty, resetBond] = useDraft(bpsText(s.disputeBondBps));
  const [problems, setProblems] = useState<{ fee?: Problem; shares?: Problem; bond?: Problem }>({});
  const disabled = !canWrite || write.busy;

  const setFeeOnChain = async () => {
    const checked = validateFeePercent(fee);
    setProblems({ fee: checked.ok ? undefined : checked.error });
    if (!checked.ok) return;
    const done = await write.send(
      contractCall(d.voucherExchange, voucherExchangeAbi, "setProtocolFee", [checked.value]),
      t("admin.tx.fee"),
      [queryKeys.settings, queryKeys.quotes],
    );
    if (done) resetFee();
  };

  const setSharesOnChain = async () => {
    const checked = validateLevelShares(shares);
    setProblems({ shares: checked.ok ? undefined : checked.error });
    if (!checked.ok) return;
    const done = await write.send(
      contractCall(d.voucherExchange, voucherExchangeAbi, "setLevelShares", [checked.value]),
      t("admin.tx.shares"),
      [queryKeys.settings, queryKeys.quotes],
    );
    if (done) resetShares();
  };

  const setBondOnChain = async () => {
    const checked = validateDisputeBondPercent(bond);
    setProblems({ bond: checked.ok ? undefined : checked.error });
    if (!checked.ok) return;
    const done = await write.send(
      contractCall(d.voucherExchange, voucherExchangeAbi, "setDisputeBond", [checked.value]),
      t("admin.tx.bond"),
      [queryKeys.settings],
    );
    if (done) resetBond();
  };

  return (
    <section className="card" data-testid="exchange-settings">
      <div className="section-head">
        <h2>{t("admin.exchange.title")}</h2>
        {s.paused ? (
          <Badge tone="warning">{t("admin.exchange.paused")}</Badge>
        ) : (
          <Badge tone="success">{t("admin.exchange.open")}</Badge>
        )}
      </div>
      <div className="row-gap admin-pause">
        {s.paused ? (
          <button
            type="button"
            className="btn btn-primary"
            disabled={disabled}
            data-action="unpause"
            onClick={() =>
              write.send(contractCall(d.voucherExchange, voucherExchangeAbi, "unpause", []), t("admin.tx.unpause"), [
                queryKeys.settings,
              ])
            }
          >
            {t("admin.exchange.unpause")}
          </button>
        ) : (
          <ConfirmButton
            action="pause"
            label={t("admin.exchange.pause")}
            className="btn btn-danger"
            confirmClassName="btn btn-danger"
            title={t("admin.exchange.pauseTitle")}
            confirmLabel={t("admin.exchange.pauseConfirm")}
            onConfirm={() =>
              write.send(contractCall(d.voucherExchange, voucherExchangeAbi, "pause", []), t("admin.tx.pause"), [
                queryKeys.settings,
              ])
            }
            disabled={disabled}
            tone="danger"
          >
            {t("admin.exchange.pauseBody")}
          </ConfirmButton>
        )}
      </div>
      <dl className="facts">
        <div>
          <dt>{t("admin.exchange.treasury")}</dt>
          <dd>
            <AddressText address={s.treasury} />
          </dd>
        </div>
        <div>
          <dt>{t("admin.exchange.arbiter")}</dt>
          <dd>
            <AddressText address={s.arbiter} />
          </dd>
        </div>
        <div>
          <dt>{t("admin.exchange.windows")}</dt>
          <dd>
            {t("admin.exchange.windowsValue", {
              delivery: formatDuration(s.windows.delivery, language),
              confirm: formatDuration(s.windows.confirm, language),
              arbitration: formatDuration(s.windows.arbitration, language),
            })}
          </dd>
        </div>
      </dl>
      <div className="form-grid">
        <Field
          label={t("admin.fee.label", { current: formatBps(s.feeBps) })}
          error={problemText(problems.fee)}
          hint={feeDirty ? t("admin.edited") : t("admin.fee.hint")}
        >
          <input
            inputMode="decimal"
            value={fee}
            onChange={(e) => setFee(e.target.value)}
            aria-label={t("admin.fee.input")}
          />
        </Field>
        <div className="field-action">
          <button type="button" className="btn" disabled={disabled} onClick={setFeeOnChain}>
            {t("admin.fee.button")}
          </button>
        </div>
      </div>
      <div className="form-grid">
        {[0, 1, 2].map((i) => (
          <Field
            key={i}
            label={t("admin.shares.label", { level: i + 1 })}
            error={i === 0 ? problemText(problems.shares) : undefined}
            hint={i === 0 && sharesDirty ? t("admin.edited") : undefined}
          >
            <input
              inputMode="decimal"
              value={shares[i]}
              onChange={(e) =>
                setShares(shares.map((v, j) => (j === i ? e.target.value : v)) as [string, string, string])
              }
              aria-label={t("admin.shares.input", { level: i + 1 })}
            />
          </Field>
        ))}
        <div className="field-action">
          <button type="button" className="btn" disabled={disabled} onClick={setSharesOnChain}>
            {t("admin.shares.button")}
          </button>
        </div>
      </div>
      <div className="form-grid">
        <Field
          label={t("admin.bond.label", { current: formatBps(s.disputeBondBps) })}
          error={problemText(problems.bond)}
          hint={bondDirty ? t("admin.edited") : t("admin.bond.hint")}
        >
          <input
            inputMode="decimal"
            value={bond}
            onChange={(e) => setBond(e.target.value)}
            aria-label={t("admin.bond.input")}
          />
        </Field>
        <div className="field-action">
          <button type="button" className="btn" disabled={disabled} onClick={setBondOnChain}>
            {t("admin.bond.button")}
          </button>
        </div>
      </div>
    </section>
  );
}
