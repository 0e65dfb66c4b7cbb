import { useEffect, useRef, useState } from 'react'
import { api } from '../api'
import { useAction } from '../hooks/useAction'
import { useNotifications, useUnreadCount } from '../hooks/useHotel'
import { formatDateTime } from '../lib/dates'
import { invalidate } from '../lib/invalidation'
import { Button, EmptyState, ErrorMessage, Loading } from './ui'

/** The header bell: unread count, and a panel of recent notifications to mark read. */
export function NotificationBell() {
  const [open, setOpen] = useState(false)
  const count = useUnreadCount(true)
  const unread = count.data?.unread ?? 0
  const wrap = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!open) return
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !wrap.current?.contains(event.target as Node)) {
        setOpen(false)
      }
    }
    document.addEventListener('mousedown', close)
    document.addEventListener('keydown', close)
    return () => {
      document.removeEventListener('mousedown', close)
      document.removeEventListener('keydown', close)
    }
  }, [open])

  return (
    <div className="bell" ref={wrap}>
      <button
        type="button"
        className="bell-button"
        aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path
            d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6Zm0 19a2.5 2.5 0 0 0 2.4-2h-4.8a2.5 2.5 0 0 0 2.4 2Z"
            fill="currentColor"
          />
        </svg>
        {unread > 0 && (
          <span className="bell-count" data-testid="unread-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && <NotificationPanel unread={unread} />}
    </div>
  )
}

function NotificationPanel({ unread }: { unread: number }) {
  const list = useNotifications(true)
  const markRead = useAction((id: number) => api.notifications.markRead(id))
  const markAll = useAction(() => api.notifications.markAllRead())
  const items = list.data?.items
  return (
    <div className="bell-panel" role="region" aria-label="Notifications">
      <div className="bell-panel-head">
        <strong>Notifications</strong>
        {unread > 0 && (
          <Button
            variant="ghost"
            small
            busy={markAll.pending}
            onClick={() => void markAll.run().then((r) => r && invalidate('notifications'))}
          >
            Mark all read
          </Button>
        )}
      </div>
      <ErrorMessage error={list.error ?? markRead.error ?? markAll.error} onRetry={list.reload} />
      {list.loading && !items && <Loading />}
      {items && items.length === 0 && <EmptyState title="You are all caught up." />}
      {items && items.length > 0 && (
        <ul className="bell-list">
          {items.map((n) => (
            <li key={n.id} className={n.read_at ? 'bell-item' : 'bell-item unread'} data-testid="notification">
              <div className="bell-item-text">
                <strong>{n.title}</strong>
                <span>{n.body}</span>
                <span className="muted small">{formatDateTime(n.created_at)}</span>
              </div>
              {!n.read_at && (
                <Button
                  variant="ghost"
                  small
                  aria-label={`Mark “${n.title}” read`}
                  onClick={() => void markRead.run(n.id).then((r) => r && invalidate('notifications'))}
                >
                  Mark read
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
