/**
 * The buy panel: the exact split from `quote(listingId, referrer)` (fee, each distributor's share, treasury, seller
 * proceeds) shown before anything is signed; then the steps — order key (coded vouchers), approval (tokens), pay —
 * with maxPrice set to the price shown, so a price raised in between makes the buy revert instead of costing more.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useConnection } from "wagmi";
import { erc20Abi, zeroAddress, zeroHash, type Address, type Hex } from "viem";
import { appChain } from "../config.ts";
import { voucherExchangeAbi } from "../generated/contracts.ts";
import { queryKeys, useClient, useDeployment, useSettings, useTokenBalance } from "../hooks/queries.ts";
import { useKeys } from "../hooks/useKeys.ts";
import { useReferrer } from "../hooks/useReferrer.ts";
import { contractCall, useTx } from "../hooks/useTx.tsx";
import { toBytes32 } from "../lib/codeDelivery.ts";
import { describeError } from "../lib/errors.ts";
import { formatBps, formatTokenExact, type TokenInfo } from "../lib/format.ts";
import type { Listing } from "../lib/market.ts";
import { referrerFor } from "../lib/referral.ts";
import { AddressText, ErrorBox, Spinner, Steps, TxStatus, type Step } from "./ui.tsx";

const LEVELS = ["Level 1 (referrer)", "Level 2", "Level 3"];

export function BuyPanel({
  listing,
  token,
  now,
  onBought,
}: {
  listing: Listing;
  token: TokenInfo;
  now: number;
  /** Called once the purchase is mined (the panel itself unmounts when the listing turns into an order). */
  onBought: () => void;
}) {
  const d = useDeployment();
  const client = useClient();
  const { address, chainId } = useConnection();
  const storedReferrer = useReferrer();
  const referrer = referrerFor(storedReferrer, address);
  const keys = useKeys();
  const tx = useTx();
  const balance = useTokenBalance(address, token);
  const settings = useSettings();
  const isEth = token.address === zeroAddress;
  const [steps, setSteps] = useState<Step[]>([]);

  const quote = useQuery({
    queryKey: queryKeys.quote(listing.listingId, referrer, address),
    queryFn: () =>
      client.readContract({
        address: d.voucherExchange,
        abi: voucherExchangeAbi,
        functionName: "quote",
        args: [listing.listingId, referrer],
        account: address,
      }),
  });
  const allowance = useQuery({
    queryKey: [...queryKeys.balance(address ?? zeroAddress, token.address), "allowance"],
    enabled: !!address && !isEth,
    queryFn: () =>
      client.readContract({
        address: token.address,
        abi: erc20Abi,
        functionName: "allowance",
        args: [address!, d.voucherExchange],
      }),
  });

  if (quote.isLoading) return <Spinner label="Quoting…" />;
  if (quote.error || !quote.data)
    return <ErrorBox>Could not quote this listing: {describeError(quote.error)}</ErrorBox>;
  const split = quote.data;
  const price = split.price;
  const isSeller = address?.toLowerCase() === listing.seller.toLowerCase();
  const expired = Number(listing.expiresAt) <= now;

  const problem = !address
    ? "Connect a wallet to buy."
    : chainId !== appChain.id
      ? `Switch your wallet to ${appChain.name}.`
      : isSeller
        ? "This is your own listing."
        : expired
          ? "This voucher has expired and cannot be bought."
          : balance.data !== undefined && balance.data < price
            ? `Your balance (${formatTokenExact(balance.data, token)}) is below the price.`
            : undefined;

  const buy = async () => {
    if (problem) return;
    const needsKey = !listing.issuerBacked;
    const needsApproval = !isEth && (allowance.data ?? 0n) < price;
    const plan: Step[] = [
      ...(needsKey ? [{ label: "Create your order key (a free signature)", state: "todo" as const }] : []),
      ...(needsApproval
        ? [{ label: `Allow the exchange to take ${formatTokenExact(price, token)}`, state: "todo" as const }]
        : []),
      { label: `Pay ${formatTokenExact(price, token)} into escrow`, state: "todo" as const },
    ];
    let at = 0;
    const mark = (state: Step["state"], detail?: string) => {
      plan[at] = { ...plan[at], state, detail };
      setSteps([...plan]);
    };
    let buyerKey: Hex = zeroHash;
    if (needsKey) {
      mark("active");
      const pair = await keys.derive(`order:${listing.listingId}`);
      if (!pair) return mark("error", "The signature was not given.");
      buyerKey = toBytes32(pair.publicKey);
      mark("done");
      at++;
    }
    if (needsApproval) {
      mark("active");
      const approved = await tx.send(contractCall(token.address, erc20Abi, "approve", [d.voucherExchange, price]), {
        label: `Approve ${token.symbol}`,
        invalidates: [queryKeys.balances],
      });
      if (!approved) return mark("error");
      mark("done");
      at++;
    }
    mark("active");
    const bought = await tx.send(
      contractCall(
        d.voucherExchange,
        voucherExchangeAbi,
        "buy",
        [listing.listingId, price, referrer as Address, buyerKey],
        isEth ? price : undefined,
      ),
      {
        label: `Buy voucher #${listing.tokenId}`,
        invalidates: [
          queryKeys.listings,
          queryKeys.sales,
          queryKeys.trades,
          queryKeys.vouchers,
          queryKeys.wallets,
          queryKeys.balances,
          queryKeys.quotes,
          queryKeys.distributions,
        ],
        // The refetch replaces this panel with the order's status, so the page shows the outcome.
        onConfirmed: onBought,
      },
    );
    if (!bought) {
      // Most failures here mean the listing changed (price raised, sold, cancelled): show its current state.
      void quote.refetch();
      return mark("error");
    }
    mark("done");
  };

  return (
    <div className="buy-panel" data-testid="buy-panel">
      <dl className="split" data-testid="quote">
        <div className="split-row split-total">
          <dt>Price</dt>
          <dd data-testid="quote-price">{formatTokenExact(price, token)}</dd>
        </div>
        <div className="split-row">
          <dt>Protocol fee{settings.data ? ` (${formatBps(settings.data.feeBps)})` : ""}</dt>
          <dd data-testid="quote-fee">{formatTokenExact(split.fee, token)}</dd>
        </div>
        {split.distributors.map((distributor, i) =>
          split.distributorShares[i] > 0n ? (
            <div className="split-row split-sub" key={i}>
              <dt>
                {LEVELS[i]} <AddressText address={distributor} />
              </dt>
              <dd>{formatTokenExact(split.distributorShares[i], token)}</dd>
            </div>
          ) : null,
        )}
        <div className="split-row split-sub">
          <dt>Treasury</dt>
          <dd data-testid="quote-treasury">{formatTokenExact(split.treasuryShare, token)}</dd>
        </div>
        <div className="split-row">
          <dt>Seller receives</dt>
          <dd data-testid="quote-seller">{formatTokenExact(split.sellerProceeds, token)}</dd>
        </div>
      </dl>
      <p className="muted small">
        {referrer !== zeroAddress ? (
          <>
            Referred by <AddressText address={referrer} />: part of the fee goes to its distributor chain.{" "}
          </>
        ) : null}
        The fee comes out of the price; you pay exactly the price. It is held in escrow
        {listing.issuerBacked
          ? " for an instant, atomic settlement: the voucher is yours in the same transaction."
          : " until you confirm the delivered code (or a dispute is ruled)."}
      </p>
      {problem && address && <div className="alert alert-warning">{problem}</div>}
      <button
        type="button"
        className="btn btn-primary btn-block"
        data-testid="buy-button"
        disabled={!!problem || tx.busy || keys.signing}
        onClick={buy}
      >
        {problem && !address ? "Connect a wallet to buy" : `Buy for ${formatTokenExact(price, token)}`}
      </button>
      <Steps steps={steps} />
      {keys.error && <p className="field-message">{keys.error}</p>}
      <TxStatus state={tx.state} />
    </div>
  );
}
