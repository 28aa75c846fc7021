/** A compact card face for lists (the voucher page shows the on-chain SVG itself). */
import type { Brand } from "../lib/market.ts";
import { formatFaceValue } from "../lib/format.ts";

const PALETTES = [
  ["#b91c1c", "#f59e0b"],
  ["#1d4ed8", "#06b6d4"],
  ["#047857", "#84cc16"],
  ["#7c3aed", "#ec4899"],
  ["#0f172a", "#64748b"],
  ["#c2410c", "#facc15"],
];

export function VoucherTile({
  brand,
  faceValue,
  small,
}: {
  brand: Brand | undefined;
  faceValue: bigint;
  small?: boolean;
}) {
  const [from, to] = PALETTES[(brand?.id ?? 0) % PALETTES.length];
  return (
    <div
      className={`tile${small ? " tile-small" : ""}`}
      style={{ background: `linear-gradient(135deg, ${from}, ${to})` }}
    >
      {!small && <span className="tile-brand">{brand?.name ?? "Unknown brand"}</span>}
      <span className="tile-value">{brand ? formatFaceValue(faceValue, brand.currency) : faceValue.toString()}</span>
    </div>
  );
}
