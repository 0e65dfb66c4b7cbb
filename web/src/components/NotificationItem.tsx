import { Link } from 'react-router'
import type { Notification } from '../api/types'
import { formatDateTime } from '../lib/dates'
import { Button } from './ui'

interface NotificationItemProps {
  notification: Notification
  /** Opening it (following its link) marks it read. */
  onOpen: (n: Notification) => void
  onToggleRead: (n: Notification) => void
  onRemove?: (n: Notification) => void
}

/** One notification: its title links to what it is about; read state and removal beside it. */
export function NotificationItem({ notification: n, onOpen, onToggleRead, onRemove }: NotificationItemProps) {
  const unread = !n.read_at
  return (
    <li className={unread ? 'bell-item unread' : 'bell-item'} data-testid="notification" data-priority={n.priority}>
      <div className="bell-item-text">
        <Link to={n.target} className="bell-item-link" onClick={() => onOpen(n)}>
          {unread && <span className="unread-dot" aria-label="Unread" />}
          <strong>{n.title}</strong>
        </Link>
        <span className="bell-item-body">{n.body}</span>
        <span className="muted small">
          {n.category} · {formatDateTime(n.created_at)}
        </span>
      </div>
      <div className="bell-item-actions">
        <Button
          variant="ghost"
          small
          aria-label={`${unread ? 'Mark read' : 'Mark unread'}: “${n.title}”`}
          onClick={() => onToggleRead(n)}
        >
          {unread ? 'Mark read' : 'Mark unread'}
        </Button>
        {onRemove && (
          <Button variant="ghost" small aria-label={`Remove “${n.title}”`} onClick={() => onRemove(n)}>
            Remove
          </Button>
        )}
      </div>
    </li>
  )
}
