import { useEffect, useState } from 'react'
import { Link, useParams } from 'react-router'
import { api } from '../api'
import type { Payment, PaymentStatus } from '../api/types'
import { ErrorMessage, Loading, PageHeader } from '../components/ui'
import { formatMoney } from '../lib/money'
import { PAID_STATUSES } from '../lib/payments'

const ENDED = new Set<PaymentStatus>(['failed', 'cancelled'])

/** Where the provider's page sends the guest back: the hotel asks the provider how the
 *  payment went (a webhook may not have arrived yet) and says so in words. */
export function PaymentResultPage() {
  const { id } = useParams()
  const paymentId = Number(id)
  const [payment, setPayment] = useState<Payment | null>(null)
  const [error, setError] = useState<unknown>(null)

  useEffect(() => {
    if (!Number.isInteger(paymentId) || paymentId <= 0) return
    api.payments.refresh(paymentId).then(setPayment, setError)
  }, [paymentId])

  return (
    <>
      <PageHeader title="Your payment" />
      <div className="card">
        {!payment && !error && <Loading label="Asking the payment provider…" />}
        <ErrorMessage error={error} />
        {payment && (
          <p role="status" className={PAID_STATUSES.has(payment.status) ? 'result-ok' : undefined}>
            {PAID_STATUSES.has(payment.status)
              ? `Paid ${formatMoney(payment.amount, payment.currency)}. Thank you! Your receipt is on its way.`
              : ENDED.has(payment.status)
                ? (payment.failure_reason ?? 'The payment did not go through. Nothing was charged.')
                : 'The payment is still being processed. It will show on your booking as soon as it completes.'}
          </p>
        )}
        <p>
          <Link to="/my-bookings">Back to my bookings</Link>
        </p>
      </div>
    </>
  )
}
