/** Joining the distributor network, under the inviter of the `?ref=` link (named) or an address typed in. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { zeroAddress, type Address } from "viem";
import { Field, TxStatus } from "../../components/ui.tsx";
import { voucherExchangeAbi } from "#sdk";
import { queryKeys, useClient, useDeployment } from "../../hooks/queries.ts";
import { useReferrer } from "../../hooks/useReferrer.ts";
import { contractCall, useTx } from "../../hooks/useTx.tsx";
import { useProblemText } from "../../i18n/hooks.ts";
import { validateAddress, type Problem } from "../../lib/validation.ts";
import { demoAccountOf } from "../../app/demoAccounts.ts";

export function JoinForm({ account }: { account: Address }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const d = useDeployment();
  const client = useClient();
  const referrer = useReferrer();
  const tx = useTx();
  const [upline, setUpline] = useState<string>(
    referrer && referrer.toLowerCase() !== account.toLowerCase() ? referrer : "",
  );
  const [problem, setProblem] = useState<Problem>();
  const inviter = referrer ? demoAccountOf(referrer) : undefined;

  const join = async (asRoot: boolean) => {
    setProblem(undefined);
    let target: Address = zeroAddress;
    if (!asRoot) {
      const checked = validateAddress(upline, "upline");
      if (!checked.ok) return setProblem(checked.error);
      if (checked.value.toLowerCase() === account.toLowerCase()) return setProblem({ key: "ownUpline" });
      const [joined] = await client.readContract({
        address: d.voucherExchange,
        abi: voucherExchangeAbi,
        functionName: "distributor",
        args: [checked.value],
      });
      if (!joined) return setProblem({ key: "notDistributor" });
      target = checked.value;
    }
    await tx.send(contractCall(d.voucherExchange, voucherExchangeAbi, "joinDistributors", [target]), {
      label: t("distribute.join.tx"),
      invalidates: [queryKeys.distributions, queryKeys.quotes],
    });
  };

  return (
    <section className="card" data-testid="join">
      <h2>{t("distribute.join.title")}</h2>
      <p className="muted">{t("distribute.join.explain")}</p>
      {referrer && (
        <p className="alert alert-info" data-testid="join-inviter">
          {t("distribute.join.invitedBy", { name: inviter?.name ?? t("referral.aDistributor") })}
        </p>
      )}
      <div className="form-grid">
        <Field
          label={t("distribute.join.upline")}
          error={problemText(problem)}
          hint={referrer ? t("distribute.join.uplineFromLink") : t("distribute.join.uplineHint")}
        >
          <input
            value={upline}
            onChange={(e) => setUpline(e.target.value)}
            placeholder="0x…"
            spellCheck={false}
            aria-label={t("distribute.join.uplineLabel")}
          />
        </Field>
      </div>
      <div className="row-gap">
        <button
          type="button"
          className="btn btn-primary"
          disabled={tx.busy}
          onClick={() => join(false)}
          data-testid="join-button"
        >
          {t("distribute.join.button")}
        </button>
        <button type="button" className="btn btn-ghost" disabled={tx.busy} onClick={() => join(true)}>
          {t("distribute.join.asRoot")}
        </button>
      </div>
      <TxStatus state={tx.state} />
    </section>
  );
}
