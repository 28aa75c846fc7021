import { MIN_PRICE_FLOOR } from "#sdk";
import { useEffect, useState } from "react";
import { useConnection } from "wagmi";
import { zeroAddress } from "viem";
import { AddressText, Badge, ErrorBox, Field, PageHeader, Spinner, TxStatus } from "../components/ui.tsx";
import { voucherExchangeAbi, voucherTokenAbi } from "../generated/contracts.ts";
import { queryKeys, useBrands, useDeployment, usePayTokens, useSettings } from "../hooks/queries.ts";
import { contractCall, useTx, type Call } from "../hooks/useTx.tsx";
import { describeError } from "../lib/errors.ts";
import { formatBps, formatDuration } from "../lib/format.ts";
import {
  type Check,
  validateAddress,
  validateBrandText,
  validateCurrency,
  validateFeePercent,
  validateLevelShares,
} from "../lib/validation.ts";

const bpsText = (bps: number) => (bps / 100).toString();

export default function AdminPage() {
  const d = useDeployment();
  const { address } = useConnection();
  const settings = useSettings();
  const brands = useBrands();
  const tokens = usePayTokens();
  const tx = useTx();

  const [fee, setFee] = useState("");
  const [shares, setShares] = useState<[string, string, string]>(["", "", ""]);
  const [newToken, setNewToken] = useState("");
  const [brand, setBrand] = useState({ name: "", category: "", currency: "", issuer: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    if (!settings.data) return;
    setFee(bpsText(settings.data.feeBps));
    setShares(settings.data.levelShares.map(bpsText) as [string, string, string]);
  }, [settings.data]);

  if (settings.isLoading) return <Spinner />;
  if (settings.error || !settings.data) return <ErrorBox>{describeError(settings.error)}</ErrorBox>;
  const s = settings.data;
  const me = address?.toLowerCase();
  const ownsExchange = me === s.owner.toLowerCase();
  const ownsToken = me === s.tokenOwner.toLowerCase();

  const send = (call: Call, label: string, invalidates: readonly (readonly unknown[])[]) =>
    tx.send(call, { label, invalidates });
  const fail = (key: string, error: string) => setErrors({ [key]: error });
  /** Shows a form error under `key`, or clears the errors and runs the write with the checked value. */
  const whenValid = <T,>(key: string, checked: Check<T>, write: (value: T) => unknown) => {
    if (!checked.ok) return fail(key, checked.error);
    setErrors({});
    return write(checked.value);
  };

  return (
    <div className="page">
      <PageHeader title="Admin">
        Governance within the limits the contracts enforce: the fee can only ever be 1–3%.
      </PageHeader>
      {!ownsExchange && !ownsToken && (
        <div className="alert alert-info">
          Read-only: the exchange owner is <AddressText address={s.owner} /> and the token owner is{" "}
          <AddressText address={s.tokenOwner} />. Connect as the owner to change settings.
        </div>
      )}
      <TxStatus state={tx.state} />

      <section className="card">
        <h2>Exchange</h2>
        <dl className="facts">
          <div>
            <dt>Status</dt>
            <dd>{s.paused ? <Badge tone="warning">Paused</Badge> : <Badge tone="success">Open</Badge>}</dd>
          </div>
          <div>
            <dt>Treasury</dt>
            <dd>
              <AddressText address={s.treasury} />
            </dd>
          </div>
          <div>
            <dt>Arbiter</dt>
            <dd>
              <AddressText address={s.arbiter} />
            </dd>
          </div>
          <div>
            <dt>Windows</dt>
            <dd>
              delivery {formatDuration(s.windows.delivery)} · confirm {formatDuration(s.windows.confirm)} · arbitration{" "}
              {formatDuration(s.windows.arbitration)}
            </dd>
          </div>
        </dl>
        <div className="form-grid">
          <Field
            label={`Protocol fee, % (now ${formatBps(s.feeBps)})`}
            error={errors.fee}
            hint="Between 1% and 3%; open orders keep their fee."
          >
            <input
              inputMode="decimal"
              value={fee}
              onChange={(e) => setFee(e.target.value)}
              aria-label="Protocol fee percent"
            />
          </Field>
          <div className="field-action">
            <button
              type="button"
              className="btn"
              disabled={!ownsExchange || tx.busy}
              onClick={() =>
                whenValid("fee", validateFeePercent(fee), (value) =>
                  send(
                    contractCall(d.voucherExchange, voucherExchangeAbi, "setProtocolFee", [value]),
                    "Set protocol fee",
                    [queryKeys.settings, queryKeys.quotes],
                  ),
                )
              }
            >
              Set fee
            </button>
          </div>
        </div>
        <div className="form-grid">
          {[0, 1, 2].map((i) => (
            <Field key={i} label={`Level ${i + 1} share, % of fee`} error={i === 0 ? errors.shares : undefined}>
              <input
                inputMode="decimal"
                value={shares[i]}
                onChange={(e) =>
                  setShares((all) => all.map((v, j) => (j === i ? e.target.value : v)) as [string, string, string])
                }
                aria-label={`Level ${i + 1} share`}
              />
            </Field>
          ))}
          <div className="field-action">
            <button
              type="button"
              className="btn"
              disabled={!ownsExchange || tx.busy}
              onClick={() =>
                whenValid("shares", validateLevelShares(shares), (value) =>
                  send(
                    contractCall(d.voucherExchange, voucherExchangeAbi, "setLevelShares", [value]),
                    "Set level shares",
                    [queryKeys.settings, queryKeys.quotes],
                  ),
                )
              }
            >
              Set shares
            </button>
          </div>
        </div>
        <button
          type="button"
          className={`btn ${s.paused ? "btn-primary" : "btn-danger"}`}
          disabled={!ownsExchange || tx.busy}
          onClick={() =>
            send(
              contractCall(d.voucherExchange, voucherExchangeAbi, s.paused ? "unpause" : "pause", []),
              s.paused ? "Unpause" : "Pause",
              [queryKeys.settings],
            )
          }
        >
          {s.paused ? "Unpause the exchange" : "Pause new listings and purchases"}
        </button>
      </section>

      <section className="card">
        <h2>Payment tokens</h2>
        <table className="table compact">
          <tbody>
            {tokens.tokens.map((t) => (
              <tr key={t.address}>
                <td>{t.symbol}</td>
                <td>
                  {t.address === zeroAddress ? (
                    <span className="muted">native, always accepted</span>
                  ) : (
                    <code>{t.address}</code>
                  )}
                </td>
                <td className="num">
                  {t.address !== zeroAddress && (
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      disabled={!ownsExchange || tx.busy}
                      onClick={() =>
                        send(
                          contractCall(d.voucherExchange, voucherExchangeAbi, "setPayToken", [t.address, 0n]),
                          `Stop accepting ${t.symbol}`,
                          [queryKeys.tokens],
                        )
                      }
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="form-grid">
          <Field
            label="Accept another ERC-20"
            error={errors.token}
            hint="Fee-on-transfer tokens are refused at payment time."
          >
            <input
              value={newToken}
              onChange={(e) => setNewToken(e.target.value)}
              placeholder="0x…"
              spellCheck={false}
              aria-label="Token address"
            />
          </Field>
          <div className="field-action">
            <button
              type="button"
              className="btn"
              disabled={!ownsExchange || tx.busy}
              onClick={() =>
                whenValid("token", validateAddress(newToken, "Token"), (value) =>
                  send(
                    contractCall(d.voucherExchange, voucherExchangeAbi, "setPayToken", [value, MIN_PRICE_FLOOR]),
                    "Accept token",
                    [queryKeys.tokens],
                  ),
                )
              }
            >
              Allow token
            </button>
          </div>
        </div>
      </section>

      <section className="card">
        <h2>Brands</h2>
        <table className="table compact">
          <thead>
            <tr>
              <th>#</th>
              <th>Name</th>
              <th>Category</th>
              <th>Currency</th>
              <th>Issuer</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {brands.brands.map((b) => (
              <tr key={b.id}>
                <td>{b.id}</td>
                <td>{b.name}</td>
                <td>{b.category}</td>
                <td>{b.currency}</td>
                <td>
                  <AddressText address={b.issuer} />
                </td>
                <td>{b.active ? <Badge tone="success">Active</Badge> : <Badge>Inactive</Badge>}</td>
                <td className="num">
                  <button
                    type="button"
                    className="btn btn-small btn-ghost"
                    disabled={!ownsToken || tx.busy}
                    onClick={() =>
                      send(
                        contractCall(d.voucherToken, voucherTokenAbi, "setBrandActive", [BigInt(b.id), !b.active]),
                        `${b.active ? "Deactivate" : "Activate"} ${b.name}`,
                        [queryKeys.brands],
                      )
                    }
                  >
                    {b.active ? "Deactivate" : "Activate"}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="form-grid">
          {(["name", "category", "currency", "issuer"] as const).map((key) => (
            <Field key={key} label={key[0].toUpperCase() + key.slice(1)} error={errors[`brand-${key}`]}>
              <input
                value={brand[key]}
                onChange={(e) => setBrand((b) => ({ ...b, [key]: e.target.value }))}
                aria-label={`Brand ${key}`}
                spellCheck={false}
              />
            </Field>
          ))}
          <div className="field-action">
            <button
              type="button"
              className="btn"
              disabled={!ownsToken || tx.busy}
              onClick={async () => {
                const name = validateBrandText(brand.name, "Name");
                const category = validateBrandText(brand.category, "Category");
                const currency = validateCurrency(brand.currency);
                const issuer = validateAddress(brand.issuer, "Issuer");
                const found: Record<string, string> = {};
                if (!name.ok) found["brand-name"] = name.error;
                if (!category.ok) found["brand-category"] = category.error;
                if (!currency.ok) found["brand-currency"] = currency.error;
                if (!issuer.ok) found["brand-issuer"] = issuer.error;
                setErrors(found);
                if (!name.ok || !category.ok || !currency.ok || !issuer.ok) return;
                const receipt = await send(
                  contractCall(d.voucherToken, voucherTokenAbi, "registerBrand", [
                    name.value,
                    category.value,
                    currency.value,
                    issuer.value,
                  ]),
                  `Register ${name.value}`,
                  [queryKeys.brands],
                );
                if (receipt) setBrand({ name: "", category: "", currency: "", issuer: "" });
              }}
            >
              Register brand
            </button>
          </div>
        </div>
      </section>
    </div>
  );
}
