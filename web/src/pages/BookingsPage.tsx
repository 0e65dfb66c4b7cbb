import { useEffect, useState } from 'react'
import { Link } from 'react-router'
import { BOOKING_STATUS_LABELS, BOOKING_STATUSES, type BookingStatus } from '../api/types'
import { StaffBookingActions } from '../components/StaffBookingActions'
import { Button, EmptyState, ErrorMessage, Field, Loading, Money, PageHeader, Pagination, StatusBadge } from '../components/ui'
import { useBookings } from '../hooks/useHotel'
import { formatDay } from '../lib/dates'

const LIMIT = 20

interface Filters {
  status: BookingStatus | ''
  arriving_on: string
  departing_on: string
  q: string
}

const NO_FILTERS: Filters = { status: '', arriving_on: '', departing_on: '', q: '' }
/** The API searches from two characters on; typing waits this long before asking. */
const SEARCH_FROM = 2
const SEARCH_DELAY_MS = 300

export function BookingsPage() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  const [offset, setOffset] = useState(0)
  const [search, setSearch] = useState('')
  const bookings = useBookings({ ...filters, limit: LIMIT, offset })

  useEffect(() => {
    const words = search.trim()
    const timer = window.setTimeout(() => {
      setFilters((f) => ({ ...f, q: words.length >= SEARCH_FROM ? words : '' }))
      setOffset(0)
    }, SEARCH_DELAY_MS)
    return () => window.clearTimeout(timer)
  }, [search])
  const page = bookings.data

  function change<K extends keyof Filters>(key: K, value: Filters[K]) {
    setFilters((f) => ({ ...f, [key]: value }))
    setOffset(0)
  }

  const filtered = filters.status || filters.arriving_on || filters.departing_on || search
  return (
    <>
      <PageHeader title="Bookings" />
      <div className="card filters">
        <Field label="Find a booking" hint="Reference, guest name, email or phone">
          <input
            type="search"
            name="q"
            value={search}
            maxLength={100}
            placeholder="PH-7Q2K, Amina, 0722…"
            onChange={(e) => setSearch(e.target.value)}
          />
        </Field>
        <Field label="Status">
          <select name="status" value={filters.status} onChange={(e) => change('status', e.target.value as BookingStatus | '')}>
            <option value="">Any</option>
            {BOOKING_STATUSES.map((s) => (
              <option key={s} value={s}>
                {BOOKING_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Arriving on">
          <input type="date" name="arriving_on" value={filters.arriving_on} onChange={(e) => change('arriving_on', e.target.value)} />
        </Field>
        <Field label="Departing on">
          <input type="date" name="departing_on" value={filters.departing_on} onChange={(e) => change('departing_on', e.target.value)} />
        </Field>
        {filtered && (
          <Button variant="ghost" small onClick={() => { setFilters(NO_FILTERS); setSearch(''); setOffset(0) }}>
            Clear filters
          </Button>
        )}
      </div>
      <ErrorMessage error={bookings.error} onRetry={bookings.reload} />
      {bookings.loading && !page && <Loading />}
      {page && page.items.length === 0 && <EmptyState title={filters.q ? `No booking matches “${filters.q}”.` : 'No bookings match these filters.'} />}
      {page && page.items.length > 0 && (
        <div className="table-wrap">
          <table className="table responsive-table">
            <thead>
              <tr>
                <th>Reference</th>
                <th>Guest</th>
                <th>Room</th>
                <th>Stay</th>
                <th>Status</th>
                <th className="num">Total</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((b) => (
                <tr key={b.id} data-testid="booking-row" data-reference={b.reference}>
                  <td data-label="Reference" className="mono"><Link to={`/bookings/${b.id}`}>{b.reference}</Link></td>
                  <td data-label="Guest"><Link to={`/guests/${b.guest_id}`}>{b.guest_name}</Link></td>
                  <td data-label="Room">
                    <span>
                      {b.room_type_name}
                      {b.room_number && <span className="muted"> · {b.room_number}</span>}
                    </span>
                  </td>
                  <td data-label="Stay">
                    <span>
                      {formatDay(b.check_in)} → {formatDay(b.check_out)}
                    </span>
                  </td>
                  <td data-label="Status"><StatusBadge status={b.status} /></td>
                  <td data-label="Total" className="num"><Money amount={b.total_amount} currency={b.currency} /></td>
                  <td className="actions-cell">
                    <div className="row-actions">
                      <StaffBookingActions booking={b} />
                    </div>
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
