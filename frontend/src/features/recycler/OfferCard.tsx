/**
 * One of my offers: its terms and schedule, with what can be done to it — change the rates (sales already made keep
 * their prices; a sale in flight is protected by its minimum total), top up the budget, cancel (the exact unspent
 * budget comes back, said before confirming).
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { erc20Abi, zeroAddress, type Address } from "viem";
import { voucherOffersAbi } from "#sdk";
import { Badge, ConfirmButton, Field, Steps, TxStatus } from "../../components/ui.tsx";
import { offerKeys, type Offer } from "../../hooks/offers.ts";
import { queryKeys, useBrands, useClient, useDeployment, usePayTokens } from "../../hooks/queries.ts";
import { useSteps } from "../../hooks/useSteps.ts";
import { contractCall, useTx } from "../../hooks/useTx.tsx";
import { useBrandText, useErrorText, useProblemText } from "../../i18n/hooks.ts";
import { formatDate, formatFaceValue } from "../../lib/format.ts";
import { tokenKey } from "../../lib/market.ts";
import { formatMoneyExact } from "../../lib/money.ts";
import { scheduleToDraft, unitPriceText, validateSchedule, type ScheduleErrors } from "../../lib/offers.ts";
import { parseAmount, type Problem } from "../../lib/validation.ts";
import { budgetApprovalStep } from "./budgetApproval.ts";
import { ScheduleEditor, ScheduleView } from "./ScheduleEditor.tsx";

export function OfferCard({ offer, account, now }: { offer: Offer; account: Address; now: number }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const problemText = useProblemText();
  const brandText = useBrandText();
  const d = useDeployment();
  const client = useClient();
  const brands = useBrands();
  const tokens = usePayTokens();
  const tx = useTx();
  const flow = useSteps(errorText);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(() => scheduleToDraft(offer.schedule));
  const [scheduleErrors, setScheduleErrors] = useState<ScheduleErrors>({});
  const [topping, setTopping] = useState(false);
  const [amount, setAmount] = useState("");
  const [amountError, setAmountError] = useState<Problem>();
  const brand = brands.byId.get(offer.brandId);
  const token = tokens.byAddress.get(tokenKey(offer.payToken));
  const isEth = offer.payToken === zeroAddress;
  const currency = brand?.currency ?? "CNY";
  const expired = offer.expiresAt <= now;
  const state = !offer.open ? "closed" : expired ? "expired" : offer.cardsLeft === 0 ? "full" : "open";
  const allowance = useQuery({
    queryKey: [...queryKeys.balance(account, offer.payToken), "allowance"],
    enabled: !isEth && topping,
    queryFn: () =>
      client.readContract({
        address: offer.payToken,
        abi: erc20Abi,
        functionName: "allowance",
        args: [account, d.voucherExchange],
      }),
  });
  const id = offer.offerId.toString();
  const changes = [offerKeys.all, queryKeys.balances];

  const saveSchedule = async () => {
    const checked = validateSchedule(draft);
    setScheduleErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    const done = await tx.send(
      contractCall(d.voucherOffers, voucherOffersAbi, "setSchedule", [offer.offerId, checked.value]),
      {
        label: t("recycler.offer.editTx", { id }),
        invalidates: changes,
      },
    );
    if (done) setEditing(false);
  };

  const topUp = async () => {
    if (!token) return;
    const parsed = parseAmount(amount, token.decimals, "amount");
    setAmountError(parsed.ok ? undefined : parsed.error);
    if (!parsed.ok) return;
    const shown = formatMoneyExact(parsed.value, token);
    const done = await flow.run([
      budgetApprovalStep({
        t,
        tx,
        token: isEth ? undefined : { address: offer.payToken, symbol: token.symbol },
        spender: d.voucherExchange,
        amount: parsed.value,
        allowance: allowance.data,
        shown,
      }),
      {
        label: t("recycler.offer.stepTopUp", { amount: shown }),
        run: async () =>
          !!(await tx.send(
            contractCall(
              d.voucherOffers,
              voucherOffersAbi,
              "topUp",
              [offer.offerId, parsed.value],
              isEth ? parsed.value : undefined,
            ),
            { label: t("recycler.offer.topUpTx", { id }), invalidates: changes },
          )),
      },
    ]);
    if (done) {
      setTopping(false);
      setAmount("");
    }
  };

  const cancel = () =>
    tx.send(contractCall(d.voucherOffers, voucherOffersAbi, "cancel", [offer.offerId]), {
      label: t("recycler.offer.cancelTx", { id }),
      invalidates: changes,
    });

  const budget = token ? formatMoneyExact(offer.budget, token) : offer.budget.toString();
  return (
    <article className="offer-card" data-testid="my-offer" data-offer={id} data-state={state}>
      <header className="offer-head">
        <strong>
          {brandText.name(brand)} · {t("recycler.offer.number", { id })}
        </strong>
        <Badge tone={state === "open" ? "success" : state === "closed" ? "neutral" : "warning"}>
          {t(`recycler.offer.state.${state}`)}
        </Badge>
      </header>
      <dl className="offer-facts">
        <div>
          <dt>{t("recycler.offer.budget")}</dt>
          <dd data-testid="offer-budget-left">{budget}</dd>
        </div>
        <div>
          <dt>{t("recycler.offer.cardsLeft")}</dt>
          <dd>{offer.cardsLeft}</dd>
        </div>
        <div>
          <dt>{t("recycler.offer.unitPrice")}</dt>
          <dd>
            {t("recycler.offer.unitPriceValue", {
              face: formatFaceValue(100n, currency),
              amount: token ? `${unitPriceText(offer.unitPrice, token)} ${token.symbol}` : offer.unitPrice.toString(),
            })}
          </dd>
        </div>
        <div>
          <dt>{t("recycler.offer.expires")}</dt>
          <dd>{formatDate(offer.expiresAt)}</dd>
        </div>
        {offer.attestedOnly && (
          <div>
            <dt>{t("recycler.offer.cards")}</dt>
            <dd>{t("recycler.offer.attestedOnly")}</dd>
          </div>
        )}
      </dl>
      {editing ? (
        <>
          <ScheduleEditor draft={draft} onChange={setDraft} errors={scheduleErrors} currency={currency} />
          <p className="muted small">{t("recycler.offer.editNote")}</p>
          <div className="row-gap">
            <button
              type="button"
              className="btn btn-primary btn-small"
              onClick={saveSchedule}
              disabled={tx.busy}
              data-action="save-schedule"
            >
              {t("recycler.offer.save")}
            </button>
            <button
              type="button"
              className="btn btn-small btn-ghost"
              onClick={() => {
                setEditing(false);
                setDraft(scheduleToDraft(offer.schedule));
                setScheduleErrors({});
              }}
            >
              {t("common.cancel")}
            </button>
          </div>
        </>
      ) : (
        <ScheduleView schedule={offer.schedule} currency={currency} />
      )}
      {topping && token && (
        <div className="offer-topup">
          <Field label={t("recycler.offer.topUpAmount", { token: token.symbol })} error={problemText(amountError)}>
            <input
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              data-testid="topup-amount"
            />
          </Field>
          <button
            type="button"
            className="btn btn-primary btn-small"
            onClick={topUp}
            disabled={tx.busy || flow.running}
            data-action="topup-confirm"
          >
            {t("recycler.offer.topUpButton")}
          </button>
        </div>
      )}
      {offer.open && !editing && !topping && (
        <div className="row-gap offer-actions">
          {!expired && (
            <>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setEditing(true)}
                data-action="edit-schedule"
              >
                {t("recycler.offer.edit")}
              </button>
              <button type="button" className="btn btn-small" onClick={() => setTopping(true)} data-action="topup">
                {t("recycler.offer.topUp")}
              </button>
            </>
          )}
          <ConfirmButton
            action="cancel-offer"
            label={t("recycler.offer.cancel")}
            title={t("recycler.offer.cancelTitle", { id })}
            confirmLabel={t("recycler.offer.cancelConfirm", { amount: budget })}
            onConfirm={cancel}
            disabled={tx.busy}
          >
            <span data-testid="cancel-refund">{t("recycler.offer.cancelBody", { amount: budget })}</span>
          </ConfirmButton>
        </div>
      )}
      <Steps steps={flow.steps} />
      <TxStatus state={tx.state} />
    </article>
  );
}
