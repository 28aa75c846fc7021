/**
 * The step before vouchers leave the holder (listing them, or selling them into an offer): the exchange moves them by
 * `transferFrom`, so it needs the holder's approval for all of its vouchers once.
 */
import { voucherTokenAbi, type Deployment } from "#sdk";
import type { TFunction } from "i18next";
import { queryKeys } from "../../hooks/queries.ts";
import type { StepPlan } from "../../hooks/useSteps.ts";
import { contractCall, type useTx } from "../../hooks/useTx.tsx";

export function voucherApprovalStep({
  t,
  tx,
  deployment,
  approved,
}: {
  t: TFunction;
  tx: ReturnType<typeof useTx>;
  deployment: Deployment;
  /** The holder has already approved the exchange. */
  approved: boolean | undefined;
}): StepPlan {
  return {
    label: t("sell.list.stepApprove"),
    skip: approved ? t("sell.list.alreadyApproved") : false,
    run: async () =>
      !!(await tx.send(
        contractCall(deployment.voucherToken, voucherTokenAbi, "setApprovalForAll", [deployment.voucherExchange, true]),
        { label: t("sell.list.approveTx"), invalidates: [queryKeys.wallets] },
      )),
  };
}
