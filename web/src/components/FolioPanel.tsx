/**
 * A stay's folio: every line of the bill with the balance after it, what is still due, and
 * the ways to settle it. Give it a booking id and it does the rest: it loads the folio,
 * reloads when a charge, an order to the room or a payment lands (live), lets the front
 * desk post a charge and take cash, lets a manager void a charge, and lets the guest pay
 * online through the PaymentModal.
 */
import { useState, type FormEvent } from 'react'
import { api } from '../api'
import { CHARGE_CATEGORIES, type ChargeCategory, type Folio, type FolioLine } from '../api/types'
import { useCreate } from '../hooks/useAction'
import { useUser } from '../hooks/useAuth'
import { useFolio } from '../hooks/useHotel'
import { isManagement, mayPostCharges } from '../lib/access'
import { formatDateTime } from '../lib/dates'
import { invalidate } from '../lib/invalidation'
import { formatMoney, fromMajorUnits } from '../lib/money'
import { CashForm } from './CashPaymentPanel'
import { VoidWithReason } from './VoidWithReason'
import { PaymentModal } from './PaymentModal'
import { Button, ErrorMessage, Field, Loading } from './ui'

export const CATEGORY_NAMES: Record<ChargeCategory, string> = {
  minibar: 'Minibar',
  laundry: 'Laundry',
  damage: 'Damage',
  late_checkout: 'Late check-out',
  telephone: 'Telephone',
  parking: 'Parking',
  spa: 'Spa',
  restaurant: 'Restaurant',
  other: 'Other',
}

export function FolioPanel({ bookingId }: { bookingId: number }) {
  const user = useUser()
  const folio = useFolio(bookingId)
  const [posting, setPosting] = useState(false)
  const [paying, setPaying] = useState(false)
  const staff = user.role !== 'guest'
  const data = folio.data

  return (
    <section className="folio" aria-label={`Bill for booking ${data?.reference ?? bookingId}`}>
      {folio.loading && !data && <Loading label="Loading the bill…" />}
      <ErrorMessage error={folio.error} onRetry={folio.reload} />
      {data && (
        <>
          <h3 className="folio-title">
            Bill · Room {data.room_number} · {data.reference}
          </h3>
          <ol className="folio-lines" aria-label="Bill lines">
            {data.lines.map((line, index) => (
              <FolioRow key={`${line.kind}-${index}`} line={line} folio={data} />
            ))}
          </ol>
          <dl className="folio-totals">
            <div>
              <dt>Charges</dt>
              <dd>{formatMoney(data.charges_total, data.currency)}</dd>
            </div>
            <div>
              <dt>Paid</dt>
              <dd>{formatMoney(data.payments_total, data.currency)}</dd>
            </div>
            {data.refunds_total > 0 && (
              <div>
                <dt>Refunded</dt>
                <dd>{formatMoney(data.refunds_total, data.currency)}</dd>
              </div>
            )}
            <div className="folio-balance" data-testid="folio-balance">
              <dt>Balance due</dt>
              <dd>
                {data.balance_due > 0
                  ? formatMoney(data.balance_due, data.currency)
                  : data.balance_due < 0
                    ? `${formatMoney(-data.balance_due, data.currency)} in credit`
                    : 'Settled'}
              </dd>
            </div>
          </dl>
          {data.checkout_overrides.map((o) => (
            <p key={o.created_at} className="alert alert-warning folio-override">
              Checked out on {formatDateTime(o.created_at)} with {formatMoney(o.balance_due, o.currency)} open: {o.reason}
            </p>
          ))}
          <div className="button-row">
            {mayPostCharges(user) && data.open_for_charges && !posting && (
              <Button small variant="secondary" onClick={() => setPosting(true)}>
                Post charge
              </Button>
            )}
            {data.balance_due > 0 && !paying && data.status !== 'cancelled' && (
              <Button small onClick={() => setPaying(true)}>
                Pay balance
              </Button>
            )}
          </div>
          {posting && <ChargeForm folio={data} onClose={() => setPosting(false)} />}
          {paying && staff && data.balance_due > 0 && (
            <CashForm booking={{ id: data.booking_id, currency: data.currency }} due={data.balance_due}
              onClose={() => setPaying(false)} />
          )}
          {paying && !staff && (
            <PaymentModal
              booking={{ id: data.booking_id, reference: data.reference, currency: data.currency }}
              due={data.balance_due}
              onClose={() => setPaying(false)}
            />
          )}
        </>
      )}
    </section>
  )
}

function FolioRow({ line, folio }: { line: FolioLine; folio: Folio }) {
  const user = useUser()
  const voidCharge = async (reason: string) => {
    await api.folio.voidCharge(folio.booking_id, line.charge_id!, reason)
    invalidate('folio')
  }
  const canVoid = line.kind === 'charge' && !line.voided && isManagement(user)
  const label = line.kind === 'charge' && line.category ? `${CATEGORY_NAMES[line.category]}: ` : ''
  return (
    <li className={`folio-line folio-${line.kind}${line.voided ? ' folio-voided' : ''}`}>
      <span className="folio-what">
        <span className="folio-description">
          {label}
          {line.description}
        </span>
        <span className="muted folio-when">
          {formatDateTime(line.at)}
          {line.voided && ` · voided${line.void_reason ? `: ${line.void_reason}` : ''}`}
        </span>
      </span>
      <span className="folio-amount">
        {line.voided ? 'void' : formatMoney(line.amount, folio.currency)}
      </span>
      <span className="folio-running muted">{formatMoney(line.balance, folio.currency)}</span>
      {canVoid && <VoidWithReason what="charge" onVoid={voidCharge} />}
    </li>
  )
}

/** The front desk posts a charge: what it is for, what one costs, how many. */
function ChargeForm({ folio, onClose }: { folio: Folio; onClose: () => void }) {
  const [category, setCategory] = useState<ChargeCategory>('minibar')
  const [description, setDescription] = useState('')
  const [amount, setAmount] = useState('')
  const [quantity, setQuantity] = useState('1')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const post = useCreate((data: Parameters<typeof api.folio.postCharge>[1], key: string) =>
    api.folio.postCharge(folio.booking_id, data, key),
  )
  const unit = fromMajorUnits(amount, folio.currency)
  const count = Number(quantity)

  async function submit(event: FormEvent) {
    event.preventDefault()
    const found: Record<string, string> = {}
    if (!description.trim()) found.description = 'Say what the charge is for.'
    if (unit === null) found.unit_amount = `Enter the price of one, in ${folio.currency}, for example 250.00.`
    if (!Number.isInteger(count) || count < 1 || count > 100) found.quantity = 'Enter how many, from 1 to 100.'
    setErrors(found)
    if (Object.keys(found).length > 0 || unit === null) return
    const posted = await post.run({ category, description: description.trim(), unit_amount: unit, quantity: count })
    if (posted) {
      invalidate('folio')
      onClose()
    }
  }

  return (
    <form className="charge-form" onSubmit={submit} noValidate>
      <ErrorMessage error={post.error} />
      <Field label="Category" error={post.fieldErrors.category}>
        <select name="category" value={category} onChange={(e) => setCategory(e.target.value as ChargeCategory)}>
          {CHARGE_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {CATEGORY_NAMES[c]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Description" error={errors.description ?? post.fieldErrors.description}>
        <input name="description" value={description} maxLength={200} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <div className="charge-form-numbers">
        <Field label={`Price each (${folio.currency})`} error={errors.unit_amount ?? post.fieldErrors.unit_amount}>
          <input name="unit_amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </Field>
        <Field label="Quantity" error={errors.quantity ?? post.fieldErrors.quantity}>
          <input name="quantity" inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} />
        </Field>
      </div>
      {unit !== null && Number.isInteger(count) && count > 0 && (
        <p className="muted">Adds {formatMoney(unit * count, folio.currency)} to the bill.</p>
      )}
      <div className="button-row">
        <Button type="submit" small busy={post.pending}>
          Post to the bill
        </Button>
        <Button variant="ghost" small onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  )
}
