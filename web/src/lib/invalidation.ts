/**
 * Topic-based refresh: hooks subscribe to topics ("bookings", "orders", …) and reload when one
 * is invalidated. Mutations invalidate what they changed; live updates (WebSocket) can call
 * `invalidate` for the events they receive.
 */
export type Topic =
  | 'bookings'
  | 'orders'
  | 'service-requests'
  | 'reviews'
  | 'availability'
  | 'menu'
  | 'payments'
  | 'folio'
  | 'notifications'
  | 'delivery'
  | 'conversations'
  | 'rooms'
  | 'staff'
  | 'guests'
  | 'presence'

type Listener = () => void

const listeners = new Map<Topic, Set<Listener>>()

export function subscribe(topic: Topic, listener: Listener): () => void {
  let set = listeners.get(topic)
  if (!set) {
    set = new Set()
    listeners.set(topic, set)
  }
  set.add(listener)
  return () => {
    set.delete(listener)
  }
}

export function invalidate(...topics: Topic[]): void {
  for (const topic of topics) {
    for (const listener of [...(listeners.get(topic) ?? [])]) listener()
  }
}
