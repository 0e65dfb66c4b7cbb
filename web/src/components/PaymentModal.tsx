/**
 * The guest pays what is due on a booking: picks a method, then M-Pesa prompts their phone
 * (the dialog waits and flips live when the payment lands) and the others open the
 * provider's own page, which sends the guest back to the payment's result page. No card
 * number is typed here.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { api } from '../api'
import type { Booking, Payment, PaymentOption, PaymentStatus } from '../api/types'
import { useCreate } from '../hooks/useAction'
import { useResource } from '../hooks/useResource'
import { formatMoney } from '../lib/money'
import { Button, ErrorMessage, Field, Loading } from './ui'
import { PAID_STATUSES } from '../lib/payments'

/** As the API's PaymentCreate.phone: a Kenyan mobile number. */
const MPESA_PHONE = /^(\+?254|0)[17]\d{8}$/
const PHONE_SENTENCE = 'Enter the M-Pesa phone number, for example 0712 345678.'
const ENDED = new Set<PaymentStatus>(['failed', 'cancelled'])

interface Props {
  booking: Pick<Booking, 'id' | 'reference' | 'currency'>
  /** What is still due on the booking, in its currency. */
  due: number
  onClose: () => void
}

export function PaymentModal({ booking, due, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null)
  const methods = useResource(
    (signal) => api.payments.methods(booking.currency, due, signal),
    `payment-methods-${booking.currency}-${due}`,
  )
  const online = (methods.data ?? []).filter((option) => option.next_action !== 'none')
  const [chosen, setChosen] = useState<string | null>(null)
  const [phone, setPhone] = useState('')
  const [phoneError, setPhoneError] = useState<string | null>(null)
  const start = useCreate(api.payments.start)
  const [waiting, setWaiting] = useState<Payment | null>(null)
  const option = online.find((o) => o.method === chosen) ?? online[0]

  useEffect(() => {
    const element = dialog.current
    if (element && !element.open) element.showModal()
  }, [])

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!option) return
    const digits = phone.replace(/[\s-]/g, '')
    if (option.needs_phone && !MPESA_PHONE.test(digits)) {
      setPhoneError(PHONE_SENTENCE)
      return
    }
    setPhoneError(null)
    const payment = await start.run({
      booking_id: booking.id,
      method: option.method,
      phone: option.needs_phone ? digits : null,
    })
    if (!payment) return
    if (payment.next_action === 'redirect' && payment.redirect_url) {
      window.location.assign(payment.redirect_url)
    } else {
      setWaiting(payment)
    }
  }

  return (
    <dialog ref={dialog} className="modal" aria-labelledby="pay-title" onClose={onClose}>
      <h2 id="pay-title">Pay {formatMoney(due, booking.currency)}</h2>
      <p className="muted">Booking {booking.reference}</p>
      {waiting ? (
        <PhonePrompt payment={waiting} onClose={onClose} />
      ) : (
        <form onSubmit={submit} noValidate>
          {methods.loading && !methods.data && <Loading label="Finding ways to pay…" />}
          <ErrorMessage error={methods.error} onRetry={methods.reload} />
          <ErrorMessage error={start.error} />
          {methods.data && online.length === 0 && (
            <p>Online payment is not available for this stay. You can pay at the front desk.</p>
          )}
          {online.length > 0 && (
            <fieldset className="method-list">
              <legend>How would you like to pay?</legend>
              {online.map((o) => (
                <label key={o.method} className="method-option">
                  <input
                    type="radio"
                    name="method"
                    value={o.method}
                    checked={option?.method === o.method}
                    onChange={() => setChosen(o.method)}
                  />
                  <span>{o.label}</span>
                  <span className="muted">{charged(o, booking.currency)}</span>
                </label>
              ))}
            </fieldset>
          )}
          {option?.needs_phone && (
            <Field label="M-Pesa phone number" error={phoneError ?? start.fieldErrors.phone}>
              <input
                type="tel"
                inputMode="tel"
                autoComplete="tel"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                placeholder="0712 345678"
              />
            </Field>
          )}
          <div className="button-row">
            {option && (
              <Button type="submit" busy={start.pending}>
                {option.needs_phone ? 'Send the M-Pesa prompt' : `Continue to ${option.label}`}
              </Button>
            )}
            <Button variant="ghost" onClick={() => dialog.current?.close()}>
              Close
            </Button>
          </div>
        </form>
      )}
    </dialog>
  )
}

/** The amount the method charges, with the bill's currency beside it when they differ. */
function charged(option: PaymentOption, billCurrency: string): string {
  const amount = formatMoney(option.amount, option.currency)
  return option.currency === billCurrency ? amount : `${amount} at today's rate`
}

/** M-Pesa: the prompt is on the guest's phone; the payment's live event ends the wait. */
function PhonePrompt({ payment, onClose }: { payment: Payment; onClose: () => void }) {
  const current = useResource((signal) => api.payments.get(payment.id, signal), `payment-${payment.id}`, ['payments'])
  const status = current.data?.status ?? payment.status
  if (PAID_STATUSES.has(status)) {
    return (
      <div className="payment-result" role="status">
        <p className="result-ok">Paid. Thank you! Your receipt is on its way.</p>
        <Button onClick={onClose}>Done</Button>
      </div>
    )
  }
  if (ENDED.has(status)) {
    return (
      <div className="payment-result" role="alert">
        <p>{current.data?.failure_reason ?? 'The payment did not go through.'}</p>
        <Button onClick={onClose}>Close</Button>
      </div>
    )
  }
  return (
    <div className="payment-result" role="status" aria-live="polite">
      <p>
        <strong>Check your phone.</strong> Enter your M-Pesa PIN to pay{' '}
        {formatMoney(payment.amount, payment.currency)}. This page updates by itself.
      </p>
      <Loading label="Waiting for M-Pesa…" />
    </div>
  )
}
