import { useEffect, useState } from 'react'
import { Link } from 'react-router'
import { api } from '../api'
import type { Booking, BookingStatus } from '../api/types'
import { BookingCard } from '../components/BookingCard'
import { ConfirmButton } from '../components/ConfirmButton'
import { FolioPanel } from '../components/FolioPanel'
import { PaymentModal } from '../components/PaymentModal'
import { Receipts } from '../components/Receipts'
import { ReviewForm } from '../components/ReviewForm'
import { Button, EmptyState, ErrorMessage, Loading, Notice, PageHeader, Pagination } from '../components/ui'
import { useAction } from '../hooks/useAction'
import { useBookings, useFolio, useMyPayments, useReviews } from '../hooks/useHotel'
import { invalidate } from '../lib/invalidation'
import { COUNTED_STATUSES } from '../lib/payments'

const LIMIT = 10
/** Bookings a guest pays for here; once checked in, the bill (FolioPanel) takes payment. */
const PAYABLE = new Set<BookingStatus>(['pending', 'confirmed'])
/** Bookings with a bill worth showing: charges and payments can be on it. */
const BILLED = new Set<BookingStatus>(['confirmed', 'checked_in', 'checked_out'])

export function MyBookingsPage() {
  const [offset, setOffset] = useState(0)
  const bookings = useBookings({ limit: LIMIT, offset })
  const reviews = useReviews()
  const payments = useMyPayments()
  const [reviewing, setReviewing] = useState<number | null>(null)
  const [paying, setPaying] = useState<number | null>(null)
  // The bill is open while the guest is staying, and a click away otherwise.
  const [billOpen, setBillOpen] = useState<Record<number, boolean>>({})
  const showsBill = (b: Booking) => BILLED.has(b.status) && (billOpen[b.id] ?? b.status === 'checked_in')
  const cancel = useAction(async (id: number) => {
    await api.bookings.cancel(id)
    invalidate('bookings', 'availability')
  })

  const reviewed = new Map((reviews.data?.items ?? []).map((review) => [review.booking_id, review]))

  function dueOn(booking: Booking): number {
    const paid = (payments.data?.items ?? [])
      .filter((p) => p.booking_id === booking.id && COUNTED_STATUSES.has(p.status))
      .reduce((sum, p) => sum + p.amount - p.refunded_amount, 0)
    return Math.max(0, booking.total_amount - paid)
  }

  function actions(booking: Booking) {
    return (
      <>
        {bookingActions(booking)}
        {BILLED.has(booking.status) && (
          <Button variant="ghost" small aria-expanded={showsBill(booking)}
            onClick={() => setBillOpen((open) => ({ ...open, [booking.id]: !showsBill(booking) }))}>
            {showsBill(booking) ? 'Hide bill' : 'Your bill'}
          </Button>
        )}
        {booking.status !== 'cancelled' && (
          <Link className="btn btn-secondary btn-small" to={`/messages?start=front_desk&booking=${booking.id}`}>
            Message the front desk
          </Link>
        )}
      </>
    )
  }

  function bookingActions(booking: Booking) {
    const payable = PAYABLE.has(booking.status) && payments.data !== undefined && dueOn(booking) > 0
    const pay = payable && (
      <Button small onClick={() => setPaying(booking.id)}>
        Pay now
      </Button>
    )
    if (booking.status === 'pending' || booking.status === 'confirmed') {
      return (
        <>
          {pay}
          <ConfirmButton
            label="Cancel booking"
            confirmLabel="Yes, cancel it"
            busy={cancel.pending}
            onConfirm={() => void cancel.run(booking.id)}
          />
        </>
      )
    }
    if (pay) return pay
    if (booking.status === 'checked_out' && !reviewed.has(booking.id) && reviewing !== booking.id) {
      return (
        <Button variant="secondary" small onClick={() => setReviewing(booking.id)}>
          Review your stay
        </Button>
      )
    }
    if (booking.status === 'checked_out' && reviewed.has(booking.id)) {
      const review = reviewed.get(booking.id)
      const photos = review?.photos ?? []
      return (
        <span className="muted review-thanks">
          Thank you for your review.
          {photos.map((photo, index) => (
            <img key={photo.upload_id} className="review-photo" src={photo.thumbnail_url}
              alt={`Your photo ${index + 1}`} loading="lazy" />
          ))}
          {review?.reply && (
            <span className="review-reply">
              <span className="field-label">The hotel answered</span> {review.reply}
            </span>
          )}
        </span>
      )
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
            <BookingCard key={booking.id} booking={booking} actions={actions(booking)} headingLevel={2}>
              {showsBill(booking) && <FolioPanel bookingId={booking.id} />}
              <Receipts payments={(payments.data?.items ?? []).filter((p) => p.booking_id === booking.id)} />
              {paying === booking.id && (
                <PayBalance booking={booking} onClose={() => setPaying(null)} />
              )}
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

/** The payment takes the bill's balance (the room and anything posted to it), so the
 * dialog asks for that amount, read from the folio when it opens (and kept while it is
 * open, so a payment landing does not swap the dialog away under the guest). */
function PayBalance({ booking, onClose }: { booking: Booking; onClose: () => void }) {
  const folio = useFolio(booking.id)
  const [due, setDue] = useState<number | null>(null)
  const balance = folio.data?.balance_due
  useEffect(() => {
    if (due === null && balance !== undefined) setDue(balance)
  }, [due, balance])
  if (folio.error && due === null) return <ErrorMessage error={folio.error} onRetry={folio.reload} />
  if (due === null) return <Loading label="Reading your bill…" />
  if (due <= 0) return <Notice tone="info">Nothing is due on this booking.</Notice>
  return <PaymentModal booking={booking} due={due} onClose={onClose} />
}
