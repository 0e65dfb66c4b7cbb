import { useState } from 'react'
import type { NotificationCategory } from '../api/endpoints'
import { Link } from 'react-router'
import { NotificationItem } from '../components/NotificationItem'
import { Button, EmptyState, ErrorMessage, Loading, PageHeader } from '../components/ui'
import { useNotificationPreferences, useNotifications } from '../hooks/useHotel'
import { useNotificationActions } from '../hooks/useNotificationActions'

const PAGE = 20

/** Every notification, newest first, a page at a time; filters by category and read state. */
export function NotificationsPage() {
  const [category, setCategory] = useState<NotificationCategory | ''>('')
  const [state, setState] = useState<'all' | 'unread' | 'read'>('all')
  // The cursors of the pages before this one: Previous pops, Next pushes.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined])
  const cursor = cursors[cursors.length - 1]
  const list = useNotifications({
    limit: PAGE,
    state,
    ...(category ? { category } : {}),
    ...(cursor !== undefined ? { cursor } : {}),
  })
  const prefs = useNotificationPreferences()
  const actions = useNotificationActions()
  const items = list.data?.items
  const next = list.data?.next_cursor ?? null
  const restart = () => setCursors([undefined])
  return (
    <section className="page">
      <PageHeader title="Notifications">
        <Link className="btn btn-secondary btn-small" to="/notifications/preferences">
          Preferences
        </Link>
        <Button variant="secondary" small busy={actions.busy} onClick={actions.readAll}>
          Mark all read
        </Button>
        <Button variant="danger" small busy={actions.busy} onClick={actions.clearAll}>
          Clear all
        </Button>
      </PageHeader>
      <div className="filters">
        <label className="field">
          <span className="field-label">Category</span>
          <select
            value={category}
            onChange={(e) => {
              setCategory(e.target.value as NotificationCategory | '')
              restart()
            }}
          >
            <option value="">All categories</option>
            {Object.keys(prefs.data?.channels ?? {}).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Show</span>
          <select
            value={state}
            onChange={(e) => {
              setState(e.target.value as typeof state)
              restart()
            }}
          >
            <option value="all">All</option>
            <option value="unread">Unread</option>
            <option value="read">Read</option>
          </select>
        </label>
      </div>
      <ErrorMessage error={list.error ?? actions.error} onRetry={list.reload} />
      {list.loading && !items && <Loading />}
      {items && items.length === 0 && <EmptyState title="Nothing here." />}
      {items && items.length > 0 && (
        <ul className="bell-list card notification-list">
          {items.map((n) => (
            <NotificationItem
              key={n.id}
              notification={n}
              onOpen={actions.open}
              onToggleRead={actions.toggleRead}
              onRemove={actions.remove}
            />
          ))}
        </ul>
      )}
      <nav className="pagination" aria-label="Pages">
        <Button
          variant="secondary"
          small
          disabled={cursors.length === 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          ← Newer
        </Button>
        <span>Page {cursors.length}</span>
        <Button variant="secondary" small disabled={next === null} onClick={() => setCursors((c) => [...c, next!])}>
          Older →
        </Button>
      </nav>
    </section>
  )
}
