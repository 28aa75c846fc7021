/**
 * A trade's state machine as the contracts run it: which phase a trade is in at a chain time, and what each party
 * can do next. A window is open while `now <= deadline`; a timed exit needs `now > deadline`. Pure.
 */
import type { Address } from "viem";
import { Status } from "./constants.ts";
import type { Trade } from "./types.ts";

/** Where a trade stands, deadlines included. */
export type OrderPhase =
  | "listed"
  | "awaitingDelivery"
  /** The seller missed the delivery window: anyone can cancel, the buyer is refunded. */
  | "deliveryMissed"
  | "delivered"
  /** The confirm window passed without a dispute: anyone can finalize. */
  | "confirmWindowPassed"
  | "disputed"
  /** The arbiter did not rule in time: anyone can close the dispute. */
  | "arbitrationMissed"
  | "completed"
  | "refunded"
  | "cancelled"
  | "unknown";

/** What a party can do on a trade: an exchange function, or `reveal` (open the delivered code locally). */
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

export type Role = "seller" | "buyer" | "arbiter" | "other";

/** The fields of a trade its state machine reads. */
export type TradeState = Pick<Trade, "status" | "deadline" | "issuerBacked">;

export function roleOf(trade: Pick<Trade, "seller" | "buyer">, account: Address | undefined, arbiter?: Address): Role {
  const me = account?.toLowerCase();
  if (!me) return "other";
  if (trade.seller.toLowerCase() === me) return "seller";
  if (trade.buyer.toLowerCase() === me) return "buyer";
  if (arbiter && arbiter.toLowerCase() === me) return "arbiter";
  return "other";
}

/** The phase of `trade` at chain time `now` (unix seconds). */
export function orderPhase(trade: TradeState, now: number): OrderPhase {
  const open = now <= trade.deadline;
  switch (trade.status) {
    case Status.Listed:
      return "listed";
    case Status.AwaitingDelivery:
      return open ? "awaitingDelivery" : "deliveryMissed";
    case Status.Delivered:
      return open ? "delivered" : "confirmWindowPassed";
    case Status.Disputed:
      return open ? "disputed" : "arbitrationMissed";
    case Status.Completed:
      return "completed";
    case Status.Refunded:
      return "refunded";
    case Status.Cancelled:
      return "cancelled";
    default:
      return "unknown";
  }
}

/** What `role` can do on `trade` at chain time `now`, most important first. */
export function nextActions(trade: TradeState, role: Role, now: number): OrderAction[] {
  const phase = orderPhase(trade, now);
  const actions: Record<OrderPhase, Partial<Record<Role | "anyone", OrderAction[]>>> = {
    listed: { seller: ["updatePrice", "cancelListing"], anyone: ["buy"] },
    awaitingDelivery: { seller: ["deliver"] },
    deliveryMissed: { anyone: ["cancelUndelivered"] },
    delivered: { buyer: ["reveal", "confirm", "dispute"] },
    confirmWindowPassed: { buyer: ["finalize", "reveal"], anyone: ["finalize"] },
    disputed: { arbiter: ["resolve"] },
    arbitrationMissed: { anyone: ["expireDispute"] },
    completed: { buyer: trade.issuerBacked ? [] : ["reveal"] },
    refunded: {},
    cancelled: {},
    unknown: {},
  };
  return actions[phase][role] ?? actions[phase].anyone ?? [];
}
