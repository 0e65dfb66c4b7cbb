import { api } from '../api'
import type { Booking } from '../api/types'
import { useAction } from '../hooks/useAction'
import { invalidate } from '../lib/invalidation'
import { useState } from 'react'
import { CheckOutPanel } from './CheckOutPanel'
import { ConfirmButton } from './ConfirmButton'
import { changesFor, STAY_CHANGE_TITLES, StayChangePanel, type ChangeKind } from './StayChangePanel'
import { Button, ErrorMessage } from './ui'

/** The front desk's next steps for a booking, by its status. */
export function StaffBookingActions({ booking }: { booking: Booking }) {
  const [changing, setChanging] = useState<ChangeKind | null>(null)
  const [checkingOut, setCheckingOut] = useState(false)
  const act = useAction(async (work: () => Promise<unknown>) => {
    await work()
    invalidate('bookings', 'availability', 'rooms')
  })
  const { id, status } = booking
  const changes = changesFor(booking)
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
      {status === 'checked_in' && !checkingOut && (
        <Button small variant="secondary" onClick={() => setCheckingOut(true)}>
          Check out
        </Button>
      )}
      {checkingOut && <CheckOutPanel booking={booking} onClose={() => setCheckingOut(false)} />}
      {changes.length > 0 && !changing && (
        <select
          className="stay-change-menu"
          aria-label="Change stay"
          value=""
          onChange={(e) => e.target.value && setChanging(e.target.value as ChangeKind)}
        >
          <option value="">Change stay…</option>
          {changes.map((kind) => (
            <option key={kind} value={kind}>
              {STAY_CHANGE_TITLES[kind]}
            </option>
          ))}
        </select>
      )}
      {changing && <StayChangePanel booking={booking} kind={changing} onClose={() => setChanging(null)} />}
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
