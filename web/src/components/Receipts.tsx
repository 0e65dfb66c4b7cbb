import type { Payment } from '../api/types'
import { api } from '../api'
import { useAction } from '../hooks/useAction'
import { formatMoney } from '../lib/money'
import { ErrorMessage } from './ui'
import { PAID_STATUSES } from '../lib/payments'


/** Receipts of a stay's paid payments; each downloads its PDF (the link is made on click,
 *  as it expires). */
export function Receipts({ payments }: { payments: Payment[] }) {
  const download = useAction(async (id: number) => {
    const { url } = await api.payments.receipt(id)
    window.location.assign(url)
  })
  const paid = payments.filter((payment) => PAID_STATUSES.has(payment.status))
  if (paid.length === 0) return null
  return (
    <div className="receipts">
      <ErrorMessage error={download.error} />
      <ul className="receipt-list">
        {paid.map((payment) => (
          <li key={payment.id}>
            <button
              type="button"
              className="link-button"
              disabled={download.pending}
              onClick={() => void download.run(payment.id)}
            >
              Receipt {payment.reference}
            </button>{' '}
            <span className="muted">{formatMoney(payment.amount, payment.currency)} (PDF)</span>
          </li>
        ))}
      </ul>
    </div>
  )
}
