import { api } from '../api'
import type { Order, OrderStatus } from '../api/types'
import { ConfirmButton } from '../components/ConfirmButton'
import { OrderCard } from '../components/OrderCard'
import { Button, ErrorMessage, Loading, PageHeader } from '../components/ui'
import { useAction } from '../hooks/useAction'
import { useOrders } from '../hooks/useHotel'
import { useNow } from '../hooks/useNow'
import { invalidate } from '../lib/invalidation'
import { WAIT_TICK_MS, minutesWaited } from '../lib/waiting'

const COLUMNS: { status: OrderStatus; title: string; next?: { status: OrderStatus; label: string } }[] = [
  { status: 'placed', title: 'Placed', next: { status: 'preparing', label: 'Start preparing' } },
  { status: 'preparing', title: 'Preparing', next: { status: 'ready', label: 'Mark ready' } },
  { status: 'ready', title: 'Ready', next: { status: 'delivered', label: 'Delivered' } },
  { status: 'delivered', title: 'Delivered' },
]

/** Orders the kitchen still owes the guest: their cards show how long they have waited. */
const WAITING: ReadonlySet<OrderStatus> = new Set(['placed', 'preparing', 'ready'])

function OrderColumn({ status, title, next, now }: (typeof COLUMNS)[number] & { now: Date }) {
  const orders = useOrders({ status, limit: status === 'delivered' ? 10 : 50 })
  const move = useAction(async (order: Order, to: OrderStatus) => {
    await api.orders.setStatus(order.id, to)
    invalidate('orders')
  })
  const page = orders.data
  return (
    <section className={`board-column board-${status}`} aria-label={title}>
      <h2>
        {title} {page && <span className="count">{page.total}</span>}
      </h2>
      <ErrorMessage error={orders.error} onRetry={orders.reload} />
      <ErrorMessage error={move.error} />
      {orders.loading && !page && <Loading />}
      {page && page.items.length === 0 && <p className="muted board-empty">Nothing here.</p>}
      {page?.items.map((order) => (
        <OrderCard
          key={order.id}
          order={order}
          showGuest
          showStatus={false}
          waited={WAITING.has(status) ? minutesWaited(order.created_at, now) : undefined}
          actions={
            next || status === 'placed' ? (
              <>
                {next && (
                  <Button small busy={move.pending} onClick={() => void move.run(order, next.status)}>
                    {next.label}
                  </Button>
                )}
                {status === 'placed' && (
                  <ConfirmButton label="Cancel" confirmLabel="Cancel order" onConfirm={() => void move.run(order, 'cancelled')} />
                )}
              </>
            ) : undefined
          }
        />
      ))}
    </section>
  )
}

export function KitchenBoardPage() {
  const now = useNow(WAIT_TICK_MS)
  return (
    <>
      <PageHeader title="Kitchen orders" />
      <div className="board">
        {COLUMNS.map((column) => (
          <OrderColumn key={column.status} {...column} now={now} />
        ))}
      </div>
    </>
  )
}
