import { useState } from "react";
import { useConnection } from "wagmi";
import { zeroAddress, type Address } from "viem";
import { CreditsTable } from "../components/Credits.tsx";
import {
  AddressText,
  CopyButton,
  ErrorBox,
  Field,
  NotConnected,
  PageHeader,
  Spinner,
  TxStatus,
} from "../components/ui.tsx";
import { voucherExchangeAbi } from "../generated/contracts.ts";
import { queryKeys, useClient, useDeployment, useDistribution, useSettings } from "../hooks/queries.ts";
import { useReferrer } from "../hooks/useReferrer.ts";
import { contractCall, useTx } from "../hooks/useTx.tsx";
import { describeError } from "../lib/errors.ts";
import { formatBps } from "../lib/format.ts";
import { downline, referralLink } from "../lib/referral.ts";
import { validateAddress } from "../lib/validation.ts";

function JoinForm({ account }: { account: Address }) {
  const d = useDeployment();
  const client = useClient();
  const referrer = useReferrer();
  const tx = useTx();
  const [upline, setUpline] = useState<string>(
    referrer && referrer.toLowerCase() !== account.toLowerCase() ? referrer : "",
  );
  const [error, setError] = useState<string>();

  const join = async (asRoot: boolean) => {
    setError(undefined);
    let target: Address = zeroAddress;
    if (!asRoot) {
      const checked = validateAddress(upline, "Upline");
      if (!checked.ok) return setError(checked.error);
      if (checked.value.toLowerCase() === account.toLowerCase()) return setError("You cannot be your own upline.");
      const [joined] = await client.readContract({
        address: d.voucherExchange,
        abi: voucherExchangeAbi,
        functionName: "distributor",
        args: [checked.value],
      });
      if (!joined) return setError("That address is not a distributor yet, so it cannot be your upline.");
      target = checked.value;
    }
    await tx.send(contractCall(d.voucherExchange, voucherExchangeAbi, "joinDistributors", [target]), {
      label: "Join the distributor network",
      invalidates: [queryKeys.distributions, queryKeys.quotes],
    });
  };

  return (
    <section className="card" data-testid="join">
      <h2>Join the distributor network</h2>
      <p className="muted">
        Share your link; on every sale it brings, you and up to two distributors above you earn part of the protocol
        fee, credited on-chain and claimable any time.
      </p>
      <div className="form-grid">
        <Field
          label="Upline"
          error={error}
          hint={referrer ? "From the referral link you opened." : "The distributor who invited you."}
        >
          <input
            value={upline}
            onChange={(e) => setUpline(e.target.value)}
            placeholder="0x…"
            spellCheck={false}
            aria-label="Upline address"
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
          Join under this upline
        </button>
        <button type="button" className="btn btn-ghost" disabled={tx.busy} onClick={() => join(true)}>
          Join without an upline
        </button>
      </div>
      <TxStatus state={tx.state} />
    </section>
  );
}

export default function DistributePage() {
  const { address } = useConnection();
  const distribution = useDistribution(address);
  const settings = useSettings();

  if (!address) return <NotConnected what="join the distributor network" />;
  if (distribution.isLoading) return <Spinner />;
  if (distribution.error || !distribution.data) return <ErrorBox>{describeError(distribution.error)}</ErrorBox>;
  const data = distribution.data;
  const shares = settings.data?.levelShares;
  const link = referralLink(window.location.href, address);
  const levels = downline(data.joins, address);

  return (
    <div className="page">
      <PageHeader title="Distribute">
        Earn a share of the fee on every sale your link brings
        {shares
          ? `: ${formatBps(shares[0])}, ${formatBps(shares[1])} and ${formatBps(shares[2])} of the fee to levels 1, 2 and 3.`
          : "."}
      </PageHeader>
      {!data.joined ? (
        <JoinForm account={address} />
      ) : (
        <>
          <section className="card">
            <h2>Your referral link</h2>
            <div className="code-box">
              <code data-testid="referral-link">{link}</code>
              <CopyButton text={link} />
            </div>
            <p className="muted small">
              Upline: {data.upline === zeroAddress ? "none (you are a root)" : <AddressText address={data.upline} />} ·{" "}
              {data.referredOrders} referred order{data.referredOrders === 1 ? "" : "s"} paid you so far. You earn
              nothing on your own purchases or sales.
            </p>
          </section>
          <section className="card">
            <h2>Downline</h2>
            <div className="stat-grid">
              {[0, 1, 2].map((i) => (
                <div className="stat" key={i}>
                  <span className="stat-value">{levels[i]?.length ?? 0}</span>
                  <span className="stat-label">
                    level {i + 1}
                    {shares ? ` · ${formatBps(shares[i])} of fee` : ""}
                  </span>
                </div>
              ))}
            </div>
            {levels.length > 0 && (
              <ul className="downline">
                {levels.map((level, i) =>
                  level.map((member) => (
                    <li key={`${i}-${member}`}>
                      <span className="muted small">L{i + 1}</span> <AddressText address={member} />
                    </li>
                  )),
                )}
              </ul>
            )}
          </section>
          <section className="card">
            <h2>Earnings</h2>
            <CreditsTable account={address} earned={data.earned} />
          </section>
        </>
      )}
    </div>
  );
}
