/** Claimable credits per token (fees, referral shares, payments that could not be pushed) with a claim button each. */
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { voucherExchangeAbi } from "../generated/contracts.ts";
import { queryKeys, useClient, useDeployment, usePayTokens } from "../hooks/queries.ts";
import { contractCall, useTx } from "../hooks/useTx.tsx";
import { formatTokenExact } from "../lib/format.ts";
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
  const d = useDeployment();
  const summary = useAccountSummary(account);
  const tx = useTx();
  const rows = summary.data?.credits ?? [];
  return (
    <div>
      <table className="table compact" data-testid="credits">
        <thead>
          <tr>
            <th>Token</th>
            {earned && <th className="num">Referral earnings (all time)</th>}
            <th className="num">Claimable now</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map(({ token, amount }) => (
            <tr key={token.address}>
              <td>{token.symbol}</td>
              {earned && (
                <td className="num">{formatTokenExact(earned.get(token.address.toLowerCase()) ?? 0n, token)}</td>
              )}
              <td className="num strong" data-testid={`credit-${token.symbol}`}>
                {formatTokenExact(amount, token)}
              </td>
              <td className="num">
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={amount === 0n || tx.busy}
                  onClick={() =>
                    tx.send(contractCall(d.voucherExchange, voucherExchangeAbi, "claim", [token.address]), {
                      label: `Claim ${token.symbol}`,
                      invalidates: [queryKeys.distributions, queryKeys.balances],
                    })
                  }
                >
                  Claim
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <TxStatus state={tx.state} />
    </div>
  );
}
