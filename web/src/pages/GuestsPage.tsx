import { useEffect, useState } from 'react'
import { Link } from 'react-router'
import { EmptyState, ErrorMessage, Field, Loading, PageHeader, Pagination } from '../components/ui'
import { useGuests } from '../hooks/useHotel'
import { formatDay } from '../lib/dates'

const LIMIT = 20
/** The API searches from two characters on; typing waits this long before asking. */
const SEARCH_FROM = 2
const SEARCH_DELAY_MS = 300

/** The hotel's guests for the desk: find one by name, email or phone and open their profile. */
export function GuestsPage() {
  const [search, setSearch] = useState('')
  const [q, setQ] = useState('')
  const [offset, setOffset] = useState(0)
  const guests = useGuests({ q: q || undefined, limit: LIMIT, offset })
  useEffect(() => {
    const words = search.trim()
    const timer = window.setTimeout(() => {
      setQ(words.length >= SEARCH_FROM ? words : '')
      setOffset(0)
    }, SEARCH_DELAY_MS)
    return () => window.clearTimeout(timer)
  }, [search])
  const page = guests.data
  return (
    <>
      <PageHeader title="Guests" />
      <div className="card filters">
        <Field label="Find a guest" hint="Name, email or phone">
          <input type="search" name="q" value={search} maxLength={100} placeholder="Amina, amina@…, 0722…"
            onChange={(e) => setSearch(e.target.value)} />
        </Field>
      </div>
      <ErrorMessage error={guests.error} onRetry={guests.reload} />
      {guests.loading && !page && <Loading />}
      {page && page.items.length === 0 && <EmptyState title={q ? `No guest matches “${q}”.` : 'No guests yet.'} />}
      {page && page.items.length > 0 && (
        <div className="table-wrap">
          <table className="table responsive-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Phone</th>
                <th className="num">Bookings</th>
                <th>Last arrival</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((g) => (
                <tr key={g.id} data-testid="guest-row">
                  <td data-label="Name">
                    <Link to={`/guests/${g.id}`}>{g.full_name}</Link>
                    {g.is_vip && <span className="badge badge-vip">VIP</span>}
                  </td>
                  <td data-label="Email" className="long-text">{g.email}</td>
                  <td data-label="Phone">{g.phone ?? <span className="muted">none</span>}</td>
                  <td data-label="Bookings" className="num">{g.bookings}</td>
                  <td data-label="Last arrival">{g.last_check_in ? formatDay(g.last_check_in) : <span className="muted">never</span>}</td>
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
