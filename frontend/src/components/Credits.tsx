/** Claimable credits per token (fees, referral shares, payments that could not be pushed) with a withdraw button each. */
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { Address } from "viem";
import { voucherExchangeAbi } from "#sdk";
import { queryKeys, useClient, useDeployment, usePayTokens } from "../hooks/queries.ts";
import { contractCall, useTx } from "../hooks/useTx.tsx";
import { Money } from "./Money.tsx";
import { TxStatus } from "./ui.tsx";

export function useAccountSummary(account: Address | undefined) {
  const d = useDeployment();
  const client = useClient();
  const { tokens } = usePayTokens();
  return useQuery({
    queryKey: [...queryKeys.distribution(account ?? "0x"), "summary", tokens.length],
    enabled: !!account,
    queryFn: async () => {
      const [stats, credits] = await client.readContract({
        address: d.voucherExchange,
        abi: voucherExchangeAbi,
        functionName: "account",
        args: [account!, tokens.map((t) => t.address)],
      });
      return { stats, credits: tokens.map((token, i) => ({ token, amount: credits[i] })) };
    },
  });
}

export function CreditsTable({ account, earned }: { account: Address; earned?: Map<string, bigint> }) {
  const { t } = useTranslation();
  const d = useDeployment();
  const summary = useAccountSummary(account);
  const tx = useTx();
  const rows = summary.data?.credits ?? [];
  return (
    <div>
      <ul className="credit-list" data-testid="credits">
        {rows.map(({ token, amount }) => (
          <li key={token.address} className="credit">
            <strong className="credit-token">{token.symbol}</strong>
            <span className="credit-figures">
              {earned && (
                <span className="credit-figure">
                  <span className="muted small">{t("credits.earned")}</span>
                  <Money value={earned.get(token.address.toLowerCase()) ?? 0n} token={token} exact block />
                </span>
              )}
              <span className="credit-figure" data-testid={`credit-${token.symbol}`}>
                <span className="muted small">{t("credits.claimable")}</span>
                <strong>
                  <Money value={amount} token={token} exact block />
                </strong>
              </span>
            </span>
            <button
              type="button"
              className="btn btn-small"
              disabled={amount === 0n || tx.busy}
              onClick={() =>
                tx.send(contractCall(d.voucherExchange, voucherExchangeAbi, "claim", [token.address]), {
                  label: t("credits.tx", { token: token.symbol }),
                  invalidates: [queryKeys.distributions, queryKeys.balances],
                })
              }
            >
              {t("credits.claim")}
            </button>
          </li>
        ))}
      </ul>
      <TxStatus state={tx.state} />
    </div>
  );
}
