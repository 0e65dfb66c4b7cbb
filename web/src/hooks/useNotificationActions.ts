import { api } from '../api'
import type { Notification } from '../api/types'
import { invalidate } from '../lib/invalidation'
import { useAction } from './useAction'

/** What can be done to notifications; each refreshes every view of them when done (other
 *  tabs and devices follow through the live `notification.state_changed` event). */
export function useNotificationActions() {
  const toggle = useAction((n: Notification) =>
    n.read_at ? api.notifications.markUnread(n.id) : api.notifications.markRead(n.id),
  )
  const open = useAction((n: Notification) => (n.read_at ? Promise.resolve(n) : api.notifications.markRead(n.id)))
  const remove = useAction((n: Notification) => api.notifications.remove(n.id))
  const readAll = useAction(() => api.notifications.markAllRead())
  const clearAll = useAction(() => api.notifications.clearAll())
  const done = () => invalidate('notifications')
  return {
    error: toggle.error ?? open.error ?? remove.error ?? readAll.error ?? clearAll.error,
    busy: readAll.pending || clearAll.pending,
    toggleRead: (n: Notification) => void toggle.run(n).then(done),
    open: (n: Notification) => void open.run(n).then(done),
    remove: (n: Notification) => void remove.run(n).then(done),
    readAll: () => void readAll.run().then(done),
    clearAll: () => void clearAll.run().then(done),
  }
}
