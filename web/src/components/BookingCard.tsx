import type { ReactNode } from 'react'
import { Link } from 'react-router'
import type { Booking } from '../api/types'
import { Money, StatusBadge } from './ui'
import { StayDatesFact } from './StayDatesFact'

interface Props {
  booking: Booking
  showGuest?: boolean
  actions?: ReactNode
  children?: ReactNode
  /** The card's heading level: 2 where the cards sit right under the page's title. */
  headingLevel?: 2 | 3
}

export function BookingCard({ booking, showGuest, actions, children, headingLevel = 3 }: Props) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  return (
    <article className="card booking-card" data-testid="booking" data-reference={booking.reference}>
      <header className="booking-head">
        <div>
          <Link className="booking-reference" to={`/bookings/${booking.id}`}>{booking.reference}</Link>
          <Heading>{showGuest ? booking.guest_name : booking.room_type_name}</Heading>
        </div>
        <StatusBadge status={booking.status} />
      </header>
      <dl className="facts">
        {showGuest && (
          <div>
            <dt>Room</dt>
            <dd>{booking.room_type_name}</dd>
          </div>
        )}
        <StayDatesFact booking={booking} />
        <div>
          <dt>Guests</dt>
          <dd>{booking.guests}</dd>
        </div>
        {booking.room_number && (
          <div>
            <dt>Room no.</dt>
            <dd>{booking.room_number}</dd>
          </div>
        )}
        <div>
          <dt>Total</dt>
          <dd>
            <Money amount={booking.total_amount} currency={booking.currency} />
          </dd>
        </div>
      </dl>
      {booking.special_requests && <p className="special-requests">“{booking.special_requests}”</p>}
      {children}
      {actions && <div className="button-row">{actions}</div>}
    </article>
  )
}
