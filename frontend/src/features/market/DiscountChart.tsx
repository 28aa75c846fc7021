/** Average sale discount per day as a small SVG line chart (no chart library). */
import { useTranslation } from "react-i18next";
import { formatDate, formatPercent } from "../../lib/format.ts";
import type { DiscountPoint } from "../../lib/market.ts";

const W = 360;
const H = 150;
const PAD = { top: 12, right: 12, bottom: 24, left: 40 };

export function DiscountChart({ points, title }: { points: DiscountPoint[]; title: string }) {
  const { t } = useTranslation();
  if (points.length === 0) {
    return (
      <figure className="chart chart-empty">
        <figcaption>{title}</figcaption>
        <p className="muted small">{t("market.chart.empty")}</p>
      </figure>
    );
  }
  const values = points.map((p) => p.averageDiscount);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0.05, ...values);
  const x = (i: number) =>
    PAD.left +
    (points.length === 1 ? (W - PAD.left - PAD.right) / 2 : (i / (points.length - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const path = points
    .map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p.averageDiscount).toFixed(1)}`)
    .join(" ");
  const ticks = [lo, (lo + hi) / 2, hi];
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(tick)} y2={y(tick)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" className="chart-label">
              {formatPercent(tick)}
            </text>
          </g>
        ))}
        <path d={path} className="chart-line" />
        {points.map((p, i) => (
          <circle key={p.day} cx={x(i)} cy={y(p.averageDiscount)} r={3.5} className="chart-dot">
            <title>
              {t("market.chart.point", {
                date: formatDate(p.day),
                discount: formatPercent(p.averageDiscount),
                count: p.sales,
              })}
            </title>
          </circle>
        ))}
        <text x={PAD.left} y={H - 6} className="chart-label">
          {formatDate(points[0].day)}
        </text>
        {points.length > 1 && (
          <text x={W - PAD.right} y={H - 6} textAnchor="end" className="chart-label">
            {formatDate(points[points.length - 1].day)}
          </text>
        )}
      </svg>
    </figure>
  );
}
