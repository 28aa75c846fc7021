/** A compact card face for lists (the voucher page shows the on-chain SVG itself). */
import { useBrandText } from "../i18n/hooks.ts";
import { formatFaceValue } from "../lib/format.ts";
import type { Brand } from "../lib/market.ts";

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
  const text = useBrandText();
  const [from, to] = PALETTES[(brand?.id ?? 0) % PALETTES.length];
  return (
    <div
      className={`tile${small ? " tile-small" : ""}`}
      style={{ background: `linear-gradient(135deg, ${from}, ${to})` }}
      aria-hidden={small}
    >
      {!small && <span className="tile-brand">{text.name(brand)}</span>}
      <span className="tile-value">{brand ? formatFaceValue(faceValue, brand.currency) : faceValue.toString()}</span>
    </div>
  );
}
