/** One order as its buyer or seller sees it, with the next actions it allows right now. */
import { useState } from "react";
import type { Address, Hex } from "viem";
import { voucherExchangeAbi, voucherTokenAbi } from "../generated/contracts.ts";
import { fetchSealedCode, type OrderDetails } from "../chain/reads.ts";
import { queryKeys, useClient, useDeployment } from "../hooks/queries.ts";
import { useKeys } from "../hooks/useKeys.ts";
import { href } from "../hooks/useRoute.ts";
import { contractCall, useTx } from "../hooks/useTx.tsx";
import { commitment, fromBytes32, openCode, sealCode, toBytes32, type DeliveryCheck } from "../lib/codeDelivery.ts";
import { formatFaceValue, formatToken, formatUnits, type TokenInfo } from "../lib/format.ts";
import { validatePrice } from "../lib/validation.ts";
import type { Brand } from "../lib/market.ts";
import {
  ACTION_LABELS,
  nextStep,
  STATUS_LABELS,
  STATUS_TONES,
  Status,
  type OrderAction,
  type Role,
} from "../lib/orders.ts";
import { RevealCode } from "./Reveal.tsx";
import { AddressText, Badge, Field, Steps, TxStatus, type Step } from "./ui.tsx";
import { VoucherTile } from "./VoucherTile.tsx";

const ORDER_CHANGES = [
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
  const d = useDeployment();
  const client = useClient();
  const keys = useKeys();
  const tx = useTx();
  const [steps, setSteps] = useState<Step[]>([]);
  const [revealing, setRevealing] = useState(false);
  const [revealed, setRevealed] = useState<DeliveryCheck>();
  const [confirmDispute, setConfirmDispute] = useState(false);
  const [repricing, setRepricing] = useState(false);
  const [newPrice, setNewPrice] = useState("");
  const [priceError, setPriceError] = useState<string>();
  const { trade } = order;
  const step = nextStep(trade, role, now);
  const codeHash = order.voucher?.codeHash;
  const counterparty = role === "seller" ? order.buyer : trade.seller;

  const simple = (action: "confirm" | "finalize" | "cancelUndelivered" | "expireDispute" | "cancelListing") =>
    tx.send(contractCall(d.voucherExchange, voucherExchangeAbi, action, [order.id]), {
      label: `${ACTION_LABELS[action]} · order #${order.id}`,
      invalidates: ORDER_CHANGES,
    });

  /** Seller: open the code from its own vault, check it, seal it to the buyer's order key, post it. */
  const deliver = async () => {
    const plan: Step[] = [
      { label: "Unlock your vault key (a free signature)", state: "active" },
      { label: "Seal the code to the buyer's order key", state: "todo" },
      { label: "Post the sealed code on-chain", state: "todo" },
    ];
    const set = (i: number, state: Step["state"], detail?: string) => {
      plan[i] = { ...plan[i], state, detail };
      setSteps([...plan]);
    };
    setSteps([...plan]);
    const vault = await keys.derive("vault");
    if (!vault) return set(0, "error", "The signature was not given.");
    set(0, "done");
    set(1, "active");
    let ciphertext: Hex;
    try {
      const sealed = await fetchSealedCode(client, d, trade.tokenId, account);
      if (!sealed) throw new Error("No code was sealed to your vault for this voucher.");
      const { code, salt } = openCode(sealed, vault.secretKey);
      if (codeHash && commitment(code, salt) !== codeHash.toLowerCase()) {
        throw new Error("The code in your vault does not match this voucher's commitment.");
      }
      if (!order.buyerKey) throw new Error("The order has no buyer key.");
      ciphertext = sealCode(code, salt, fromBytes32(order.buyerKey));
    } catch (error) {
      return set(1, "error", (error as Error).message);
    }
    set(1, "done");
    set(2, "active");
    const receipt = await tx.send(
      contractCall(d.voucherExchange, voucherExchangeAbi, "deliverCode", [order.id, ciphertext]),
      {
        label: `Deliver code · order #${order.id}`,
        invalidates: ORDER_CHANGES,
      },
    );
    set(2, receipt ? "done" : "error");
  };

  /** Buyer: publish the order's secret key so anyone (the arbiter first) can check the delivery. */
  const dispute = async () => {
    setConfirmDispute(false);
    const pair = await keys.derive(`order:${order.id}`);
    if (!pair) return;
    await tx.send(
      contractCall(d.voucherExchange, voucherExchangeAbi, "dispute", [order.id, toBytes32(pair.secretKey)]),
      {
        label: `Dispute · order #${order.id}`,
        invalidates: ORDER_CHANGES,
      },
    );
  };

  /** Buyer, after completion: re-seal the code to its own vault key so it can be revealed without the order. */
  const saveToVault = async () => {
    if (!revealed?.ok) return;
    const vault = await keys.derive("vault");
    if (!vault) return;
    await tx.send(
      contractCall(d.voucherToken, voucherTokenAbi, "sealCode", [
        trade.tokenId,
        sealCode(revealed.code, revealed.salt, vault.publicKey),
      ]),
      {
        label: `Save code of voucher #${trade.tokenId} to your vault`,
        invalidates: [queryKeys.vouchers, queryKeys.wallets],
      },
    );
  };

  /** Seller: change a listing's price (checked in the form first; the buyer's maxPrice guards against a raise). */
  const reprice = async () => {
    if (!token) return;
    const checked = validatePrice(newPrice, token);
    if (!checked.ok) return setPriceError(checked.error);
    setPriceError(undefined);
    const receipt = await tx.send(
      contractCall(d.voucherExchange, voucherExchangeAbi, "updatePrice", [order.id, checked.value]),
      {
        label: `Change price · listing #${order.id}`,
        invalidates: [queryKeys.listings, queryKeys.wallets, queryKeys.vouchers, queryKeys.quotes],
      },
    );
    if (receipt) setRepricing(false);
  };

  const run = (action: OrderAction) => {
    switch (action) {
      case "updatePrice":
        setNewPrice(token ? formatUnits(trade.price, token.decimals, token.decimals).replace(/,/g, "") : "");
        return setRepricing(true);
      case "deliver":
        return deliver();
      case "reveal":
        return setRevealing(true);
      case "dispute":
        return setConfirmDispute(true);
      case "confirm":
      case "finalize":
      case "cancelUndelivered":
      case "expireDispute":
      case "cancelListing":
        return simple(action);
      default:
        return undefined;
    }
  };

  const buttons = step.actions.filter(
    (a) => a !== "buy" && a !== "resolve" && !(a === "reveal" && revealing) && !(a === "updatePrice" && repricing),
  );
  const quiet = (action: OrderAction) => action === "updatePrice" || action === "cancelListing";
  return (
    <article
      className="order"
      data-testid="order"
      data-order={order.id.toString()}
      data-status={trade.status}
      data-role={role}
    >
      <div className="order-main">
        <VoucherTile brand={brand} faceValue={order.voucher?.faceValue ?? 0n} small />
        <div className="order-info">
          <div className="order-title">
            <a href={href("voucher", trade.tokenId)}>
              {brand?.name ?? "Voucher"}{" "}
              {brand && order.voucher ? formatFaceValue(order.voucher.faceValue, brand.currency) : ""}
            </a>
            <Badge tone={STATUS_TONES[trade.status]}>{STATUS_LABELS[trade.status]}</Badge>
            {trade.issuerBacked && <Badge tone="success">Issuer-backed</Badge>}
          </div>
          <div className="muted small">
            {trade.status === Status.Listed ? "Listing" : "Order"} #{order.id.toString()} ·{" "}
            {token ? formatToken(trade.price, token) : trade.price.toString()} ·{" "}
            {role === "seller" ? "buyer" : "seller"} <AddressText address={counterparty} />
          </div>
          <p className="order-note">{step.note}</p>
        </div>
        <div className="order-actions">
          {buttons.map((action, i) => (
            <button
              key={action}
              type="button"
              className={`btn btn-small ${
                i === 0 && !quiet(action) ? "btn-primary" : action === "dispute" ? "btn-danger-ghost" : ""
              }`}
              data-action={action}
              disabled={tx.busy || keys.signing}
              onClick={() => run(action)}
            >
              {ACTION_LABELS[action]}
            </button>
          ))}
        </div>
      </div>
      {repricing && token && (
        <div className="reprice">
          <Field label={`New price (${token.symbol})`} error={priceError}>
            <input
              inputMode="decimal"
              value={newPrice}
              onChange={(e) => setNewPrice(e.target.value)}
              aria-label="New price"
            />
          </Field>
          <button type="button" className="btn btn-small btn-primary" onClick={reprice} disabled={tx.busy}>
            Save price
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setRepricing(false)}>
            Keep it
          </button>
        </div>
      )}
      {confirmDispute && (
        <div className="alert alert-danger">
          Disputing publishes this order's key, so anyone can decrypt the delivered code and check it against the
          commitment. The arbiter then rules: refund or release.
          <div className="row-gap">
            <button type="button" className="btn btn-small btn-danger" onClick={dispute} data-action="dispute-confirm">
              Publish key and dispute
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirmDispute(false)}>
              Keep the order
            </button>
          </div>
        </div>
      )}
      {revealing && codeHash && (
        <div className="order-reveal">
          <RevealCode
            source={{ purpose: `order:${order.id}`, load: async () => order.delivery, codeHash }}
            onResult={setRevealed}
          />
          {revealed && !revealed.ok && trade.status === Status.Delivered && now <= trade.deadline && (
            <button type="button" className="btn btn-small btn-danger" onClick={() => setConfirmDispute(true)}>
              Dispute this delivery
            </button>
          )}
          {revealed?.ok && trade.status === Status.Completed && (
            <button type="button" className="btn btn-small btn-ghost" onClick={saveToVault} disabled={tx.busy}>
              Save code to my vault
            </button>
          )}
        </div>
      )}
      <Steps steps={steps} />
      {keys.error && <p className="field-message">{keys.error}</p>}
      <TxStatus state={tx.state} />
    </article>
  );
}
