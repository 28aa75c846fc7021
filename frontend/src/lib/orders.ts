/**
 * An order's state as a person reads it, and the next actions each party can take right now. Mirrors the
 * exchange's state machine and deadlines (a window is open while now <= deadline; a timed exit needs now >
 * deadline). Pure: no React, no browser APIs.
 */
import type { Address } from "viem";
import { formatDateTime, formatDuration } from "./format.ts";

/** IVoucherExchange.Status, in declaration order. */
export const Status = {
  None: 0,
  Listed: 1,
  Cancelled: 2,
  AwaitingDelivery: 3,
  Delivered: 4,
  Disputed: 5,
  Completed: 6,
  Refunded: 7,
} as const;
export type StatusCode = (typeof Status)[keyof typeof Status];

export const STATUS_LABELS: Record<number, string> = {
  0: "Unknown",
  1: "Listed",
  2: "Cancelled",
  3: "Awaiting delivery",
  4: "Code delivered",
  5: "Disputed",
  6: "Completed",
  7: "Refunded",
};

export type Tone = "neutral" | "info" | "warning" | "success" | "danger";

export const STATUS_TONES: Record<number, Tone> = {
  0: "neutral",
  1: "info",
  2: "neutral",
  3: "warning",
  4: "info",
  5: "danger",
  6: "success",
  7: "neutral",
};

/** The fields of IVoucherExchange.Trade the UI reads. */
export interface TradeView {
  seller: Address;
  buyer: Address;
  tokenId: bigint;
  status: number;
  issuerBacked: boolean;
  deadline: number;
  payToken: Address;
  price: bigint;
  feeBps: number;
}

export type OrderAction =
  | "buy"
  | "updatePrice"
  | "cancelListing"
  | "deliver"
  | "cancelUndelivered"
  | "reveal"
  | "confirm"
  | "dispute"
  | "finalize"
  | "resolve"
  | "expireDispute";

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

export type Role = "seller" | "buyer" | "arbiter" | "other";

export function roleOf(
  trade: Pick<TradeView, "seller" | "buyer">,
  account: Address | undefined,
  arbiter?: Address,
): Role {
  const me = account?.toLowerCase();
  if (!me) return "other";
  if (trade.seller.toLowerCase() === me) return "seller";
  if (trade.buyer.toLowerCase() === me) return "buyer";
  if (arbiter && arbiter.toLowerCase() === me) return "arbiter";
  return "other";
}

export interface NextStep {
  /** Actions in order of importance; the first one is the primary button. */
  actions: OrderAction[];
  /** One sentence: what happens next and by when. */
  note: string;
}

function until(deadline: number, now: number): string {
  return `${formatDuration(deadline - now)} left (until ${formatDateTime(deadline)})`;
}

/** What `role` can do on `trade` at chain time `now` (unix seconds). */
export function nextStep(trade: TradeView, role: Role, now: number): NextStep {
  const open = now <= trade.deadline;
  switch (trade.status) {
    case Status.Listed:
      return role === "seller"
        ? {
            actions: ["updatePrice", "cancelListing"],
            note: "Listed for sale: the voucher is held by the exchange until it sells.",
          }
        : { actions: ["buy"], note: "For sale." };
    case Status.AwaitingDelivery:
      if (!open) {
        return {
          actions: ["cancelUndelivered"],
          note: "The seller missed the delivery deadline: anyone can cancel, the buyer is refunded in full.",
        };
      }
      if (role === "seller") {
        return { actions: ["deliver"], note: `Deliver the code to the buyer: ${until(trade.deadline, now)}.` };
      }
      return { actions: [], note: `Waiting for the seller to deliver the code: ${until(trade.deadline, now)}.` };
    case Status.Delivered:
      if (!open) {
        return {
          actions: role === "buyer" ? ["finalize", "reveal"] : ["finalize"],
          note: "The confirm window has passed without a dispute: anyone can finalize and pay the seller.",
        };
      }
      if (role === "buyer") {
        return {
          actions: ["reveal", "confirm", "dispute"],
          note: `Reveal the code and check it, then confirm or dispute: ${until(trade.deadline, now)}.`,
        };
      }
      return { actions: [], note: `Code delivered; the buyer is checking it: ${until(trade.deadline, now)}.` };
    case Status.Disputed:
      if (!open) {
        return {
          actions: ["expireDispute"],
          note: "The arbiter did not rule in time: anyone can close the dispute, the buyer is refunded.",
        };
      }
      return {
        actions: role === "arbiter" ? ["resolve"] : [],
        note: `The arbiter is reviewing the evidence: ${until(trade.deadline, now)}.`,
      };
    case Status.Completed:
      return {
        actions: role === "buyer" && !trade.issuerBacked ? ["reveal"] : [],
        note: role === "seller" ? "Sold and paid." : "Completed: the voucher is the buyer's.",
      };
    case Status.Refunded:
      return { actions: [], note: "Refunded: the buyer got the price back, the voucher went back to the seller." };
    case Status.Cancelled:
      return { actions: [], note: "Listing withdrawn." };
    default:
      return { actions: [], note: "Unknown trade." };
  }
}
