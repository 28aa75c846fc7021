/**
 * What an order's card says next, as a catalog key under `orders.note.` and its values: the same cases and deadlines
 * as lib/orders.ts `nextStep` (which picks the buttons), in words for each party. Pure: no React.
 */
import { formatDateTime, formatDuration } from "../../lib/format.ts";
import { Status, type Role, type TradeView } from "../../lib/orders.ts";

export type NoteKey =
  | "listedSeller"
  | "listed"
  | "deliveryMissed"
  | "deliverNow"
  | "awaitingDelivery"
  | "confirmWindowPassed"
  | "checkCode"
  | "buyerChecking"
  | "arbitrationMissed"
  | "underReview"
  | "soldAndPaid"
  | "completed"
  | "refunded"
  | "cancelled"
  | "unknown";

export interface Note {
  key: NoteKey;
  values: { left?: string; until?: string };
}

export function orderNote(
  trade: Pick<TradeView, "status" | "deadline">,
  role: Role,
  now: number,
  language = "en",
): Note {
  const open = now <= trade.deadline;
  const timed = { left: formatDuration(trade.deadline - now, language), until: formatDateTime(trade.deadline) };
  const note = (key: NoteKey, values: Note["values"] = {}): Note => ({ key, values });
  switch (trade.status) {
    case Status.Listed:
      return note(role === "seller" ? "listedSeller" : "listed");
    case Status.AwaitingDelivery:
      if (!open) return note("deliveryMissed");
      return note(role === "seller" ? "deliverNow" : "awaitingDelivery", timed);
    case Status.Delivered:
      if (!open) return note("confirmWindowPassed");
      return note(role === "buyer" ? "checkCode" : "buyerChecking", timed);
    case Status.Disputed:
      return open ? note("underReview", timed) : note("arbitrationMissed");
    case Status.Completed:
      return note(role === "seller" ? "soldAndPaid" : "completed");
    case Status.Refunded:
      return note("refunded");
    case Status.Cancelled:
      return note("cancelled");
    default:
      return note("unknown");
  }
}

/** The catalog key of a status badge (orders.status.*). */
export const STATUS_KEYS = {
  [Status.None]: "unknown",
  [Status.Listed]: "listed",
  [Status.Cancelled]: "cancelled",
  [Status.AwaitingDelivery]: "awaitingDelivery",
  [Status.Delivered]: "delivered",
  [Status.Disputed]: "disputed",
  [Status.Completed]: "completed",
  [Status.Refunded]: "refunded",
} as const;

export function statusKey(status: number): (typeof STATUS_KEYS)[keyof typeof STATUS_KEYS] {
  return STATUS_KEYS[status as keyof typeof STATUS_KEYS] ?? "unknown";
}
