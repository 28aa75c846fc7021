/** The seller's price change for a listing: checked in the form first; the buyer's maxPrice guards against a raise. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "../../components/ui.tsx";
import { voucherExchangeAbi } from "#sdk";
import { queryKeys, useDeployment } from "../../hooks/queries.ts";
import { contractCall, useTx } from "../../hooks/useTx.tsx";
import { useProblemText } from "../../i18n/hooks.ts";
import { formatUnits, type TokenInfo } from "../../lib/format.ts";
import { pegOf } from "../../lib/money.ts";
import { validatePrice, type Problem } from "../../lib/validation.ts";
import { CURRENCY_SYMBOLS } from "../../lib/format.ts";

export function RepriceForm({
  tradeId,
  price,
  token,
  tx,
  onDone,
}: {
  tradeId: bigint;
  price: bigint;
  token: TokenInfo;
  tx: ReturnType<typeof useTx>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const d = useDeployment();
  const problemText = useProblemText();
  const [text, setText] = useState(formatUnits(price, token.decimals, token.decimals).replace(/,/g, ""));
  const [problem, setProblem] = useState<Problem>();
  const peg = pegOf(token);
  const unit = peg ? `${CURRENCY_SYMBOLS[peg] ?? peg} · ${token.symbol}` : token.symbol;

  const save = async () => {
    const checked = validatePrice(text, token);
    if (!checked.ok) return setProblem(checked.error);
    setProblem(undefined);
    const receipt = await tx.send(
      contractCall(d.voucherExchange, voucherExchangeAbi, "updatePrice", [tradeId, checked.value]),
      {
        label: t("orders.tx.reprice", { id: tradeId.toString() }),
        invalidates: [queryKeys.listings, queryKeys.wallets, queryKeys.vouchers, queryKeys.quotes, queryKeys.trades],
      },
    );
    if (receipt) onDone();
  };

  return (
    <div className="reprice">
      <Field label={t("orders.reprice.label", { unit })} error={problemText(problem)}>
        <input
          inputMode="decimal"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label={t("orders.reprice.input")}
        />
      </Field>
      <button type="button" className="btn btn-small btn-primary" onClick={save} disabled={tx.busy}>
        {t("orders.reprice.save")}
      </button>
      <button type="button" className="btn btn-small btn-ghost" onClick={onDone}>
        {t("orders.reprice.keep")}
      </button>
    </div>
  );
}
