// A delivery bot: as soon as one of the wallet's coded vouchers sells, it delivers the code from the wallet's vault.
import { watchContractEvent } from "viem/actions";
import { deliver, describeError, getTrade, Status, voucherExchangeAbi, type Kaquan } from "#sdk";

/** Watches purchases and delivers each of the wallet's sales; returns a function that stops watching. */
export function deliverCodes(kaquan: Kaquan, log: (message: string) => void): () => void {
  const seller = kaquan.walletClient.account.address;
  return watchContractEvent(kaquan.publicClient, {
    address: kaquan.deployment.voucherExchange,
    abi: voucherExchangeAbi,
    eventName: "Purchased",
    strict: true,
    onLogs: async (logs) => {
      for (const { args } of logs) {
        const trade = await getTrade(kaquan, args.tradeId);
        if (trade.seller !== seller || trade.status !== Status.AwaitingDelivery) continue;
        await deliver(kaquan, args.tradeId).then(
          (receipt) => log(`#${args.tradeId}: delivered in ${receipt.transactionHash}`),
          (error: unknown) => log(`#${args.tradeId}: ${describeError(error)}`),
        );
      }
    },
  });
}
