import { Link, useParams } from 'react-router'
import { ApiError } from '../api'
import type { AuditEntry, BookingOverview, Conversation, ServiceRequest } from '../api/types'
import { FolioPanel } from '../components/FolioPanel'
import { StaffBookingActions } from '../components/StaffBookingActions'
import { EmptyState, ErrorMessage, Loading, Money, PageHeader, StatusBadge } from '../components/ui'
import { useUser } from '../hooks/useAuth'
import { useBookingOverview } from '../hooks/useHotel'
import { isManagement, isStaff } from '../lib/access'
import { formatDateTime } from '../lib/dates'
import { NotFoundPage } from './NotFoundPage'
import { GuestContactFacts } from '../components/GuestContact'
import { StayDatesFact } from '../components/StayDatesFact'

/**
 * One booking in one place: its guest, the stay and what the desk can do with it, the bill,
 * the guest's requests and conversations about it, and who changed what. Each part is shown
 * as far as the reader may read it (the API leaves out the rest); it reloads live when the
 * booking, a payment, a request or a conversation changes.
 */
export function BookingPage() {
  const id = Number(useParams().id)
  const overview = useBookingOverview(id)
  if (overview.error instanceof ApiError && overview.error.status === 404) return <NotFoundPage />
  const data = overview.data
  return (
    <>
      <PageHeader title={data ? `Booking ${data.booking.reference}` : 'Booking'}>
        {data && <StatusBadge status={data.booking.status} />}
      </PageHeader>
      <ErrorMessage error={overview.error} onRetry={overview.reload} />
      {overview.loading && !data && <Loading />}
      {data && <BookingSections data={data} />}
    </>
  )
}

function BookingSections({ data }: { data: BookingOverview }) {
  const user = useUser()
  const staff = isStaff(user)
  const mayChange = isManagement(user) || user.department === 'front_desk'
  const { booking, guest } = data
  return (
    <div className="booking-page">
      <div className="page-column">
        <section className="card booking-section" aria-labelledby="guest-title">
          <h2 id="guest-title" className="section-title">Guest</h2>
          <p className="guest-name">
            {staff ? <Link to={`/guests/${guest.id}`}>{guest.full_name}</Link> : guest.full_name}
            {guest.is_vip && <span className="badge badge-vip">VIP</span>}
          </p>
          <GuestContactFacts guest={guest} />
        </section>

        <section className="card booking-section" aria-labelledby="stay-title">
          <h2 id="stay-title" className="section-title">Stay</h2>
          <dl className="facts">
            <div>
              <dt>Room</dt>
              <dd>
                {booking.room_type_name}
                {booking.room_number && <span className="muted"> · {booking.room_number}</span>}
              </dd>
            </div>
            <StayDatesFact booking={booking} />
            <div>
              <dt>Guests</dt>
              <dd>{booking.guests}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd><StatusBadge status={booking.status} /></dd>
            </div>
            <div>
              <dt>Price</dt>
              <dd><Money amount={booking.total_amount} currency={booking.currency} /></dd>
            </div>
          </dl>
          {booking.special_requests && <p className="special-requests">“{booking.special_requests}”</p>}
          {booking.cancellation_reason && <p className="muted">Cancelled: {booking.cancellation_reason}</p>}
          {mayChange && (
            <div className="button-row">
              <StaffBookingActions booking={booking} />
            </div>
          )}
        </section>
      </div>

      <div className="page-column">
        {/* Bill: the stay's folio, for those who may read its payments. */}
        {data.payments && (
          <section className="card booking-section" aria-labelledby="bill-title" data-section="bill">
            <h2 id="bill-title" className="section-title">Bill</h2>
            <FolioPanel bookingId={booking.id} />
          </section>
        )}

        {data.service_requests && (
          <section className="card booking-section" aria-labelledby="requests-title">
            <h2 id="requests-title" className="section-title">
              Service requests <span className="count">{data.service_requests.total}</span>
            </h2>
            <RequestsList requests={data.service_requests.items} />
          </section>
        )}

        {data.conversations && (
          <section className="card booking-section" aria-labelledby="messages-title">
            <h2 id="messages-title" className="section-title">
              Conversations <span className="count">{data.conversations.total}</span>
            </h2>
            <ConversationsList conversations={data.conversations.items} />
            {!staff && (
              <Link className="btn btn-secondary btn-small" to={`/messages?start=front_desk&booking=${booking.id}`}>
                Ask about this stay
              </Link>
            )}
          </section>
        )}
      </div>

      {data.history && (
        <section className="card booking-section booking-history" aria-labelledby="history-title">
          <h2 id="history-title" className="section-title">History</h2>
          <HistoryList entries={data.history} />
        </section>
      )}
    </div>
  )
}

function RequestsList({ requests }: { requests: ServiceRequest[] }) {
  if (requests.length === 0) return <EmptyState title="No requests during this stay." />
  return (
    <ul className="plain-list" aria-label="Service requests">
      {requests.map((r) => (
        <li key={r.id} className="list-row">
          <span className="list-row-main">
            <strong>{r.kind}</strong> · <span className="long-text">{r.description}</span>
            <span className="muted"> · {formatDateTime(r.created_at)}{r.assignee_name ? ` · ${r.assignee_name}` : ''}</span>
          </span>
          <StatusBadge status={r.status} />
        </li>
      ))}
    </ul>
  )
}

function ConversationsList({ conversations }: { conversations: Conversation[] }) {
  if (conversations.length === 0) return <EmptyState title="No conversations about this stay." />
  return (
    <ul className="plain-list" aria-label="Conversations">
      {conversations.map((c) => (
        <li key={c.id} className="list-row">
          <span className="list-row-main">
            <Link to={`/messages?c=${c.id}`}>{c.subject || 'Conversation'}</Link>
            {c.department && <span className="muted"> · {c.department.replace(/_/g, ' ')}</span>}
            {c.last_message && <span className="muted long-text"> · {c.last_message.body}</span>}
          </span>
          {c.unread > 0 && <span className="count">{c.unread}</span>}
        </li>
      ))}
    </ul>
  )
}

function HistoryList({ entries }: { entries: AuditEntry[] }) {
  if (entries.length === 0) return <EmptyState title="Nothing recorded yet." />
  return (
    <ol className="plain-list history-list" aria-label="History">
      {entries.map((e) => (
        <li key={e.id} className="list-row" data-testid="history-row">
          <span className="list-row-main">
            <strong>{describe(e)}</strong> · {e.actor_name ?? `Account ${e.actor_id}`}
          </span>
          <span className="muted">{formatDateTime(e.at)}</span>
        </li>
      ))}
    </ol>
  )
}

/** "bookings check-in" → "Checked in"; the rest as the trail names it. */
function describe(entry: AuditEntry): string {
  const known: Record<string, string> = {
    'bookings create': 'Booked',
    'bookings confirm': 'Confirmed',
    'bookings check-in': 'Checked in',
    'bookings check-out': 'Checked out',
    'bookings cancel': 'Cancelled',
    'bookings move': 'Moved room',
    'bookings extend': 'Extended',
    'bookings early-departure': 'Left early',
    'bookings no-show': 'Marked no-show',
    'payments cash': 'Cash taken',
    'payments create': 'Payment started',
    'payments void': 'Payment voided',
    'payments refund': 'Payment refunded',
    'service-requests create': 'Request made',
  }
  const key = `${entry.resource} ${entry.action}`
  return known[key] ?? `${entry.resource.replace(/[-_]/g, ' ')} ${entry.action.replace(/[-_/]/g, ' ')}`
}
