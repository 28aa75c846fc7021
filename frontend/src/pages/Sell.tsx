import { useMemo, useState } from "react";
import { useConnection } from "wagmi";
import type { Address, Hex } from "viem";
import {
  Badge,
  Empty,
  Field,
  NotConnected,
  PageHeader,
  Spinner,
  Steps,
  TxStatus,
  type Step,
} from "../components/ui.tsx";
import { VoucherTile } from "../components/VoucherTile.tsx";
import { REF_RATES } from "../config.ts";
import { voucherExchangeAbi, voucherTokenAbi } from "../generated/contracts.ts";
import {
  queryKeys,
  useBrands,
  useChainTime,
  useDeployment,
  useListings,
  usePayTokens,
  useSales,
  useWallet,
} from "../hooks/queries.ts";
import { useKeys } from "../hooks/useKeys.ts";
import { href } from "../hooks/useRoute.ts";
import { contractCall, useTx } from "../hooks/useTx.tsx";
import { commitment, randomSalt, sealCode } from "../lib/codeDelivery.ts";
import { formatDate, formatFaceValue, formatPercent, formatToken, formatUnits, type TokenInfo } from "../lib/format.ts";
import { brandDiscounts, toRows, tokenKey } from "../lib/market.ts";
import { DISCOUNT_GUIDE, priceAtDiscount, suggestDiscount } from "../lib/pricing.ts";
import {
  MAX_BATCH,
  validateBrand,
  validateExpiry,
  validateFaceValue,
  validateMint,
  validatePrice,
  type MintErrors,
  type MintInput,
} from "../lib/validation.ts";

const emptyCard = (): MintInput => ({ brandId: "", faceValue: "", expiry: "", code: "" });

function MintSection() {
  const d = useDeployment();
  const { brands } = useBrands();
  const now = useChainTime();
  const keys = useKeys();
  const tx = useTx();
  const [cards, setCards] = useState<MintInput[]>([emptyCard()]);
  const [errors, setErrors] = useState<MintErrors[]>([]);
  const [steps, setSteps] = useState<Step[]>([]);
  const [minted, setMinted] = useState<number>();
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
    const plan: Step[] = [
      { label: "Unlock your vault key (a free signature)", state: "active" },
      {
        label: `Seal ${drafts.length === 1 ? "the code" : `${drafts.length} codes`} to your vault and mint`,
        state: "todo",
      },
    ];
    setSteps([...plan]);
    const vault = await keys.derive("vault");
    if (!vault) {
      plan[0] = { ...plan[0], state: "error" };
      return setSteps([...plan]);
    }
    plan[0] = { ...plan[0], state: "done" };
    plan[1] = { ...plan[1], state: "active" };
    setSteps([...plan]);
    const requests = drafts.map((draft) => {
      const salt = randomSalt();
      return {
        brandId: draft.brandId,
        faceValue: draft.faceValue,
        expiresAt: draft.expiresAt,
        codeHash: commitment(draft.code, salt),
        sealedCode: sealCode(draft.code, salt, vault.publicKey) as Hex,
      };
    });
    const options = {
      label: `Mint ${requests.length} voucher${requests.length === 1 ? "" : "s"}`,
      invalidates: [queryKeys.wallets],
    };
    const receipt =
      requests.length === 1
        ? await tx.send(
            contractCall(d.voucherToken, voucherTokenAbi, "mint", [
              BigInt(requests[0].brandId),
              requests[0].faceValue,
              requests[0].expiresAt,
              requests[0].codeHash,
              requests[0].sealedCode,
            ]),
            options,
          )
        : await tx.send(contractCall(d.voucherToken, voucherTokenAbi, "mintBatch", [requests]), options);
    plan[1] = { ...plan[1], state: receipt ? "done" : "error" };
    setSteps([...plan]);
    if (receipt) {
      setMinted(requests.length);
      setCards([emptyCard()]);
    }
  };

  return (
    <section className="card" data-testid="mint">
      <h2>1 · Tokenize cards you hold</h2>
      <p className="muted small">
        The code is sealed to a key only your wallet can re-create, and only its commitment goes on-chain. Buyers check
        the code they receive against that commitment.
      </p>
      {cards.map((card, i) => (
        <div className="form-grid mint-row" key={i}>
          <Field label="Brand" error={errors[i]?.brandId}>
            <select value={card.brandId} onChange={(e) => update(i, { brandId: e.target.value })} aria-label="Brand">
              <option value="">Choose…</option>
              {activeBrands.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name} ({b.currency})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Face value" error={errors[i]?.faceValue}>
            <input
              inputMode="decimal"
              placeholder="500.00"
              value={card.faceValue}
              onChange={(e) => update(i, { faceValue: e.target.value })}
              aria-label="Face value"
            />
          </Field>
          <Field label="Expires on" error={errors[i]?.expiry}>
            <input
              type="date"
              value={card.expiry}
              onChange={(e) => update(i, { expiry: e.target.value })}
              aria-label="Expiry date"
            />
          </Field>
          <Field label="Card code" error={errors[i]?.code}>
            <input
              autoComplete="off"
              spellCheck={false}
              placeholder="as printed on the card"
              value={card.code}
              onChange={(e) => update(i, { code: e.target.value })}
              aria-label="Card code"
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
              aria-label="Remove card"
            >
              Remove
            </button>
          )}
        </div>
      ))}
      <div className="row-gap">
        <button
          type="button"
          className="btn btn-ghost"
          disabled={cards.length >= MAX_BATCH}
          onClick={() => setCards((all) => [...all, emptyCard()])}
        >
          + Add another card
        </button>
        <button
          type="button"
          className="btn btn-primary"
          onClick={mint}
          disabled={tx.busy || keys.signing}
          data-testid="mint-button"
        >
          Mint {cards.length} voucher{cards.length === 1 ? "" : "s"}
        </button>
      </div>
      <Steps steps={steps} />
      <TxStatus state={tx.state} />
      {minted !== undefined && (
        <div className="alert alert-success">
          Minted {minted} voucher{minted === 1 ? "" : "s"}: list {minted === 1 ? "it" : "them"} below.
        </div>
      )}
    </section>
  );
}

function IssueSection({ account }: { account: Address }) {
  const d = useDeployment();
  const { brands } = useBrands();
  const now = useChainTime();
  const tx = useTx();
  const mine = brands.filter((b) => b.active && b.issuer.toLowerCase() === account.toLowerCase());
  const [brandId, setBrandId] = useState("");
  const [faceValue, setFaceValue] = useState("");
  const [expiry, setExpiry] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  if (mine.length === 0) return null;

  const issue = async () => {
    const brand = validateBrand(brandId, mine);
    const face = validateFaceValue(faceValue);
    const expires = validateExpiry(expiry, now);
    setErrors({
      ...(brand.ok ? {} : { brandId: brand.error }),
      ...(face.ok ? {} : { faceValue: face.error }),
      ...(expires.ok ? {} : { expiry: expires.error }),
    });
    if (!brand.ok || !face.ok || !expires.ok) return;
    const receipt = await tx.send(
      contractCall(d.voucherToken, voucherTokenAbi, "issue", [account, BigInt(brand.value), face.value, expires.value]),
      { label: "Issue voucher", invalidates: [queryKeys.wallets] },
    );
    if (receipt) setFaceValue("");
  };

  return (
    <section className="card">
      <h2>Issue issuer-backed vouchers</h2>
      <p className="muted small">
        You are the issuer of {mine.map((b) => b.name).join(", ")}. Issuer-backed vouchers have no code: the token is
        the card.
      </p>
      <div className="form-grid">
        <Field label="Brand" error={errors.brandId}>
          <select value={brandId} onChange={(e) => setBrandId(e.target.value)}>
            <option value="">Choose…</option>
            {mine.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Face value" error={errors.faceValue}>
          <input inputMode="decimal" value={faceValue} onChange={(e) => setFaceValue(e.target.value)} />
        </Field>
        <Field label="Expires on" error={errors.expiry}>
          <input type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} />
        </Field>
      </div>
      <button type="button" className="btn btn-primary" onClick={issue} disabled={tx.busy}>
        Issue voucher
      </button>
      <TxStatus state={tx.state} />
    </section>
  );
}

function ListSection({ account }: { account: Address }) {
  const d = useDeployment();
  const wallet = useWallet(account);
  const brands = useBrands();
  const tokens = usePayTokens();
  const listings = useListings();
  const sales = useSales();
  const now = useChainTime();
  const tx = useTx();
  const [tokenAddress, setTokenAddress] = useState<string>("");
  const [selected, setSelected] = useState<Record<string, boolean>>({});
  const [prices, setPrices] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [steps, setSteps] = useState<Step[]>([]);
  const [listed, setListed] = useState<number>();

  const token: TokenInfo = tokens.byAddress.get(tokenKey(tokenAddress)) ?? tokens.tokens[0];
  const vouchers = (wallet.data?.vouchers ?? []).filter((v) => Number(v.expiresAt) > now);
  const rows = useMemo(
    () => toRows(listings.data ?? [], brands.byId, tokens.byAddress, REF_RATES, now),
    [listings.data, brands.byId, tokens.byAddress, now],
  );

  const suggestion = (tokenId: bigint) => {
    const v = vouchers.find((x) => x.tokenId === tokenId);
    const brand = v && brands.byId.get(v.brandId);
    if (!v || !brand) return undefined;
    const samples = brandDiscounts(v.brandId, rows, sales.data ?? [], brands.byId, tokens.byAddress, REF_RATES);
    const suggested = suggestDiscount(samples, v.expiresAt, now);
    const price = priceAtDiscount(v.faceValue, brand.currency, suggested.discount, token, REF_RATES);
    return price === undefined ? undefined : { ...suggested, price };
  };

  const priceText = (price: bigint) => formatUnits(price, token.decimals, token.decimals).replace(/,/g, "");

  const toggle = (tokenId: bigint, on: boolean) => {
    const key = tokenId.toString();
    setSelected((s) => ({ ...s, [key]: on }));
    if (on && !prices[key]) {
      const s = suggestion(tokenId);
      if (s) setPrices((p) => ({ ...p, [key]: priceText(s.price) }));
    }
  };

  const chosen = vouchers.filter((v) => selected[v.tokenId.toString()]);

  const list = async () => {
    setListed(undefined);
    const checked = chosen.map((v) => ({ v, price: validatePrice(prices[v.tokenId.toString()] ?? "", token) }));
    setErrors(
      Object.fromEntries(
        checked.filter((c) => !c.price.ok).map((c) => [c.v.tokenId.toString(), (c.price as { error: string }).error]),
      ),
    );
    if (chosen.length === 0 || checked.some((c) => !c.price.ok)) return;
    if (chosen.length > MAX_BATCH) return setErrors({ all: `List at most ${MAX_BATCH} vouchers at a time.` });
    const plan: Step[] = [
      {
        label: "Approve the exchange to hold your vouchers in escrow",
        state: wallet.data?.approved ? "skipped" : "todo",
        detail: wallet.data?.approved ? "already approved" : undefined,
      },
      { label: `List ${chosen.length} voucher${chosen.length === 1 ? "" : "s"} in ${token.symbol}`, state: "todo" },
    ];
    const set = (i: number, state: Step["state"]) => {
      plan[i] = { ...plan[i], state };
      setSteps([...plan]);
    };
    setSteps([...plan]);
    if (!wallet.data?.approved) {
      set(0, "active");
      const approved = await tx.send(
        contractCall(d.voucherToken, voucherTokenAbi, "setApprovalForAll", [d.voucherExchange, true]),
        {
          label: "Approve the exchange",
          invalidates: [queryKeys.wallets],
        },
      );
      if (!approved) return set(0, "error");
      set(0, "done");
    }
    set(1, "active");
    const ids = checked.map((c) => c.v.tokenId);
    const amounts = checked.map((c) => (c.price.ok ? c.price.value : 0n));
    const options = {
      label: `List ${ids.length} voucher${ids.length === 1 ? "" : "s"}`,
      invalidates: [queryKeys.listings, queryKeys.wallets, queryKeys.vouchers],
    };
    const receipt =
      ids.length === 1
        ? await tx.send(
            contractCall(d.voucherExchange, voucherExchangeAbi, "list", [ids[0], token.address, amounts[0]]),
            options,
          )
        : await tx.send(
            contractCall(d.voucherExchange, voucherExchangeAbi, "listBatch", [ids, token.address, amounts]),
            options,
          );
    set(1, receipt ? "done" : "error");
    if (receipt) {
      setListed(ids.length);
      setSelected({});
      setPrices({});
    }
  };

  return (
    <section className="card" data-testid="list">
      <h2>2 · List for sale</h2>
      {wallet.isLoading ? (
        <Spinner />
      ) : vouchers.length === 0 ? (
        <Empty title="No vouchers to list">Tokenize a card above, or buy one on the market.</Empty>
      ) : (
        <>
          <div className="row-gap">
            <Field label="Get paid in">
              <select
                value={token.address}
                onChange={(e) => setTokenAddress(e.target.value)}
                aria-label="Payment token"
              >
                {tokens.tokens.map((t) => (
                  <option key={t.address} value={t.address}>
                    {t.symbol}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <table className="table">
            <thead>
              <tr>
                <th />
                <th>Voucher</th>
                <th>Expires</th>
                <th>Price ({token.symbol})</th>
                <th>Suggested</th>
              </tr>
            </thead>
            <tbody>
              {vouchers.map((v) => {
                const key = v.tokenId.toString();
                const brand = brands.byId.get(v.brandId);
                const s = selected[key] ? suggestion(v.tokenId) : undefined;
                return (
                  <tr key={key} data-testid="sell-row" data-token={key}>
                    <td>
                      <input
                        type="checkbox"
                        checked={!!selected[key]}
                        onChange={(e) => toggle(v.tokenId, e.target.checked)}
                        aria-label={`Select voucher ${key}`}
                      />
                    </td>
                    <td>
                      <span className="row-link">
                        <VoucherTile brand={brand} faceValue={v.faceValue} small />
                        <span>
                          <strong>{brand?.name}</strong> {brand && formatFaceValue(v.faceValue, brand.currency)}
                          <span className="muted small block">
                            #{key} {v.issuerBacked ? "· issuer-backed" : "· coded"}
                          </span>
                        </span>
                      </span>
                    </td>
                    <td>{formatDate(v.expiresAt)}</td>
                    <td>
                      <Field label="" error={errors[key]}>
                        <input
                          inputMode="decimal"
                          disabled={!selected[key]}
                          value={prices[key] ?? ""}
                          onChange={(e) => setPrices((p) => ({ ...p, [key]: e.target.value }))}
                          aria-label={`Price for voucher ${key}`}
                        />
                      </Field>
                    </td>
                    <td className="small">
                      {s ? (
                        <>
                          <button
                            type="button"
                            className="link"
                            onClick={() => setPrices((p) => ({ ...p, [key]: priceText(s.price) }))}
                          >
                            {formatToken(s.price, token)}
                          </button>
                          <span className="block muted">
                            −{formatPercent(s.discount)} ·{" "}
                            {s.basis === "market" ? `market average of ${s.samples}` : "discount guide"}
                          </span>
                        </>
                      ) : (
                        <span className="muted">select to price</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {errors.all && <p className="field-message">{errors.all}</p>}
          <button
            type="button"
            className="btn btn-primary"
            disabled={chosen.length === 0 || tx.busy}
            onClick={list}
            data-testid="list-button"
          >
            List {chosen.length || ""} selected
          </button>
          <Steps steps={steps} />
          <TxStatus state={tx.state} />
          {listed !== undefined && (
            <div className="alert alert-success">
              Listed {listed} voucher{listed === 1 ? "" : "s"}. <a href={href("market")}>See the market →</a>
            </div>
          )}
          <details className="guide">
            <summary>Discount guide</summary>
            <p className="muted small">
              With fewer than 3 market prices for a brand, suggestions follow this guide; otherwise they use the brand's
              average discount across active asks and completed sales.
            </p>
            <table className="table compact">
              <tbody>
                {DISCOUNT_GUIDE.map((tier) => (
                  <tr key={tier.label}>
                    <td>{tier.label} to expiry</td>
                    <td className="num">
                      <Badge tone="info">−{formatPercent(tier.discount)}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}

export default function SellPage() {
  const { address } = useConnection();
  if (!address) return <NotConnected what="tokenize and list vouchers" />;
  return (
    <div className="page">
      <PageHeader title="Sell">
        Tokenize cards you hold, then list them. Buyers pay into escrow; you are paid when they confirm the code.
      </PageHeader>
      <MintSection />
      <IssueSection account={address} />
      <ListSection account={address} />
    </div>
  );
}
