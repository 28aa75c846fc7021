/** One order (or listing) as its buyer or seller sees it, with the next actions it allows right now. */
import {
  getDisputeTerms,
  voucherExchangeAbi,
  voucherTokenAbi,
  commitmentsOf,
  fromBytes32,
  prepareDelivery,
  sealCode,
  sealEvidence,
  type DeliveryCheck,
} from "#sdk";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { erc20Abi, zeroAddress, zeroHash, type Address, type Hex } from "viem";
import { Money } from "../../components/Money.tsx";
import { AddressText, Badge, ConfirmButton, Steps, TxStatus } from "../../components/ui.tsx";
import { VoucherTile } from "../../components/VoucherTile.tsx";
import { fetchSealedCode, type OrderDetails } from "../../chain/reads.ts";
import { queryKeys, useClient, useDeployment } from "../../hooks/queries.ts";
import { useKeys } from "../../hooks/useKeys.ts";
import { href } from "../../hooks/useRoute.ts";
import { useSteps } from "../../hooks/useSteps.ts";
import { contractCall, useTx } from "../../hooks/useTx.tsx";
import { useBrandText, useErrorText, useLanguage } from "../../i18n/hooks.ts";
import { formatFaceValue, type TokenInfo } from "../../lib/format.ts";
import type { Brand } from "../../lib/market.ts";
import { formatMoney } from "../../lib/money.ts";
import { nextStep, STATUS_TONES, Status, type OrderAction, type Role } from "../../lib/orders.ts";
import { demoAccountOf } from "../../app/demoAccounts.ts";
import { orderNote, statusKey } from "./orderNote.ts";
import { RepriceForm } from "./RepriceForm.tsx";
import { RevealCode } from "./Reveal.tsx";
import "./orders.css";

export const ORDER_CHANGES = [
  queryKeys.trades,
  queryKeys.wallets,
  queryKeys.vouchers,
  queryKeys.listings,
  queryKeys.sales,
  queryKeys.balances,
  queryKeys.distributions,
  queryKeys.disputes,
];

export function OrderCard({
  order,
  role,
  now,
  brand,
  token,
  account,
}: {
  order: OrderDetails;
  role: Role;
  now: number;
  brand: Brand | undefined;
  token: TokenInfo | undefined;
  account: Address;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const brandText = useBrandText();
  const errorText = useErrorText();
  const d = useDeployment();
  const client = useClient();
  const keys = useKeys();
  const tx = useTx();
  const flow = useSteps(errorText);
  const [revealing, setRevealing] = useState(false);
  const [revealed, setRevealed] = useState<DeliveryCheck>();
  const [repricing, setRepricing] = useState(false);
  const { trade } = order;
  const id = order.id.toString();
  const step = nextStep(trade, role, now);
  const note = orderNote(trade, role, now, language);
  const commitments = commitmentsOf(order.voucher);
  const counterparty = role === "seller" ? order.buyer : trade.seller;
  const price = token ? formatMoney(trade.price, token) : trade.price.toString();

  const simple = (action: "finalize" | "cancelUndelivered" | "expireDispute" | "cancelListing" | "confirm") =>
    tx.send(contractCall(d.voucherExchange, voucherExchangeAbi, action, [order.id]), {
      label: t(`orders.tx.${action}`, { id }),
      invalidates: ORDER_CHANGES,
    });

  /** Seller: open the card from its own vault, check it, seal it to the buyer's order key, post it. */
  const deliver = () => {
    let vault: Awaited<ReturnType<typeof keys.derive>>;
    let ciphertext: Hex;
    return flow.run([
      {
        label: t("orders.deliver.unlock"),
        run: async () => {
          vault = await keys.derive("vault");
          return vault ? true : t("common.signatureMissing");
        },
      },
      {
        label: t("orders.deliver.seal"),
        run: async () => {
          const sealed = await fetchSealedCode(client, d, trade.tokenId, account);
          if (!sealed) return t("orders.deliver.noVaultCode");
          if (!order.buyerKey || !commitments) return t("orders.deliver.noBuyerKey");
          try {
            ciphertext = prepareDelivery(sealed, vault!.secretKey, commitments, order.buyerKey);
          } catch (error) {
            return /cannot be opened/.test((error as Error).message)
              ? t("orders.deliver.vaultUnreadable")
              : t("orders.deliver.vaultMismatch");
          }
        },
      },
      {
        label: t("orders.deliver.post"),
        run: async () =>
          !!(await tx.send(contractCall(d.voucherExchange, voucherExchangeAbi, "deliverCode", [order.id, ciphertext]), {
            label: t("orders.tx.deliver", { id }),
            invalidates: ORDER_CHANGES,
          })),
      },
    ]);
  };

  // What a dispute costs (the bond, in the order's token) and where its evidence goes (the arbiter's key).
  const disputeTerms = useQuery({
    queryKey: [...queryKeys.trade(order.id), "disputeTerms"],
    enabled: role === "buyer" && trade.status === Status.Delivered,
    queryFn: () => getDisputeTerms({ publicClient: client, deployment: d }, order.id),
  });
  const bondText = disputeTerms.data && token ? formatMoney(disputeTerms.data.bond, token) : "…";

  /**
   * Buyer: pay the bond (approved first for a token) and seal this order's key to the arbiter's published key, so the
   * arbiter alone can open the delivery; the public sees only sealed bytes.
   */
  const dispute = () => {
    let evidence: Hex;
    return flow.run([
      {
        label: t("orders.dispute.stepSeal"),
        run: async () => {
          const terms = disputeTerms.data ?? (await disputeTerms.refetch()).data;
          if (!terms) return t("orders.dispute.noTerms");
          if (terms.arbiterKey === zeroHash) return t("errors.contract.NoArbiterKey");
          const pair = await keys.derive(`order:${order.id}`);
          if (!pair) return t("common.signatureMissing");
          evidence = sealEvidence(pair.secretKey, fromBytes32(terms.arbiterKey));
        },
      },
      {
        label: t("orders.dispute.stepApprove", { amount: bondText }),
        skip: trade.payToken === zeroAddress ? t("orders.dispute.noApproval") : false,
        run: async () => {
          const allowance = await client.readContract({
            address: trade.payToken,
            abi: erc20Abi,
            functionName: "allowance",
            args: [account, d.voucherExchange],
          });
          if (allowance >= disputeTerms.data!.bond) return true;
          return !!(await tx.send(
            contractCall(trade.payToken, erc20Abi, "approve", [d.voucherExchange, disputeTerms.data!.bond]),
            { label: t("buy.tx.approve", { token: token?.symbol ?? "" }), invalidates: [queryKeys.balances] },
          ));
        },
      },
      {
        label: t("orders.dispute.stepDispute", { amount: bondText }),
        run: async () => {
          const bond = disputeTerms.data!.bond;
          const value = trade.payToken === zeroAddress ? bond : undefined;
          return !!(await tx.send(
            contractCall(d.voucherExchange, voucherExchangeAbi, "dispute", [order.id, evidence], value),
            { label: t("orders.tx.dispute", { id }), invalidates: ORDER_CHANGES },
          ));
        },
      },
    ]);
  };

  /** Buyer, after completion: re-seal the card to its own vault key so it can be revealed without the order. */
  const saveToVault = async () => {
    if (!revealed?.ok || !revealed.card) return;
    const vault = await keys.derive("vault");
    if (!vault) return;
    await tx.send(
      contractCall(d.voucherToken, voucherTokenAbi, "sealCode", [
        trade.tokenId,
        sealCode(revealed.card, revealed.card.salt, vault.publicKey),
      ]),
      {
        label: t("orders.tx.saveToVault", { id: trade.tokenId.toString() }),
        invalidates: [queryKeys.vouchers, queryKeys.wallets],
      },
    );
  };

  const busy = tx.busy || keys.signing || flow.running;
  const disputeOpen = trade.status === Status.Delivered && now <= trade.deadline;
  const disputeButton = (label: string, action = "dispute") => (
    <ConfirmButton
      key={action}
      action={action}
      label={label}
      className="btn btn-small btn-danger-ghost"
      title={t("orders.dispute.title")}
      confirmLabel={t("orders.dispute.confirm")}
      cancelLabel={t("orders.dispute.cancel")}
      onConfirm={dispute}
      disabled={busy}
      tone="danger"
    >
      {t("orders.dispute.body", { bond: bondText })}
    </ConfirmButton>
  );

  const button = (action: OrderAction, primary: boolean) => {
    const className = `btn btn-small${primary ? " btn-primary" : ""}`;
    switch (action) {
      case "confirm":
        return (
          <ConfirmButton
            key={action}
            action="confirm"
            label={t("orders.action.confirm")}
            className={className}
            confirmClassName="btn btn-small btn-primary"
            title={t("orders.confirmReceipt.title")}
            confirmLabel={t("orders.confirmReceipt.confirm", { price })}
            cancelLabel={t("orders.confirmReceipt.cancel")}
            onConfirm={() => simple("confirm")}
            disabled={busy}
          >
            {revealed?.ok
              ? t("orders.confirmReceipt.checked", { price })
              : t("orders.confirmReceipt.notRevealed", { price })}
          </ConfirmButton>
        );
      case "dispute":
        return disputeButton(t("orders.action.dispute"));
      case "deliver":
        return (
          <button
            key={action}
            type="button"
            className={className}
            data-action={action}
            disabled={busy}
            onClick={deliver}
          >
            {t("orders.action.deliver")}
          </button>
        );
      case "reveal":
        return (
          <button
            key={action}
            type="button"
            className={className}
            data-action={action}
            disabled={busy}
            onClick={() => setRevealing(true)}
          >
            {t("orders.action.reveal")}
          </button>
        );
      case "updatePrice":
        return (
          <button
            key={action}
            type="button"
            className="btn btn-small"
            data-action={action}
            disabled={busy || !token}
            onClick={() => setRepricing(true)}
          >
            {t("orders.action.updatePrice")}
          </button>
        );
      case "finalize":
      case "cancelUndelivered":
      case "expireDispute":
      case "cancelListing":
        return (
          <button
            key={action}
            type="button"
            className={action === "cancelListing" ? "btn btn-small btn-ghost" : className}
            data-action={action}
            disabled={busy}
            onClick={() => simple(action)}
          >
            {t(`orders.action.${action}`)}
          </button>
        );
      default:
        return null;
    }
  };

  const actions = step.actions.filter(
    (a) => a !== "buy" && a !== "resolve" && !(a === "reveal" && revealing) && !(a === "updatePrice" && repricing),
  );
  return (
    <article className="order" data-testid="order" data-order={id} data-status={trade.status} data-role={role}>
      <div className="order-main">
        <VoucherTile brand={brand} faceValue={order.voucher?.faceValue ?? 0n} small />
        <div className="order-info">
          <div className="order-title">
            <a href={href("voucher", trade.tokenId)}>
              {brandText.name(brand)}{" "}
              {brand && order.voucher ? formatFaceValue(order.voucher.faceValue, brand.currency) : ""}
            </a>
            <Badge tone={STATUS_TONES[trade.status]}>{t(`orders.status.${statusKey(trade.status)}`)}</Badge>
            {trade.issuerBacked && <Badge tone="success">{t("voucher.kind.issuerBacked")}</Badge>}
          </div>
          <div className="muted small">
            {t(trade.status === Status.Listed ? "orders.listingNumber" : "orders.orderNumber", { id })} ·{" "}
            <Money value={trade.price} token={token} currency={brand?.currency} />
            {counterparty && (
              <>
                {" "}
                · {t(role === "seller" ? "orders.buyer" : "orders.seller")}{" "}
                <AddressText address={counterparty} name={demoAccountOf(counterparty)?.name} />
              </>
            )}
          </div>
          <p className="order-note">{t(`orders.note.${note.key}`, note.values)}</p>
        </div>
        {actions.length > 0 && (
          <div className="order-actions">{actions.map((action, i) => button(action, i === 0))}</div>
        )}
      </div>
      {repricing && token && (
        <RepriceForm tradeId={order.id} price={trade.price} token={token} tx={tx} onDone={() => setRepricing(false)} />
      )}
      {revealing && commitments && (
        <div className="order-reveal">
          <RevealCode
            source={{ purpose: `order:${order.id}`, load: async () => order.delivery, voucher: commitments }}
            onResult={setRevealed}
          />
          {revealed &&
            !revealed.ok &&
            disputeOpen &&
            disputeButton(t("orders.dispute.thisDelivery"), "disputeDelivery")}
          {revealed?.ok && trade.status === Status.Completed && (
            <button type="button" className="btn btn-small btn-ghost" onClick={saveToVault} disabled={busy}>
              {t("orders.saveToVault")}
            </button>
          )}
        </div>
      )}
      <Steps steps={flow.steps} />
      {keys.error && <p className="field-message">{t("common.signatureMissing")}</p>}
      <TxStatus state={tx.state} />
    </article>
  );
}
