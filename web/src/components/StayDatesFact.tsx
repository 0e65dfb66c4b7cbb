import type { Booking } from '../api/types'
import { formatDay } from '../lib/dates'

/** A stay's dates and nights, as one fact of a `facts` list (the booking card, the booking
 * page): "Wed, Nov 25 → Sat, Nov 28 · 3 nights". */
export function StayDatesFact({ booking }: { booking: Pick<Booking, 'check_in' | 'check_out' | 'nights'> }) {
  return (
    <div className="fact-wide">
      <dt>Dates</dt>
      <dd>
        {formatDay(booking.check_in)} → {formatDay(booking.check_out)}
        <span className="muted"> · {booking.nights} night{booking.nights === 1 ? '' : 's'}</span>
      </dd>
    </div>
  )
}
