import { useState, type FormEvent } from 'react'
import { api } from '../../api'
import type { RoomType } from '../../api/types'
import { useAction } from '../../hooks/useAction'
import { useResource } from '../../hooks/useResource'
import { formatDay, today } from '../../lib/dates'
import { fieldErrors, formError } from '../../lib/formErrors'
import { invalidate } from '../../lib/invalidation'
import { amount, daysBetween, SENTENCES, type Errors } from '../../lib/validate'
import { ConfirmButton } from '../ConfirmButton'
import { Button, EmptyState, ErrorMessage, Field, Loading, Money } from '../ui'

/** A room type's seasonal rates: the latest-starting rate covering a night prices it. */
export function RatesPanel({ roomType }: { roomType: RoomType }) {
  const rates = useResource((signal) => api.rooms.rates(roomType.id, signal), `rates-${roomType.id}`, ['rooms'])
  const [form, setForm] = useState({ start_date: '', end_date: '', nightly_rate: '', label: '' })
  const [checked, setChecked] = useState<Errors>({})
  const add = useAction(api.rooms.addRate)
  const remove = useAction(api.rooms.deleteRate)

  function validate(): Errors {
    const errors: Errors = {}
    if (!form.start_date) errors.start_date = SENTENCES.start_date
    const days = form.start_date && form.end_date ? daysBetween(form.start_date, form.end_date) : 0
    if (!form.end_date || days <= 0 || days > 366) errors.end_date = SENTENCES.end_date
    if (amount(form.nightly_rate, roomType.currency) === null) errors.nightly_rate = SENTENCES.nightly_rate
    if (form.label.length > 80) errors.label = SENTENCES.label
    return errors
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    const errors = validate()
    setChecked(errors)
    if (Object.keys(errors).length) return
    const rate = await add.run(roomType.id, {
      start_date: form.start_date,
      end_date: form.end_date,
      nightly_rate: amount(form.nightly_rate, roomType.currency) ?? 0,
      label: form.label.trim(),
    })
    if (rate) {
      setForm({ start_date: '', end_date: '', nightly_rate: '', label: '' })
      invalidate('rooms', 'availability')
    }
  }

  const fromApi = fieldErrors(add.error, SENTENCES)
  const errors = { ...fromApi, ...checked }
  const general = formError(add.error, fromApi)
  const set = (name: keyof typeof form) => (value: string) => {
    setForm((f) => ({ ...f, [name]: value }))
    setChecked((c) => ({ ...c, [name]: '' }))
  }

  return (
    <section className="rates" aria-label={`Seasonal rates for ${roomType.name}`}>
      <h4>Seasonal rates</h4>
      <p className="muted small">
        Base rate <Money amount={roomType.base_rate} currency={roomType.currency} /> a night. A seasonal rate replaces it for
        the nights it covers.
      </p>
      <ErrorMessage error={rates.error} onRetry={rates.reload} />
      <ErrorMessage error={remove.error} />
      {rates.loading && !rates.data && <Loading />}
      {rates.data && rates.data.length === 0 && <EmptyState title="No seasonal rates." />}
      {rates.data && rates.data.length > 0 && (
        <ul className="rate-list">
          {rates.data.map((rate) => (
            <li key={rate.id}>
              <span>
                <strong>{rate.label || 'Season'}</strong>{' '}
                <span className="muted">
                  {formatDay(rate.start_date)} – {formatDay(rate.end_date)} (last night before)
                </span>
              </span>
              <Money amount={rate.nightly_rate} currency={roomType.currency} />
              <ConfirmButton
                label="Remove"
                confirmLabel="Yes, remove"
                busy={remove.pending}
                onConfirm={() =>
                  void remove.run(rate.id).then(() => {
                    invalidate('rooms', 'availability')
                  })
                }
              />
            </li>
          ))}
        </ul>
      )}
      <form className="rate-form" onSubmit={submit} noValidate aria-label="Add a seasonal rate">
        {general && (
          <div className="alert alert-error" role="alert">
            {general}
          </div>
        )}
        <div className="form-grid">
          <Field label="From" error={errors.start_date || undefined}>
            <input type="date" name="start_date" min={today()} value={form.start_date}
              onChange={(e) => set('start_date')(e.target.value)} />
          </Field>
          <Field label="Until (check-out day)" error={errors.end_date || undefined}>
            <input type="date" name="end_date" min={form.start_date || today()} value={form.end_date}
              onChange={(e) => set('end_date')(e.target.value)} />
          </Field>
          <Field label={`Per night (${roomType.currency})`} error={errors.nightly_rate || undefined}>
            <input name="nightly_rate" inputMode="decimal" value={form.nightly_rate}
              onChange={(e) => set('nightly_rate')(e.target.value)} />
          </Field>
          <Field label="Label (optional)" error={errors.label || undefined}>
            <input name="label" value={form.label} placeholder="High season"
              onChange={(e) => set('label')(e.target.value)} />
          </Field>
        </div>
        <Button type="submit" variant="secondary" busy={add.pending}>
          Add rate
        </Button>
      </form>
    </section>
  )
}
