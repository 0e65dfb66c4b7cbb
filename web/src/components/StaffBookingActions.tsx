import { api } from '../api'
import type { Booking } from '../api/types'
import { useAction } from '../hooks/useAction'
import { invalidate } from '../lib/invalidation'
import { ConfirmButton } from './ConfirmButton'
import { Button, ErrorMessage } from './ui'

/** The front desk's next steps for a booking, by its status. */
export function StaffBookingActions({ booking }: { booking: Booking }) {
  const act = useAction(async (work: () => Promise<unknown>) => {
    await work()
    invalidate('bookings', 'availability')
  })
  const { id, status } = booking
  return (
    <>
      {status === 'pending' && (
        <Button small busy={act.pending} onClick={() => void act.run(() => api.bookings.confirm(id))}>
          Confirm
        </Button>
      )}
      {status === 'confirmed' && (
        <Button small busy={act.pending} onClick={() => void act.run(() => api.bookings.checkIn(id))}>
          Check in
        </Button>
      )}
      {status === 'checked_in' && (
        <Button small busy={act.pending} onClick={() => void act.run(() => api.bookings.checkOut(id))}>
          Check out
        </Button>
      )}
      {(status === 'pending' || status === 'confirmed') && (
        <ConfirmButton
          label="Cancel"
          confirmLabel="Yes, cancel booking"
          busy={act.pending}
          onConfirm={() => void act.run(() => api.bookings.cancel(id, 'cancelled at the front desk'))}
        />
      )}
      {act.error ? <ErrorMessage error={act.error} /> : null}
    </>
  )
}
