import { useEffect, useMemo, useRef, useState } from 'react'
import { api } from '../api'
import type { MenuItem } from '../api/types'
import { Cart, type CartLine } from '../components/Cart'
import { cappedQuantity } from '../lib/quantity'
import { MenuList } from '../components/MenuList'
import { OrderCard } from '../components/OrderCard'
import { ConfirmButton } from '../components/ConfirmButton'
import { EmptyState, ErrorMessage, Field, Loading, Notice, PageHeader } from '../components/ui'
import { type Action, useAction, useCreate } from '../hooks/useAction'
import { useBookings, useMenu, useOrders } from '../hooks/useHotel'
import { invalidate } from '../lib/invalidation'
import { formatMoney } from '../lib/money'

export function RoomServicePage() {
  const menu = useMenu()
  const orders = useOrders({ limit: 20 })
  const stays = useBookings({ status: 'checked_in', limit: 10 })
  const [cart, setCart] = useState<Record<number, number>>({})
  const [bookingId, setBookingId] = useState<string>('')
  const [roomNumber, setRoomNumber] = useState('')
  const [notes, setNotes] = useState('')
  const [toRoom, setToRoom] = useState(false)
  const [placed, setPlaced] = useState<number | null>(null)
  const [placedToRoom, setPlacedToRoom] = useState(false)
  const place = useCreate(api.orders.create)
  const cartRef = useRef<HTMLElement>(null)
  const orderInView = useInView(cartRef, menu.data !== undefined)
  const cancel = useAction(async (id: number) => {
    await api.orders.setStatus(id, 'cancelled')
    invalidate('orders')
  })

  const itemsById = useMemo(
    () => new Map((menu.data ?? []).map((item) => [item.id, item] as const)),
    [menu.data],
  )
  const lines: CartLine[] = Object.entries(cart)
    .map(([id, quantity]) => ({ item: itemsById.get(Number(id)), quantity }))
    .filter((line): line is CartLine => line.item !== undefined && line.quantity > 0)

  const currentStays = stays.data?.items ?? []
  const chosenBooking = bookingId || (currentStays.length === 1 ? String(currentStays[0].id) : '')

  function add(item: MenuItem) {
    setPlaced(null)
    setCart((c) => ({ ...c, [item.id]: cappedQuantity(item, (c[item.id] ?? 0) + 1) }))
  }

  function setQuantity(itemId: number, quantity: number) {
    setCart((c) => {
      const next = { ...c }
      if (quantity <= 0) delete next[itemId]
      else {
        const item = itemsById.get(itemId)
        next[itemId] = item ? cappedQuantity(item, quantity) : quantity
      }
      return next
    })
  }

  async function submit() {
    const order = await place.run({
      items: lines.map((line) => ({ menu_item_id: line.item.id, quantity: line.quantity })),
      ...(chosenBooking ? { booking_id: Number(chosenBooking) } : {}),
      ...(!chosenBooking && roomNumber.trim() ? { room_number: roomNumber.trim() } : {}),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
      charge_to_room: toRoom,
    })
    if (order) {
      setCart({})
      setNotes('')
      setToRoom(false)
      setPlaced(order.id)
      setPlacedToRoom(order.charge_to_room)
      invalidate('orders')
    }
  }

  return (
    <>
      <PageHeader title="Room service" />
      {placed !== null && (
        <Notice>
          Order #{placed} is with the kitchen{placedToRoom ? ' and charged to your room' : ''}. You can follow it below.
        </Notice>
      )}
      <div className="split">
        <div>
          <ErrorMessage error={menu.error} onRetry={menu.reload} />
          {menu.loading && !menu.data && <Loading label="Loading the menu…" />}
          {menu.data && menu.data.length === 0 && <EmptyState title="The kitchen has no menu yet." />}
          {menu.data && menu.data.length > 0 && <MenuList items={menu.data} quantities={cart} onAdd={add} />}
        </div>
        {/* Below the menu on a phone: shown with the menu, not before it and then pushed down. */}
        {menu.data && (
        <aside className="sticky" ref={cartRef}>
          <Cart lines={lines} onQuantity={setQuantity} onSubmit={submit} submitting={place.pending} error={place.error}>
            {currentStays.length > 0 ? (
              <Field label="Deliver to" error={place.fieldErrors.booking_id}>
                <select value={chosenBooking} onChange={(e) => setBookingId(e.target.value)}>
                  {currentStays.length > 1 && <option value="">Choose your stay</option>}
                  {currentStays.map((stay) => (
                    <option key={stay.id} value={stay.id}>
                      {stay.room_number ? `Room ${stay.room_number}` : stay.room_type_name} · {stay.reference}
                    </option>
                  ))}
                </select>
              </Field>
            ) : (
              <Field label="Room number" error={place.fieldErrors.room_number}>
                <input value={roomNumber} onChange={(e) => setRoomNumber(e.target.value)} maxLength={16} />
              </Field>
            )}
            {(currentStays.length > 0 || roomNumber.trim()) && (
              <fieldset className="method-list pay-choice">
                <legend>How would you like to pay?</legend>
                <label className="method-option">
                  <input type="radio" name="pay" checked={!toRoom} onChange={() => setToRoom(false)} />
                  <span>Pay when it is delivered</span>
                </label>
                <label className="method-option">
                  <input type="radio" name="pay" checked={toRoom} onChange={() => setToRoom(true)} />
                  <span>Charge to my room</span>
                  <span className="muted">added to the bill you settle at check-out</span>
                </label>
              </fieldset>
            )}
            <Field label="Notes for the kitchen (optional)" error={place.fieldErrors.notes}>
              <textarea rows={2} maxLength={500} value={notes} onChange={(e) => setNotes(e.target.value)} />
            </Field>
          </Cart>
        </aside>
        )}
      </div>

      {/* Hidden while the order itself shows: it would sit over its last button. */}
      {lines.length > 0 && !orderInView && (
        <div className="cart-bar">
          <span>
            {lines.reduce((n, line) => n + line.quantity, 0)} item(s) ·{' '}
            <strong>{formatMoney(lines.reduce((sum, l) => sum + l.item.price * l.quantity, 0), lines[0].item.currency)}</strong>
          </span>
          <button type="button" className="btn btn-primary btn-small" onClick={() => cartRef.current?.scrollIntoView({ behavior: 'smooth' })}>
            View order
          </button>
        </div>
      )}

      {/* After the menu, so it appears below it rather than being pushed down when it arrives. */}
      {(menu.data || menu.error) && <MyOrders orders={orders} cancel={cancel} />}
    </>
  )
}

/** Whether any of `ref`'s element is on screen; `ready` once the element is rendered. */
function useInView(ref: React.RefObject<HTMLElement | null>, ready: boolean): boolean {
  const [inView, setInView] = useState(false)
  useEffect(() => {
    const element = ref.current
    if (!ready || !element || typeof IntersectionObserver === 'undefined') return
    const observer = new IntersectionObserver(([entry]) => setInView(entry.isIntersecting))
    observer.observe(element)
    return () => observer.disconnect()
  }, [ref, ready])
  return inView
}

function MyOrders({
  orders,
  cancel,
}: {
  orders: ReturnType<typeof useOrders>
  cancel: Action<[number], void>
}) {
  return (
    <>
      <h2 className="section-title">My orders</h2>
      <ErrorMessage error={cancel.error} />
      <ErrorMessage error={orders.error} onRetry={orders.reload} />
      {orders.loading && !orders.data && <Loading />}
      {orders.data && orders.data.items.length === 0 && <EmptyState title="No orders yet." />}
      {orders.data && orders.data.items.length > 0 && (
        <div className="card-list">
          {orders.data.items.map((order) => (
            <OrderCard
              key={order.id}
              order={order}
              actions={
                order.status === 'placed' ? (
                  <ConfirmButton
                    label="Cancel order"
                    confirmLabel="Yes, cancel it"
                    busy={cancel.pending}
                    onConfirm={() => void cancel.run(order.id)}
                  />
                ) : undefined
              }
            />
          ))}
        </div>
      )}
    </>
  )
}
