/** The payment tokens the exchange accepts: remove one, allow another ERC-20. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { zeroAddress } from "viem";
import { Field } from "../../components/ui.tsx";
import { voucherExchangeAbi } from "../../generated/contracts.ts";
import { queryKeys, useDeployment, usePayTokens } from "../../hooks/queries.ts";
import { contractCall } from "../../hooks/useTx.tsx";
import { useProblemText } from "../../i18n/hooks.ts";
import { validateAddress, type Problem } from "../../lib/validation.ts";
import type { AdminWrite } from "./AdminPage.tsx";

export function PayTokens({ canWrite, write }: { canWrite: boolean; write: AdminWrite }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const d = useDeployment();
  const tokens = usePayTokens();
  const [newToken, setNewToken] = useState("");
  const [problem, setProblem] = useState<Problem>();
  const disabled = !canWrite || write.busy;

  const allow = async () => {
    const checked = validateAddress(newToken, "token");
    setProblem(checked.ok ? undefined : checked.error);
    if (!checked.ok) return;
    const done = await write.send(
      contractCall(d.voucherExchange, voucherExchangeAbi, "setPayToken", [checked.value, true]),
      t("admin.tx.allowToken"),
      [queryKeys.tokens],
    );
    if (done) setNewToken("");
  };

  return (
    <section className="card">
      <h2>{t("admin.tokens.title")}</h2>
      <ul className="admin-list">
        {tokens.tokens.map((token) => (
          <li key={token.address}>
            <span>
              <strong>{token.symbol}</strong>{" "}
              {token.address === zeroAddress ? (
                <span className="muted small">{t("admin.tokens.native")}</span>
              ) : (
                <code className="small">{token.address}</code>
              )}
            </span>
            {token.address !== zeroAddress && (
              <button
                type="button"
                className="btn btn-small btn-ghost"
                disabled={disabled}
                onClick={() =>
                  write.send(
                    contractCall(d.voucherExchange, voucherExchangeAbi, "setPayToken", [token.address, false]),
                    t("admin.tx.removeToken", { token: token.symbol }),
                    [queryKeys.tokens],
                  )
                }
              >
                {t("admin.tokens.remove")}
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="form-grid">
        <Field label={t("admin.tokens.add")} error={problemText(problem)} hint={t("admin.tokens.addHint")}>
          <input
            value={newToken}
            onChange={(e) => setNewToken(e.target.value)}
            placeholder="0x…"
            spellCheck={false}
            aria-label={t("admin.tokens.addressLabel")}
          />
        </Field>
        <div className="field-action">
          <button type="button" className="btn" disabled={disabled} onClick={allow}>
            {t("admin.tokens.allow")}
          </button>
        </div>
      </div>
    </section>
  );
}
