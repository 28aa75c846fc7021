/**
 * The payment tokens the exchange accepts, each with its minimum listing price: stop accepting one (minimum 0), allow
 * another ERC-20 with its minimum (typed in whole tokens; the floor when left empty).
 */
import { MIN_PRICE_FLOOR, voucherExchangeAbi } from "#sdk";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { erc20Abi, zeroAddress } from "viem";
import { Field } from "../../components/ui.tsx";
import { queryKeys, useClient, useDeployment, usePayTokens } from "../../hooks/queries.ts";
import { contractCall } from "../../hooks/useTx.tsx";
import { useProblemText } from "../../i18n/hooks.ts";
import { formatMoneyExact } from "../../lib/money.ts";
import { parseAmount, validateAddress, type Problem } from "../../lib/validation.ts";
import type { AdminWrite } from "./AdminPage.tsx";

export function PayTokens({ canWrite, write }: { canWrite: boolean; write: AdminWrite }) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const d = useDeployment();
  const client = useClient();
  const tokens = usePayTokens();
  const [newToken, setNewToken] = useState("");
  const [minimum, setMinimum] = useState("");
  const [problem, setProblem] = useState<Problem>();
  const [minimumProblem, setMinimumProblem] = useState<Problem>();
  const disabled = !canWrite || write.busy;

  const allow = async () => {
    const checked = validateAddress(newToken, "token");
    setProblem(checked.ok ? undefined : checked.error);
    setMinimumProblem(undefined);
    if (!checked.ok) return;
    let minPrice = MIN_PRICE_FLOOR;
    if (minimum.trim() !== "") {
      const decimals = await client
        .readContract({ address: checked.value, abi: erc20Abi, functionName: "decimals" })
        .catch(() => undefined);
      if (decimals === undefined) return setProblem({ key: "notAToken" });
      const parsed = parseAmount(minimum, decimals, "minPrice");
      if (!parsed.ok) return setMinimumProblem(parsed.error);
      if (parsed.value < MIN_PRICE_FLOOR) return setMinimumProblem({ key: "minimumTooLow" });
      minPrice = parsed.value;
    }
    const done = await write.send(
      contractCall(d.voucherExchange, voucherExchangeAbi, "setPayToken", [checked.value, minPrice]),
      t("admin.tx.allowToken"),
      [queryKeys.tokens],
    );
    if (done) {
      setNewToken("");
      setMinimum("");
    }
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
              {token.minPrice !== undefined && (
                <span className="muted small block">
                  {t("admin.tokens.minimum", { amount: formatMoneyExact(token.minPrice, token) })}
                </span>
              )}
            </span>
            {token.address !== zeroAddress && (
              <button
                type="button"
                className="btn btn-small btn-ghost"
                disabled={disabled}
                onClick={() =>
                  write.send(
                    contractCall(d.voucherExchange, voucherExchangeAbi, "setPayToken", [token.address, 0n]),
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
        <Field
          label={t("admin.tokens.minimumLabel")}
          error={problemText(minimumProblem)}
          hint={t("admin.tokens.minimumHint")}
        >
          <input
            value={minimum}
            inputMode="decimal"
            onChange={(e) => setMinimum(e.target.value)}
            aria-label={t("admin.tokens.minimumLabel")}
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
