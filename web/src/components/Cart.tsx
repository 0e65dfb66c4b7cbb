import type { FormEvent, ReactNode } from 'react'
import type { MenuItem } from '../api/types'
import { formatMoney } from '../lib/money'
import { cappedQuantity } from '../lib/quantity'
import { Button, ErrorMessage } from './ui'

export interface CartLine {
  item: MenuItem
  quantity: number
}

interface Props {
  lines: CartLine[]
  onQuantity: (itemId: number, quantity: number) => void
  onSubmit: () => void
  submitting: boolean
  error: unknown
  /** Delivery fields (room / booking, notes). */
  children?: ReactNode
}

export function Cart({ lines, onQuantity, onSubmit, submitting, error, children }: Props) {
  const currency = lines[0]?.item.currency ?? 'KES'
  const total = lines.reduce((sum, line) => sum + line.item.price * line.quantity, 0)
  return (
    <form
      className="card cart"
      aria-label="Your order"
      onSubmit={(event: FormEvent) => {
        event.preventDefault()
        onSubmit()
      }}
    >
      <h2>Your order</h2>
      {lines.length === 0 ? (
        <p className="muted">Add dishes from the menu.</p>
      ) : (
        <ul className="cart-lines">
          {lines.map(({ item, quantity }) => (
            <li key={item.id}>
              <span className="cart-name">{item.name}</span>
              <span className="stepper">
                <button type="button" aria-label={`One less ${item.name}`} onClick={() => onQuantity(item.id, quantity - 1)}>
                  −
                </button>
                <span aria-label="quantity">{quantity}</span>
                <button
                  type="button"
                  aria-label={`One more ${item.name}`}
                  disabled={cappedQuantity(item, quantity + 1) === quantity}
                  title={cappedQuantity(item, quantity + 1) === quantity ? `At most ${quantity} per order` : undefined}
                  onClick={() => onQuantity(item.id, quantity + 1)}
                >
                  +
                </button>
              </span>
              <span className="cart-amount">{formatMoney(item.price * quantity, item.currency)}</span>
            </li>
          ))}
        </ul>
      )}
      {children}
      <div className="cart-total">
        <span>Total</span>
        <strong>{formatMoney(total, currency)}</strong>
      </div>
      <ErrorMessage error={error} />
      <Button type="submit" className="btn-block" disabled={lines.length === 0} busy={submitting}>
        {submitting ? 'Placing order…' : 'Place order'}
      </Button>
    </form>
  )
}
