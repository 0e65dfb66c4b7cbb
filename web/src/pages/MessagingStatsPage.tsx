import { useState } from 'react'
import { BarChart, type Bar } from '../components/BarChart'
import { ErrorMessage, Field, Loading, PageHeader } from '../components/ui'
import { useMessagingStats } from '../hooks/useHotel'
import { formatDay, formatShortDay } from '../lib/dates'
import { formatMoney } from '../lib/money'

/** Every figure is defined once, on the server (premier.delivery.stats); this page only
 * formats. A rate with nothing to divide by is "—", never 0%. */
function rate(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`
}

function reports(reported: number): string {
  return reported === 0 ? 'no delivery reports yet' : `of ${reported} with a delivery report`
}

function entries(counts: Record<string, number>): Bar[] {
  return Object.entries(counts).map(([label, value]) => ({ label, value }))
}

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="stat" data-testid="stat">
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
      {note && <span className="stat-note muted">{note}</span>}
    </div>
  )
}

export function MessagingStatsPage() {
  const [days, setDays] = useState(30)
  const stats = useMessagingStats(days)
  const [email, sms] = stats.data ?? []
  const smsByDay = new Map<string, { messages: number; cost: number }>()
  for (const row of sms?.by_day ?? []) {
    const day = smsByDay.get(row.day) ?? { messages: 0, cost: 0 }
    day.messages += row.messages
    day.cost += row.reported_cost || row.estimated_cost
    smsByDay.set(row.day, day)
  }
  return (
    <>
      <PageHeader title="Messaging stats">
        <Field label="Period">
          <select name="days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            <option value={7}>Last 7 days</option>
            <option value={30}>Last 30 days</option>
            <option value={90}>Last 90 days</option>
          </select>
        </Field>
      </PageHeader>
      <ErrorMessage error={stats.error} onRetry={stats.reload} />
      {stats.loading && !stats.data && <Loading />}
      {email && sms && (
        <>
          <p className="muted">
            {formatDay(email.since)} – {formatDay(email.until)}
          </p>
          <section className="card stats-section" aria-label="Email">
            <h2>Email</h2>
            <div className="stats-row">
              <Figure label="Emails" value={String(email.total)} />
              <Figure label="Sent" value={String(email.sent)} />
              <Figure label="Delivery rate" value={rate(email.delivery_rate)} note={reports(email.reported)} />
              <Figure label="Open rate" value={rate(email.open_rate)} />
              <Figure label="Bounce rate" value={rate(email.bounce_rate)} />
            </div>
            <div className="charts">
              <BarChart title="By status" bars={entries(email.by_status)} />
              <BarChart
                title="Sent by day"
                bars={email.by_day.map((d) => ({ label: formatShortDay(d.day), value: d.sent }))}
              />
            </div>
          </section>
          <section className="card stats-section" aria-label="Text messages">
            <h2>Text messages</h2>
            <div className="stats-row">
              <Figure label="Sent" value={String(sms.sent)} />
              <Figure label="Delivered" value={String(sms.delivered)} />
              <Figure label="Delivery rate" value={rate(sms.delivery_rate)} note={reports(sms.reported)} />
              <Figure label="Estimated cost" value={formatMoney(sms.estimated_cost, sms.currency)} />
            </div>
            <div className="charts">
              <BarChart title="By status" bars={entries(sms.by_status)} />
              <BarChart
                title="Sent by day"
                bars={[...smsByDay].map(([day, v]) => ({ label: formatShortDay(day), value: v.messages }))}
              />
              <BarChart
                title={`Cost by day (${sms.currency})`}
                bars={[...smsByDay].map(([day, v]) => ({ label: formatShortDay(day), value: v.cost }))}
                format={(v) => formatMoney(v, sms.currency).replace(/[^\d.,]/g, '')}
              />
            </div>
          </section>
        </>
      )}
    </>
  )
}
