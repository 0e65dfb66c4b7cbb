import { useState } from 'react'
import { api } from '../api'
import { EmptyState, ErrorMessage, Field, Loading, PageHeader, Pagination } from '../components/ui'
import { useResource } from '../hooks/useResource'
import { formatDateTime } from '../lib/dates'

const LIMIT = 50
const RESOURCES: [string, string][] = [
  ['', 'Everything'],
  ['bookings', 'Bookings'],
  ['orders', 'Orders'],
  ['payments', 'Payments'],
  ['rooms', 'Rooms'],
  ['service-requests', 'Service requests'],
  ['users', 'Accounts'],
  ['menu', 'Menu'],
  ['announcements', 'Announcements'],
  ['reviews', 'Reviews'],
]

/** Who changed what, and when: every change made in the hotel system, newest first. */
export function ActivityPage() {
  const [resource, setResource] = useState('')
  const [reference, setReference] = useState('')
  const [offset, setOffset] = useState(0)
  const id = /^\d{1,9}$/.test(reference.trim()) ? Number(reference.trim()) : undefined
  const entries = useResource(
    (signal) =>
      api.audit.list({ limit: LIMIT, offset, resource: resource || undefined, resource_id: id }, signal),
    `audit-${resource}-${id ?? ''}-${offset}`,
  )
  const page = entries.data
  return (
    <>
      <PageHeader title="Activity" />
      <div className="card filters">
        <Field label="What">
          <select value={resource} onChange={(e) => { setResource(e.target.value); setOffset(0) }}>
            {RESOURCES.map(([value, label]) => (
              <option key={value} value={value}>{label}</option>
            ))}
          </select>
        </Field>
        <Field label="Number" hint="The id of the booking, order, room… (optional)">
          <input inputMode="numeric" value={reference} maxLength={9}
            onChange={(e) => { setReference(e.target.value); setOffset(0) }} />
        </Field>
      </div>
      <ErrorMessage error={entries.error} onRetry={entries.reload} />
      {entries.loading && !page && <Loading />}
      {page && page.items.length === 0 && <EmptyState title="Nothing was changed that matches." />}
      {page && page.items.length > 0 && (
        <div className="table-wrap">
          <table className="table responsive-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>What</th>
                <th>To</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((entry) => (
                <tr key={entry.id} data-testid="audit-row">
                  <td data-label="When">{formatDateTime(entry.at)}</td>
                  <td data-label="Who">{entry.actor_name ?? `Account ${entry.actor_id}`}</td>
                  <td data-label="What">{entry.action.replace(/[-_/]/g, ' ')}</td>
                  <td data-label="To">
                    {entry.resource.replace(/[-_]/g, ' ')}
                    {entry.resource_id !== null && entry.resource_id !== undefined && ` #${entry.resource_id}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && <Pagination total={page.total} limit={page.limit} offset={page.offset} onChange={setOffset} />}
    </>
  )
}
