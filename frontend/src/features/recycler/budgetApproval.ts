/**
 * The step before an offer's budget moves (posting or topping up): the exchange pulls an ERC-20 budget from the
 * recycler, so it needs an allowance first; ETH goes with the call and needs none.
 */
import type { TFunction } from "i18next";
import { erc20Abi, type Address } from "viem";
import { queryKeys } from "../../hooks/queries.ts";
import type { StepPlan } from "../../hooks/useSteps.ts";
import { contractCall, type useTx } from "../../hooks/useTx.tsx";

export function budgetApprovalStep({
  t,
  tx,
  token,
  spender,
  amount,
  allowance,
  shown,
}: {
  t: TFunction;
  tx: ReturnType<typeof useTx>;
  /** The budget's token, or undefined for ETH. */
  token: { address: Address; symbol: string } | undefined;
  spender: Address;
  amount: bigint;
  allowance: bigint | undefined;
  /** The amount as the page shows it. */
  shown: string;
}): StepPlan {
  return {
    label: t("recycler.post.stepApprove", { amount: shown }),
    skip: !token
      ? t("recycler.post.noApprovalEth")
      : (allowance ?? 0n) >= amount
        ? t("sell.list.alreadyApproved")
        : false,
    run: async () =>
      !!(await tx.send(contractCall(token!.address, erc20Abi, "approve", [spender, amount]), {
        label: t("buy.tx.approve", { token: token!.symbol }),
        invalidates: [queryKeys.balances],
      })),
  };
}
