import type { ReactNode } from 'react'
import type { Order } from '../api/types'
import { formatDateTime, formatTime } from '../lib/dates'
import { LATE_AFTER_MINUTES, formatWait, isLate } from '../lib/waiting'
import { Money, StatusBadge } from './ui'

interface Props {
  order: Order
  showGuest?: boolean
  /** Off on the kitchen board, whose columns already say it. */
  showStatus?: boolean
  actions?: ReactNode
  /** The kitchen board: minutes the order has waited so far (late ones stand out). */
  waited?: number
}

export function OrderCard({ order, showGuest, showStatus = true, actions, waited }: Props) {
  const late = waited !== undefined && isLate(waited)
  return (
    <article className={`card order-card${late ? ' order-late' : ''}`} data-testid="order">
      <header className="booking-head">
        <div>
          <span className="booking-reference">
            #{order.id} · {showStatus ? formatDateTime(order.created_at) : formatTime(order.created_at)}
          </span>
          {waited !== undefined && (
            <span
              className={`badge wait-badge${late ? ' wait-late' : ''}`}
              title={late ? `Late: waiting over ${LATE_AFTER_MINUTES} min` : 'Waiting since placed'}
              data-testid="waited"
            >
              {late && 'Late · '}
              {formatWait(waited)}
            </span>
          )}
          <h3>
            {showGuest ? order.guest_name : `${order.items.length} item${order.items.length === 1 ? '' : 's'}`}
            {order.room_number && <span className="muted"> · room {order.room_number}</span>}
          </h3>
        </div>
        {showStatus && <StatusBadge status={order.status} />}
      </header>
      <ul className="order-lines">
        {order.items.map((line) => (
          <li key={line.menu_item_id}>
            <span>
              {line.quantity} × {line.name}
            </span>
            <Money amount={line.line_total} currency={order.currency} />
          </li>
        ))}
      </ul>
      {order.notes && <p className="special-requests">“{order.notes}”</p>}
      <div className="order-total">
        <span>Total{order.charge_to_room ? ' · charged to room' : ''}</span>
        <Money amount={order.total_amount} currency={order.currency} />
      </div>
      {actions && <div className="button-row">{actions}</div>}
    </article>
  )
}
