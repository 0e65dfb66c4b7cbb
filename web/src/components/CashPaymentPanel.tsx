import { useState, type FormEvent } from 'react'
import { api } from '../api'
import type { Booking, Payment } from '../api/types'
import { useCreate } from '../hooks/useAction'
import { useUser } from '../hooks/useAuth'
import { useFolio, usePayments } from '../hooks/useHotel'
import { isManagement } from '../lib/access'
import { splitCash } from '../lib/cash'
import { formatDateTime } from '../lib/dates'
import { invalidate } from '../lib/invalidation'
import { currencyOf, formatMoney, fromMajorUnits, toMajorUnits } from '../lib/money'
import { VoidWithReason } from './VoidWithReason'
import { Button, ErrorMessage, Field, Loading } from './ui'
import { COUNTED_STATUSES } from '../lib/payments'


/** What the guest has paid for a stay, and the front desk taking the rest in cash. What is
 * due is the folio's balance: the room, charges posted to the stay and orders charged to it. */
export function CashPaymentPanel({ booking, onClose }: { booking: Booking; onClose: () => void }) {
  const payments = usePayments(booking.id)
  const folio = useFolio(booking.id)
  const items = payments.data?.items ?? []
  const paid = items.filter((p) => COUNTED_STATUSES.has(p.status)).reduce((sum, p) => sum + p.amount - p.refunded_amount, 0)
  const due = Math.max(0, folio.data?.balance_due ?? booking.total_amount - paid)

  return (
    <div className="payment-panel">
      {payments.loading && !payments.data && <Loading label="Loading payments…" />}
      <ErrorMessage error={payments.error} onRetry={payments.reload} />
      {payments.data && (
        <p className="payment-summary">
          Paid <strong>{formatMoney(paid, booking.currency)}</strong> of{' '}
          {formatMoney(folio.data?.charges_total ?? booking.total_amount, booking.currency)}
          {due === 0 ? ' · settled' : ` · ${formatMoney(due, booking.currency)} due`}
        </p>
      )}
      {items.length > 0 && (
        <ul className="payment-list" aria-label="Payments">
          {items.map((payment) => (
            <PaymentLine key={payment.id} payment={payment} />
          ))}
        </ul>
      )}
      {payments.data && due > 0 && <CashForm booking={booking} due={due} onClose={onClose} />}
      {payments.data && due === 0 && (
        <Button variant="ghost" small onClick={onClose}>
          Close
        </Button>
      )}
    </div>
  )
}

/** The cash form: the change to hand back shows as the clerk types, and cash above what is
 * due is taken only once the clerk confirms that change was given. */
export function CashForm({
  booking,
  due,
  onClose,
}: {
  booking: Pick<Booking, 'id' | 'currency'>
  due: number
  onClose: () => void
}) {
  const [amount, setAmount] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)
  const take = useCreate(api.payments.cash)
  const shown = amount ?? toMajorUnits(due, booking.currency)
  const received = fromMajorUnits(shown, booking.currency)
  const split = received === null ? null : splitCash(received, due)
  const over = split !== null && split.change > 0

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (received === null) return
    if (over && !confirming) {
      setConfirming(true)
      return
    }
    const body = over
      ? { booking_id: booking.id, tendered: received, currency: currencyOf(booking.currency) }
      : { booking_id: booking.id, amount: received, currency: currencyOf(booking.currency) }
    if (await take.run(body)) {
      setAmount(null)
      setConfirming(false)
      invalidate('payments', 'folio')
    }
  }

  return (
    <form className="payment-form" onSubmit={submit}>
      <ErrorMessage error={take.error} />
      <Field label={`Cash received (${booking.currency})`} error={take.fieldErrors.amount ?? take.fieldErrors.tendered}>
        <input
          inputMode="decimal"
          name="amount"
          value={shown}
          onChange={(e) => {
            setAmount(e.target.value)
            setConfirming(false)
          }}
          aria-invalid={received === null}
        />
      </Field>
      {split && (
        <p className="change-due" aria-live="polite">
          Change due: <strong>{formatMoney(split.change, booking.currency)}</strong>
        </p>
      )}
      {over && split && (
        <div className="alert alert-warning" role="alert">
          {formatMoney(received ?? 0, booking.currency)} is more than the {formatMoney(due, booking.currency)} due.
          Record {formatMoney(split.paid, booking.currency)} and hand back{' '}
          <strong>{formatMoney(split.change, booking.currency)}</strong> in change?
        </div>
      )}
      <div className="button-row">
        <Button type="submit" small busy={take.pending} disabled={received === null}>
          {confirming ? 'Yes, change given: record payment' : 'Record cash payment'}
        </Button>
        <Button variant="ghost" small onClick={onClose}>
          Close
        </Button>
      </div>
    </form>
  )
}

/** One payment, with a manager's void of cash recorded by mistake. */
function PaymentLine({ payment }: { payment: Payment }) {
  const user = useUser()
  const voidPayment = async (reason: string) => {
    await api.payments.void(payment.id, reason)
    invalidate('payments', 'bookings', 'folio')
  }
  const canVoid = isManagement(user) && payment.method === 'cash' && payment.status === 'succeeded'
  return (
    <li className={`payment-line payment-${payment.status}`}>
      <span>
        {formatMoney(payment.amount, payment.currency)} {payment.method} · {payment.status.replace('_', ' ')} ·{' '}
        {formatDateTime(payment.created_at)}
        {payment.change_due ? ` · ${formatMoney(payment.change_due, payment.currency)} change given` : ''}
      </span>
      {payment.status === 'voided' && payment.void_reason && (
        <span className="muted"> Voided: {payment.void_reason}</span>
      )}
      {canVoid && <VoidWithReason what="payment" onVoid={voidPayment} />}
    </li>
  )
}
