/**
 * What an order's card says next, as a catalog key under `orders.note.` and its values: the SDK's phase of the trade
 * (`orderPhase`, deadlines included), in words for each party. Pure: no React.
 */
import { orderPhase, type OrderPhase } from "#sdk";
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
  trade: Pick<TradeView, "status" | "deadline" | "issuerBacked">,
  role: Role,
  now: number,
  language = "en",
): Note {
  const timed = { left: formatDuration(trade.deadline - now, language), until: formatDateTime(trade.deadline) };
  const note = (key: NoteKey, values: Note["values"] = {}): Note => ({ key, values });
  // The phase (deadlines included) is the SDK's state machine; this only picks each party's words for it.
  const phase: OrderPhase = orderPhase(trade, now);
  switch (phase) {
    case "listed":
      return note(role === "seller" ? "listedSeller" : "listed");
    case "awaitingDelivery":
      return note(role === "seller" ? "deliverNow" : "awaitingDelivery", timed);
    case "delivered":
      return note(role === "buyer" ? "checkCode" : "buyerChecking", timed);
    case "disputed":
      return note("underReview", timed);
    case "completed":
      return note(role === "seller" ? "soldAndPaid" : "completed");
    case "deliveryMissed":
    case "confirmWindowPassed":
    case "arbitrationMissed":
    case "refunded":
    case "cancelled":
    case "unknown":
      return note(phase);
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
