/**
 * The rate schedule as a recycler writes it (up to four tiers by face value, a batch bonus, a near-expiry adjustment,
 * each problem under its field) and as everyone reads it (one plain line per rule).
 */
import { useTranslation } from "react-i18next";
import { Field } from "../../components/ui.tsx";
import { useProblemText } from "../../i18n/hooks.ts";
import { formatBps, formatFaceValue } from "../../lib/format.ts";
import { MAX_TIERS, tierRanges, type Schedule, type ScheduleDraft, type ScheduleErrors } from "../../lib/offers.ts";

export function ScheduleEditor({
  draft,
  onChange,
  errors,
  currency,
}: {
  draft: ScheduleDraft;
  onChange: (draft: ScheduleDraft) => void;
  errors: ScheduleErrors;
  currency: string;
}) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const symbol = currency === "CNY" ? "¥" : currency === "USD" ? "$" : `${currency} `;
  const setTier = (i: number, patch: Partial<ScheduleDraft["tiers"][number]>) =>
    onChange({ ...draft, tiers: draft.tiers.map((tier, j) => (j === i ? { ...tier, ...patch } : tier)) });
  return (
    <fieldset className="schedule-editor" data-testid="schedule-editor">
      <legend>{t("recycler.schedule.title")}</legend>
      <p className="muted small">{t("recycler.schedule.explain")}</p>
      <ol className="tiers">
        {draft.tiers.map((tier, i) => (
          <li key={i} className="tier-row" data-testid="tier">
            <Field
              label={i === 0 ? t("recycler.schedule.firstUpTo") : t("recycler.schedule.upTo")}
              error={problemText(errors[`tier.${i}.face`])}
            >
              <span className="input-affix">
                <span>{symbol}</span>
                <input
                  inputMode="decimal"
                  value={tier.maxFace}
                  onChange={(e) => setTier(i, { maxFace: e.target.value })}
                  aria-label={t("recycler.schedule.tierFace", { n: i + 1 })}
                />
              </span>
            </Field>
            <Field label={t("field.rate")} error={problemText(errors[`tier.${i}.rate`])}>
              <span className="input-affix">
                <input
                  inputMode="decimal"
                  value={tier.rate}
                  onChange={(e) => setTier(i, { rate: e.target.value })}
                  aria-label={t("recycler.schedule.tierRate", { n: i + 1 })}
                />
                <span>%</span>
              </span>
            </Field>
            <button
              type="button"
              className="btn btn-small btn-ghost tier-remove"
              onClick={() => onChange({ ...draft, tiers: draft.tiers.filter((_, j) => j !== i) })}
              aria-label={t("recycler.schedule.removeTier", { n: i + 1 })}
            >
              ×
            </button>
          </li>
        ))}
      </ol>
      {errors.tiers && <p className="field-message">{problemText(errors.tiers)}</p>}
      <button
        type="button"
        className="btn btn-small"
        disabled={draft.tiers.length >= MAX_TIERS}
        onClick={() => onChange({ ...draft, tiers: [...draft.tiers, { maxFace: "", rate: "" }] })}
        data-testid="add-tier"
      >
        {t("recycler.schedule.addTier", { max: MAX_TIERS })}
      </button>

      <div className="schedule-rule">
        <span className="rule-name">{t("field.batchBonus")}</span>
        <span className="rule-sentence">
          {t("recycler.schedule.batchBefore")}
          <input
            className="short"
            inputMode="numeric"
            value={draft.batchMin}
            onChange={(e) => onChange({ ...draft, batchMin: e.target.value })}
            aria-label={t("field.batchMin")}
          />
          {t("recycler.schedule.batchMiddle")}
          <input
            className="short"
            inputMode="decimal"
            value={draft.batchBonus}
            onChange={(e) => onChange({ ...draft, batchBonus: e.target.value })}
            aria-label={t("field.batchBonus")}
          />
          {t("recycler.schedule.batchAfter")}
        </span>
        {(errors.batchMin || errors.batchBonus) && (
          <span className="field-message">{problemText(errors.batchMin ?? errors.batchBonus)}</span>
        )}
      </div>
      <div className="schedule-rule">
        <span className="rule-name">{t("field.nearPoints")}</span>
        <span className="rule-sentence">
          {t("recycler.schedule.nearBefore")}
          <input
            className="short"
            inputMode="numeric"
            value={draft.nearDays}
            onChange={(e) => onChange({ ...draft, nearDays: e.target.value })}
            aria-label={t("field.nearDays")}
          />
          {t("recycler.schedule.nearMiddle")}
          <input
            className="short"
            inputMode="text"
            value={draft.nearPoints}
            onChange={(e) => onChange({ ...draft, nearPoints: e.target.value })}
            aria-label={t("field.nearPoints")}
          />
          {t("recycler.schedule.nearAfter")}
        </span>
        {(errors.nearDays || errors.nearPoints) && (
          <span className="field-message">{problemText(errors.nearDays ?? errors.nearPoints)}</span>
        )}
      </div>
    </fieldset>
  );
}

/** A schedule in plain words: "¥50.00 及以下 85%", "一次卖 11 张及以上 每张 +3%", "剩余 30 天及以内 −5%". */
export function ScheduleView({ schedule, currency }: { schedule: Schedule; currency: string }) {
  const { t } = useTranslation();
  return (
    <ul className="schedule-view" data-testid="schedule">
      {tierRanges(schedule).map((range, i) => (
        <li key={i}>
          <span>
            {i === 0
              ? t("recycler.view.firstTier", { to: formatFaceValue(range.to, currency) })
              : t("recycler.view.tier", {
                  from: formatFaceValue(range.from, currency),
                  to: formatFaceValue(range.to, currency),
                })}
          </span>
          <strong>{formatBps(range.rateBps)}</strong>
        </li>
      ))}
      {schedule.batchBonusBps > 0 && (
        <li>
          <span>{t("recycler.view.batch", { count: schedule.batchMinCount })}</span>
          <strong>+{formatBps(schedule.batchBonusBps)}</strong>
        </li>
      )}
      {schedule.nearExpiryBps !== 0 && (
        <li>
          <span>{t("recycler.view.near", { days: schedule.nearExpiryDays })}</span>
          <strong>
            {schedule.nearExpiryBps > 0 ? "+" : "−"}
            {formatBps(Math.abs(schedule.nearExpiryBps))}
          </strong>
        </li>
      )}
    </ul>
  );
}
