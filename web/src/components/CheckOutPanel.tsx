/**
 * The front desk's check-out confirmation: the stay's bill with its balance. A settled bill
 * checks out; an open one is paid first (the bill's own cash form), or, for a manager,
 * let go with a reason that is kept with the amount left open.
 */
import { useState } from 'react'
import { api } from '../api'
import type { Booking } from '../api/types'
import { useAction } from '../hooks/useAction'
import { useUser } from '../hooks/useAuth'
import { useFolio } from '../hooks/useHotel'
import { isManagement } from '../lib/access'
import { invalidate } from '../lib/invalidation'
import { formatMoney } from '../lib/money'
import { FolioPanel } from './FolioPanel'
import { Button, ErrorMessage, Field } from './ui'

export function CheckOutPanel({ booking, onClose }: { booking: Booking; onClose: () => void }) {
  const user = useUser()
  const folio = useFolio(booking.id)
  const [reason, setReason] = useState('')
  const [reasonError, setReasonError] = useState<string | null>(null)
  const checkOut = useAction(async (overrideReason?: string) => {
    await api.bookings.checkOut(booking.id, overrideReason)
    invalidate('bookings', 'availability', 'rooms', 'folio')
    onClose()
  })
  const due = folio.data?.balance_due ?? null
  const open = due !== null && due > 0

  return (
    <div className="checkout-panel" role="group" aria-label={`Check out room ${booking.room_number}`}>
      <h3 className="folio-title">Check out room {booking.room_number}</h3>
      <FolioPanel bookingId={booking.id} />
      <ErrorMessage error={checkOut.error} />
      {due !== null && !open && (
        <p className="result-ok" role="status">
          The bill is settled.
        </p>
      )}
      {open && (
        <p className="alert alert-warning" role="alert">
          {formatMoney(due, booking.currency)} is still due. Take the payment before check-out
          {isManagement(user) ? ', or check the guest out with a reason to leave it open.' : '.'}
        </p>
      )}
      {open && isManagement(user) && (
        <form
          className="override-form"
          onSubmit={(e) => {
            e.preventDefault()
            if (!reason.trim()) {
              setReasonError('Say why the guest may leave with the balance open.')
              return
            }
            setReasonError(null)
            void checkOut.run(reason.trim())
          }}
          noValidate
        >
          <Field label="Reason to check out with the balance open" error={reasonError ?? checkOut.fieldErrors.override_reason}>
            <input name="override_reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <Button type="submit" variant="danger" small busy={checkOut.pending}>
            Check out with {formatMoney(due, booking.currency)} open
          </Button>
        </form>
      )}
      <div className="button-row">
        {due !== null && !open && (
          <Button small busy={checkOut.pending} onClick={() => void checkOut.run()}>
            Yes, check out room {booking.room_number}
          </Button>
        )}
        <Button variant="ghost" small onClick={onClose}>
          Not now
        </Button>
      </div>
    </div>
  )
}
