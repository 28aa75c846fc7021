/**
 * Step 1 of selling: tokenize cards you hold. Each card is its number (卡号) and its PIN (卡密), at one of the brand's
 * face values. The number's fingerprint goes on chain (a brand refuses a number it has seen, so it is checked here
 * before any signature), the PIN only as a salted commitment, and both sealed to the holder's vault key (a free
 * signature). One card is `mint`, several are one `mintBatch`; many can be pasted at once, one per line.
 */
import { getCardToken, mintCall, prepareMint, type Brand as SdkBrand } from "#sdk";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorBox, Field, Steps, TxStatus } from "../../components/ui.tsx";
import { queryKeys, useBrands, useChainTime, useClient, useDeployment } from "../../hooks/queries.ts";
import { useKeys } from "../../hooks/useKeys.ts";
import { useSteps } from "../../hooks/useSteps.ts";
import { useTx } from "../../hooks/useTx.tsx";
import { useBrandText, useErrorText, useProblemText } from "../../i18n/hooks.ts";
import { formatFaceValue } from "../../lib/format.ts";
import {
  cardsFromPaste,
  duplicatesInBatch,
  MAX_BATCH,
  validateMint,
  type MintErrors,
  type MintInput,
  type MintRequestDraft,
} from "../../lib/validation.ts";

const emptyCard = (brandId = ""): MintInput => ({ brandId, faceValue: "", expiry: "", cardNumber: "", code: "" });

/** A face value in minor units as the form's text ("500", "12.50"). */
const faceText = (minor: bigint) => (minor % 100n === 0n ? String(minor / 100n) : (Number(minor) / 100).toFixed(2));

export function MintForm() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const problemText = useProblemText();
  const brandText = useBrandText();
  const d = useDeployment();
  const client = useClient();
  const { brands, byId } = useBrands();
  const now = useChainTime();
  const keys = useKeys();
  const tx = useTx();
  const flow = useSteps(errorText);
  const [cards, setCards] = useState<MintInput[]>([emptyCard()]);
  const [errors, setErrors] = useState<MintErrors[]>([]);
  const [minted, setMinted] = useState<number>();
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string>();
  const [pasting, setPasting] = useState(false);
  const [paste, setPaste] = useState("");
  const activeBrands = brands.filter((b) => b.active);
  const reader = useMemo(() => ({ publicClient: client, deployment: d }), [client, d]);

  const update = (i: number, patch: Partial<MintInput>) => {
    setCards((all) => all.map((card, j) => (j === i ? { ...card, ...patch } : card)));
    setErrors((all) => all.map((e, j) => (j === i ? {} : e)));
  };

  /**
   * Every card checked before any signature: its fields, a number repeated in this batch, and a number its brand has
   * already registered (the token would refuse it with DuplicateCard, for good).
   */
  const check = async (): Promise<MintRequestDraft[] | undefined> => {
    const checked = cards.map((card) => validateMint(card, brands, now));
    const found: MintErrors[] = checked.map((c) => (c.ok ? {} : { ...c.errors }));
    for (const [i, first] of duplicatesInBatch(cards)) {
      found[i].cardNumber ??= { key: "duplicateInBatch", values: { line: first + 1 } };
    }
    const drafts = checked.map((c) => (c.ok ? c.value : undefined));
    const registered = await Promise.all(
      drafts.map((draft, i) =>
        draft && !found[i].cardNumber ? getCardToken(reader, draft.brandId, draft.cardNumber) : undefined,
      ),
    );
    registered.forEach((tokenId, i) => {
      if (tokenId !== undefined) found[i].cardNumber = { key: "duplicateCard", values: { tokenId: String(tokenId) } };
    });
    setErrors(found);
    if (found.some((e) => Object.keys(e).length > 0)) return undefined;
    return drafts as MintRequestDraft[];
  };

  const mint = async () => {
    setMinted(undefined);
    setChecking(true);
    setCheckError(undefined);
    let drafts: MintRequestDraft[] | undefined;
    try {
      drafts = await check();
    } catch (error) {
      setCheckError(errorText(error));
      return;
    } finally {
      setChecking(false);
    }
    if (!drafts) return;
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
            const { cardHash, codeHash, sealedCode } = prepareMint(draft, vault!.publicKey);
            const { brandId, faceValue, expiresAt } = draft;
            return { brandId, faceValue, expiresAt, cardHash, codeHash, sealedCode };
          });
          const options = { label: t("sell.mint.tx", { count: requests.length }), invalidates: [queryKeys.wallets] };
          const call = mintCall(d.voucherToken, requests);
          return !!(await tx.send(call, options));
        },
      },
    ]);
    if (done) {
      setMinted(drafts.length);
      setCards([emptyCard(cards[0]?.brandId)]);
    }
  };

  /** The face value input: the brand's face values to choose from, or a number up to its maximum. */
  const faceInput = (card: MintInput, i: number, brand: SdkBrand | undefined) => {
    const values = brand?.denominations.faceValues ?? [];
    if (brand && values.length > 0) {
      // A pasted face value the brand does not offer stays visible (and is refused with the list of its values).
      const typed = card.faceValue.trim();
      const offered = values.some((v) => faceText(v) === typed);
      return (
        <select
          value={offered ? typed : ""}
          onChange={(e) => update(i, { faceValue: e.target.value })}
          aria-label={t("sell.mint.face")}
          data-testid="mint-face"
        >
          <option value="">{typed === "" || offered ? t("sell.mint.chooseFace") : typed}</option>
          {values.map((v) => (
            <option key={v.toString()} value={faceText(v)}>
              {formatFaceValue(v, brand.currency)}
            </option>
          ))}
        </select>
      );
    }
    return (
      <input
        inputMode="decimal"
        placeholder="500.00"
        value={card.faceValue}
        onChange={(e) => update(i, { faceValue: e.target.value })}
        aria-label={t("sell.mint.face")}
        data-testid="mint-face"
      />
    );
  };

  return (
    <section className="card" data-testid="mint">
      <h2>{t("sell.mint.title")}</h2>
      <p className="muted small">{t("sell.mint.explain")}</p>
      {cards.map((card, i) => {
        const brand = byId.get(Number(card.brandId)) as SdkBrand | undefined;
        return (
          <div className="form-grid mint-row" key={i} data-testid="mint-row">
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
              {faceInput(card, i, brand)}
            </Field>
            <Field label={t("sell.mint.expiry")} error={problemText(errors[i]?.expiry)}>
              <input
                type="date"
                value={card.expiry}
                onChange={(e) => update(i, { expiry: e.target.value })}
                aria-label={t("sell.mint.expiryLabel")}
              />
            </Field>
            {(["cardNumber", "code"] as const).map((field) => (
              <Field key={field} label={t(`sell.mint.${field}`)} error={problemText(errors[i]?.[field])}>
                <input
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={t(`sell.mint.${field}Placeholder`)}
                  value={card[field]}
                  onChange={(e) => update(i, { [field]: e.target.value })}
                  aria-label={t(`sell.mint.${field}`)}
                  data-testid={`mint-${field}`}
                />
              </Field>
            ))}
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
        );
      })}
      {pasting && (
        <div className="paste">
          <Field label={t("sell.mint.pasteLabel")} hint={t("sell.mint.pasteHint")}>
            <textarea
              rows={4}
              value={paste}
              spellCheck={false}
              placeholder={t("sell.mint.pastePlaceholder")}
              onChange={(e) => setPaste(e.target.value)}
              aria-label={t("sell.mint.pasteLabel")}
              data-testid="mint-paste"
            />
          </Field>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              const pasted = cardsFromPaste(paste, { ...cards[0], cardNumber: "", code: "" });
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
          disabled={tx.busy || keys.signing || flow.running || checking}
          data-testid="mint-button"
        >
          {t("sell.mint.button", { count: cards.length })}
        </button>
        <button
          type="button"
          className="btn btn-ghost"
          disabled={cards.length >= MAX_BATCH}
          onClick={() => setCards((all) => [...all, emptyCard(all[0]?.brandId)])}
        >
          {t("sell.mint.addCard")}
        </button>
        {!pasting && (
          <button type="button" className="btn btn-ghost" onClick={() => setPasting(true)}>
            {t("sell.mint.paste")}
          </button>
        )}
      </div>
      {checkError && <ErrorBox>{checkError}</ErrorBox>}
      <Steps steps={flow.steps} />
      <TxStatus state={tx.state} />
      {minted !== undefined && <div className="alert alert-success">{t("sell.mint.done", { count: minted })}</div>}
    </section>
  );
}
