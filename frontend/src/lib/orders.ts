/**
 * An order's state as a person reads it: labels and tones per status, and the next step for each party, worded. The
 * state machine itself (phases, deadlines, who may do what) is the SDK's (`orderPhase`, `nextActions`). Pure.
 */
import {
  nextActions,
  orderPhase,
  Status,
  type OrderAction,
  type OrderPhase,
  type Role,
  type StatusName,
  type Trade,
} from "#sdk";
import { formatDateTime, formatDuration } from "./format.ts";

export { roleOf, Status, type OrderAction, type Role, type StatusCode } from "#sdk";

export type Tone = "neutral" | "info" | "warning" | "success" | "danger";

/** How each status shows: its label and the tone of its badge. */
const SHOWN: Record<StatusName, readonly [label: string, tone: Tone]> = {
  None: ["Unknown", "neutral"],
  Listed: ["Listed", "info"],
  Cancelled: ["Cancelled", "neutral"],
  AwaitingDelivery: ["Awaiting delivery", "warning"],
  Delivered: ["Code delivered", "info"],
  Disputed: ["Disputed", "danger"],
  Completed: ["Completed", "success"],
  Refunded: ["Refunded", "neutral"],
};
const byCode = <T>(pick: (shown: readonly [string, Tone]) => T): Record<number, T> =>
  Object.fromEntries((Object.keys(SHOWN) as StatusName[]).map((name) => [Status[name], pick(SHOWN[name])]));

export const STATUS_LABELS: Record<number, string> = byCode(([label]) => label);
export const STATUS_TONES: Record<number, Tone> = byCode(([, tone]) => tone);

/** The fields of a trade the UI reads. */
export type TradeView = Pick<
  Trade,
  "seller" | "buyer" | "tokenId" | "status" | "issuerBacked" | "deadline" | "payToken" | "price" | "feeBps"
>;

export const ACTION_LABELS: Record<OrderAction, string> = {
  buy: "Buy",
  updatePrice: "Change price",
  cancelListing: "Cancel listing",
  deliver: "Deliver code",
  cancelUndelivered: "Cancel and refund",
  reveal: "Reveal code",
  confirm: "Confirm receipt",
  dispute: "Dispute",
  finalize: "Finalize",
  resolve: "Resolve dispute",
  expireDispute: "Close expired dispute",
};

export interface NextStep {
  /** Actions in order of importance; the first one is the primary button. */
  actions: OrderAction[];
  /** One sentence: what happens next and by when. */
  note: string;
}

/** What each phase means to `role`; `left` is the time left in the open window, worded. */
const NOTES: Record<OrderPhase, (role: Role, left: string) => string> = {
  listed: (role) =>
    role === "seller" ? "Listed for sale: the voucher is held by the exchange until it sells." : "For sale.",
  awaitingDelivery: (role, left) =>
    role === "seller"
      ? `Deliver the code to the buyer: ${left}.`
      : `Waiting for the seller to deliver the code: ${left}.`,
  deliveryMissed: () => "The seller missed the delivery deadline: anyone can cancel, the buyer is refunded in full.",
  delivered: (role, left) =>
    role === "buyer"
      ? `Reveal the code and check it, then confirm or dispute: ${left}.`
      : `Code delivered; the buyer is checking it: ${left}.`,
  confirmWindowPassed: () => "The confirm window has passed without a dispute: anyone can finalize and pay the seller.",
  disputed: (_, left) => `The arbiter is reviewing the evidence: ${left}.`,
  arbitrationMissed: () => "The arbiter did not rule in time: anyone can close the dispute, the buyer is refunded.",
  completed: (role) => (role === "seller" ? "Sold and paid." : "Completed: the voucher is the buyer's."),
  refunded: () => "Refunded: the buyer got the price back, the voucher went back to the seller.",
  cancelled: () => "Listing withdrawn.",
  unknown: () => "Unknown trade.",
};

/** What `role` can do on `trade` at chain time `now` (unix seconds), with a sentence saying so. */
export function nextStep(trade: TradeView, role: Role, now: number): NextStep {
  const left = `${formatDuration(trade.deadline - now)} left (until ${formatDateTime(trade.deadline)})`;
  return { actions: nextActions(trade, role, now), note: NOTES[orderPhase(trade, now)](role, left) };
}
