/**
 * Post a standing offer: brand, payment token, unit price in plain words ("¥1 face = 1 kCNY"), the rate schedule, how
 * many cards, until when, verified cards only or not, and the budget escrowed in the exchange. Everything is checked
 * here before any signature; then the offer's delivery key (a free signature: coded cards' codes are sealed to it),
 * the token approval (ERC-20 only, when the allowance is short) and the post run as visible steps.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { erc20Abi, parseEventLogs, zeroAddress, type Address } from "viem";
import { toBytes32, voucherOffersAbi } from "#sdk";
import { FaucetButton, useFaucetTokens } from "../../components/Faucet.tsx";
import { Field, Steps, TxStatus } from "../../components/ui.tsx";
import { REF_RATES } from "../../config.ts";
import { offerKeys } from "../../hooks/offers.ts";
import {
  queryKeys,
  useBrands,
  useChainTime,
  useClient,
  useDeployment,
  usePayTokens,
  useTokenBalance,
} from "../../hooks/queries.ts";
import { useKeys } from "../../hooks/useKeys.ts";
import { useSteps } from "../../hooks/useSteps.ts";
import { contractCall, useTx } from "../../hooks/useTx.tsx";
import { useBrandText, useErrorText, useProblemText } from "../../i18n/hooks.ts";
import { DAY, formatBps, formatDate, formatFaceValue, type TokenInfo } from "../../lib/format.ts";
import { tokenKey } from "../../lib/market.ts";
import { formatMoneyExact, pegOf } from "../../lib/money.ts";
import {
  cardsCovered,
  DEFAULT_SCHEDULE_DRAFT,
  defaultUnitPrice,
  parseCount,
  parseUnitPrice,
  typicalFace,
  typicalPrice,
  unitPriceText,
  validateSchedule,
  type ScheduleDraft,
  type ScheduleErrors,
} from "../../lib/offers.ts";
import { MIN_PRICE, parseAmount, validateBrand, validateExpiry, type Problem } from "../../lib/validation.ts";
import { budgetApprovalStep } from "./budgetApproval.ts";
import { ScheduleEditor } from "./ScheduleEditor.tsx";

type Errors = Partial<Record<"brand" | "unitPrice" | "maxCards" | "expiry" | "budget", Problem>> & {
  schedule?: ScheduleErrors;
};

export function PostOfferForm({ account }: { account: Address }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const problemText = useProblemText();
  const brandText = useBrandText();
  const d = useDeployment();
  const client = useClient();
  const brands = useBrands();
  const tokens = usePayTokens();
  const now = useChainTime();
  const keys = useKeys();
  const tx = useTx();
  const flow = useSteps(errorText);
  const faucetTokens = useFaucetTokens();

  const [brandId, setBrandId] = useState("");
  const [tokenAddress, setTokenAddress] = useState("");
  const [unitPrice, setUnitPrice] = useState<string>();
  const [schedule, setSchedule] = useState<ScheduleDraft>(DEFAULT_SCHEDULE_DRAFT);
  const [maxCards, setMaxCards] = useState("100");
  const [expiry, setExpiry] = useState(() => formatDate(Math.floor(Date.now() / 1000) + 30 * DAY));
  const [attestedOnly, setAttestedOnly] = useState(false);
  const [budget, setBudget] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [posted, setPosted] = useState<bigint>();

  const brand = brands.brands.find((b) => b.id === Number(brandId));
  const currency = brand?.currency ?? "CNY";
  // Paid by default in the stablecoin of the card's currency (kCNY for yuan cards).
  const preferred = tokens.tokens.find((tk) => pegOf(tk) === currency) ?? tokens.tokens[0];
  const token: TokenInfo = tokens.byAddress.get(tokenKey(tokenAddress)) ?? preferred;
  const isEth = token.address === zeroAddress;
  const suggestedUnit = defaultUnitPrice(token, currency, REF_RATES);
  const unitText = unitPrice ?? (suggestedUnit !== undefined ? unitPriceText(suggestedUnit, token) : "");
  const balance = useTokenBalance(account, token);
  const allowance = useQuery({
    queryKey: [...queryKeys.balance(account, token.address), "allowance"],
    enabled: !isEth,
    queryFn: () =>
      client.readContract({
        address: token.address,
        abi: erc20Abi,
        functionName: "allowance",
        args: [account, d.voucherExchange],
      }),
  });

  // Live preview: what a typical card fetches and how many the budget pays for.
  const parsedUnit = parseUnitPrice(unitText, token);
  const parsedSchedule = validateSchedule(schedule);
  const parsedBudget = parseAmount(budget, token.decimals, "budget");
  const face = typicalFace(brand);
  const preview =
    parsedUnit.ok && parsedSchedule.ok
      ? typicalPrice({ unitPrice: parsedUnit.value, schedule: parsedSchedule.value }, face)
      : undefined;
  const covered =
    parsedUnit.ok && parsedSchedule.ok && parsedBudget.ok
      ? cardsCovered(parsedBudget.value, { unitPrice: parsedUnit.value, schedule: parsedSchedule.value }, face)
      : undefined;

  const post = async () => {
    setPosted(undefined);
    const found: Errors = {};
    const checkedBrand = validateBrand(brandId, brands.brands);
    const unit = parseUnitPrice(unitText, token);
    const cards = parseCount(maxCards, "maxCards");
    const expires = validateExpiry(expiry, now);
    const amount = parseAmount(budget, token.decimals, "budget");
    if (!checkedBrand.ok) found.brand = checkedBrand.error;
    if (!unit.ok) found.unitPrice = unit.error;
    if (!parsedSchedule.ok) found.schedule = parsedSchedule.errors;
    if (!cards.ok) found.maxCards = cards.error;
    if (!expires.ok) found.expiry = expires.error;
    if (!amount.ok) found.budget = amount.error;
    else {
      const minimum = token.minPrice ?? MIN_PRICE;
      if (amount.value < minimum)
        found.budget = { key: "budgetTooLow", values: { min: formatMoneyExact(minimum, token) } };
      else if (balance.data !== undefined && amount.value > balance.data) {
        found.budget = { key: "budgetAboveBalance", values: { balance: formatMoneyExact(balance.data, token) } };
      }
    }
    setErrors(found);
    if (Object.keys(found).length > 0 || !checkedBrand.ok || !unit.ok || !parsedSchedule.ok || !cards.ok) return;
    if (!expires.ok || !amount.ok) return;
    const shown = formatMoneyExact(amount.value, token);
    let deliveryKey: `0x${string}` | undefined;
    await flow.run([
      {
        label: t("recycler.post.stepKey"),
        run: async () => {
          // The key of the id this offer will get (the recycler agent derives the same one from the id).
          const next =
            (await client.readContract({
              address: d.voucherOffers,
              abi: voucherOffersAbi,
              functionName: "offerCount",
            })) + 1n;
          const pair = await keys.derive(`offer:${next}`);
          if (!pair) return t("common.signatureMissing");
          deliveryKey = toBytes32(pair.publicKey);
        },
      },
      budgetApprovalStep({
        t,
        tx,
        token: isEth ? undefined : token,
        spender: d.voucherExchange,
        amount: amount.value,
        allowance: allowance.data,
        shown,
      }),
      {
        label: t("recycler.post.stepPost", { amount: shown }),
        run: async () => {
          const receipt = await tx.send(
            contractCall(
              d.voucherOffers,
              voucherOffersAbi,
              "post",
              [
                {
                  brandId: checkedBrand.value,
                  payToken: token.address,
                  unitPrice: unit.value,
                  maxCards: cards.value,
                  expiresAt: Number(expires.value),
                  attestedOnly,
                  deliveryKey: deliveryKey!,
                },
                parsedSchedule.value,
                amount.value,
              ],
              isEth ? amount.value : undefined,
            ),
            { label: t("recycler.post.tx"), invalidates: [offerKeys.all, queryKeys.balances] },
          );
          if (!receipt) return false;
          const [event] = parseEventLogs({ abi: voucherOffersAbi, logs: receipt.logs, eventName: "OfferPosted" });
          setPosted(event?.args.offerId);
        },
      },
    ]);
  };

  const faucet = faucetTokens.find((f) => f.address === token.address);
  return (
    <section className="card" data-testid="post-offer">
      <h2>{t("recycler.post.title")}</h2>
      <p className="muted small">{t("recycler.post.explain")}</p>
      <div className="form-grid">
        <Field label={t("recycler.post.brand")} error={problemText(errors.brand)}>
          <select value={brandId} onChange={(e) => setBrandId(e.target.value)} data-testid="offer-brand">
            <option value="">{t("sell.mint.chooseBrand")}</option>
            {brands.brands
              .filter((b) => b.active)
              .map((b) => (
                <option key={b.id} value={b.id}>
                  {brandText.name(b)}
                </option>
              ))}
          </select>
        </Field>
        <Field label={t("recycler.post.token")}>
          <select
            value={token.address}
            onChange={(e) => {
              setTokenAddress(e.target.value);
              setUnitPrice(undefined);
            }}
            data-testid="offer-token"
          >
            {tokens.tokens.map((tk) => (
              <option key={tk.address} value={tk.address}>
                {tk.symbol}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field
        label={t("recycler.post.unitPrice")}
        error={problemText(errors.unitPrice)}
        hint={t("recycler.post.unitPriceHint")}
      >
        <span className="input-affix unit-price">
          <span>{t("recycler.post.unitBefore", { face: formatFaceValue(100n, currency) })}</span>
          <input
            inputMode="decimal"
            value={unitText}
            onChange={(e) => setUnitPrice(e.target.value)}
            data-testid="offer-unit-price"
          />
          <span>{token.symbol}</span>
        </span>
      </Field>
      <ScheduleEditor
        draft={schedule}
        onChange={(next) => {
          setSchedule(next);
          setErrors(({ schedule: _, ...rest }) => rest);
        }}
        errors={errors.schedule ?? {}}
        currency={currency}
      />
      <div className="form-grid">
        <Field label={t("recycler.post.maxCards")} error={problemText(errors.maxCards)}>
          <input inputMode="numeric" value={maxCards} onChange={(e) => setMaxCards(e.target.value)} />
        </Field>
        <Field label={t("recycler.post.expiry")} error={problemText(errors.expiry)}>
          <input type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} />
        </Field>
        <Field
          label={t("recycler.post.budget", { token: token.symbol })}
          error={problemText(errors.budget)}
          hint={
            balance.data !== undefined
              ? t("recycler.post.balance", { balance: formatMoneyExact(balance.data, token) })
              : undefined
          }
        >
          <input
            inputMode="decimal"
            value={budget}
            onChange={(e) => {
              setBudget(e.target.value);
              setErrors(({ budget: _, ...rest }) => rest);
            }}
            data-testid="offer-budget"
          />
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={attestedOnly} onChange={(e) => setAttestedOnly(e.target.checked)} />
        {t("recycler.post.attestedOnly")}
      </label>
      {preview && (
        <p className="offer-preview" data-testid="offer-preview">
          {t("recycler.post.preview", {
            face: formatFaceValue(face, currency),
            rate: formatBps(preview.rateBps),
            price: formatMoneyExact(preview.price, token),
          })}
          {covered !== undefined && (
            <> {t("recycler.post.covers", { count: covered, face: formatFaceValue(face, currency) })}</>
          )}
        </p>
      )}
      <div className="row-gap">
        <button
          type="button"
          className="btn btn-primary"
          onClick={post}
          disabled={tx.busy || flow.running || keys.signing}
          data-testid="post-offer-button"
        >
          {t("recycler.post.button")}
        </button>
        {faucet && <FaucetButton token={faucet} account={account} tx={tx} />}
      </div>
      <Steps steps={flow.steps} />
      <TxStatus state={tx.state} />
      {posted !== undefined && (
        <div className="alert alert-success" data-testid="offer-posted">
          {t("recycler.post.done", { id: posted.toString() })}
        </div>
      )}
    </section>
  );
}
