import { useState, type FormEvent } from 'react'
import { api } from '../api'
import type { Booking } from '../api/types'
import { useCreate } from '../hooks/useAction'
import { usePayments } from '../hooks/useHotel'
import { invalidate } from '../lib/invalidation'
import { formatMoney, fromMajorUnits, toMajorUnits } from '../lib/money'
import { Button, ErrorMessage, Field, Loading } from './ui'

const COUNTED = new Set(['succeeded', 'partially_refunded'])

/** What the guest has paid for a stay, and the front desk taking the rest in cash. */
export function CashPaymentPanel({ booking, onClose }: { booking: Booking; onClose: () => void }) {
  const payments = usePayments(booking.id)
  const paid = (payments.data?.items ?? [])
    .filter((p) => COUNTED.has(p.status))
    .reduce((sum, p) => sum + p.amount - p.refunded_amount, 0)
  const due = Math.max(0, booking.total_amount - paid)
  const [amount, setAmount] = useState<string | null>(null)
  const take = useCreate(api.payments.cash)
  const shown = amount ?? toMajorUnits(due, booking.currency)

  async function submit(event: FormEvent) {
    event.preventDefault()
    const minor = fromMajorUnits(shown, booking.currency)
    if (minor === null) return
    if (await take.run({ booking_id: booking.id, amount: minor, currency: booking.currency })) {
      setAmount(null)
      invalidate('payments')
    }
  }

  return (
    <div className="payment-panel">
      {payments.loading && !payments.data && <Loading label="Loading payments…" />}
      <ErrorMessage error={payments.error} onRetry={payments.reload} />
      {payments.data && (
        <p className="payment-summary">
          Paid <strong>{formatMoney(paid, booking.currency)}</strong> of {formatMoney(booking.total_amount, booking.currency)}
          {due === 0 ? ' · settled' : ` · ${formatMoney(due, booking.currency)} due`}
        </p>
      )}
      {payments.data && due > 0 && (
        <form className="payment-form" onSubmit={submit}>
          <ErrorMessage error={take.error} />
          <Field label={`Cash received (${booking.currency})`} error={take.fieldErrors.amount}>
            <input
              inputMode="decimal"
              name="amount"
              value={shown}
              onChange={(e) => setAmount(e.target.value)}
              aria-invalid={fromMajorUnits(shown, booking.currency) === null}
            />
          </Field>
          <div className="button-row">
            <Button type="submit" small busy={take.pending} disabled={fromMajorUnits(shown, booking.currency) === null}>
              Record cash payment
            </Button>
            <Button variant="ghost" small onClick={onClose}>
              Close
            </Button>
          </div>
        </form>
      )}
      {payments.data && due === 0 && (
        <Button variant="ghost" small onClick={onClose}>
          Close
        </Button>
      )}
    </div>
  )
}
