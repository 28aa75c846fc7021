/**
 * The buy panel: the price first, the exact split from `quote(tradeId, referrer)` (fee, each distributor's share,
 * treasury, seller proceeds) under it, and the Buy button in reach. Buying runs its steps — order key (coded vouchers),
 * approval (tokens), pay — with maxPrice set to the price shown, after checking that the exchange is open and the
 * price has not changed since the page was opened.
 */
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useConnection } from "wagmi";
import { BPS, voucherExchangeAbi, toBytes32 } from "#sdk";
import { erc20Abi, zeroAddress, zeroHash, type Address, type Hex } from "viem";
import { FaucetButton, useFaucetTokens } from "../../components/Faucet.tsx";
import { AddressText, ErrorBox, Spinner, Steps, TxStatus } from "../../components/ui.tsx";
import { appChain } from "../../config.ts";
import { queryKeys, useClient, useDeployment, useSettings, useTokenBalance } from "../../hooks/queries.ts";
import { useKeys } from "../../hooks/useKeys.ts";
import { useReferrer } from "../../hooks/useReferrer.ts";
import { useSteps } from "../../hooks/useSteps.ts";
import { contractCall, useTx } from "../../hooks/useTx.tsx";
import { useChainName, useErrorText } from "../../i18n/hooks.ts";
import { formatBps, formatDateTime, type TokenInfo } from "../../lib/format.ts";
import type { Listing } from "../../lib/market.ts";
import { formatMoneyExact, pegOf } from "../../lib/money.ts";
import { referrerFor } from "../../lib/referral.ts";
import { demoAccountOf } from "../../app/demoAccounts.ts";

const BUY_CHANGES = [
  queryKeys.listings,
  queryKeys.sales,
  queryKeys.trades,
  queryKeys.vouchers,
  queryKeys.wallets,
  queryKeys.balances,
  queryKeys.quotes,
  queryKeys.distributions,
];

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
  const { t } = useTranslation();
  const errorText = useErrorText();
  const chainName = useChainName();
  const d = useDeployment();
  const client = useClient();
  const { address, chainId } = useConnection();
  const storedReferrer = useReferrer();
  const referrer = referrerFor(storedReferrer, address);
  const keys = useKeys();
  const tx = useTx();
  const flow = useSteps(errorText);
  const balance = useTokenBalance(address, token);
  const settings = useSettings();
  const faucetTokens = useFaucetTokens();
  const isEth = token.address === zeroAddress;

  const quote = useQuery({
    queryKey: queryKeys.quote(listing.tradeId, referrer, address),
    queryFn: () =>
      client.readContract({
        address: d.voucherExchange,
        abi: voucherExchangeAbi,
        functionName: "quote",
        args: [listing.tradeId, referrer],
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

  if (quote.isLoading) return <Spinner label={t("buy.quoting")} />;
  if (quote.error || !quote.data) return <ErrorBox>{t("buy.quoteFailed", { error: errorText(quote.error) })}</ErrorBox>;
  const split = quote.data;
  const price = split.price;
  const shown = formatMoneyExact(price, token);
  const isSeller = address?.toLowerCase() === listing.seller.toLowerCase();
  const expired = Number(listing.expiresAt) <= now;
  // A coded order needs the delivery and the confirm window before the card expires (ExpiresBeforeSettlement).
  const windows = settings.data?.windows;
  const settleBy = windows ? now + windows.delivery + windows.confirm : undefined;
  const tooLate = !listing.issuerBacked && !expired && settleBy !== undefined && settleBy > Number(listing.expiresAt);
  const paused = settings.data?.paused === true;
  const short = balance.data !== undefined && balance.data < price;
  const bond =
    settings.data && !listing.issuerBacked ? (price * BigInt(settings.data.disputeBondBps)) / BigInt(BPS) : undefined;

  // Why nobody can buy it, said whether or not a wallet is connected.
  const unbuyable = expired
    ? t("buy.problem.expired")
    : tooLate
      ? t("buy.problem.tooLate", {
          expires: formatDateTime(Number(listing.expiresAt)),
          settleBy: formatDateTime(settleBy!),
        })
      : undefined;
  const problem =
    unbuyable ??
    (!address
      ? t("buy.problem.connect")
      : chainId !== appChain.id
        ? t("buy.problem.network", { chain: chainName })
        : paused
          ? t("buy.problem.paused")
          : isSeller
            ? t("buy.problem.ownListing")
            : short
              ? t("buy.problem.balance", { balance: formatMoneyExact(balance.data!, token) })
              : undefined);
  const faucet = short && address ? faucetTokens.find((f) => f.address === token.address) : undefined;

  const buy = async () => {
    if (problem) return;
    const needsApproval = !isEth && (allowance.data ?? 0n) < price;
    let buyerKey: Hex = zeroHash;
    await flow.run([
      {
        label: t("buy.step.check"),
        run: async () => {
          // The page may be minutes old: a paused exchange or a changed price is said plainly, before any signature.
          const [fresh, latest] = await Promise.all([settings.refetch(), quote.refetch()]);
          if (fresh.data?.paused) return t("buy.problem.paused");
          if (latest.data && latest.data.price !== price) {
            return t("buy.priceChanged", { price: formatMoneyExact(latest.data.price, token) });
          }
        },
      },
      ...(listing.issuerBacked
        ? []
        : [
            {
              label: t("buy.step.orderKey"),
              run: async () => {
                const pair = await keys.derive(`order:${listing.tradeId}`);
                if (!pair) return t("common.signatureMissing");
                buyerKey = toBytes32(pair.publicKey);
              },
            },
          ]),
      ...(needsApproval
        ? [
            {
              label: t("buy.step.approve", { amount: shown }),
              run: async () =>
                !!(await tx.send(contractCall(token.address, erc20Abi, "approve", [d.voucherExchange, price]), {
                  label: t("buy.tx.approve", { token: token.symbol }),
                  invalidates: [queryKeys.balances],
                })),
            },
          ]
        : []),
      {
        label: t("buy.step.pay", { amount: shown }),
        run: async () => {
          const bought = await tx.send(
            contractCall(
              d.voucherExchange,
              voucherExchangeAbi,
              "buy",
              [listing.tradeId, price, referrer as Address, buyerKey],
              isEth ? price : undefined,
            ),
            {
              label: t("buy.tx.buy", { id: listing.tokenId.toString() }),
              invalidates: BUY_CHANGES,
              // The refetch replaces this panel with the order's status, so the page shows the outcome.
              onConfirmed: onBought,
            },
          );
          // Most failures here mean the listing changed (price raised, sold, cancelled): show its current state.
          if (!bought) void quote.refetch();
          return !!bought;
        },
      },
    ]);
  };

  const inviter = referrer !== zeroAddress ? demoAccountOf(referrer) : undefined;
  return (
    <div className="buy-panel" data-testid="buy-panel">
      {problem && (address || unbuyable) && (
        <div className="alert alert-warning" data-testid="buy-problem">
          {problem} {faucet && address && <FaucetButton token={faucet} account={address} tx={tx} />}
        </div>
      )}
      <button
        type="button"
        className="btn btn-primary btn-block"
        data-testid="buy-button"
        disabled={!!problem || tx.busy || keys.signing || flow.running}
        onClick={buy}
      >
        {!address ? t("buy.connectFirst") : t("buy.button", { price: shown })}
      </button>
      <Steps steps={flow.steps} />
      <TxStatus state={tx.state} />
      <dl className="split" data-testid="quote">
        <div className="split-row split-total">
          <dt>{t("buy.split.price")}</dt>
          <dd>
            <span data-testid="quote-price">{shown}</span>
            {pegOf(token) && <span className="muted small"> {token.symbol}</span>}
          </dd>
        </div>
        <div className="split-row">
          <dt>{t("buy.split.fee", { rate: settings.data ? formatBps(settings.data.feeBps) : "…" })}</dt>
          <dd data-testid="quote-fee">{formatMoneyExact(split.fee, token)}</dd>
        </div>
        {split.distributors.map((distributor, i) =>
          split.distributorShares[i] > 0n ? (
            <div className="split-row split-sub" key={i}>
              <dt>
                {t(`buy.split.level${i + 1}` as "buy.split.level1")} <AddressText address={distributor} />
              </dt>
              <dd>{formatMoneyExact(split.distributorShares[i], token)}</dd>
            </div>
          ) : null,
        )}
        <div className="split-row split-sub">
          <dt>{t("buy.split.treasury")}</dt>
          <dd data-testid="quote-treasury">{formatMoneyExact(split.treasuryShare, token)}</dd>
        </div>
        <div className="split-row">
          <dt>{t("buy.split.seller")}</dt>
          <dd data-testid="quote-seller">{formatMoneyExact(split.sellerProceeds, token)}</dd>
        </div>
      </dl>
      <p className="muted small">
        {referrer !== zeroAddress && (
          <>
            {t("buy.referred", { name: inviter?.name ?? "" })} <AddressText address={referrer} />
            {". "}
          </>
        )}
        {t("buy.feeNote")} {listing.issuerBacked ? t("buy.escrow.instant") : t("buy.escrow.coded")}
        {bond !== undefined && (
          <>
            {" "}
            {t("buy.disputeBond", {
              bond: formatMoneyExact(bond, token),
              rate: formatBps(settings.data!.disputeBondBps),
            })}
          </>
        )}
      </p>
    </div>
  );
}
