/**
 * Step 1 of selling: tokenize cards you hold. Each card's code is sealed to the holder's vault key (a free signature)
 * and only its commitment goes on-chain; one card is `mint`, several are one `mintBatch`. Many cards of one kind can
 * be pasted at once, one code per line.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Hex } from "viem";
import { Field, Steps, TxStatus } from "../../components/ui.tsx";
import { voucherTokenAbi } from "../../generated/contracts.ts";
import { queryKeys, useBrands, useChainTime, useDeployment } from "../../hooks/queries.ts";
import { useKeys } from "../../hooks/useKeys.ts";
import { useSteps } from "../../hooks/useSteps.ts";
import { contractCall, useTx } from "../../hooks/useTx.tsx";
import { useBrandText, useErrorText, useProblemText } from "../../i18n/hooks.ts";
import { commitment, randomSalt, sealCode } from "../../lib/codeDelivery.ts";
import { cardsFromPaste, MAX_BATCH, validateMint, type MintErrors, type MintInput } from "../../lib/validation.ts";

const emptyCard = (): MintInput => ({ brandId: "", faceValue: "", expiry: "", code: "" });

export function MintForm() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const problemText = useProblemText();
  const brandText = useBrandText();
  const d = useDeployment();
  const { brands } = useBrands();
  const now = useChainTime();
  const keys = useKeys();
  const tx = useTx();
  const flow = useSteps(errorText);
  const [cards, setCards] = useState<MintInput[]>([emptyCard()]);
  const [errors, setErrors] = useState<MintErrors[]>([]);
  const [minted, setMinted] = useState<number>();
  const [pasting, setPasting] = useState(false);
  const [paste, setPaste] = useState("");
  const activeBrands = brands.filter((b) => b.active);

  const update = (i: number, patch: Partial<MintInput>) => {
    setCards((all) => all.map((card, j) => (j === i ? { ...card, ...patch } : card)));
    setErrors((all) => all.map((e, j) => (j === i ? {} : e)));
  };

  const mint = async () => {
    setMinted(undefined);
    const checked = cards.map((card) => validateMint(card, brands, now));
    setErrors(checked.map((c) => (c.ok ? {} : c.errors)));
    if (checked.some((c) => !c.ok)) return;
    const drafts = checked.map((c) => (c.ok ? c.value : undefined)!);
    let vault: Awaited<ReturnType<typeof keys.derive>>;
    const done = await flow.run([
      {
        label: t("sell.mint.stepVault"),
        run: async () => {
          vault = await keys.derive("vault");
          return vault ? true : t("common.signatureMissing");
        },
      },
      {
        label: t("sell.mint.stepMint", { count: drafts.length }),
        run: async () => {
          const requests = drafts.map((draft) => {
            const salt = randomSalt();
            return {
              brandId: draft.brandId,
              faceValue: draft.faceValue,
              expiresAt: draft.expiresAt,
              codeHash: commitment(draft.code, salt),
              sealedCode: sealCode(draft.code, salt, vault!.publicKey) as Hex,
            };
          });
          const options = { label: t("sell.mint.tx", { count: requests.length }), invalidates: [queryKeys.wallets] };
          const [first] = requests;
          const call =
            requests.length === 1
              ? contractCall(d.voucherToken, voucherTokenAbi, "mint", [
                  BigInt(first.brandId),
                  first.faceValue,
                  first.expiresAt,
                  first.codeHash,
                  first.sealedCode,
                ])
              : contractCall(d.voucherToken, voucherTokenAbi, "mintBatch", [requests]);
          return !!(await tx.send(call, options));
        },
      },
    ]);
    if (done) {
      setMinted(drafts.length);
      setCards([emptyCard()]);
    }
  };

  return (
    <section className="card" data-testid="mint">
      <h2>{t("sell.mint.title")}</h2>
      <p className="muted small">{t("sell.mint.explain")}</p>
      {cards.map((card, i) => (
        <div className="form-grid mint-row" key={i}>
          <Field label={t("sell.mint.brand")} error={problemText(errors[i]?.brandId)}>
            <select
              value={card.brandId}
              onChange={(e) => update(i, { brandId: e.target.value })}
              aria-label={t("sell.mint.brand")}
            >
              <option value="">{t("sell.mint.chooseBrand")}</option>
              {activeBrands.map((b) => (
                <option key={b.id} value={b.id}>
                  {brandText.name(b)} ({b.currency})
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("sell.mint.face")} error={problemText(errors[i]?.faceValue)}>
            <input
              inputMode="decimal"
              placeholder="500.00"
              value={card.faceValue}
              onChange={(e) => update(i, { faceValue: e.target.value })}
              aria-label={t("sell.mint.face")}
            />
          </Field>
          <Field label={t("sell.mint.expiry")} error={problemText(errors[i]?.expiry)}>
            <input
              type="date"
              value={card.expiry}
              onChange={(e) => update(i, { expiry: e.target.value })}
              aria-label={t("sell.mint.expiryLabel")}
            />
          </Field>
          <Field label={t("sell.mint.code")} error={problemText(errors[i]?.code)}>
            <input
              autoComplete="off"
              spellCheck={false}
              placeholder={t("sell.mint.codePlaceholder")}
              value={card.code}
              onChange={(e) => update(i, { code: e.target.value })}
              aria-label={t("sell.mint.codeLabel")}
            />
          </Field>
          {cards.length > 1 && (
            <button
              type="button"
              className="btn btn-small btn-ghost remove"
              onClick={() => {
                setCards((all) => all.filter((_, j) => j !== i));
                setErrors((all) => all.filter((_, j) => j !== i));
              }}
              aria-label={t("sell.mint.remove")}
            >
              {t("sell.mint.remove")}
            </button>
          )}
        </div>
      ))}
      {pasting && (
        <div className="paste">
          <Field label={t("sell.mint.pasteLabel")} hint={t("sell.mint.pasteHint")}>
            <textarea
              rows={4}
              value={paste}
              spellCheck={false}
              onChange={(e) => setPaste(e.target.value)}
              aria-label={t("sell.mint.pasteLabel")}
            />
          </Field>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              const pasted = cardsFromPaste(paste, { ...cards[0], code: "" });
              if (pasted.length > 0) setCards(pasted);
              setErrors([]);
              setPasting(false);
              setPaste("");
            }}
          >
            {t("sell.mint.pasteApply")}
          </button>
        </div>
      )}
      <div className="row-gap">
        <button
          type="button"
          className="btn btn-primary"
          onClick={mint}
          disabled={tx.busy || keys.signing || flow.running}
          data-testid="mint-button"
        >
          {t("sell.mint.button", { count: cards.length })}
        </button>
        <button
          type="button"
          className="btn btn-ghost"
          disabled={cards.length >= MAX_BATCH}
          onClick={() => setCards((all) => [...all, { ...emptyCard(), brandId: all[0]?.brandId ?? "" }])}
        >
          {t("sell.mint.addCard")}
        </button>
        {!pasting && (
          <button type="button" className="btn btn-ghost" onClick={() => setPasting(true)}>
            {t("sell.mint.paste")}
          </button>
        )}
      </div>
      <Steps steps={flow.steps} />
      <TxStatus state={tx.state} />
      {minted !== undefined && <div className="alert alert-success">{t("sell.mint.done", { count: minted })}</div>}
    </section>
  );
}
