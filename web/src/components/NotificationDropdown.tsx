import { useState } from 'react'
import type { NotificationCategory } from '../api/endpoints'
import { Link } from 'react-router'
import { useNotificationPreferences, useNotifications } from '../hooks/useHotel'
import { useNotificationActions } from '../hooks/useNotificationActions'
import { NotificationItem } from './NotificationItem'
import { Button, EmptyState, ErrorMessage, Loading } from './ui'

/** The bell's panel: the latest notifications, filtered by category or unread. */
export function NotificationDropdown({ unread, onClose }: { unread: number; onClose: () => void }) {
  const [category, setCategory] = useState<NotificationCategory | ''>('')
  const [onlyUnread, setOnlyUnread] = useState(false)
  const list = useNotifications({
    limit: 10,
    state: onlyUnread ? 'unread' : 'all',
    ...(category ? { category } : {}),
  })
  const prefs = useNotificationPreferences()
  const actions = useNotificationActions()
  const items = list.data?.items
  const categories = Object.keys(prefs.data?.channels ?? {})
  return (
    <div className="bell-panel" role="region" aria-label="Notifications">
      <div className="bell-panel-head">
        <strong>Notifications</strong>
        <div className="bell-panel-tools">
          {unread > 0 && (
            <Button variant="ghost" small busy={actions.busy} onClick={actions.readAll}>
              Mark all read
            </Button>
          )}
          {items && items.length > 0 && (
            <Button variant="ghost" small busy={actions.busy} onClick={actions.clearAll}>
              Clear all
            </Button>
          )}
        </div>
      </div>
      <div className="bell-filters">
        <select aria-label="Category" value={category} onChange={(e) => setCategory(e.target.value as NotificationCategory | '')}>
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" checked={onlyUnread} onChange={(e) => setOnlyUnread(e.target.checked)} /> Unread only
        </label>
      </div>
      <ErrorMessage error={list.error ?? actions.error} onRetry={list.reload} />
      {list.loading && !items && <Loading />}
      {items && items.length === 0 && <EmptyState title="You are all caught up." />}
      {items && items.length > 0 && (
        <ul className="bell-list">
          {items.map((n) => (
            <NotificationItem
              key={n.id}
              notification={n}
              onOpen={(item) => {
                actions.open(item)
                onClose()
              }}
              onToggleRead={actions.toggleRead}
            />
          ))}
        </ul>
      )}
      <div className="bell-panel-foot">
        <Link to="/notifications" onClick={onClose}>
          See all
        </Link>
        <Link to="/notifications/preferences" onClick={onClose}>
          Preferences
        </Link>
      </div>
    </div>
  )
}
