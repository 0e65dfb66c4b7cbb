import { useState } from 'react'
import { BarChart, type Bar } from '../components/BarChart'
import { ErrorMessage, Field, Loading, PageHeader } from '../components/ui'
import { useMessagingStats } from '../hooks/useHotel'
import { formatMoney } from '../lib/money'

function rate(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`
}

function entries(counts: Record<string, number>): Bar[] {
  return Object.entries(counts).map(([label, value]) => ({ label, value }))
}

/** "2026-11-25" → "25/11" for the narrow day axis. */
function dayLabel(day: string): string {
  const [, month, date] = day.split('-')
  return `${date}/${month}`
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat" data-testid="stat">
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
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
        <Field label="Email period">
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
          <section className="card stats-section" aria-label="Email">
            <h2>Email</h2>
            <div className="stats-row">
              <Figure label="Emails" value={String(email.total)} />
              <Figure label="Delivery rate" value={rate(email.delivery_rate)} />
              <Figure label="Open rate" value={rate(email.open_rate)} />
              <Figure label="Bounce rate" value={rate(email.bounce_rate)} />
            </div>
            <div className="charts">
              <BarChart title="By status" bars={entries(email.by_status)} />
              <BarChart
                title="Emails by day"
                bars={email.by_day.map((d) => ({ label: dayLabel(d.day), value: d.sent + d.queued + d.failed }))}
              />
            </div>
          </section>
          <section className="card stats-section" aria-label="Text messages">
            <h2>Text messages</h2>
            <div className="stats-row">
              <Figure label="Sent" value={String(sms.sent)} />
              <Figure label="Delivered" value={String(sms.delivered)} />
              <Figure label="Delivery rate" value={rate(sms.delivery_rate)} />
              <Figure label="Estimated cost" value={formatMoney(sms.estimated_cost, sms.currency)} />
            </div>
            <div className="charts">
              <BarChart title="By status" bars={entries(sms.by_status)} />
              <BarChart
                title="Messages by day"
                bars={[...smsByDay].map(([day, v]) => ({ label: dayLabel(day), value: v.messages }))}
              />
              <BarChart
                title={`Cost by day (${sms.currency})`}
                bars={[...smsByDay].map(([day, v]) => ({ label: dayLabel(day), value: v.cost }))}
                format={(v) => formatMoney(v, sms.currency).replace(/[^\d.,]/g, '')}
              />
            </div>
          </section>
        </>
      )}
    </>
  )
}
