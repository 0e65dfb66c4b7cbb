/** A plain inline-SVG bar chart: one bar per entry, labels below, values above. */
export interface Bar {
  label: string
  value: number
}

interface BarChartProps {
  title: string
  bars: Bar[]
  /** Shown above each bar; defaults to the number. */
  format?: (value: number) => string
}

const HEIGHT = 160
const BAR = 28
const GAP = 12
const TOP = 18
const BOTTOM = 36

export function BarChart({ title, bars, format = String }: BarChartProps) {
  if (bars.length === 0) {
    return (
      <figure className="chart">
        <figcaption>{title}</figcaption>
        <p className="muted small">Nothing yet.</p>
      </figure>
    )
  }
  const max = Math.max(1, ...bars.map((b) => b.value))
  const width = bars.length * (BAR + GAP) + GAP
  const plot = HEIGHT - TOP - BOTTOM
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        role="img"
        aria-label={`${title}: ${bars.map((b) => `${b.label} ${format(b.value)}`).join(', ')}`}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        width={width}
        height={HEIGHT}
        className="chart-svg"
      >
        <line x1={0} x2={width} y1={TOP + plot} y2={TOP + plot} className="chart-axis" />
        {bars.map((b, i) => {
          const h = Math.round((b.value / max) * plot)
          const x = GAP + i * (BAR + GAP)
          return (
            <g key={b.label}>
              <rect x={x} y={TOP + plot - h} width={BAR} height={h} rx={3} className="chart-bar">
                <title>{`${b.label}: ${format(b.value)}`}</title>
              </rect>
              <text x={x + BAR / 2} y={TOP + plot - h - 4} textAnchor="middle" className="chart-value">
                {format(b.value)}
              </text>
              <text x={x + BAR / 2} y={HEIGHT - BOTTOM + 14} textAnchor="middle" className="chart-label">
                {b.label.length > 6 ? b.label.slice(0, 6) : b.label}
              </text>
            </g>
          )
        })}
      </svg>
    </figure>
  )
}
