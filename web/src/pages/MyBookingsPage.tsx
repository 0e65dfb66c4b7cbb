import { useState } from 'react'
import { Link } from 'react-router'
import { api } from '../api'
import type { Booking } from '../api/types'
import { BookingCard } from '../components/BookingCard'
import { ConfirmButton } from '../components/ConfirmButton'
import { ReviewForm } from '../components/ReviewForm'
import { Button, EmptyState, ErrorMessage, Loading, PageHeader, Pagination } from '../components/ui'
import { useAction } from '../hooks/useAction'
import { useBookings, useReviews } from '../hooks/useHotel'
import { invalidate } from '../lib/invalidation'

const LIMIT = 10

export function MyBookingsPage() {
  const [offset, setOffset] = useState(0)
  const bookings = useBookings({ limit: LIMIT, offset })
  const reviews = useReviews()
  const [reviewing, setReviewing] = useState<number | null>(null)
  const cancel = useAction(async (id: number) => {
    await api.bookings.cancel(id)
    invalidate('bookings', 'availability')
  })

  const reviewed = new Set((reviews.data?.items ?? []).map((review) => review.booking_id))

  function actions(booking: Booking) {
    return (
      <>
        {bookingActions(booking)}
        {booking.status !== 'cancelled' && (
          <Link className="btn btn-secondary btn-small" to={`/messages?start=front_desk&booking=${booking.id}`}>
            Message the front desk
          </Link>
        )}
      </>
    )
  }

  function bookingActions(booking: Booking) {
    if (booking.status === 'pending' || booking.status === 'confirmed') {
      return (
        <ConfirmButton
          label="Cancel booking"
          confirmLabel="Yes, cancel it"
          busy={cancel.pending}
          onConfirm={() => void cancel.run(booking.id)}
        />
      )
    }
    if (booking.status === 'checked_out' && !reviewed.has(booking.id) && reviewing !== booking.id) {
      return (
        <Button variant="secondary" small onClick={() => setReviewing(booking.id)}>
          Review your stay
        </Button>
      )
    }
    if (booking.status === 'checked_out' && reviewed.has(booking.id)) {
      return <span className="muted">Thank you for your review.</span>
    }
    return null
  }

  const page = bookings.data
  return (
    <>
      <PageHeader title="My bookings">
        <Link className="btn btn-primary btn-small" to="/rooms">
          Book a room
        </Link>
      </PageHeader>
      <ErrorMessage error={cancel.error} />
      <ErrorMessage error={bookings.error} onRetry={bookings.reload} />
      {bookings.loading && !page && <Loading />}
      {page && page.items.length === 0 && (
        <EmptyState title="You have no bookings yet.">
          <Link to="/rooms">Find a room</Link> for your next stay.
        </EmptyState>
      )}
      {page && page.items.length > 0 && (
        <div className="card-list">
          {page.items.map((booking) => (
            <BookingCard key={booking.id} booking={booking} actions={actions(booking)}>
              {reviewing === booking.id && (
                <ReviewForm bookingId={booking.id} onDone={() => setReviewing(null)} />
              )}
            </BookingCard>
          ))}
        </div>
      )}
      {page && <Pagination total={page.total} limit={page.limit} offset={page.offset} onChange={setOffset} />}
    </>
  )
}
