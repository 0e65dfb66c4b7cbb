import { useState } from 'react'
import { Link } from 'react-router'
import { EXTRA_PATHS } from '../lib/access'
import type { Booking } from '../api/types'
import { BookingCard } from '../components/BookingCard'
import { StaffBookingActions } from '../components/StaffBookingActions'
import { Button, EmptyState, ErrorMessage, Field, Loading, PageHeader } from '../components/ui'
import { CashPaymentPanel } from '../components/CashPaymentPanel'
import { FolioPanel } from '../components/FolioPanel'
import { useBookings } from '../hooks/useHotel'
import type { Resource } from '../hooks/useResource'
import type { Page } from '../api/types'
import { addDays, formatDay, today } from '../lib/dates'

function BookingColumn({ title, resource, empty }: { title: string; resource: Resource<Page<Booking>>; empty: string }) {
  const [paying, setPaying] = useState<number | null>(null)
  const [billing, setBilling] = useState<number | null>(null)
  const page = resource.data
  return (
    <section className="column" aria-label={title}>
      <h2 className="section-title">
        {title} {page && <span className="count">{page.total}</span>}
      </h2>
      <ErrorMessage error={resource.error} onRetry={resource.reload} />
      {resource.loading && !page && <Loading />}
      {page && page.items.length === 0 && <EmptyState title={empty} />}
      <div className="card-list">
        {page?.items.map((booking) => (
          <BookingCard
            key={booking.id}
            booking={booking}
            showGuest
            actions={
              <>
                <StaffBookingActions booking={booking} />
                {booking.status !== 'cancelled' && paying !== booking.id && (
                  <Button variant="ghost" small onClick={() => setPaying(booking.id)}>
                    Payments
                  </Button>
                )}
                {booking.status !== 'cancelled' && booking.status !== 'pending' && (
                  <Button variant="ghost" small aria-expanded={billing === booking.id}
                    onClick={() => setBilling(billing === booking.id ? null : booking.id)}>
                    {billing === booking.id ? 'Hide bill' : 'Bill'}
                  </Button>
                )}
              </>
            }
          >
            {paying === booking.id && <CashPaymentPanel booking={booking} onClose={() => setPaying(null)} />}
            {billing === booking.id && <FolioPanel bookingId={booking.id} />}
          </BookingCard>
        ))}
      </div>
    </section>
  )
}

export function FrontDeskPage() {
  const [day, setDay] = useState(today())
  const arrivals = useBookings({ arriving_on: day, limit: 100 })
  const departures = useBookings({ departing_on: day, limit: 100 })
  const isToday = day === today()
  return (
    <>
      <PageHeader title={isToday ? 'Today at the front desk' : `Front desk · ${formatDay(day)}`}>
        <Link className="btn btn-primary btn-small" to={EXTRA_PATHS.walkInBooking}>
          New booking
        </Link>
        <div className="day-picker">
          <button type="button" className="btn btn-ghost btn-small" aria-label="Previous day" onClick={() => setDay(addDays(day, -1))}>
            ‹
          </button>
          <Field label="Day">
            <input type="date" name="day" value={day} onChange={(e) => e.target.value && setDay(e.target.value)} />
          </Field>
          <button type="button" className="btn btn-ghost btn-small" aria-label="Next day" onClick={() => setDay(addDays(day, 1))}>
            ›
          </button>
          {!isToday && (
            <button type="button" className="btn btn-secondary btn-small" onClick={() => setDay(today())}>
              Today
            </button>
          )}
        </div>
      </PageHeader>
      <div className="columns-2">
        <BookingColumn title="Arrivals" resource={arrivals} empty="No arrivals on this day." />
        <BookingColumn title="Departures" resource={departures} empty="No departures on this day." />
      </div>
    </>
  )
}
